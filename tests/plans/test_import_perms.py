"""Who may write a department's plans from a document (``plans.perms.can_import_plan``, which
``imports.perms.can_import`` applies), and the layer rule that lets the plans app decide it
without knowing the imports app: ``vigie/plans`` imports neither ``vigie.imports`` nor
``vigie.indicators`` (both are above it)."""

import ast
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

import vigie.plans
from tests.factories import DepartmentFactory
from vigie.imports import perms as import_perms
from vigie.plans import perms

pytestmark = pytest.mark.django_db

HIGHER_LAYERS = ("vigie.imports", "vigie.indicators")


@pytest.mark.parametrize(
    ("role", "same_department", "allowed"),
    [
        ("admin", False, True),
        ("prefecture", True, True),
        ("prefecture", False, False),
        ("pilot", True, False),
        ("coordinator", True, False),
        ("partner", True, False),
        ("reader", True, False),
    ],
)
def test_can_import_plan(make_user, role, same_department, allowed):
    gers = DepartmentFactory(code="32", name="Gers")
    lot = DepartmentFactory(code="46", name="Lot")
    user = make_user(role, None if role == "admin" else (gers if same_department else lot))
    gers_id = gers.pk

    assert perms.can_import_plan(user, gers_id) is allowed
    assert import_perms.can_import(user, gers_id) is allowed


def test_anonymous_cannot_import():
    gers = DepartmentFactory(code="32", name="Gers")
    assert perms.can_import_plan(AnonymousUser(), gers.pk) is False


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
    return modules


def test_plans_imports_no_higher_layer():
    root = Path(vigie.plans.__file__).resolve().parent
    offending = sorted(
        f"{path.relative_to(root)}: {module}"
        for path in root.rglob("*.py")
        for module in imported_modules(path)
        if module.startswith(HIGHER_LAYERS)
    )
    assert offending == []
