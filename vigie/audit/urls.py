from django.urls import path

from vigie.audit import views

app_name = "audit"

urlpatterns = [
    path("export.csv", views.export, name="export"),
]
