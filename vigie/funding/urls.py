from django.urls import path

from vigie.funding import views

app_name = "funding"

urlpatterns = [
    path("appels/", views.calls, name="calls"),
    path("appels/nouveau/<str:code>/", views.call_create, name="call_create"),
    path("appels/<int:pk>/", views.call_detail, name="call"),
    path("appels/<int:pk>/modifier/", views.call_edit, name="call_edit"),
    path(
        "appels/<int:pk>/programmes/<int:programme_pk>/",
        views.call_programme_edit,
        name="call_programme_edit",
    ),
    path("appels/<int:pk>/demandes/", views.call_applications, name="call_applications"),
    path("appels/<int:pk>/deposer/", views.application_create, name="application_create"),
    path("mes-demandes/", views.my_applications, name="my_applications"),
    path("demandes/<int:pk>/", views.application_detail, name="application"),
    path("demandes/<int:pk>/projet/", views.application_edit, name="application_edit"),
    path("demandes/<int:pk>/budget/", views.application_budget, name="application_budget"),
    path(
        "demandes/<int:pk>/pieces/", views.application_attachments, name="application_attachments"
    ),
    path(
        "demandes/<int:pk>/pieces/<int:attachment_pk>/",
        views.attachment_file,
        name="attachment_file",
    ),
    path(
        "demandes/<int:pk>/pieces/<int:attachment_pk>/retirer/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path(
        "demandes/<int:pk>/etat/<str:target>/",
        views.application_transition,
        name="application_transition",
    ),
    path("demandes/<int:pk>/versement/", views.payment_create, name="payment_create"),
]
