from django.urls import path

from vigie.plans import views

app_name = "plans"

urlpatterns = [
    path("", views.home, name="home"),
    path("departements/<str:code>/", views.department_home, name="department"),
    path("territoires/communes/<str:code>/", views.commune, name="commune"),
    path("organisations/<int:pk>/", views.organisation, name="organisation"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/modifier/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/historique/", views.plan_history, name="plan_history"),
    path("mesures/<int:pk>/", views.measure_detail, name="measure"),
    path("mesures/<int:pk>/modifier/", views.measure_edit, name="measure_edit"),
    path("mesures/<int:pk>/historique/", views.measure_history, name="measure_history"),
    path("mesures/<int:pk>/commentaires/", views.measure_comments, name="measure_comments"),
    path("mesures/<int:pk>/actions/ajouter/", views.action_create, name="action_create"),
    path("actions/<int:pk>/modifier/", views.action_edit, name="action_edit"),
    path("actions/<int:pk>/supprimer/", views.action_delete, name="action_delete"),
    path("actions/<int:pk>/etat/", views.action_status, name="action_status"),
    path("actions/<int:pk>/historique/", views.action_history, name="action_history"),
]
