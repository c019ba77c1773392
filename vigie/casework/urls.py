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
