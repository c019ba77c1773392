"""The state of the plan parser while it walks the blocks, and the moves its handlers share.

The state is small: the drafts found so far (axes, their sections and measures), the current
axis, measure and section, the zone the walk is in ("front" before the first axis, "axis",
"section", "measure", "annex_intro", "glossary", "ignored"…), the part of the current
measure that the next paragraphs go to, and the title a keyword announced (``expect``).
The handlers (``axis_headings``, ``measure_headings``, ``measure_parts``, ``plan_parts``)
change it through the methods below.
"""

import re
from datetime import date

from vigie.imports.parsing.block_tools import (
    expand_label_tables,
    glossary_runs,
    heading_number_depths,
)
from vigie.imports.parsing.drafts import AxisDraft, MeasureDraft, SectionDraft
from vigie.imports.parsing.schema import ParsedGlossaryEntry, ParsedSignatory
from vigie.imports.parsing.vocabulary import PAGE_SUFFIX_RE, sentence_case
from vigie.imports.reading.blocks import Block
from vigie.plans.enums import SectionKind


class PlanState:
    """What the walk has found so far and where it is; the parser is a ``PlanState``."""

    def __init__(self, blocks: list[Block], proper_nouns: tuple[str, ...]):
        blocks = expand_label_tables(blocks)
        self.blocks = blocks
        self.proper_nouns = proper_nouns
        self.axis_level = 0  # level of the heading that opened the current axis
        self.glossary_indexes = glossary_runs(blocks)
        self.heading_depths = heading_number_depths(blocks)
        self.front: list[Block] = []
        self.axes: list[AxisDraft] = []
        self.axis: AxisDraft | None = None
        self.measure: MeasureDraft | None = None
        self.section: SectionDraft | None = None
        self.zone = "front"
        self.measure_part = "loose"
        self.expect: str | None = None
        self.uses_action_headings = False
        self.signed_on: date | None = None
        self.signed_at = ""
        self.signatories: list[ParsedSignatory] = []
        self.glossary: list[ParsedGlossaryEntry] = []

    def idle_zone(self) -> str:
        return "front" if not self.axes else "ignored"

    def close_measure(self) -> None:
        self.measure, self.section, self.measure_part = None, None, "loose"

    def in_annex(self) -> bool:
        return self.axis is not None and self.axis.kind == "annex"

    def find_axis(self, kind: str, number: str) -> AxisDraft | None:
        return next((a for a in self.axes if a.kind == kind and a.number == number), None)

    def new_axis(self, kind: str, number: str | None) -> AxisDraft:
        axis = AxisDraft(kind=kind, number=number)
        self.axes.append(axis)
        return axis

    def axis_for_measure(self, number: str | None) -> AxisDraft:
        current = self.axis if self.axis is not None and self.axis.kind == "axis" else None
        if number is None:
            self.axis = current or self.new_axis("axis", None)
        elif current is not None and current.number in (None, number):
            if current.number is None and self.find_axis("axis", number) is None:
                current.number = number
            self.axis = current if current.number == number else self.find_axis("axis", number)
        else:
            self.axis = self.find_axis("axis", number) or self.new_axis("axis", number)
        return self.axis

    def open_measure(self, measure: MeasureDraft) -> None:
        self.measure, self.section = measure, None
        self.zone, self.measure_part, self.expect = "measure", "loose", None

    def open_context_section(self, kind: str, title: str) -> None:
        self.close_measure()
        axis = self.axis
        starts_new_axis = axis is None or axis.kind != "axis" or axis.measures
        if kind == SectionKind.SITUATION and axis is not None:
            starts_new_axis = starts_new_axis or any(s.kind == kind for s in axis.sections)
        if starts_new_axis:
            axis = self.axis = self.new_axis("axis", None)
        last = axis.sections[-1] if axis.sections else None
        if last is not None and last.kind == kind and last.title == title:
            self.section = last  # "Bilan 2014-2020 (2/2)" continues "Bilan 2014-2020 (1/2)"
        else:
            self.section = SectionDraft(kind=kind, title=title)
            axis.sections.append(self.section)
        self.zone, self.expect = "section", "axis_title"

    def section_title(self, text: str) -> str:
        return sentence_case(PAGE_SUFFIX_RE.sub("", text).strip(), self.proper_nouns)

    def reads_as_heading(
        self, block: Block, match: re.Match, pattern: re.Pattern | None = None
    ) -> bool:
        """A block that starts with "Mesure 37", "Axe 2"… opens a measure or an axis only when
        it reads as a heading, not as a sentence that happens to start with the word (a PDF
        line "mesure n° 37 de la stratégie nationale…" cut from its paragraph): set as a
        heading or in bold; otherwise it starts with a capital, its title does not run on
        from the number as a sentence ("Mesure n° 37 de la stratégie…"), and its number has
        the form of the numbers of the headings of the same kind ("37" among "1.1", "2.3")."""
        if block.is_heading or block.bold_prefix:
            return True
        if not block.text[:1].isupper():
            return False
        between = block.text[match.end("number") : match.start("title")]
        title = block.text[match.start("title") :]
        if not re.search(r"[:.|–-]", between) and title[:1].islower():
            return False
        depths = self.heading_depths.get(pattern.pattern if pattern else "", set())
        return not depths or match.group("number").count(".") in depths

    def next_annex_number(self) -> str:
        taken = {a.number for a in self.axes if a.kind == "annex"}
        number = 1
        while str(number) in taken:
            number += 1
        return str(number)
