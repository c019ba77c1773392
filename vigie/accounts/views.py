from django.contrib.auth import views as auth_views

from vigie.accounts.forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True
    extra_context = {"page_title": "Connexion"}


class LogoutView(auth_views.LogoutView):
    pass
