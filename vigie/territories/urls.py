from django.urls import path

from vigie.territories import views

app_name = "territories"

urlpatterns = [
    path("epci/<str:siren>/", views.epci, name="epci"),
]
