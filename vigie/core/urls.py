from django.urls import path

from vigie.core import views

app_name = "core"

urlpatterns = [
    path("a-propos/", views.about, name="about"),
    path("accessibilite/", views.accessibility, name="accessibility"),
]
