from django.urls import path

from vigie.core import health, views

app_name = "core"

urlpatterns = [
    path("a-propos/", views.about, name="about"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("sante/", health.health, name="health"),
]
