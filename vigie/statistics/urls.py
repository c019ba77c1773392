from django.urls import path

from vigie.statistics import views

app_name = "statistics"

urlpatterns = [
    path("", views.index, name="index"),
    path("comparer/", views.compare, name="compare"),
    path("import/", views.upload, name="upload"),
    path("export/<slug:page>.<slug:fmt>", views.export, name="export"),
    path("instances/<int:pk>/", views.territory, name="territory"),
    path("<str:code>/", views.department, name="department"),
    path("<str:code>/indicateurs/<slug:slug>/", views.indicator, name="indicator"),
    path("<str:code>/plan/", views.plan_comparison, name="plan_comparison"),
    path("<str:code>/communes/", views.communes, name="communes"),
]
