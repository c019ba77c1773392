from django.urls import path

from vigie.accounts import views

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("verrouilles/", views.locked_accounts, name="locked"),
    path("verrouilles/<int:pk>/deverrouiller/", views.unlock_account, name="unlock"),
]
