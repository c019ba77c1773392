"""Pages of the second factor: enrolment (QR code), verification after sign-in, backup codes, the account's
security page, and the reset by an account manager."""

from base64 import b32encode

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigie.accounts import access, two_factor
from vigie.accounts import two_factor_services as services
from vigie.accounts.models import BackupCode
from vigie.accounts.two_factor_forms import EnrolmentCodeForm, VerificationCodeForm
from vigie.accounts.two_factor_middleware import remember_device

PENDING_KEY_SESSION_KEY = "vigie_totp_pending_key"
CODES_SESSION_KEY = "vigie_backup_codes_to_show"
LOST_PHONE = (
    "Vous avez perdu votre téléphone et vos codes de secours ? Adressez-vous à la personne qui gère les comptes "
    "de votre département (l'agent de la préfecture, ou l'administrateur national de Vigie) : elle réinitialise "
    "votre double authentification, puis vous l'activez de nouveau."
)


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def _is_verified(user) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def _verified(request, device) -> None:
    """This session is verified with `device` from now on (under a new session key)."""
    django_otp.login(request, device)
    request.session.cycle_key()
    remember_device(request.session, True)


def _security_breadcrumb():
    return [
        {"url": reverse("plans:home"), "title": "Accueil"},
        {"url": reverse("accounts:security"), "title": "Sécurité du compte"},
    ]


def _pending_key(session) -> str:
    key = session.get(PENDING_KEY_SESSION_KEY, "")
    try:
        valid = len(bytes.fromhex(key)) == 20
    except (TypeError, ValueError):
        valid = False
    if not valid:
        key = services.new_totp_key()
        session[PENDING_KEY_SESSION_KEY] = key
    return key


def _qr_code_svg(device: TOTPDevice) -> str:
    """The QR code of the application's configuration link, as inline SVG drawn here (no image service)."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, border=4, dark="#000", light="#fff", svgclass="vigie-qr-code", lineclass=None
    )
    label = "Code QR à scanner avec votre application d'authentification"
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))  # noqa: S308


def _grouped(text: str, size: int = 4) -> str:
    return " ".join(text[i : i + size] for i in range(0, len(text), size))


@login_required
def two_factor_setup(request):
    """Enrol a TOTP application: QR code and secret in text, then one right code confirms it."""
    user = request.user
    next_url = _next_url(request)
    has_device = two_factor.has_confirmed_device(user)
    if has_device and not _is_verified(user):
        return redirect(_with_next("accounts:two_factor_verify", next_url))
    key = _pending_key(request.session)
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.confirm_totp_device(
                user, acting_user=user, key=key, token=form.cleaned_data["code"]
            )
        except ValidationError as error:
            for message in error.message_dict.get("code", error.messages):
                form.add_error("code", message)
        else:
            del request.session[PENDING_KEY_SESSION_KEY]
            _verified(request, device)
            request.session[CODES_SESSION_KEY] = codes
            messages.success(request, "La double authentification est activée sur votre compte.")
            return redirect(_with_next("accounts:two_factor_backup_codes", next_url))
    pending = TOTPDevice(user=user, key=key)
    context = {
        "page_title": "Activer la double authentification",
        "breadcrumb": _security_breadcrumb(),
        "form": form,
        "next": next_url,
        "replacing": has_device,
        "required": two_factor.policy_requires_second_factor(user, request.session),
        "qr_code": _qr_code_svg(pending),
        "secret": _grouped(b32encode(pending.bin_key).decode()),
        "issuer": settings.OTP_TOTP_ISSUER,
    }
    return render(request, "accounts/two_factor/setup.html", context)


def _wait_text(retry_at) -> str:
    seconds = max(1, int((retry_at - timezone.now()).total_seconds() + 0.999))
    local = timezone.localtime(retry_at)
    if seconds < 120:
        return f"dans {seconds} seconde{'s' if seconds > 1 else ''} (à {local:%H:%M:%S})"
    if seconds < 3 * 3600:
        minutes = (seconds + 59) // 60
        return f"dans {minutes} minutes (à {local:%H:%M})"
    return f"le {local:%d/%m/%Y} à {local:%H:%M}"


def _failure_message(result) -> str:
    kind = "Ce code de secours" if result.backup_code else "Ce code"
    if result.throttled:
        return f"Trop de codes erronés : ce code n'a pas été vérifié. Réessayez {_wait_text(result.retry_at)}."
    if result.retry_at is None:
        if result.backup_code:
            return "Aucun code de secours n'est enregistré pour ce compte : utilisez votre application."
        return (
            "Saisissez le code à 6 chiffres affiché par votre application, ou un code de secours."
        )
    return f"{kind} n'est pas valable. Vous pourrez réessayer {_wait_text(result.retry_at)}."


@login_required
def two_factor_verify(request):
    """After signing in: a TOTP code or a backup code verifies this session."""
    user = request.user
    next_url = _next_url(request)
    if _is_verified(user):
        return redirect(next_url)
    if not two_factor.has_confirmed_device(user):
        return redirect(_with_next("accounts:two_factor_setup", next_url))
    form = VerificationCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = services.verify_second_factor(user, token=form.cleaned_data["code"])
        if result.ok:
            _verified(request, result.device)
            if result.backup_code:
                left = result.backup_codes_left
                messages.warning(
                    request,
                    f"Code de secours accepté ; il vous en reste {left}. "
                    "Générez-en de nouveaux depuis « Sécurité du compte » quand il en reste peu.",
                )
            return redirect(next_url)
        form.add_error("code", _failure_message(result))
    context = {
        "page_title": "Double authentification",
        "form": form,
        "next": next_url,
        "lost_phone": LOST_PHONE,
    }
    return render(request, "accounts/two_factor/verify.html", context)


@login_required
def two_factor_backup_codes(request):
    """The backup codes just generated, shown once."""
    context = {
        "page_title": "Vos codes de secours",
        "breadcrumb": _security_breadcrumb(),
        "codes": request.session.pop(CODES_SESSION_KEY, None),
        "next": _next_url(request),
    }
    return render(request, "accounts/two_factor/backup_codes.html", context)


@login_required
def security(request):
    """The account's security page: second factor status, backup codes, enable or disable."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    codes_left = BackupCode.objects.filter(device__user=user, used_at=None).count() if device else 0
    context = {
        "page_title": "Sécurité du compte",
        "breadcrumb": [{"url": reverse("plans:home"), "title": "Accueil"}],
        "device": device,
        "codes_left": codes_left,
        "required": two_factor.role_requires_second_factor(user)
        or two_factor.policy_requires_second_factor(user, request.session),
        "may_disable": two_factor.may_disable(user, request.session),
        "lost_phone": LOST_PHONE,
    }
    return render(request, "accounts/two_factor/security.html", context)


@login_required
@require_POST
def two_factor_regenerate(request):
    try:
        codes = services.regenerate_backup_codes(request.user, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:security")
    request.session[CODES_SESSION_KEY] = codes
    messages.success(
        request, "De nouveaux codes de secours sont générés ; les anciens ne marchent plus."
    )
    return redirect(_with_next("accounts:two_factor_backup_codes", reverse("accounts:security")))


@login_required
@require_POST
def two_factor_disable(request):
    user = request.user
    if not two_factor.may_disable(user, request.session):
        raise PermissionDenied(services.REQUIRED_BY_ROLE)
    if services.disable_second_factor(user, acting_user=user):
        remember_device(request.session, False)
        messages.success(request, "La double authentification est désactivée sur votre compte.")
    else:
        messages.info(request, services.NOT_ENROLLED)
    return redirect("accounts:security")


@login_required
@require_POST
def account_two_factor_reset(request, pk):
    """An account manager removes a person's second factor (lost phone); audited in the account's history."""
    account = access.get_account_for_user(request.user, pk, for_edit=True)
    if services.reset_second_factor(account, acting_user=request.user):
        messages.success(
            request,
            f"La double authentification de {account} est réinitialisée : à sa prochaine connexion, "
            "la personne l'active de nouveau (elle y est obligée si son rôle l'exige).",
        )
    else:
        messages.info(request, f"{account} n'avait pas de double authentification à réinitialiser.")
    return redirect("accounts:account_detail", pk=account.pk)
