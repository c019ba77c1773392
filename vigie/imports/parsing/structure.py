"""Blocks → ``ParsedPlan``, driven by the vocabulary of French crime-prevention plans.

Nothing here depends on line numbers or on one particular document. The parser walks the
blocks once, keeping a small state (current axis, current measure, current section of the
measure) that the recognised phrases change:

- plan level: the title ("Plan départemental de prévention de la délinquance…"), the period
  ("2021 > 2024", "2020-2024"), the signature ("Fait à Auch, le 28 septembre 2021" followed
  by office/name pairs), "Chapitre …", "Annexe", "Glossaire" and runs of "SIGLE : définition";
- axes: "Axe N", "Priorité n° N", or context pages opened by "État des lieux" (a new axis),
  "Bilan …" and "Principaux enjeux" (sections of the current axis, pages "1/2", "2/2" merged);
- measures: "Fiche action", "Mesure N.M" (a second "Mesure N.M" continues the same measure:
  fiches printed over two pages), or an unnumbered "Action : titre" fiche;
- measure sections: "Pilotes et partenaires", "Pilote(s)", "Partenaires", "Constat partagé",
  "Problématiques", "Objectifs", "Objectifs de la stratégie nationale", "État des lieux",
  "Actions à mener", "Indicateurs (de suivi)", and "→ Bonne pratique : …" paragraphs.

Text of a measure that is under no section heading is an action when the plan never uses
an "Actions à mener" heading (Gers: each paragraph is an action), and context (situation)
otherwise (Lot: the road-safety fiche is free text).

A numbered keyword opens an axis or a measure only when its block reads as a heading (set
as one or in bold, or starting with a capital, with a title that does not run on from the
number as a sentence, numbered like the headings of its kind): a line of prose that starts
with "mesure n° 37 de la stratégie nationale…" is text.

This module walks the blocks; the rest is in its neighbours:

- ``vocabulary.py``: the patterns and text helpers (``fold``, ``part_for_label``…);
- ``block_tools.py``: fiches in tables expanded, glossary runs, blocks rendered as text;
- ``parse_state.py``: the walk's state and the moves the handlers share;
- handlers, one module per kind of block: ``axis_headings.py`` (axes, annexes, chapters,
  strategic objectives, context pages), ``measure_headings.py`` (numbered and unnumbered
  measures), ``measure_parts.py`` (the parts of a fiche and their text), ``plan_parts.py``
  (signature, glossary);
- ``drafts.py`` (what the walk builds), ``plan_result.py`` (drafts → ``ParsedPlan``),
  ``actor_wording.py`` (pilots and partners split out of a wording).
"""

from vigie.imports.parsing.actor_wording import split_actor_wording
from vigie.imports.parsing.axis_headings import (
    annex_heading,
    annex_keyword,
    axis_keyword,
    chapter_keyword,
    context_keyword,
    plan_of_action_keyword,
    strategic_keyword,
)
from vigie.imports.parsing.block_tools import expand_label_tables, render_blocks
from vigie.imports.parsing.measure_headings import (
    action_fiche_keyword,
    fiche_keyword,
    fiche_number_keyword,
    heading_measure,
    measure_keyword,
    named_fiche_keyword,
    title_label_keyword,
)
from vigie.imports.parsing.measure_parts import (
    good_practice_keyword,
    measure_content,
    measure_section_keyword,
)
from vigie.imports.parsing.parse_state import PlanState
from vigie.imports.parsing.plan_parts import glossary_entry, glossary_keyword, signature
from vigie.imports.parsing.plan_result import finish, national_axis_for
from vigie.imports.parsing.schema import ParsedPlan
from vigie.imports.parsing.vocabulary import (
    KEYWORD_MAX_LENGTH,
    PAGE_MARKER_RE,
    SIGNATURE_RE,
    TITLE_MAX_LENGTH,
    clean_title,
    fold,
    looks_structural,
    part_for_label,
    similar,
    without_colon,
)
from vigie.imports.reading.blocks import Block, BlockKind

# Used by the readers and the tests through this module, the parser's entry point.
__all__ = [
    "expand_label_tables",
    "fold",
    "looks_structural",
    "national_axis_for",
    "parse_plan",
    "part_for_label",
    "render_blocks",
    "split_actor_wording",
]


def parse_plan(blocks: list[Block], *, proper_nouns: tuple[str, ...] = ()) -> ParsedPlan:
    """The structure of a plan. ``proper_nouns`` (e.g. the department's name) keep their
    capital when an all-caps title is put in sentence case."""
    return _PlanParser(blocks, proper_nouns).parse()


class _PlanParser(PlanState):
    """Walks the blocks once; each block goes to the first handler that recognises it."""

    def parse(self) -> ParsedPlan:
        index = 0
        while index < len(self.blocks):
            index = self._step(index)
        return finish(self)

    def _step(self, index: int) -> int:
        block = self.blocks[index]
        if index in self.glossary_indexes or self.zone == "glossary":
            if glossary_entry(self, block):
                return index + 1
            self.zone = self.idle_zone()
        key = fold(block.text)
        if block.kind in (BlockKind.HEADING, BlockKind.PARAGRAPH):
            if PAGE_MARKER_RE.match(key):
                return index + 1
            if signed := SIGNATURE_RE.match(key):
                return signature(self, index, signed)
            if self._keyword(block, key):
                return index + 1
            if self.expect and self._expected_title(block):
                self.expect = None
                return index + 1
        self.expect = None
        if block.is_heading and heading_measure(self, block, index):
            return index + 1
        self._content(block, index)
        return index + 1

    # keywords

    def _keyword(self, block: Block, key: str) -> bool:
        bare = without_colon(key)
        # Headings announce their title on the same line; long paragraphs are prose.
        short = len(block.text) <= KEYWORD_MAX_LENGTH
        handlers = (
            fiche_keyword,
            *(
                (
                    fiche_number_keyword,
                    named_fiche_keyword,
                    strategic_keyword,
                    measure_keyword,
                    annex_keyword,
                    axis_keyword,
                    chapter_keyword,
                    context_keyword,
                    action_fiche_keyword,
                )
                if short
                else ()
            ),
            glossary_keyword,
            plan_of_action_keyword,
            title_label_keyword,
            good_practice_keyword,
            measure_section_keyword,
        )
        return any(handler(self, block, key, bare) for handler in handlers)

    # titles announced by a keyword ("ETAT DES LIEUX" then the axis title, "Mesure 1.2" then
    # the measure title); on the second page of a fiche the repeated title is skipped.

    def _expected_title(self, block: Block) -> bool:
        if not self._may_be_title(block):
            return False
        target = self.measure if self.expect == "measure_title" else self.axis
        if target is None:
            return False
        if not target.title:
            target.title = clean_title(block.text)
            return True
        return similar(target.title, block.text)

    def _may_be_title(self, block: Block) -> bool:
        """Headings and bold lines may be titles; plain paragraphs only when short, and not
        sentences when an axis title is expected (context pages start with prose)."""
        if block.kind != BlockKind.PARAGRAPH or block.is_bold:
            return True
        if len(block.text) > TITLE_MAX_LENGTH:
            return False
        return not (self.expect == "axis_title" and block.text.endswith("."))

    # content

    def _content(self, block: Block, index: int) -> None:
        if self.in_annex() and block.is_heading:
            annex_heading(self, block, index)
            return
        if self.zone == "front":
            self.front.append(block)
        elif self.zone in ("axis", "annex_intro"):
            self.axis.intro_blocks.append(block)
        elif self.zone == "section":
            self.section.blocks.append(block)
        elif self.zone == "measure":
            measure_content(self, block, block.text)
