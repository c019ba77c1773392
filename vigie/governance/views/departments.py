"""A department's governance pages: choice of department, dashboard, meeting calendar (HTML and ICS)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from vigie.core.context_processors import share_department_with_menu
from vigie.governance import access, ics, perms, selectors
from vigie.governance.views._common import _department_crumb
from vigie.territories.models import Department


@login_required
@require_GET
def index(request):
    user = request.user
    if not perms.can_choose_department(user):
        return redirect("governance:dashboard", user.department.code)
    departments = Department.objects.annotate(body_count=Count("governance_bodies")).filter(
        Q(body_count__gt=0) | Q(pk=user.department_id)
    )
    return render(
        request,
        "governance/index.html",
        {"page_title": "Gouvernance et dispositifs locaux", "departments": departments},
    )


@login_required
@require_GET
def dashboard(request, code):
    department = access.get_department_for_user(request.user, code)
    share_department_with_menu(request, department)
    context = selectors.dashboard(department, request.user, timezone.localdate())
    context.update(
        page_title=f"Gouvernance — {department.name}",
        department=department,
        can_manage=perms.can_manage_department(request.user, department.pk),
        schemes=selectors.scheme_summaries(department),
        upcoming=list(selectors.upcoming_meetings(department)[:5]),
    )
    return render(request, "governance/dashboard.html", context)


@login_required
@require_GET
def calendar(request, code):
    department = access.get_department_for_user(request.user, code)
    key = ics.subscription_key(request.user, department)
    feed_path = reverse("governance:calendar_ics", args=[department.code])
    return render(
        request,
        "governance/calendar.html",
        {
            "page_title": f"Calendrier des instances — {department.name}",
            "breadcrumb": [_department_crumb(department)],
            "department": department,
            "meetings": selectors.upcoming_meetings(department),
            "feed_url": request.build_absolute_uri(feed_path),
            "subscription_url": request.build_absolute_uri(f"{feed_path}?cle={key}"),
        },
    )


@require_GET
def calendar_ics(request, code):
    """The feed, for a logged-in member or through a personal subscription key (`?cle=`)."""
    department = get_object_or_404(Department, code=code)
    user = request.user
    key = request.GET.get("cle")
    if key is not None:
        user_id = ics.read_subscription_key(key, department)
        user = (
            get_user_model().objects.filter(pk=user_id, is_active=True).first() if user_id else None
        )
        if user is None or not perms.can_view_governance(user, department.pk):
            raise Http404
    elif not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    elif not perms.can_view_governance(user, department.pk):
        raise Http404
    meetings = selectors.calendar_feed_meetings(department)
    body = ics.build_calendar(
        department, meetings, base_url=request.build_absolute_uri("/").rstrip("/")
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="instances-{department.code}.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
