from django.urls import path

from vigie.statistics import views

app_name = "statistics"

urlpatterns = [
    path("", views.index, name="index"),
    path("comparer/", views.compare, name="compare"),
    path("import/", views.upload, name="upload"),
    path("editions/", views.editions, name="editions"),
    path("editions/<int:pk>/", views.edition, name="edition"),
    path("editions/<int:pk>/publier/", views.edition_publish, name="edition_publish"),
    path("editions/<int:pk>/retirer/", views.edition_withdraw, name="edition_withdraw"),
    path("export/<slug:page>.<slug:fmt>", views.export, name="export"),
    path("instances/<int:pk>/", views.territory, name="territory"),
    path("<str:code>/", views.department, name="department"),
    path("<str:code>/indicateurs/<slug:slug>/", views.indicator, name="indicator"),
    path("<str:code>/plan/", views.plan_comparison, name="plan_comparison"),
    path("<str:code>/communes/", views.communes, name="communes"),
]
