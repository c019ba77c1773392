from django.urls import path

from vigie.plans import views

app_name = "plans"

urlpatterns = [
    path("departements/<str:code>/", views.department_home, name="department"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("mesures/<int:pk>/", views.measure_detail, name="measure"),
]
