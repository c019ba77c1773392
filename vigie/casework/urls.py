from django.urls import path

from vigie.casework import case_action_views, case_views, member_views, rights_views, views

app_name = "casework"

urlpatterns = [
    path("", views.groups, name="groups"),
    path("groupes/<int:pk>/", views.group, name="group"),
    path("groupes/<int:pk>/charte/", views.charter, name="charter"),
    path("groupes/<int:pk>/charte/modifier/", views.charter_edit, name="charter_edit"),
    path("groupes/<int:pk>/membres/<int:member_pk>/fin/", views.member_end, name="member_end"),
]

urlpatterns += [
    path("groupes/<int:pk>/dossiers/", case_views.cases, name="cases"),
    path("groupes/<int:pk>/dossiers/ouvrir/", case_views.case_create, name="case_create"),
    path("groupes/<int:pk>/journal/", case_views.log, name="access_log"),
    path("dossiers/<uuid:public_id>/", case_views.case, name="case"),
    path("dossiers/<uuid:public_id>/entree/", case_views.entry_add, name="entry_add"),
]

# The coordinator's pages (members, rules document, controller summary) and a case's closure and information.
urlpatterns += [
    path("groupes/<int:pk>/membres/ajouter/", member_views.member_add, name="member_add"),
    path(
        "groupes/<int:pk>/membres/<int:member_pk>/modifier/",
        member_views.member_change,
        name="member_change",
    ),
    path("groupes/<int:pk>/reglement/deposer/", member_views.rules_upload, name="rules_upload"),
    path("groupes/<int:pk>/reglement/", member_views.rules_download, name="rules_download"),
    path("groupes/<int:pk>/synthese/", member_views.summary_edit, name="summary_edit"),
    path("groupes/<int:pk>/reunions/ajouter/", member_views.meeting_add, name="meeting_add"),
    path("dossiers/<uuid:public_id>/cloture/", case_action_views.case_close, name="case_close"),
    path(
        "dossiers/<uuid:public_id>/information/",
        case_action_views.case_inform,
        name="case_inform",
    ),
]

# Rights of the person followed.
urlpatterns += [
    path("dossiers/<uuid:public_id>/droits/", rights_views.rights_page, name="rights"),
    path(
        "dossiers/<uuid:public_id>/droits/export/", rights_views.rights_export, name="rights_export"
    ),
    path("dossiers/<uuid:public_id>/droits/rectifier/", rights_views.rectify, name="rectify"),
    path("dossiers/<uuid:public_id>/droits/effacer/", rights_views.erase, name="erase"),
    path(
        "dossiers/<uuid:public_id>/rectifications/",
        rights_views.rectifications,
        name="rectifications",
    ),
]
