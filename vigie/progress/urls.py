from django.urls import path

from vigie.progress import views
from vigie.progress.feeds import PlanProgressFeed

app_name = "progress"

urlpatterns = [
    path("", views.index, name="index"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("plans/<int:pk>/flux.atom", PlanProgressFeed(), name="feed"),
    path("plans/<int:pk>/donnees.zip", views.data_package, name="data"),
    path("plans/<int:pk>/publication/", views.publication, name="publication"),
]
