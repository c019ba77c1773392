"""Loading the bodies, meeting dates and local schemes the Gers and Lot plans give (data/demo.json).

Idempotent: what exists is left as it is, what is missing is added; a spelling that could not be matched
earlier is matched again once the territories are loaded. Needs the territories (`load_territories`);
links to plan measures only when the plans are imported, and tolerates their absence.
"""

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction

from vigie.governance import services
from vigie.governance.enums import BodyKind
from vigie.governance.matching import CommuneIndex, normalise
from vigie.governance.models import Body, Meeting, SchemeFigure, SchemeRecord, SchemeTarget
from vigie.plans.models import Measure
from vigie.territories.models import Commune, Department, Epci

DATA_FILE = Path(__file__).resolve().parent / "data" / "demo.json"
BODY_FIELDS = (
    "cadence",
    "president",
    "coordinator",
    "founding_act",
    "description",
    "restricted_by_default",
    "source",
)
KNOWN_MEETING_TITLE = "Dernière réunion connue"


@dataclass
class Report:
    created: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)

    def add(self, text: str) -> None:
        self.created.append(text)

    def warn(self, text: str) -> None:
        self.warnings.append(text)


def _date(value):
    return date.fromisoformat(value) if value else None


def find_measure(department, number: str | None, title_hint: str = ""):
    """The measure with that number in the department's most recent plan, or None (plans not imported).

    With a title hint, a measure whose title does not contain it is not linked (the plan was numbered
    differently): better no link than a wrong one.
    """
    if not number:
        return None
    measure = (
        Measure.objects.filter(axis__plan__department=department, number=number)
        .order_by("-axis__plan__period_start", "pk")
        .first()
    )
    if measure is not None and title_hint and normalise(title_hint) not in normalise(measure.title):
        return None
    return measure


def _find_epci(department, spec: dict, report: Report) -> Epci | None:
    wanted = normalise(spec["name"])
    seat = Commune.objects.filter(code=spec.get("seat")).select_related("epci").first()
    if seat and seat.epci and wanted in normalise(seat.epci.name):
        return seat.epci
    for epci in Epci.objects.filter(communes__department=department).distinct():
        if wanted in normalise(epci.name):
            return epci
    report.warn(
        f"Intercommunalité « {spec['name']} » introuvable : lancez d'abord load_territories."
    )
    return None


def _load_body(
    department, spec: dict, report: Report, *, parent: Body | None = None
) -> Body | None:
    kind = spec.get("kind", BodyKind.WORKING_GROUP)
    existing = Body.objects.filter(department=department, kind=kind, name=spec["name"]).first()
    if existing is not None:
        body = existing
        if body.measure_id is None and spec.get("measure"):
            measure = find_measure(department, spec["measure"], spec.get("measure_title", ""))
            if measure is not None:
                body = services.update_body(acting_user=None, body=body, data={"measure": measure})
                report.add(f"Lien avec la mesure {measure.number} : {body}")
    else:
        data = {"kind": kind, "name": spec["name"], "parent": parent}
        data.update({name: spec[name] for name in BODY_FIELDS if name in spec})
        data["founded_on"] = _date(spec.get("founded_on"))
        data["members_renewed_on"] = _date(spec.get("members_renewed_on"))
        data["measure"] = find_measure(
            department, spec.get("measure"), spec.get("measure_title", "")
        )
        if "commune" in spec:
            data["commune"] = Commune.objects.filter(
                code=spec["commune"], department=department
            ).first()
            if data["commune"] is None:
                report.warn(
                    f"{spec['name']} : commune {spec['commune']} absente, instance non créée."
                )
                return None
        if "epci" in spec:
            data["epci"] = _find_epci(department, spec["epci"], report)
            if data["epci"] is None:
                return None
        if kind == BodyKind.WORKING_GROUP:
            data.setdefault("cadence", "aucune")
            data.setdefault("source", parent.source if parent else "")
        body = services.create_body(acting_user=None, department=department, data=data)
        report.add(f"Instance : {body}")
    last = _date(spec.get("last_meeting"))
    if last and not Meeting.objects.filter(body=body, date=last).exists():
        services.create_meeting(
            acting_user=None,
            body=body,
            data={
                "date": last,
                "title": KNOWN_MEETING_TITLE,
                "source": f"Date citée par le {spec.get('source', 'plan')}",
            },
        )
        report.add(f"Réunion du {last:%d/%m/%Y} : {body}")
    for group_name in spec.get("groups", []):
        _load_body(
            department,
            {"name": f"{body.name} — groupe « {group_name} »", "source": body.source},
            report,
            parent=body,
        )
    return body


def _load_scheme_records(department, spec: dict, index: CommuneIndex, report: Report) -> None:
    scheme = spec["scheme"]
    data = {"state": spec["state"], "as_of": _date(spec["as_of"]), "source": spec.get("source", "")}
    if spec.get("note"):
        data["note"] = spec["note"]
    for item in spec["communes"]:
        label = item["label"]
        match = index.match(item.get("name") or label)
        waiting = SchemeRecord.objects.filter(
            department=department, scheme=scheme, commune__isnull=True, source_label=label
        ).first()
        if match.is_resolved:
            commune = match.commune
            if SchemeRecord.objects.filter(scheme=scheme, commune=commune).exists():
                continue  # already known (loaded earlier, or entered by someone): left as it is
            if waiting is not None:
                services.resolve_scheme_record(acting_user=None, record=waiting, communes=[commune])
            else:
                services.set_scheme_record(
                    acting_user=None,
                    commune=commune,
                    scheme=scheme,
                    data={**data, "source_label": label},
                )
            report.add(f"{scheme} : {commune.name} ({label})")
        elif waiting is None:
            services.add_unresolved_scheme_record(
                acting_user=None,
                department=department,
                scheme=scheme,
                source_label=label,
                candidates=[c.code for c in match.candidates],
                data=data,
            )
            report.warn(f"{scheme} : « {label} » à rapprocher par une personne.")


def _load_figures(department, specs, report: Report) -> None:
    for spec in specs:
        as_of = _date(spec["as_of"])
        if SchemeFigure.objects.filter(
            department=department,
            scheme=spec["scheme"],
            as_of=as_of,
            description=spec["description"],
        ).exists():
            continue
        services.record_scheme_figure(
            acting_user=None,
            department=department,
            scheme=spec["scheme"],
            data={
                "as_of": as_of,
                "communes_count": spec.get("communes_count"),
                "cameras": spec.get("cameras"),
                "description": spec["description"],
                "source": spec.get("source", ""),
            },
        )
        report.add(f"Chiffre départemental : {spec['description']}")


def _load_targets(department, specs, report: Report) -> None:
    for spec in specs:
        if SchemeTarget.objects.filter(department=department, scheme=spec["scheme"]).exists():
            continue
        services.set_scheme_target(
            acting_user=None,
            department=department,
            scheme=spec["scheme"],
            data={
                "min_population": spec["min_population"],
                "level": spec["level"],
                "deadline": _date(spec.get("deadline")),
                "label": spec.get("label", ""),
                "source": spec.get("source", ""),
            },
        )
        report.add(f"Objectif : {spec['scheme']} ({department.name})")


def load_demo(department_codes: list[str] | None = None, data_file: Path = DATA_FILE) -> Report:
    payload = json.loads(data_file.read_text(encoding="utf-8"))["departments"]
    report = Report()
    for code, spec in payload.items():
        if department_codes and code not in department_codes:
            continue
        department = Department.objects.filter(code=code).first()
        if department is None:
            report.warn(f"Département {code} absent : lancez d'abord load_territories.")
            continue
        report.departments.append(code)
        with transaction.atomic():
            for body_spec in spec.get("bodies", []):
                _load_body(department, body_spec, report)
            index = CommuneIndex(
                Commune.objects.filter(department=department).select_related("department")
            )
            for record_spec in spec.get("scheme_records", []):
                _load_scheme_records(department, record_spec, index, report)
            _load_figures(department, spec.get("scheme_figures", []), report)
            _load_targets(department, spec.get("targets", []), report)
    return report
