from django.urls import path

from vigie.casework import case_views, views

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

# Rights of the person followed.
from vigie.casework import rights_views  # noqa: E402

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
