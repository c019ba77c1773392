"""The drafts of a walked plan turned into a ``ParsedPlan``: empty parts dropped, axes and
measures without a number numbered, loose paragraphs of the measures made actions or
context, the plan's title and period found.
"""

import re

from vigie.imports.errors import PlanImportError
from vigie.imports.parsing.actor_wording import split_actor_wording
from vigie.imports.parsing.block_tools import from_first_long_paragraph, render_blocks
from vigie.imports.parsing.drafts import AxisDraft, MeasureDraft
from vigie.imports.parsing.measure_parts import named_action
from vigie.imports.parsing.parse_state import PlanState
from vigie.imports.parsing.schema import (
    ParsedAxis,
    ParsedGoodPractice,
    ParsedMeasure,
    ParsedPlan,
    ParsedSection,
)
from vigie.imports.parsing.vocabulary import (
    DEFAULT_TITLE,
    NATIONAL_AXIS_WORDS,
    PERIOD_ONLY_RE,
    PERIOD_RE,
    TITLE_MAX_LENGTH,
    fold,
    sentence_case,
)
from vigie.imports.reading.blocks import BlockKind


def finish(state: PlanState) -> ParsedPlan:
    for axis in state.axes:
        # Unnumbered fiches without any content are a summary list ("Action : …" lines).
        axis.measures = [m for m in axis.measures if m.numbered or not m.is_empty()]
    axes = [a for a in state.axes if a.kind == "axis" and a.has_content()]
    annexes = [a for a in state.axes if a.kind == "annex" and a.has_content()]
    _number_axes(axes)
    for axis in axes:
        _number_measures(axis, prefix=axis.number)
    for annex in annexes:
        _number_measures(annex, prefix=f"A{annex.number}")
    plan = ParsedPlan(
        title=plan_title(state),
        period_start=0,
        period_end=0,
        signed_on=state.signed_on,
        signed_at=state.signed_at,
        signatories=state.signatories,
        introduction=render_blocks(from_first_long_paragraph(state.front), tables=False),
        axes=[_axis(state, axis, national=True) for axis in axes],
        annexes=[_axis(state, annex, national=False) for annex in annexes],
        glossary=state.glossary,
    )
    if not plan.all_measures():
        raise PlanImportError(
            "Aucune structure de plan reconnue : ni axe ou priorité, ni mesure ou fiche action "
            "(« Mesure 1.1 », « Action : … », « Pilotes », « Indicateurs »…)."
        )
    plan.period_start, plan.period_end = _period(state)
    return plan


def _axis(state: PlanState, draft: AxisDraft, *, national: bool) -> ParsedAxis:
    title = draft.title or (
        f"Annexe {draft.number}" if draft.kind == "annex" else f"Axe {draft.number}"
    )
    return ParsedAxis(
        number=draft.number,
        title=title,
        national_axis=national_axis_for(title) if national else "",
        introduction=render_blocks(from_first_long_paragraph(draft.intro_blocks)),
        sections=[
            ParsedSection(kind=s.kind, title=s.title, body=render_blocks(s.blocks))
            for s in draft.sections
            if s.blocks or s.keep
        ],
        measures=[_measure(state, m) for m in draft.measures],
    )


def _measure(state: PlanState, draft: MeasureDraft) -> ParsedMeasure:
    as_actions = draft.loose_as_actions
    if as_actions is None:
        as_actions = not state.uses_action_headings
    actions = list(draft.actions)
    offset = len(actions)
    situation = list(draft.situation)
    if as_actions:
        actions += [named_action(item.title, item.text) for item in draft.loose]
    else:
        situation += [item.text for item in draft.loose]
    practices = []
    for text, target, position in draft.good_practices:
        if target == "loose":
            index = offset + position if as_actions and position >= 0 else None
        else:
            index = position if position >= 0 else None
        practices.append(ParsedGoodPractice(text=text, action_index=index))
    wording = " ".join(draft.actors_paragraphs)
    pilot_partners = list(draft.pilot_partners)
    for paragraph in draft.actors_paragraphs:
        pilot_partners += split_actor_wording(paragraph)
    return ParsedMeasure(
        number=draft.number,
        title=draft.title or f"Mesure {draft.number}",
        actors_wording=wording,
        pilots=draft.pilots,
        partners=draft.partners,
        pilot_partners=pilot_partners,
        findings=draft.findings,
        objectives=draft.objectives,
        national_objectives=draft.national_objectives,
        situation=situation,
        actions=actions,
        good_practices=practices,
        indicators=draft.indicators,
        schedule=draft.schedule,
        funding=draft.funding,
    )


def plan_title(state: PlanState) -> str:
    candidates = [b for b in state.front if b.kind in (BlockKind.HEADING, BlockKind.PARAGRAPH)]
    for block in candidates:
        key = fold(block.text)
        if "plan" in key and "delinquance" in key and len(block.text) <= TITLE_MAX_LENGTH:
            return _tidy_title(state, block.text)
    heading = next((b for b in candidates if b.is_heading), None)
    return _tidy_title(state, heading.text) if heading else DEFAULT_TITLE


def _tidy_title(state: PlanState, text: str) -> str:
    text = sentence_case(text, state.proper_nouns)
    return PERIOD_RE.sub(lambda m: f"{m.group(1)}-{m.group(2)}", text)


def _period(state: PlanState) -> tuple[int, int]:
    title_period = PERIOD_RE.search(plan_title(state))
    candidates = [title_period] if title_period else []
    candidates += [PERIOD_ONLY_RE.match(b.text) for b in state.front]
    candidates += [PERIOD_RE.search(b.text) for b in state.front if b.is_heading]
    for match in filter(None, candidates):
        start, end = int(match.group(1)), int(match.group(2))
        if start <= end <= start + 10:
            return start, end
    raise PlanImportError(
        "Période du plan introuvable : le titre ou la page de garde doit indiquer les années "
        "de début et de fin (par exemple « 2021-2024 »)."
    )


def _number_axes(axes: list[AxisDraft]) -> None:
    taken = {axis.number for axis in axes if axis.number}
    next_number = 1
    for axis in axes:
        if axis.number:
            continue
        while str(next_number) in taken:
            next_number += 1
        axis.number = str(next_number)
        taken.add(axis.number)


def _number_measures(axis: AxisDraft, *, prefix: str) -> None:
    taken = {m.number for m in axis.measures if m.number}
    counter = 0
    for measure in axis.measures:
        if measure.number:
            continue
        counter += 1
        while f"{prefix}.{counter}" in taken:
            counter += 1
        measure.number = f"{prefix}.{counter}"


def national_axis_for(title: str) -> str:
    """The axis of the national strategy an axis title is about, "" when unclear."""
    words = set(re.findall(r"[a-z]+", fold(title)))
    scores = {axis: len(words & set(keys)) for axis, keys in NATIONAL_AXIS_WORDS.items()}
    best = max(scores.values())
    winners = [axis for axis, score in scores.items() if score == best]
    return winners[0] if best and len(winners) == 1 else ""
