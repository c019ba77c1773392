from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from vigie.api import casework, funding, public, views

app_name = "api"

router = SimpleRouter()
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("campaigns", views.CampaignViewSet, basename="campaign")
router.register("values", views.ValueViewSet, basename="value")
router.register("funding/calls", funding.FundingCallViewSet, basename="funding-call")
router.register(
    "funding/applications", funding.GrantApplicationViewSet, basename="funding-application"
)
# The public API of the adopted plans (vigie/api/public.py): the same for everyone, no account needed.
router.register("public/plans", public.PublicPlanViewSet, basename="public-plan")
router.register("public/axes", public.PublicAxisViewSet, basename="public-axis")
router.register("public/measures", public.PublicMeasureViewSet, basename="public-measure")
router.register("public/actions", public.PublicActionViewSet, basename="public-action")
router.register("public/indicators", public.PublicIndicatorViewSet, basename="public-indicator")
router.register("public/values", public.PublicValueViewSet, basename="public-value")

urlpatterns = [
    path("", views.docs, name="docs"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("jeton/", views.token, name="token"),
    *router.urls,
]

# The nominative groups' cases (vigie/api/casework.py): members only, second factor required, never cached.
urlpatterns += [
    path(
        "casework/groups/<str:group>/cases/",
        casework.GroupCasesView.as_view(),
        name="casework-case-list",
    ),
    path("casework/cases/<str:case>/", casework.CaseView.as_view(), name="casework-case-detail"),
]
