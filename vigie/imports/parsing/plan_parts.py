"""Handlers of the parts of the plan outside its axes: the signature ("Fait à Auch, le 28
septembre 2021" and the office / name pairs below it) and the glossary ("Glossaire" or a run
of "SIGLE : définition" paragraphs).
"""

import re
from datetime import date

from vigie.imports.parsing.parse_state import PlanState
from vigie.imports.parsing.schema import ParsedGlossaryEntry, ParsedSignatory
from vigie.imports.parsing.vocabulary import DEFINITION_RE, GLOSSARY_RE, MONTHS, PERSON_RE
from vigie.imports.reading.blocks import Block, BlockKind


def signature(state: PlanState, index: int, match: re.Match) -> int:
    state.close_measure()
    text = state.blocks[index].text
    place = text[match.start("place") : match.end("place")].strip()
    state.signed_at = place.title() if place.isupper() else place
    state.signed_on = _date(match)
    index += 1
    while index < len(state.blocks):
        consumed = _signatory(state, index)
        if not consumed:
            break
        index += consumed
    state.zone = state.idle_zone()
    return index


def _signatory(state: PlanState, index: int) -> int:
    """Reads one "office, name" pair (or a lone name); returns the number of blocks used."""
    first = state.blocks[index]
    if _is_person(first):
        state.signatories.append(ParsedSignatory(name=first.text, office=""))
        return 1
    second = state.blocks[index + 1] if index + 1 < len(state.blocks) else None
    if second is None or not _is_person(second) or first.kind == BlockKind.TABLE_ROW:
        return 0
    state.signatories.append(ParsedSignatory(name=second.text, office=_office(first)))
    return 2


def glossary_keyword(state: PlanState, block: Block, key: str, bare: str) -> bool:
    if not GLOSSARY_RE.match(key):
        return False
    state.close_measure()
    state.zone, state.expect = "glossary", None
    return True


def glossary_entry(state: PlanState, block: Block) -> bool:
    match = DEFINITION_RE.match(block.text) if block.kind == BlockKind.PARAGRAPH else None
    if not match:
        return False
    if state.zone != "glossary":
        state.close_measure()
        state.zone = "glossary"
    acronym = match.group("acronym").strip()
    if all(entry.acronym != acronym for entry in state.glossary):
        state.glossary.append(ParsedGlossaryEntry(acronym, match.group("definition").strip()))
    return True


def _date(match: re.Match) -> date | None:
    month = MONTHS.get(match.group("month"))
    if month is None:
        return None
    try:
        return date(int(match.group("year")), month, int(match.group("day")))
    except ValueError:
        return None


def _is_person(block: Block) -> bool:
    return (
        block.kind == BlockKind.PARAGRAPH
        and len(block.text) <= 80
        and bool(PERSON_RE.match(block.text))
    )


def _office(block: Block) -> str:
    """ "Pour le président,  / La vice-présidente de l'association / des maires du Gers" →
    "Pour le président, la vice-présidente de l'association des maires du Gers"."""
    lines = list(block.lines) or [block.text]
    office = lines[0]
    for line in lines[1:]:
        continuation = re.sub(r"^(La|Le|Les|L')\b", lambda m: m.group(1).lower(), line)
        if office.endswith((",", ";", ":")):
            office += " " + continuation
        elif line[:1].isupper() and continuation != line:
            office += ", " + continuation
        else:
            office += " " + line
    return office
