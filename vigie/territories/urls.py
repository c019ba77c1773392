from django.urls import path

from vigie.territories import views

app_name = "territories"

urlpatterns = [
    path("communes/<str:code>/", views.commune, name="commune"),
    path("epci/<str:siren>/", views.epci, name="epci"),
]
