"""The territorial side of the public progress page: deployment maps of the schemes by commune, and
the filter showing the measures and actions that concern a commune or an EPCI.

A plan does not tie its measures to communes, so "concerns" is read from what the plan holds, and the
page says so: a measure or an action concerns a territory when its text (or its pilots and partners as
worded, its good practices, or the organisation responsible for the action) names the commune, its EPCI
or, for an EPCI, one of its communes; a measure also concerns it when one of its public indicators has a validated value for
the territory (for a commune: the commune or its EPCI).
"""

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from vigie.governance import selectors as governance
from vigie.governance import svgmap
from vigie.governance.enums import Scheme, SchemeState, state_label
from vigie.indicators.enums import TerritorialLevel
from vigie.indicators.territory import make_key
from vigie.plans.models import GoodPractice
from vigie.progress.selectors import public_values
from vigie.territories.models import Commune, Epci

COMMUNE_PREFIX = "commune-"
EPCI_PREFIX = "epci-"


@dataclass
class Territory:
    key: str  # "commune-32107" or "epci-200066926", the value of the filter
    name: str
    kind: str  # "commune" or "EPCI"
    names: list[str]  # what the text must name
    value_keys: list[str]  # territory keys of indicator values
    epci: Epci | None = None
    communes: list[Commune] = field(default_factory=list)


def choices(department) -> dict:
    """The options of the filter: the department's EPCIs and communes (two queries)."""
    return {
        "epcis": list(Epci.objects.filter(departments=department).order_by("name")),
        "communes": list(Commune.objects.filter(department=department).order_by("name", "code")),
    }


def resolve(department, key: str) -> Territory | None:
    """The territory a filter value names in the department, or None (unknown, or elsewhere)."""
    if key.startswith(COMMUNE_PREFIX):
        commune = (
            Commune.objects.filter(department=department, code=key[len(COMMUNE_PREFIX) :])
            .select_related("epci")
            .first()
        )
        if commune is None:
            return None
        names = [commune.name] + ([commune.epci.name] if commune.epci_id else [])
        value_keys = [make_key(TerritorialLevel.COMMUNE, commune.code)]
        if commune.epci_id:
            value_keys.append(make_key(TerritorialLevel.EPCI, commune.epci.code))
        return Territory(key, commune.name, "commune", names, value_keys, commune.epci, [commune])
    if key.startswith(EPCI_PREFIX):
        epci = Epci.objects.filter(departments=department, code=key[len(EPCI_PREFIX) :]).first()
        if epci is None:
            return None
        communes = list(Commune.objects.filter(epci=epci, department=department).order_by("name"))
        names = [epci.name] + [c.name for c in communes]
        value_keys = [make_key(TerritorialLevel.EPCI, epci.code)] + [
            make_key(TerritorialLevel.COMMUNE, c.code) for c in communes
        ]
        return Territory(key, epci.name, "EPCI", names, value_keys, epci, communes)
    return None


def _fold(text: str) -> str:
    """Accents off, hyphens and apostrophes as spaces, case kept ("Vic-Fezensac" → "Vic Fezensac")."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[-'’`´_]+", " ", text)
    return re.sub(r"\s+", " ", text)


def name_pattern(names: list[str]) -> re.Pattern | None:
    """Whole-word mentions of the names, as written ("Condom") or in capitals ("CONDOM"): case counts,
    so that a commune named like a common word is not found in every sentence."""
    forms = set()
    for name in names:
        folded = _fold(name).strip()
        if len(folded) >= 3:
            forms |= {folded, folded.upper()}
    if not forms:
        return None
    alternatives = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def _measure_text(measure) -> str:
    return " ".join(
        [
            measure.title,
            measure.actors_wording,
            measure.findings,
            measure.objectives,
            measure.situation,
        ]
    )


def _action_text(action) -> str:
    owner = action.owner.name if action.owner_id else ""
    return " ".join([action.title, action.text, owner])


def _practices_text(axis_rows) -> dict[int, str]:
    """The good practices of the listed measures, by measure, leaving out those of actions not
    listed (a non-public action's good practice is not public either)."""
    rows = [row for axis_row in axis_rows for row in axis_row.measures]
    shown_actions = {action.pk for row in rows for action in row.actions}
    texts: dict[int, list[str]] = defaultdict(list)
    for measure_id, action_id, text in GoodPractice.objects.filter(
        measure_id__in=[row.measure.pk for row in rows]
    ).values_list("measure_id", "action_id", "text"):
        if action_id is None or action_id in shown_actions:
            texts[measure_id].append(text)
    return {measure_id: " ".join(parts) for measure_id, parts in texts.items()}


def concerned(plan, territory: Territory, axis_rows) -> list:
    """The axis rows of the page cut down to what concerns the territory: each measure row gets
    `shown_actions` (the actions naming the territory, or all of them when the measure itself does)
    and `reasons`. Two queries (good practices, indicator values) beyond what the page loaded."""
    pattern = name_pattern(territory.names)
    practices = _practices_text(axis_rows)
    with_values = set(
        public_values(plan)
        .filter(territory_key__in=territory.value_keys)
        .values_list("indicator__measure_id", flat=True)
        .distinct()
    )
    result = []
    for axis_row in axis_rows:
        kept = []
        for row in axis_row.measures:
            text = _measure_text(row.measure) + " " + practices.get(row.measure.pk, "")
            named = bool(pattern and pattern.search(_fold(text)))
            actions = [a for a in row.actions if pattern and pattern.search(_fold(_action_text(a)))]
            reasons = []
            if named:
                reasons.append("La mesure cite le territoire.")
            if actions:
                reasons.append("Des actions citent le territoire.")
            if row.measure.pk in with_values:
                reasons.append("Un indicateur a des valeurs validées pour le territoire.")
            if reasons:
                row.shown_actions = row.actions if named or not actions else actions
                row.reasons = reasons
                kept.append(row)
        if kept:
            result.append({"axis": axis_row.axis, "measures": kept})
    return result


def _scheme_map(department, scheme, rows) -> str:
    counts = defaultdict(int)
    for row in rows:
        counts[row.state_label] += 1
    described = ", ".join(f"{label} : {n}" for label, n in counts.items())
    return svgmap.render(
        department.code,
        states={row.commune.code: (row.state, row.state_label) for row in rows},
        title=f"{scheme.label} : carte des communes du département {department.name}",
        description=f"Communes selon l'état du dispositif ({described}). "
        "Le tableau des dispositifs par commune qui suit donne les mêmes informations.",
    )


def deployment(department, *, focus: Territory | None = None) -> dict:
    """The schemes deployed by commune (as governance tracks them): one map per scheme present in
    the department, one table of the communes where a scheme is present, and the rows of the focused
    territory's communes (`focus_table`). Bounded: a few queries per scheme."""
    maps = []
    per_commune: dict[int, dict] = {}
    schemes = []
    for scheme in Scheme:
        rows = governance.tracker(department, scheme)["rows"]
        present = [row for row in rows if row.state != SchemeState.NONE]
        if not present:
            continue
        schemes.append(scheme)
        maps.append(
            {
                "scheme": scheme,
                "svg": _scheme_map(department, scheme, rows),
                "legend": [
                    {"colour": colour, "label": state_label(scheme, state)}
                    for state, colour in svgmap.STATE_COLOURS.items()
                    if state in dict(governance.scheme_states(scheme))
                ],
            }
        )
        for row in present:
            entry = per_commune.setdefault(row.commune.pk, {"commune": row.commune, "states": {}})
            entry["states"][scheme] = row.state_label
    focus_ids = {c.pk for c in focus.communes} if focus else set()
    table = [
        {
            "commune": entry["commune"],
            "states": [entry["states"].get(scheme, "—") for scheme in schemes],
        }
        for entry in per_commune.values()
    ]
    table.sort(key=lambda row: (row["commune"].name, row["commune"].code))
    return {
        "maps": maps,
        "schemes": schemes,
        "table": table,
        "focus_table": [row for row in table if row["commune"].pk in focus_ids],
    }
