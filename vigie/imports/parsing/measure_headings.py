"""Handlers of the blocks that open a measure: "Fiche action" banners, numbered headings
("Mesure 1.2", "Fiche action n°3" — one body for both), unnumbered fiches ("Mesure : …",
"Action : …", "Intitulé : …" in a table) and headings followed by the parts of a fiche.
"""

import re

from vigie.imports.parsing.drafts import MeasureDraft
from vigie.imports.parsing.parse_state import PlanState
from vigie.imports.parsing.schema import ParsedAction
from vigie.imports.parsing.vocabulary import (
    ACTION_FICHE_RE,
    AXIS_RE,
    FICHE_NUMBER_RE,
    FICHE_RE,
    MEASURE_RE,
    NAMED_FICHE_RE,
    TITLE_LABEL_RE,
    TITLE_MAX_LENGTH,
    clean_title,
    fold,
    section_part,
)
from vigie.imports.reading.blocks import Block, BlockKind


def fiche_keyword(state: PlanState, block: Block, key: str, bare: str) -> bool:
    if not FICHE_RE.match(key):
        return False
    state.close_measure()
    state.zone, state.expect = "fiche", None
    return True


def measure_keyword(state: PlanState, block: Block, key: str, bare: str) -> bool:
    """ "Mesure 1.2 : titre": a numbered measure (a second "Mesure 1.2", on the next page of
    the fiche, goes on with the same measure)."""
    match = MEASURE_RE.match(key)
    if not match or not state.reads_as_heading(block, match, MEASURE_RE):
        return False
    return _open_numbered_measure(state, block, match)


def fiche_number_keyword(state: PlanState, block: Block, key: str, bare: str) -> bool:
    """ "Fiche action n°3 : titre": a numbered measure, in the current axis unless the
    number says which ("Fiche 2.1")."""
    match = FICHE_NUMBER_RE.match(key)
    if not match or block.kind == BlockKind.LIST_ITEM:
        return False
    if not state.reads_as_heading(block, match, FICHE_NUMBER_RE):
        return False
    return _open_numbered_measure(state, block, match)


def _open_numbered_measure(state: PlanState, block: Block, match: re.Match) -> bool:
    """Opens the measure a numbered heading names ("2.1": in axis 2; "3": in the current
    axis), created the first time; its title is on the heading or in the next block."""
    number = match.group("number")
    axis = state.axis_for_measure(number.split(".")[0] if "." in number else None)
    measure = next((m for m in axis.measures if m.number == number), None)
    if measure is None:
        measure = MeasureDraft(number=number, heading_level=block.level)
        axis.measures.append(measure)
    state.open_measure(measure)
    title = block.text[match.start("title") :].strip()
    if title and not measure.title:
        measure.title = clean_title(title)
    state.expect = None if title else "measure_title"
    return True


def named_fiche_keyword(state: PlanState, block: Block, key: str, bare: str) -> bool:
    """ "Mesure : titre", "Fiche action : titre": an unnumbered measure."""
    match = NAMED_FICHE_RE.match(key)
    if not match or block.kind == BlockKind.LIST_ITEM:
        return False
    if state.axis is None or state.axis.kind != "axis":
        state.axis = state.new_axis("axis", None)
    title = block.text[match.start("title") :].strip()
    measure = MeasureDraft(
        number=None, numbered=False, title=clean_title(title), heading_level=block.level
    )
    state.axis.measures.append(measure)
    state.open_measure(measure)
    return True


def action_fiche_keyword(state: PlanState, block: Block, key: str, bare: str) -> bool:
    match = ACTION_FICHE_RE.match(key)
    if not match or block.kind == BlockKind.LIST_ITEM:
        return False
    title = block.text[match.start("title") :].strip()
    if state.measure is not None and state.measure.numbered and state.zone == "measure":
        state.measure.actions.append(ParsedAction(title=block.bold_prefix, text=title))
        return True
    if state.axis is None or state.axis.kind != "axis":
        state.axis = state.new_axis("axis", None)
    measure = MeasureDraft(number=None, numbered=False, title=clean_title(title))
    state.axis.measures.append(measure)
    state.open_measure(measure)
    return True


def title_label_keyword(state: PlanState, block: Block, key: str, bare: str) -> bool:
    """ "Intitulé : …" (fiches laid out as tables): the title of the measure."""
    label, _, inline = key.partition(":")
    if not TITLE_LABEL_RE.match(label.strip()) or not inline.strip():
        return False
    title = clean_title(block.text[len(key) - len(inline) :])
    if state.measure is not None and state.zone == "measure":
        if not state.measure.title:
            state.measure.title = title
        return True
    if state.axis is None or state.axis.kind != "axis":
        return False
    measure = MeasureDraft(number=None, numbered=False, title=title)
    state.axis.measures.append(measure)
    state.open_measure(measure)
    return True


def heading_measure(state: PlanState, block: Block, index: int) -> bool:
    """A heading below the axis level whose text is followed, before the next heading of
    the same level, by parts of a fiche (Pilote, Partenaires, Indicateurs…) is an
    unnumbered measure."""
    if state.axis is None or state.axis.kind != "axis" or len(block.text) > TITLE_MAX_LENGTH:
        return False
    in_strategic = state.zone == "section" and state.section is not None and state.section.keep
    if state.zone not in ("axis", "measure") and not in_strategic:
        return False
    if state.axis_level and block.level <= state.axis_level:
        return False
    current = state.measure if state.zone == "measure" else None
    if current is not None and (not current.heading_level or block.level > current.heading_level):
        return False
    if not announces_measure(state, index):
        return False
    state.close_measure()
    measure = MeasureDraft(
        number=None, numbered=False, title=clean_title(block.text), heading_level=block.level
    )
    state.axis.measures.append(measure)
    state.open_measure(measure)
    return True


def announces_measure(state: PlanState, index: int) -> bool:
    level = state.blocks[index].level
    for block in state.blocks[index + 1 : index + 60]:
        if block.is_heading and block.level <= level:
            return False
        key = fold(block.text)
        if any(
            pattern.match(key)
            for pattern in (AXIS_RE, MEASURE_RE, FICHE_NUMBER_RE, FICHE_RE, NAMED_FICHE_RE)
        ):
            return False
        if block.kind in (BlockKind.HEADING, BlockKind.PARAGRAPH) and section_part(block.text):
            return True
    return False
