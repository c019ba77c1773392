"""Handlers of the parts of a measure: labels ("Pilote(s) :", "Indicateurs de suivi",
"Pilote : Préfecture" on one line), labels that name no known part ("Public visé :"),
"→ Bonne pratique : …" paragraphs, and the text that goes to the current part.
"""

from vigie.imports.parsing.actor_wording import split_actor_wording
from vigie.imports.parsing.drafts import Loose
from vigie.imports.parsing.parse_state import PlanState
from vigie.imports.parsing.schema import ParsedAction
from vigie.imports.parsing.vocabulary import (
    GOOD_PRACTICE_RE,
    OTHER_LABEL_MAX_WORDS,
    part_for_label,
    word_count,
)
from vigie.imports.reading.blocks import Block, BlockKind


def measure_section_keyword(state: PlanState, block: Block, key: str, bare: str) -> bool:
    if state.measure is None or state.zone != "measure":
        return False
    label, _, inline = key.partition(":")
    part = part_for_label(label)
    if part is None:
        return other_label(state, block, key, label, inline)
    state.measure_part, state.expect = part, None
    state.uses_action_headings |= part == "actions"
    value = block.text[len(key) - len(inline) :].strip() if inline.strip() else ""
    if value:  # "Pilote : Préfecture": a one-line section
        measure_content(state, block, value)
        state.measure_part = "loose"
    return True


def other_label(state: PlanState, block: Block, key: str, label: str, inline: str) -> bool:
    """A bold line or heading "Public visé :" that names no known part: what follows is
    context (kept in the situation with its label), not the previous part."""
    if inline.strip() or not key.rstrip().endswith(":"):
        return False
    if not (block.is_heading or block.is_bold) or word_count(label) > OTHER_LABEL_MAX_WORDS:
        return False
    if state.measure_part == "loose":
        return False
    state.measure.situation.append(block.text)
    state.measure_part = "situation"
    return True


def good_practice_keyword(state: PlanState, block: Block, key: str, bare: str) -> bool:
    match = GOOD_PRACTICE_RE.match(key)
    if not match or state.measure is None or state.zone != "measure":
        return False
    text = block.text[match.end() :].strip()
    if not text:
        return False  # "Bonnes pratiques :" heads a list: a part of the measure
    if state.measure_part == "actions":
        target, position = "actions", len(state.measure.actions) - 1
    else:
        target, position = "loose", len(state.measure.loose) - 1
    state.measure.good_practices.append((text, target, position))
    return True


def named_action(lead: str, text: str) -> ParsedAction:
    """An action from its text and bold lead, which is its short name. A lead that ends with
    a colon names the action before its text (« **Cellule de veille :** Réunir… », as Vigie
    writes an action whose short name is not the start of its text): the name goes without
    the colon, the text without the name."""
    rest = text[len(lead) :].strip() if lead and text.startswith(lead) else ""
    if lead.endswith(":") and rest:
        return ParsedAction(title=lead[:-1].rstrip(), text=rest)
    return ParsedAction(title=lead, text=text)


def measure_content(state: PlanState, block: Block, text: str) -> None:
    measure, part = state.measure, state.measure_part
    is_list = block.kind == BlockKind.LIST_ITEM
    title = block.bold_prefix if text == block.text else ""
    if part == "loose":
        measure.loose.append(Loose(title=title, text=text))
    elif part == "actions":
        measure.actions.append(named_action(title, text))
    elif part == "actors":
        (measure.pilot_partners if is_list else measure.actors_paragraphs).append(text)
    elif part in ("pilots", "partners"):
        items = [text] if is_list else split_actor_wording(text)
        getattr(measure, part).extend(items)
    elif part == "good_practices":
        measure.good_practices.append((text, "actions", -1))
    else:
        getattr(measure, part).append(text)
