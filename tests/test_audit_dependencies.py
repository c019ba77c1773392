"""scripts/audit_dependencies.py: what a pip-audit report means for CI (never a silent pass)."""

import datetime
import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "audit_dependencies.py"


@pytest.fixture(scope="module")
def audit():
    spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


CLEAN = {"name": "django", "version": "5.2.19", "vulns": []}
VULNERABLE = {
    "name": "jinja2",
    "version": "3.1.2",
    "vulns": [{"id": "PYSEC-2024-1", "aliases": ["CVE-2024-22195"], "fix_versions": ["3.1.3"]}],
}
SKIPPED = {"name": "attrs", "skip_reason": "Dependency not found on PyPI and could not be audited"}


def test_all_checked_and_clean_passes(audit):
    verdict = audit.judge({"dependencies": [CLEAN, CLEAN]}, [], require=True)
    assert verdict.ok
    assert "2 paquets vérifiés sur 2, 0 non vérifiés" in "\n".join(verdict.lines)


@pytest.mark.parametrize("require", [False, True])
def test_a_known_vulnerability_fails_whatever_the_setting(audit, require):
    verdict = audit.judge({"dependencies": [CLEAN, VULNERABLE]}, [], require=require)
    text = "\n".join(verdict.lines)
    assert not verdict.ok
    assert "jinja2 3.1.2 : PYSEC-2024-1 / CVE-2024-22195 (corrigée en : 3.1.3)" in text


@pytest.mark.parametrize("accepted_id", ["PYSEC-2024-1", "CVE-2024-22195"])
def test_an_accepted_vulnerability_passes_and_is_listed(audit, accepted_id):
    accepted = [audit.Accepted(accepted_id, datetime.date(2026, 12, 6), "sandbox not used")]
    verdict = audit.judge({"dependencies": [VULNERABLE]}, accepted, require=True)
    assert verdict.ok
    assert "Acceptée : jinja2 3.1.2 PYSEC-2024-1 (2026-12-06 : sandbox not used)" in verdict.lines


def test_an_entry_that_no_longer_matches_is_reported(audit):
    accepted = [audit.Accepted("GHSA-old", datetime.date(2026, 1, 1), "fixed since")]
    verdict = audit.judge({"dependencies": [CLEAN]}, accepted, require=True)
    assert verdict.ok
    assert any("GHSA-old" in line and "à retirer" in line for line in verdict.lines)


def test_unchecked_packages_fail_when_the_audit_is_required(audit):
    verdict = audit.judge({"dependencies": [CLEAN, SKIPPED]}, [], require=True)
    text = "\n".join(verdict.lines)
    assert not verdict.ok
    assert "ÉCHEC : AUDIT DES DÉPENDANCES NON FAIT — 1 paquets sur 2 non vérifiés" in text


def test_unchecked_packages_warn_loudly_otherwise(audit):
    """pip-audit itself exits 0 with "No known vulnerabilities found" here: the script does not."""
    verdict = audit.judge({"dependencies": [SKIPPED, SKIPPED]}, [], require=False)
    text = "\n".join(verdict.lines)
    assert verdict.ok
    assert "ATTENTION : AUDIT DES DÉPENDANCES NON FAIT" in text
    assert "ce n'est PAS un audit réussi" in text
    assert "/pypi/NOM/VERSION/json" in text


@pytest.mark.parametrize("require", [False, True])
def test_pip_audit_failing_is_never_a_pass(audit, require):
    error = "Traceback …\nrequests.exceptions.ConnectionError: Failed to resolve 'osv.example'\n"
    verdict = audit.judge(None, [], require=require, error=error, service="osv")
    text = "\n".join(verdict.lines)
    assert verdict.ok is not require
    assert "pip-audit a échoué (service « osv »)" in text
    assert "Failed to resolve 'osv.example'" in text


def test_an_empty_report_is_not_a_pass(audit):
    assert not audit.judge({"dependencies": []}, [], require=True).ok


def test_ignore_file_lines(audit):
    text = "# comment\n\nGHSA-aaaa-bbbb-cccc  2026-12-06  only the admin CLI is affected\n"
    [entry] = audit.read_ignore_file(text)
    assert (entry.id, entry.date, entry.reason) == (
        "GHSA-aaaa-bbbb-cccc",
        datetime.date(2026, 12, 6),
        "only the admin CLI is affected",
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [("GHSA-aaaa 2026-12-06", "ligne 2"), ("GHSA-aaaa 06/12/2026 motif", "date AAAA-MM-JJ")],
)
def test_an_entry_without_date_or_reason_is_refused(audit, line, message):
    with pytest.raises(ValueError, match=message):
        audit.read_ignore_file(f"# comment\n{line}\n")


def test_the_project_ignore_file_is_valid(audit):
    audit.read_ignore_file(audit.IGNORE_FILE.read_text(encoding="utf-8"))
