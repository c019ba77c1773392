from django.urls import path

from vigie.accounts import (
    management_views,
    password_views,
    proconnect_views,
    two_factor_views,
    views,
)

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path(
        "proconnect/connexion/",
        proconnect_views.ProConnectLoginView.as_view(),
        name="proconnect_login",
    ),
    path(
        "proconnect/retour/",
        proconnect_views.ProConnectCallbackView.as_view(),
        name="proconnect_callback",
    ),
    path(
        "proconnect/deconnecte/",
        proconnect_views.proconnect_logged_out,
        name="proconnect_logged_out",
    ),
    path("verrouilles/", views.locked_accounts, name="locked"),
    path("verrouilles/<int:pk>/deverrouiller/", views.unlock_account, name="unlock"),
    path("gestion/", management_views.account_list, name="account_list"),
    path("gestion/inviter/", management_views.account_invite, name="account_invite"),
    path("gestion/sans-role/", management_views.account_claim, name="account_claim"),
    path("gestion/<int:pk>/", management_views.account_detail, name="account_detail"),
    path("gestion/<int:pk>/role/", management_views.account_role, name="account_role"),
    path(
        "gestion/<int:pk>/renvoyer-invitation/",
        management_views.account_resend_invitation,
        name="account_resend_invitation",
    ),
    path(
        "gestion/<int:pk>/desactiver/",
        management_views.account_deactivate,
        name="account_deactivate",
    ),
    path(
        "gestion/<int:pk>/reactiver/",
        management_views.account_reactivate,
        name="account_reactivate",
    ),
    path(
        "gestion/<int:pk>/double-authentification/reinitialiser/",
        two_factor_views.account_two_factor_reset,
        name="account_two_factor_reset",
    ),
    path("securite/", two_factor_views.security, name="security"),
    path("securite/activer/", two_factor_views.two_factor_setup, name="two_factor_setup"),
    path("securite/verification/", two_factor_views.two_factor_verify, name="two_factor_verify"),
    path(
        "securite/codes-de-secours/",
        two_factor_views.two_factor_backup_codes,
        name="two_factor_backup_codes",
    ),
    path(
        "securite/codes-de-secours/regenerer/",
        two_factor_views.two_factor_regenerate,
        name="two_factor_regenerate",
    ),
    path("securite/desactiver/", two_factor_views.two_factor_disable, name="two_factor_disable"),
    path("invitation/<str:token>/", password_views.invitation, name="invitation"),
    path("mot-de-passe/", password_views.PasswordChangeView.as_view(), name="password_change"),
    path("mot-de-passe-oublie/", password_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe-oublie/<uidb64>/<token>/",
        password_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
]
