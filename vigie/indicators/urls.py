from django.urls import path

from vigie.indicators import views

app_name = "indicators"

urlpatterns = [
    path("plans/<int:pk>/", views.plan_progress, name="plan_progress"),
    path("plans/<int:plan_pk>/campagnes/", views.campaign_list, name="campaigns"),
    path("plans/<int:plan_pk>/campagnes/nouvelle/", views.campaign_create, name="campaign_create"),
    path("plans/<int:plan_pk>/export.<str:fmt>", views.export_values, name="export"),
    path("axes/<int:pk>/", views.axis_progress, name="axis_progress"),
    path("mesures/<int:pk>/", views.measure_progress, name="measure_progress"),
    path("<int:pk>/", views.indicator_detail, name="indicator"),
    path("<int:pk>/definition/", views.indicator_edit, name="indicator_edit"),
    path("campagnes/<int:pk>/", views.campaign_detail, name="campaign"),
    path("campagnes/<int:pk>/modifier/", views.campaign_edit, name="campaign_edit"),
    path(
        "campagnes/<int:pk>/saisie/<int:indicator_pk>/<str:territory_key>/<str:period>/",
        views.value_entry,
        name="value_entry",
    ),
    path("campagnes/<int:pk>/soumettre/", views.submit_drafts, name="submit_drafts"),
    path("campagnes/<int:pk>/actions/<int:action_pk>/", views.action_report, name="action_report"),
    path("campagnes/<int:pk>/retardataires/", views.missing, name="missing"),
    path("campagnes/<int:pk>/modele.<str:fmt>", views.template_download, name="template"),
    path("campagnes/<int:pk>/import/", views.upload, name="upload"),
    path("valeurs/<int:pk>/", views.value_detail, name="value"),
    path("valeurs/<int:pk>/examen/", views.value_review, name="value_review"),
]
