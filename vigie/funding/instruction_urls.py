"""Instruction and funders' committee pages (included under /financements/instruction/)."""

from django.urls import path

from vigie.funding import committee_views, instruction_views

app_name = "instruction"

urlpatterns = [
    path("departement/<str:code>/", instruction_views.queue, name="queue"),
    path("dossier/<int:pk>/", instruction_views.application_file, name="file"),
    path("dossier/<int:pk>/notes/", instruction_views.note_add, name="note_add"),
    path("dossier/<int:pk>/analyse/", instruction_views.review_save, name="review"),
    path("dossier/<int:pk>/etat/", instruction_views.transition, name="transition"),
    path("dossier/<int:pk>/avis/", instruction_views.opinion_request, name="opinion_request"),
    path("avis/", instruction_views.my_opinions, name="my_opinions"),
    path("avis/<int:pk>/", instruction_views.opinion, name="opinion"),
    path("departement/<str:code>/comite/", committee_views.sessions, name="sessions"),
    path("comite/<int:pk>/", committee_views.session, name="session"),
    path("comite/<int:pk>/ordre-du-jour/", committee_views.agenda_add, name="agenda_add"),
    path(
        "comite/<int:pk>/proposition/<int:item_pk>/<int:fund_pk>/",
        committee_views.proposal,
        name="proposal",
    ),
    path("comite/<int:pk>/decisions/", committee_views.decisions, name="decisions"),
    path("comite/<int:pk>/proces-verbal/", committee_views.minutes, name="minutes"),
    path("comite/<int:pk>/proces-verbal.pdf", committee_views.minutes_pdf, name="minutes_pdf"),
]
