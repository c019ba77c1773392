"""Temporary minimal views; the full plan UI replaces them."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from vigie.plans.access import get_measure_for_user, get_plan_for_user
from vigie.territories.models import Department


def department_home(request, code):
    department = get_object_or_404(Department, code=code)
    return HttpResponse(department.name)


def plan_detail(request, pk):
    return HttpResponse(str(get_plan_for_user(request.user, pk)))


def measure_detail(request, pk):
    return HttpResponse(str(get_measure_for_user(request.user, pk)))
