"""Audit the locked dependencies (uv.lock) for known vulnerabilities with pip-audit; never pass unchecked.

Exports every locked package (all dependency groups) with `uv export`, runs pip-audit on that list without
resolving or installing anything (`--no-deps --disable-pip`), and reads its JSON report:

- a known vulnerability not accepted in .ci/pip-audit-ignore.txt: failure, always;
- a package pip-audit could not check (its vulnerability service unreachable, or no answer for that
  package: pip-audit then says "No known vulnerabilities found" and exits 0), or pip-audit failing outright:
  the audit did not happen. With VIGIE_REQUIRE_AUDIT=1 that is a failure; otherwise a warning that cannot be
  missed, and exit 0 (a machine without the service may still run the rest of CI);
- .ci/pip-audit-ignore.txt: one accepted vulnerability a line, `ID  YYYY-MM-DD  reason`; a line without a
  date or a reason is a failure; an entry that no longer matches is reported, to be removed.

Usage: ``python scripts/audit_dependencies.py [--uv PATH]`` (``make audit``). Environment:
VIGIE_REQUIRE_AUDIT=1 (unchecked is a failure), VIGIE_AUDIT_SERVICE (pip-audit's `-s`: pypi, the default,
osv or esms), VIGIE_AUDIT_TIMEOUT (seconds, default 30).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IGNORE_FILE = ROOT / ".ci" / "pip-audit-ignore.txt"
BANNER = "!" * 78


@dataclass
class Accepted:
    id: str
    date: datetime.date
    reason: str


@dataclass
class Verdict:
    ok: bool
    lines: list[str] = field(default_factory=list)


def read_ignore_file(text: str) -> list[Accepted]:
    """The accepted vulnerabilities; ValueError naming the line when one lacks its date or reason."""
    accepted = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(maxsplit=2)
        if len(parts) < 3:
            raise ValueError(
                f"{IGNORE_FILE.name}, ligne {number} : « ID AAAA-MM-JJ motif » attendu, lu « {line} »."
            )
        try:
            date = datetime.date.fromisoformat(parts[1])
        except ValueError:
            raise ValueError(
                f"{IGNORE_FILE.name}, ligne {number} : date AAAA-MM-JJ attendue, lu « {parts[1]} »."
            ) from None
        accepted.append(Accepted(parts[0], date, parts[2]))
    return accepted


def _unchecked(lines: list[str], what: str, detail: list[str], require: bool) -> Verdict:
    head = "ÉCHEC" if require else "ATTENTION"
    lines += [
        BANNER,
        f"{head} : AUDIT DES DÉPENDANCES NON FAIT — {what}.",
        *detail,
        "Aucune conclusion sur les vulnérabilités connues : ce n'est PAS un audit réussi.",
        "(VIGIE_REQUIRE_AUDIT=1 fait de ce cas un échec.)"
        if not require
        else "(VIGIE_REQUIRE_AUDIT=1 : échec.)",
        BANNER,
    ]
    return Verdict(ok=not require, lines=lines)


def judge(
    report: dict | None,
    accepted: list[Accepted],
    *,
    require: bool,
    error: str = "",
    service: str = "pypi",
) -> Verdict:
    """What the pip-audit JSON `report` (None: pip-audit failed with `error`) means for CI."""
    lines: list[str] = []
    if report is None:
        last = (error.strip().splitlines() or ["(pip-audit n'a rien dit)"])[-1][:600]
        return _unchecked(lines, f"pip-audit a échoué (service « {service} »)", [last], require)
    dependencies = report.get("dependencies", [])
    skipped = [dep for dep in dependencies if "skip_reason" in dep]
    checked = [dep for dep in dependencies if "skip_reason" not in dep]
    by_id = {entry.id: entry for entry in accepted}
    used: set[str] = set()
    found = []
    for dep in checked:
        for vuln in dep.get("vulns", []):
            names = [vuln["id"], *vuln.get("aliases", [])]
            match = next((by_id[name] for name in names if name in by_id), None)
            if match:
                used.add(match.id)
                lines.append(
                    f"Acceptée : {dep['name']} {dep['version']} {vuln['id']} "
                    f"({match.date.isoformat()} : {match.reason})"
                )
            else:
                fixes = ", ".join(vuln.get("fix_versions", [])) or "aucune"
                found.append(
                    f"  {dep['name']} {dep['version']} : {' / '.join(names)} (corrigée en : {fixes})"
                )
    stale = [entry.id for entry in accepted if entry.id not in used]
    if stale and not skipped:
        lines.append(f"Entrées de {IGNORE_FILE.name} qui ne servent plus (à retirer) : {stale}")
    lines.append(
        f"Service « {service} » : {len(checked)} paquets vérifiés sur {len(dependencies)}, "
        f"{len(skipped)} non vérifiés, {len(found)} vulnérabilités connues non acceptées."
    )
    if found:
        lines += ["ÉCHEC : vulnérabilités connues dans les dépendances verrouillées :", *found]
        lines.append(
            f"Mettre à jour (uv lock --upgrade-package NOM) ou, si elle ne touche pas Vigie, l'accepter "
            f"dans .ci/{IGNORE_FILE.name} avec la date et le motif."
        )
        return Verdict(ok=False, lines=lines)
    if skipped:
        sample = [f"  {dep['name']} : {dep['skip_reason']}" for dep in skipped[:5]]
        if len(skipped) == len(dependencies) and service == "pypi":
            sample.append(
                "Aucun paquet vérifié : l'API JSON de PyPI par version (/pypi/NOM/VERSION/json) n'a pas "
                "répondu ; essayer VIGIE_AUDIT_SERVICE=osv là où le service OSV est joignable."
            )
        return _unchecked(
            lines, f"{len(skipped)} paquets sur {len(dependencies)} non vérifiés", sample, require
        )
    if not dependencies:
        return _unchecked(lines, "aucun paquet lu dans le fichier verrou", [], require)
    lines.append("Audit des dépendances : aucune vulnérabilité connue non acceptée.")
    return Verdict(ok=True, lines=lines)


def export_requirements(uv: str, target: Path) -> None:
    subprocess.run(
        [
            uv,
            "export",
            "--frozen",
            "--all-groups",
            "--no-emit-project",
            "--no-hashes",
            "--format",
            "requirements-txt",
            "--quiet",
            "--output-file",
            str(target),
        ],
        cwd=ROOT,
        check=True,
    )


def run_pip_audit(requirements: Path, output: Path, service: str, timeout: str) -> str:
    """Run pip-audit; its stderr (the report itself goes to `output`)."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip_audit",
            "--requirement",
            str(requirements),
            "--no-deps",
            "--disable-pip",
            "--vulnerability-service",
            service,
            "--timeout",
            timeout,
            "--progress-spinner",
            "off",
            "--format",
            "json",
            "--output",
            str(output),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return result.stderr


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uv", default="uv", help="uv executable (default: uv from the PATH)")
    args = parser.parse_args(argv)
    require = os.environ.get("VIGIE_REQUIRE_AUDIT") == "1"
    service = os.environ.get("VIGIE_AUDIT_SERVICE", "pypi")
    timeout = os.environ.get("VIGIE_AUDIT_TIMEOUT", "30")
    try:
        accepted = read_ignore_file(IGNORE_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"ÉCHEC : {exc}")
        return 1
    with tempfile.TemporaryDirectory(prefix="vigie-audit-") as folder:
        requirements, output = Path(folder) / "requirements.txt", Path(folder) / "audit.json"
        export_requirements(args.uv, requirements)
        error = run_pip_audit(requirements, output, service, timeout)
        try:
            report = json.loads(output.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            report = None
    verdict = judge(report, accepted, require=require, error=error, service=service)
    print("\n".join(verdict.lines))
    return 0 if verdict.ok else 1


if __name__ == "__main__":
    sys.exit(main())
