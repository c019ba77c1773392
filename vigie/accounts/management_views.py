"""Account management pages: the accounts of a department, invitations, roles, deactivation, history."""

from smtplib import SMTPException

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from vigie.accounts import access, invitations, listing, perms, services
from vigie.accounts.management_forms import AccountSearchForm, ClaimLookupForm, InviteForm, RoleForm
from vigie.accounts.models import ProConnectIdentity
from vigie.accounts.roles import attachment_label
from vigie.audit.services import history_for

PAGE_SIZE = 50
HISTORY_PAGE_SIZE = 50
MAIL_FAILED = (
    "Le courriel d'invitation n'a pas pu être envoyé (serveur de messagerie injoignable) : rien n'a été "
    "enregistré. Réessayez dans quelques minutes."
)


def _breadcrumb(*extra):
    return [
        {"url": reverse("plans:home"), "title": "Accueil"},
        {"url": reverse("accounts:account_list"), "title": "Comptes"},
        *extra,
    ]


def _decorate(accounts, *, two_factor: set[int] | None) -> None:
    """What the pages show of each account: attachment, invitation state, second factor."""
    now = timezone.now()
    for account in accounts:
        account.attachment = attachment_label(account)
        account.invitation_pending = services.is_invitation_pending(account)
        expires = getattr(account, "invitation_expires_at", None)
        account.invitation_missing = account.invitation_pending and expires is None
        account.invitation_expired = (
            account.invitation_pending and expires is not None and expires <= now
        )
        account.has_two_factor = two_factor is not None and account.pk in two_factor


@login_required
def account_list(request):
    user = request.user
    access.require_account_manager(user)
    form = AccountSearchForm(request.GET or None, manager=user)
    accounts = listing.accounts_for_manager(user)
    without_role = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        accounts = listing.filter_accounts(
            accounts,
            query=data["q"],
            role=data["role"],
            state=data["etat"],
            department=data.get("departement", ""),
        )
        if not user.is_national_admin:
            # A department's manager finds an account without role by its exact address only.
            without_role = listing.account_without_role(data["q"])
    elif form.is_bound:
        accounts = accounts.none()
    page = Paginator(accounts.order_by("last_name", "first_name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    two_factor = listing.two_factor_user_ids([account.pk for account in page.object_list])
    _decorate(page.object_list, two_factor=two_factor)
    context = {
        "page_title": "Comptes" + (f" — {user.department.name}" if user.department else ""),
        "breadcrumb": [{"url": reverse("plans:home"), "title": "Accueil"}],
        "form": form,
        "page_obj": page,
        "without_role": without_role,
        "show_two_factor": two_factor is not None,
        "show_department": user.is_national_admin,
    }
    return render(request, "accounts/account_list.html", context)


def _history_page(request, account):
    page = Paginator(history_for(account), HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page.object_list:
        entry.change_list = list(entry.changes.values()) if isinstance(entry.changes, dict) else []
    return page


@login_required
def account_detail(request, pk):
    account = access.get_account_for_user(request.user, pk)
    invitation = account.invitations.first()
    if invitation is not None and invitation.is_open:
        account.invitation_expires_at = invitation.expires_at
    two_factor = listing.two_factor_user_ids([account.pk])
    _decorate([account], two_factor=two_factor)
    context = {
        "page_title": f"Compte de {account}",
        "breadcrumb": _breadcrumb(),
        "account": account,
        "invitation": invitation,
        "can_change": perms.can_change_account(request.user, account),
        "show_two_factor": two_factor is not None,
        "proconnect_identity": ProConnectIdentity.objects.filter(user=account).first(),
        "page_obj": _history_page(request, account),
    }
    return render(request, "accounts/account_detail.html", context)


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _role_form_page(request, form, *, title, account=None, submit="Enregistrer", extra=None):
    template = (
        "accounts/includes/role_fields.html" if request.htmx else "accounts/account_form.html"
    )
    context = {
        "page_title": title,
        "breadcrumb": _breadcrumb(
            *(
                [
                    {
                        "url": reverse("accounts:account_detail", args=[account.pk]),
                        "title": str(account),
                    }
                ]
                if account is not None
                else []
            )
        ),
        "form": form,
        "account": account,
        "submit_label": submit,
        **(extra or {}),
    }
    return render(request, template, context)


@login_required
def account_invite(request):
    user = request.user
    access.require_account_manager(user)
    refresh = reverse("accounts:account_invite")
    if request.method == "POST":
        form = InviteForm(request.POST, manager=user, refresh_url=refresh)
        if form.is_valid():
            data = form.cleaned_data
            try:
                account = services.invite_account(
                    acting_user=user,
                    email=data["email"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    assignment=form.assignment,
                )
            except ValidationError as error:
                _apply_errors(form, error)
            except (SMTPException, OSError):
                form.add_error(None, MAIL_FAILED)
            else:
                messages.success(
                    request,
                    f"Invitation envoyée à {account.email} ({account}) : le lien est valable "
                    f"{invitations.validity_text()}.",
                )
                return redirect("accounts:account_detail", pk=account.pk)
    else:
        initial = request.GET.dict() if request.htmx else None
        form = InviteForm(initial=initial, manager=user, refresh_url=refresh)
    return _role_form_page(
        request, form, title="Inviter une personne", submit="Envoyer l'invitation"
    )


@login_required
def account_role(request, pk):
    account = access.get_account_for_user(request.user, pk, for_edit=True)
    refresh = reverse("accounts:account_role", args=[account.pk])
    initial = {
        "role": account.role,
        "department": account.department_id,
        "organisation": account.organisation_id,
        "commune": account.commune_id,
        "epci": account.epci_id,
    }
    if request.method == "POST":
        form = RoleForm(request.POST, manager=request.user, refresh_url=refresh)
        if form.is_valid():
            try:
                changed = services.change_account_role(
                    account, acting_user=request.user, assignment=form.assignment
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(
                    request,
                    f"Le rôle de {account} est enregistré." if changed else "Aucun changement.",
                )
                return redirect("accounts:account_detail", pk=account.pk)
    else:
        form = RoleForm(
            initial={**initial, **request.GET.dict()} if request.htmx else initial,
            manager=request.user,
            refresh_url=refresh,
        )
    return _role_form_page(request, form, title=f"Rôle de {account}", account=account)


@login_required
def account_claim(request):
    """A department's manager gives a role to an account without role, found by its exact e-mail address."""
    user = request.user
    access.require_account_manager(user)
    lookup = ClaimLookupForm(request.GET or request.POST or None)
    account = (
        listing.account_without_role(lookup.data.get("email", "")) if lookup.is_bound else None
    )
    if lookup.is_bound and lookup.is_valid() and account is None:
        lookup.add_error("email", "Aucun compte sans rôle n'a cette adresse électronique.")
    form = None
    if account is not None:
        if request.method == "POST":
            form = RoleForm(request.POST, manager=user, allow_no_role=False)
            if form.is_valid():
                try:
                    services.change_account_role(
                        account, acting_user=user, assignment=form.assignment
                    )
                except ValidationError as error:
                    _apply_errors(form, error)
                else:
                    messages.success(
                        request, f"{account} a maintenant le rôle « {account.get_role_display()} »."
                    )
                    return redirect("accounts:account_detail", pk=account.pk)
        else:
            form = RoleForm(manager=user, allow_no_role=False)
    context = {
        "page_title": "Attribuer un rôle à un compte sans rôle",
        "breadcrumb": _breadcrumb(),
        "lookup": lookup,
        "account": account,
        "form": form,
    }
    return render(request, "accounts/account_claim.html", context)


@login_required
@require_POST
def account_resend_invitation(request, pk):
    account = access.get_account_for_user(request.user, pk)
    try:
        invitation = services.resend_invitation(account, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except (SMTPException, OSError):
        messages.error(request, MAIL_FAILED)
    else:
        messages.success(
            request,
            f"Nouvelle invitation envoyée à {account.email} ; le lien précédent ne fonctionne plus. "
            f"Le nouveau lien est valable jusqu'au {timezone.localtime(invitation.expires_at):%d/%m/%Y à %H:%M}.",
        )
    return redirect("accounts:account_detail", pk=account.pk)


@login_required
@require_POST
def account_deactivate(request, pk):
    account = access.get_account_for_user(request.user, pk, for_edit=True)
    if services.deactivate_account(account, acting_user=request.user):
        messages.success(
            request,
            f"Le compte de {account} est désactivé : ses sessions et son jeton d'API ne fonctionnent plus.",
        )
    else:
        messages.info(request, f"Le compte de {account} était déjà désactivé.")
    return redirect("accounts:account_detail", pk=account.pk)


@login_required
@require_POST
def account_reactivate(request, pk):
    account = access.get_account_for_user(request.user, pk, for_edit=True)
    if services.reactivate_account(account, acting_user=request.user):
        messages.success(request, f"Le compte de {account} est réactivé.")
    else:
        messages.info(request, f"Le compte de {account} était déjà actif.")
    return redirect("accounts:account_detail", pk=account.pk)
