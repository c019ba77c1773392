"""Mutable drafts of the plan's parts while the parser walks the blocks."""

from dataclasses import dataclass, field

from vigie.imports.parsing.schema import ParsedAction
from vigie.imports.reading.blocks import Block


@dataclass
class Loose:
    """A paragraph or list item of a measure that is under no section heading."""

    title: str
    text: str


@dataclass
class MeasureDraft:
    number: str | None
    title: str = ""
    numbered: bool = True
    loose_as_actions: bool | None = None  # None: decided for the whole plan at the end
    actors_paragraphs: list[str] = field(default_factory=list)
    pilots: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    pilot_partners: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    objectives: list[str] = field(default_factory=list)
    national_objectives: list[str] = field(default_factory=list)
    situation: list[str] = field(default_factory=list)
    indicators: list[str] = field(default_factory=list)
    schedule: list[str] = field(default_factory=list)
    funding: list[str] = field(default_factory=list)
    actions: list[ParsedAction] = field(default_factory=list)
    loose: list[Loose] = field(default_factory=list)
    heading_level: int = 0  # level of the heading that opened an unnumbered measure
    # (text, "actions" | "loose", index of the item it follows or -1)
    good_practices: list[tuple[str, str, int]] = field(default_factory=list)

    def is_empty(self) -> bool:
        lists = (
            self.actors_paragraphs,
            self.pilots,
            self.partners,
            self.pilot_partners,
            self.findings,
            self.objectives,
            self.national_objectives,
            self.situation,
            self.indicators,
            self.schedule,
            self.funding,
            self.actions,
            self.loose,
            self.good_practices,
        )
        return not any(lists)


@dataclass
class SectionDraft:
    kind: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    keep: bool = False  # kept even without text (a strategic objective's title)


@dataclass
class AxisDraft:
    kind: str  # "axis" | "annex"
    number: str | None
    title: str = ""
    intro_blocks: list[Block] = field(default_factory=list)
    sections: list[SectionDraft] = field(default_factory=list)
    measures: list[MeasureDraft] = field(default_factory=list)

    def has_content(self) -> bool:
        return bool(self.measures or self.sections or self.intro_blocks)
