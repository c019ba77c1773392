from django.urls import path

from vigie.organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("glossaire/<str:dept_code>/", views.glossary, name="glossary"),
]
