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
