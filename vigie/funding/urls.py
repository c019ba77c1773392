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
    path("appels/<int:pk>/import/", views.call_import, name="call_import"),
    path("appels/<int:pk>/import/colonnes/", views.call_import_mapping, name="call_import_mapping"),
    path("appels/<int:pk>/import/apercu/", views.call_import_preview, name="call_import_preview"),
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
    # Letters (vigie.funding.letters) and final reports (vigie.funding.final_reports).
    path("courriers/<str:code>/modeles/", views.letter_templates, name="letter_templates"),
    path(
        "courriers/<str:code>/modeles/<str:kind>/",
        views.letter_template_edit,
        name="letter_template_edit",
    ),
    path(
        "demandes/<int:pk>/courriers/<str:kind>/generer/",
        views.letter_generate,
        name="letter_generate",
    ),
    path(
        "demandes/<int:pk>/courriers/<int:letter_pk>/fichier/<str:fmt>/",
        views.letter_file,
        name="letter_file",
    ),
    path(
        "demandes/<int:pk>/courriers/<int:letter_pk>/copie-signee/",
        views.letter_signed,
        name="letter_signed",
    ),
    path("demandes/<int:pk>/compte-rendu/", views.final_report, name="final_report"),
    path("comptes-rendus/<str:code>/en-retard/", views.overdue_reports, name="overdue_reports"),
    path(
        "export/<str:code>/<int:year>/<str:kind>.<str:fmt>",
        views.export,
        name="export",
    ),
    path("plans/<int:pk>/", views.plan_grants, name="plan_grants"),
]
