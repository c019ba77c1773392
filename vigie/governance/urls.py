from django.urls import path

from vigie.governance import views

app_name = "governance"

urlpatterns = [
    path("", views.index, name="index"),
    path("instances/<int:pk>/", views.body_detail, name="body_detail"),
    path("instances/<int:pk>/modifier/", views.body_edit, name="body_edit"),
    path("instances/<int:pk>/membres/", views.body_members, name="body_members"),
    path(
        "instances/<int:pk>/membres/<int:member_pk>/retirer/",
        views.body_member_remove,
        name="body_member_remove",
    ),
    path("instances/<int:pk>/reunions/nouvelle/", views.meeting_create, name="meeting_create"),
    path("reunions/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("reunions/<int:pk>/modifier/", views.meeting_edit, name="meeting_edit"),
    path("reunions/<int:pk>/historique/", views.meeting_history, name="meeting_history"),
    path(
        "reunions/<int:pk>/compte-rendu/", views.meeting_minutes_file, name="meeting_minutes_file"
    ),
    path("reunions/<int:pk>/decisions/nouvelle/", views.decision_create, name="decision_create"),
    path("decisions/<int:pk>/modifier/", views.decision_edit, name="decision_edit"),
    path("decisions/<int:pk>/etat/", views.decision_status, name="decision_status"),
    path(
        "dispositifs/rapprocher/<int:pk>/",
        views.scheme_record_resolve,
        name="scheme_record_resolve",
    ),
    path("departements/<str:code>/", views.dashboard, name="dashboard"),
    path("departements/<str:code>/instances/nouvelle/", views.body_create, name="body_create"),
    path("departements/<str:code>/calendrier/", views.calendar, name="calendar"),
    path("departements/<str:code>/calendrier.ics", views.calendar_ics, name="calendar_ics"),
    path("departements/<str:code>/dispositifs/<slug:scheme>/", views.tracker, name="tracker"),
    path(
        "departements/<str:code>/dispositifs/<slug:scheme>/objectif/",
        views.target_edit,
        name="target_edit",
    ),
    path(
        "departements/<str:code>/dispositifs/<slug:scheme>/communes/<str:commune_code>/",
        views.scheme_record_edit,
        name="scheme_record_edit",
    ),
]
