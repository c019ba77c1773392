from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from vigie.accounts import access, lockouts, proconnect, services
from vigie.accounts.forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True
    extra_context = {"page_title": "Connexion"}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "proconnect": proconnect.is_enabled()}


class LogoutView(auth_views.LogoutView):
    """Signs out of Vigie; after a ProConnect sign-in, also ends the ProConnect session.

    The browser then goes to ProConnect's end of session (`id_token_hint`, `state`, `post_logout_redirect_uri`),
    which sends it back to `accounts:proconnect_logged_out`; the state is kept in the new, signed-out session.
    """

    def post(self, request, *args, **kwargs):
        back = request.build_absolute_uri(reverse("accounts:proconnect_logged_out"))
        end_session = proconnect.end_session_url(request.session, back)
        response = super().post(request, *args, **kwargs)
        if end_session is None:
            return response
        url, state = end_session
        request.session[proconnect.LOGOUT_STATE] = state
        return HttpResponseRedirect(url)


def lockout_message() -> str:
    return (
        f"Compte verrouillé après {settings.AXES_FAILURE_LIMIT} tentatives infructueuses. "
        "Pour le déverrouiller, adressez-vous à l’agent de la préfecture qui gère les comptes de votre "
        "département (ou à l’administrateur national de Vigie) : il le déverrouille depuis la page "
        "« Comptes verrouillés », puis vous pourrez vous connecter avec votre mot de passe."
    )


def lockout_response(request, original_response=None, credentials=None):
    """What django-axes answers to a sign-in on a locked account: the sign-in page with the French message.

    429 (Too Many Requests), as django-axes does by default.
    """
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = LoginForm(request, initial={"username": username})
    context = {
        "form": form,
        "page_title": "Connexion",
        "lockout_message": lockout_message(),
        "proconnect": proconnect.is_enabled(),
        "next": request.POST.get("next", request.GET.get("next", "")),
    }
    return render(request, "accounts/login.html", context, status=429)


@login_required
def locked_accounts(request):
    access.require_lockout_manager(request.user)
    context = {
        "page_title": "Comptes verrouillés",
        "accounts": lockouts.locked_accounts_for(request.user),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    return render(request, "accounts/locked_accounts.html", context)


@login_required
@require_POST
def unlock_account(request, pk):
    account = access.get_account_for_user(request.user, pk, for_unlock=True)
    if services.unlock_account(account, acting_user=request.user):
        messages.success(request, f"Le compte {account.username} ({account}) est déverrouillé.")
    else:
        messages.info(request, f"Le compte {account.username} n’était pas verrouillé.")
    return redirect(reverse("accounts:locked"))
