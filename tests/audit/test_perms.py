"""Unit tests of vigie/audit/perms.py, and the audit app stays the bottom layer."""

import ast
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import DepartmentFactory, UserFactory
from vigie.audit import perms

pytestmark = pytest.mark.django_db

AUDIT_DIR = Path(__file__).resolve().parents[2] / "vigie" / "audit"
# The audit log sits at the bottom: besides itself it may use core and the territories it files
# entries under (the department of an entry), nothing above.
ALLOWED_VIGIE_IMPORTS = ("vigie.audit", "vigie.core")


@pytest.mark.parametrize(
    ("role", "superuser", "active", "expected"),
    [
        ("admin", False, True, True),
        ("prefecture", True, True, True),
        ("admin", False, False, False),
        ("prefecture", False, True, False),
        ("pilot", False, True, False),
        ("coordinator", False, True, False),
        ("partner", False, True, False),
        ("reader", False, True, False),
    ],
)
def test_can_export_audit(role, superuser, active, expected):
    department = None if role == "admin" else DepartmentFactory()
    user = UserFactory(role=role, department=department, is_superuser=superuser, is_active=active)
    assert perms.can_export_audit(user) is expected


def test_anonymous_cannot_export_audit():
    assert perms.can_export_audit(AnonymousUser()) is False


def test_audit_imports_no_higher_layer():
    offenders = []
    for path in AUDIT_DIR.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                if name.startswith("vigie.") and not name.startswith(ALLOWED_VIGIE_IMPORTS):
                    offenders.append(f"{path.name}: {name}")
    assert offenders == []
