from django.urls import path

from vigie.reviews import views

app_name = "reviews"

urlpatterns = [
    path("plans/<int:pk>/", views.plan_reviews, name="plan"),
    path("plans/<int:pk>/textes/", views.edit_texts, name="texts"),
    path("plans/<int:pk>/generer/", views.generate, name="generate"),
    path("plans/<int:pk>/apercu/", views.preview, name="preview"),
    path("<int:pk>/fichier/", views.download, name="download"),
]
