from django.urls import path

from vigie.overview import views

app_name = "overview"

urlpatterns = [
    path("", views.index, name="index"),
    path("departements/<str:code>/", views.department, name="department"),
]
