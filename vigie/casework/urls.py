from django.urls import path

from vigie.casework import views

app_name = "casework"

urlpatterns = [
    path("", views.groups, name="groups"),
    path("groupes/<int:pk>/", views.group, name="group"),
    path("groupes/<int:pk>/charte/", views.charter, name="charter"),
    path("groupes/<int:pk>/charte/modifier/", views.charter_edit, name="charter_edit"),
    path("groupes/<int:pk>/membres/<int:member_pk>/fin/", views.member_end, name="member_end"),
]
