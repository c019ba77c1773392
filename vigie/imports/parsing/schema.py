"""The parsed plan: plain dataclasses, independent of Django, serialisable with ``to_dict()``.

The dictionary layout is documented in ``docs/import-schema.md``.
"""

from dataclasses import dataclass, field
from datetime import date


@dataclass
class ParsedAction:
    title: str  # bold lead of the paragraph, "" when there is none
    text: str  # full text, lead included

    def to_dict(self, good_practices: list[str]) -> dict:
        return {"title": self.title, "text": self.text, "good_practices": good_practices}


@dataclass
class ParsedGoodPractice:
    text: str
    action_index: int | None = None  # index in the measure's actions of the action it illustrates


@dataclass
class ParsedMeasure:
    number: str
    title: str
    actors_wording: str = ""
    pilots: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    # Items of a "Pilotes et partenaires" wording that does not tell pilots from partners.
    pilot_partners: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    objectives: list[str] = field(default_factory=list)
    national_objectives: list[str] = field(default_factory=list)
    situation: list[str] = field(default_factory=list)
    actions: list[ParsedAction] = field(default_factory=list)
    good_practices: list[ParsedGoodPractice] = field(default_factory=list)
    indicators: list[str] = field(default_factory=list)
    schedule: list[str] = field(default_factory=list)  # "Calendrier"
    funding: list[str] = field(default_factory=list)  # "Financement", "Budget"

    @property
    def actors_combined(self) -> bool:
        return bool(self.pilot_partners) and not self.pilots and not self.partners

    def to_dict(self) -> dict:
        return {
            "number": self.number,
            "title": self.title,
            "actors_wording": self.actors_wording,
            "actors_combined": self.actors_combined,
            "pilots": [*self.pilots, *self.pilot_partners],
            "partners": list(self.partners),
            "findings": list(self.findings),
            "objectives": list(self.objectives),
            "national_objectives": list(self.national_objectives),
            "situation": list(self.situation),
            "actions": [
                action.to_dict(self.good_practices_of(index))
                for index, action in enumerate(self.actions)
            ],
            "good_practices": [practice.text for practice in self.good_practices],
            "indicators": list(self.indicators),
            "schedule": list(self.schedule),
            "funding": list(self.funding),
        }

    def good_practices_of(self, action_index: int) -> list[str]:
        return [p.text for p in self.good_practices if p.action_index == action_index]


@dataclass
class ParsedSection:
    kind: str  # a vigie.plans.enums.SectionKind value
    title: str
    body: str

    def to_dict(self) -> dict:
        return {"kind": self.kind, "title": self.title, "body": self.body}


@dataclass
class ParsedAxis:
    number: str
    title: str
    national_axis: str = ""  # "1".."4" (SNPD 2020-2024) or ""
    introduction: str = ""
    sections: list[ParsedSection] = field(default_factory=list)
    measures: list[ParsedMeasure] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "number": self.number,
            "title": self.title,
            "national_axis": self.national_axis,
            "introduction": self.introduction,
            "sections": [section.to_dict() for section in self.sections],
            "measures": [measure.to_dict() for measure in self.measures],
        }


@dataclass
class ParsedSignatory:
    name: str
    office: str

    def to_dict(self) -> dict:
        return {"name": self.name, "office": self.office}


@dataclass
class ParsedGlossaryEntry:
    acronym: str
    definition: str

    def to_dict(self) -> dict:
        return {"acronym": self.acronym, "definition": self.definition}


@dataclass
class ParsedPlan:
    title: str
    period_start: int
    period_end: int
    signed_on: date | None = None
    signed_at: str = ""
    signatories: list[ParsedSignatory] = field(default_factory=list)
    introduction: str = ""
    axes: list[ParsedAxis] = field(default_factory=list)
    annexes: list[ParsedAxis] = field(default_factory=list)
    glossary: list[ParsedGlossaryEntry] = field(default_factory=list)

    def to_dict(self, department: str = "") -> dict:
        return {
            "title": self.title,
            "department": department,
            "period": {"start": self.period_start, "end": self.period_end},
            "signed_on": self.signed_on.isoformat() if self.signed_on else None,
            "signed_at": self.signed_at,
            "signatories": [signatory.to_dict() for signatory in self.signatories],
            "introduction": self.introduction,
            "axes": [axis.to_dict() for axis in self.axes],
            "annexes": [annex.to_dict() for annex in self.annexes],
            "glossary": [entry.to_dict() for entry in self.glossary],
        }

    def all_measures(self) -> list[ParsedMeasure]:
        return [measure for axis in (*self.axes, *self.annexes) for measure in axis.measures]

    def counts(self) -> dict[str, int]:
        measures = self.all_measures()
        return {
            "axes": len(self.axes),
            "annexes": len(self.annexes),
            "measures": len(measures),
            "actions": sum(len(m.actions) for m in measures),
            "good_practices": sum(len(m.good_practices) for m in measures),
            "indicators": sum(len(m.indicators) for m in measures),
            "actors": sum(
                len(m.pilots) + len(m.partners) + len(m.pilot_partners) for m in measures
            ),
            "signatories": len(self.signatories),
            "glossary": len(self.glossary),
        }


# --- from the dictionary (the review step edits it) -------------------------------------------


def _texts(value) -> list[str]:
    if not isinstance(value, list):
        return []
    return [str(item).strip() for item in value if isinstance(item, str) and str(item).strip()]


def measure_from_dict(data: dict) -> ParsedMeasure:
    actions, practices = [], []
    remaining = _texts(data.get("good_practices"))
    for action in data.get("actions") or []:
        if not isinstance(action, dict) or not str(action.get("text", "")).strip():
            continue
        actions.append(
            ParsedAction(
                title=str(action.get("title", "")).strip(), text=str(action["text"]).strip()
            )
        )
        for text in _texts(action.get("good_practices")):
            practices.append(ParsedGoodPractice(text=text, action_index=len(actions) - 1))
            if text in remaining:
                remaining.remove(text)
    practices += [ParsedGoodPractice(text=text) for text in remaining]
    pilots = _texts(data.get("pilots"))
    combined = bool(data.get("actors_combined"))
    return ParsedMeasure(
        number=str(data.get("number", "")).strip(),
        title=str(data.get("title", "")).strip(),
        actors_wording=str(data.get("actors_wording", "") or ""),
        pilots=[] if combined else pilots,
        partners=_texts(data.get("partners")),
        pilot_partners=pilots if combined else [],
        findings=_texts(data.get("findings")),
        objectives=_texts(data.get("objectives")),
        national_objectives=_texts(data.get("national_objectives")),
        situation=_texts(data.get("situation")),
        actions=actions,
        good_practices=practices,
        indicators=_texts(data.get("indicators")),
        schedule=_texts(data.get("schedule")),
        funding=_texts(data.get("funding")),
    )


def axis_from_dict(data: dict) -> ParsedAxis:
    return ParsedAxis(
        number=str(data.get("number", "")).strip(),
        title=str(data.get("title", "")).strip(),
        national_axis=str(data.get("national_axis", "") or ""),
        introduction=str(data.get("introduction", "") or ""),
        sections=[
            ParsedSection(
                kind=str(s.get("kind", "autre")),
                title=str(s.get("title", "")),
                body=str(s.get("body", "")),
            )
            for s in data.get("sections") or []
            if isinstance(s, dict)
        ],
        measures=[measure_from_dict(m) for m in data.get("measures") or [] if isinstance(m, dict)],
    )


def plan_from_dict(data: dict) -> ParsedPlan:
    """The inverse of ``ParsedPlan.to_dict()`` (unknown keys are ignored)."""
    period = data.get("period") or {}
    signed_on = data.get("signed_on")
    try:
        signed = date.fromisoformat(signed_on) if signed_on else None
    except (TypeError, ValueError):
        signed = None
    return ParsedPlan(
        title=str(data.get("title", "")).strip(),
        period_start=int(period.get("start") or 0),
        period_end=int(period.get("end") or 0),
        signed_on=signed,
        signed_at=str(data.get("signed_at", "") or ""),
        signatories=[
            ParsedSignatory(name=str(s.get("name", "")), office=str(s.get("office", "")))
            for s in data.get("signatories") or []
            if isinstance(s, dict)
        ],
        introduction=str(data.get("introduction", "") or ""),
        axes=[axis_from_dict(a) for a in data.get("axes") or [] if isinstance(a, dict)],
        annexes=[axis_from_dict(a) for a in data.get("annexes") or [] if isinstance(a, dict)],
        glossary=[
            ParsedGlossaryEntry(
                acronym=str(g.get("acronym", "")), definition=str(g.get("definition", ""))
            )
            for g in data.get("glossary") or []
            if isinstance(g, dict)
        ],
    )
