"""Password pages: change (signed in), reset by e-mail (Django's views, DSFR templates), invitation link."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from vigie.accounts import invitations, services
from vigie.accounts.password_forms import (
    ChangePasswordForm,
    InvitationPasswordForm,
    NewPasswordForm,
    ResetRequestForm,
)

# The same words whether or not the address is an account's: the page tells nobody who has an account.
RESET_SENT = (
    "Si cette adresse est celle d'un compte actif de Vigie, un courriel vient d'y être envoyé avec un lien "
    "pour choisir un nouveau mot de passe. Pensez à regarder dans les courriels indésirables."
)
PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = ChangePasswordForm
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("plans:home")
    extra_context = {"page_title": "Changer mon mot de passe"}

    def form_valid(self, form):
        # Saves through the services, then keeps this session signed in (the others end).
        response = super().form_valid(form)
        messages.success(
            self.request,
            "Votre mot de passe est changé. Vos autres sessions ouvertes sont fermées.",
        )
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetRequestForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:login")
    extra_context = {"page_title": "Mot de passe oublié"}

    def form_valid(self, form):
        hours = settings.PASSWORD_RESET_TIMEOUT // 3600
        self.extra_email_context = {
            "site_url": settings.VIGIE_SITE_URL.rstrip("/"),
            "validity": f"{hours} heure{'s' if hours > 1 else ''}",
        }
        response = super().form_valid(form)
        messages.info(self.request, RESET_SENT)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:login")
    extra_context = {"page_title": "Choisir un nouveau mot de passe"}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request, "Votre nouveau mot de passe est enregistré : connectez-vous avec lui."
        )
        return response


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
def invitation(request, token):
    """The invited person chooses their password, and is signed in."""
    lookup = invitations.find_invitation(token)
    context = {"page_title": "Activer mon compte"}
    if lookup.problem:
        context["problem"] = lookup.problem
        return render(
            request, "accounts/invitation.html", context, status=410 if lookup.gone else 404
        )
    account = lookup.invitation.user
    form = InvitationPasswordForm(account, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            # The account as saved: the session is bound to its new password hash.
            account = services.accept_invitation(
                lookup.invitation, password=form.cleaned_data["new_password1"]
            )
        except ValidationError as error:  # used or expired in the meantime
            context["problem"] = " ".join(error.messages)
            return render(request, "accounts/invitation.html", context, status=410)
        login(request, account, backend=PASSWORD_BACKEND)
        messages.success(
            request,
            f"Bienvenue sur Vigie, {account.get_full_name() or account.username} : votre mot de passe est "
            f"enregistré. Votre identifiant de connexion est {account.username}.",
        )
        return redirect(settings.LOGIN_REDIRECT_URL)
    context.update({"form": form, "account": account})
    return render(request, "accounts/invitation.html", context)
