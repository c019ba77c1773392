from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from vigie.api import views

app_name = "api"

router = SimpleRouter()
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("campaigns", views.CampaignViewSet, basename="campaign")
router.register("values", views.ValueViewSet, basename="value")

urlpatterns = [
    path("", views.docs, name="docs"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("jeton/", views.token, name="token"),
    *router.urls,
]
