"""Import sessions of plan documents and plan versions (avenants)."""

from django.urls import path, re_path

from vigie.imports import views

app_name = "imports"

urlpatterns = [
    path("departement/<str:code>/", views.start, name="start"),
    path("<int:pk>/", views.session_detail, name="session"),
    path("<int:pk>/progression/", views.progress, name="progress"),
    path("<int:pk>/verification/", views.review_page, name="review"),
    re_path(
        r"^(?P<pk>\d+)/verification/(?P<path>(?:axes|annexes)-\d+(?:-measures-\d+(?:-[a-z_]+-\d+)?)?)/$",
        views.item,
        name="item",
    ),
    path("<int:pk>/organisations/", views.organisations, name="organisations"),
    path("<int:pk>/differences/", views.diff_page, name="diff"),
    path("<int:pk>/conserver/", views.keep_followed, name="keep"),
    path("<int:pk>/confirmation/", views.confirm, name="confirm"),
    path("<int:pk>/abandon/", views.cancel, name="cancel"),
    path("plans/<int:plan_pk>/versions/", views.versions, name="versions"),
    path("versions/<int:pk>/", views.version_detail, name="version"),
    path(
        "plans/<int:plan_pk>/document/<slug:edition>.<slug:fmt>",
        views.plan_export,
        name="plan_export",
    ),
    path("versions/<int:pk>/differences/", views.version_diff, name="version_diff"),
]
