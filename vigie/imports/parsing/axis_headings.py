"""Handlers of the blocks that open or close an axis-level part: "Axe N", "Priorité n° N",
"Orientation", "Annexe", "Chapitre …", "Objectif stratégique 1.1" (a section of the axis),
context pages ("État des lieux", "Bilan", "Principaux enjeux"), "Plan d'action" in an
annex, and headings inside an annex.

Each keyword handler takes the parser state, the block, its folded text and that text
without a final colon, and returns True when it used the block.
"""

from vigie.imports.parsing.drafts import MeasureDraft, SectionDraft
from vigie.imports.parsing.parse_state import PlanState
from vigie.imports.parsing.vocabulary import (
    ANNEX_RE,
    AXIS_RE,
    CHAPTER_RE,
    CONTEXT_SECTIONS,
    PLAN_OF_ACTION_RE,
    STRATEGIC_RE,
    clean_title,
    is_all_caps,
    section_part,
    without_colon,
)
from vigie.imports.reading.blocks import Block, BlockKind
from vigie.plans.enums import SectionKind


def axis_keyword(state: PlanState, block: Block, key: str, bare: str) -> bool:
    match = AXIS_RE.match(key)
    if not match or block.kind == BlockKind.LIST_ITEM or not state.reads_as_heading(block, match):
        return False
    state.close_measure()
    number = match.group("number").lstrip("0") or "0"
    state.axis = state.find_axis("axis", number) or state.new_axis("axis", number)
    state.axis_level = block.level if block.is_heading else 0
    title = block.text[match.start("title") :].strip()
    if title and not state.axis.title:
        state.axis.title = clean_title(title)
    state.zone, state.expect = "axis", None if title else "axis_title"
    return True


def annex_keyword(state: PlanState, block: Block, key: str, bare: str) -> bool:
    match = ANNEX_RE.match(key)
    if not match or not (block.is_heading or state.axes):
        return False  # "Annexe …" in a table of contents is not the annex itself
    state.close_measure()
    number = (match.group("number") or "").upper() or state.next_annex_number()
    state.axis = state.find_axis("annex", number) or state.new_axis("annex", number)
    title = block.text[match.start("title") :].strip() if match.group("title") else ""
    if title and not state.axis.title:
        state.axis.title = clean_title(title)
    state.zone, state.expect = "annex_intro", None if title else "axis_title"
    return True


def chapter_keyword(state: PlanState, block: Block, key: str, bare: str) -> bool:
    if not CHAPTER_RE.match(key) or not state.axes:
        return False  # before the first axis, chapters are part of the introduction
    state.close_measure()
    state.axis, state.zone, state.expect = None, "ignored", None
    return True


def strategic_keyword(state: PlanState, block: Block, key: str, bare: str) -> bool:
    """ "Objectif stratégique 1.1 : titre", a level between axes and measures: kept as a
    section of the axis; the measures that follow stay in the axis."""
    match = STRATEGIC_RE.match(key)
    if not match or block.kind == BlockKind.LIST_ITEM:
        return False
    state.close_measure()
    number = match.group("number")
    if "." in number:
        state.axis_for_measure(number.split(".")[0])
    elif state.axis is None or state.axis.kind != "axis":
        state.axis = state.new_axis("axis", None)
    label = block.text[: match.start("title")].strip().rstrip(":–-. ").strip()
    title = block.text[match.start("title") :].strip()
    state.section = SectionDraft(
        kind=SectionKind.OTHER,
        title=f"{label} : {clean_title(title)}" if title else label,
        keep=True,
    )
    state.axis.sections.append(state.section)
    state.zone, state.expect = "section", None
    return True


def context_keyword(state: PlanState, block: Block, key: str, bare: str) -> bool:
    if key.rstrip().endswith(":") or not (block.is_heading or is_all_caps(block.text)):
        return False
    measure = state.measure if state.zone == "measure" else None
    if (
        measure is not None
        and block.is_heading
        and measure.heading_level
        and block.level > measure.heading_level
        and section_part(block.text)
    ):
        return False  # "Enjeux", "État des lieux" below the fiche's heading: parts of it
    for pattern, kind, canonical in CONTEXT_SECTIONS:
        if pattern.match(bare):
            state.open_context_section(kind, canonical or state.section_title(block.text))
            return True
    return False


def plan_of_action_keyword(state: PlanState, block: Block, key: str, bare: str) -> bool:
    if not PLAN_OF_ACTION_RE.match(key) or not state.in_annex():
        return False
    state.close_measure()
    state.zone, state.expect = "annex_plan", None
    return True


def annex_heading(state: PlanState, block: Block, index: int) -> None:
    """In an annex, a heading followed by a list is a group of actions (a measure of the
    annex); a heading followed by text is a context section."""
    following = state.blocks[index + 1] if index + 1 < len(state.blocks) else None
    state.close_measure()
    if following is not None and following.kind == BlockKind.LIST_ITEM:
        measure = MeasureDraft(
            number=None, numbered=False, title=clean_title(block.text), loose_as_actions=True
        )
        state.axis.measures.append(measure)
        state.open_measure(measure)
    else:
        state.section = SectionDraft(kind=SectionKind.OTHER, title=without_colon(block.text))
        state.axis.sections.append(state.section)
        state.zone = "section"
