"""Edits of the detected structure during the review (pure functions on the JSON).

The structure is ``ParsedPlan.to_dict()``. An item is addressed by a path:
``axes-0`` (an axis; ``annexes-0`` an annex), ``axes-0-measures-2`` (a measure),
``axes-0-measures-2-indicators-1`` (a paragraph of one of the measure's fields).

Every function raises ``ReviewError`` (French message) when the request does not fit the
structure; the structure is then left as it was.
"""

import copy
import re
from dataclasses import dataclass

PARTS = (("axes", "Axe"), ("annexes", "Annexe"))
# A measure's fields, in the order the review shows them (and splits them).
FIELDS = (
    ("pilots", "Pilotes"),
    ("partners", "Partenaires"),
    ("findings", "Constat, problématiques"),
    ("objectives", "Objectifs"),
    ("national_objectives", "Objectifs de la stratégie nationale"),
    ("situation", "État des lieux, contexte"),
    ("actions", "Actions"),
    ("good_practices", "Bonnes pratiques"),
    ("indicators", "Indicateurs"),
    ("schedule", "Calendrier"),
    ("funding", "Financement"),
)
FIELD_NAMES = tuple(name for name, _ in FIELDS)
FIELD_LABELS = dict(FIELDS)
PATH_RE = re.compile(
    r"^(?P<part>axes|annexes)-(?P<axis>\d+)"
    r"(?:-measures-(?P<measure>\d+)(?:-(?P<field>[a-z_]+)-(?P<item>\d+))?)?$"
)
MAX_TEXT = 5000


class ReviewError(Exception):
    """The requested edit does not fit the structure; the message is in French."""


@dataclass(frozen=True)
class Path:
    part: str
    axis: int
    measure: int | None = None
    field: str | None = None
    item: int | None = None

    @classmethod
    def parse(cls, raw: str) -> "Path":
        match = PATH_RE.match(raw or "")
        if not match or (match.group("field") and match.group("field") not in FIELD_NAMES):
            raise ReviewError("Élément introuvable dans la structure.")
        measure, item = match.group("measure"), match.group("item")
        return cls(
            part=match.group("part"),
            axis=int(match.group("axis")),
            measure=int(measure) if measure is not None else None,
            field=match.group("field"),
            item=int(item) if item is not None else None,
        )

    def __str__(self) -> str:
        text = f"{self.part}-{self.axis}"
        if self.measure is not None:
            text += f"-measures-{self.measure}"
        if self.field is not None:
            text += f"-{self.field}-{self.item}"
        return text

    @property
    def kind(self) -> str:
        if self.field is not None:
            return "item"
        return "measure" if self.measure is not None else "axis"


def empty_measure(number: str, title: str) -> dict:
    return {
        "number": number,
        "title": title,
        "actors_wording": "",
        "actors_combined": False,
        **{name: [] for name in FIELD_NAMES},
    }


def normalized(structure: dict) -> dict:
    """The structure with every key the review relies on (older or hand-made JSON)."""
    data = copy.deepcopy(structure or {})
    for part, _ in PARTS:
        axes = data.setdefault(part, [])
        for axis in axes:
            axis.setdefault("number", "")
            axis.setdefault("title", "")
            axis.setdefault("sections", [])
            for measure in axis.setdefault("measures", []):
                for name in FIELD_NAMES:
                    measure.setdefault(name, [])
                measure.setdefault("actors_wording", "")
                measure.setdefault("actors_combined", False)
                for action in measure["actions"]:
                    action.setdefault("title", "")
                    action.setdefault("good_practices", [])
    return data


# --- access ----------------------------------------------------------------------------------


def _axis(data: dict, path: Path) -> dict:
    try:
        return data[path.part][path.axis]
    except (KeyError, IndexError):
        raise ReviewError("Cet axe n'existe plus : la page a été rechargée.") from None


def _measure(data: dict, path: Path) -> dict:
    try:
        return _axis(data, path)["measures"][path.measure]
    except (IndexError, TypeError):
        raise ReviewError("Cette mesure n'existe plus : la page a été rechargée.") from None


def item_text(value) -> str:
    return value.get("text", "") if isinstance(value, dict) else str(value)


def get(data: dict, path: Path):
    if path.kind == "axis":
        return _axis(data, path)
    if path.kind == "measure":
        return _measure(data, path)
    items = _measure(data, path)[path.field]
    if path.item >= len(items):
        raise ReviewError("Ce paragraphe n'existe plus : la page a été rechargée.")
    return items[path.item]


def _clean_text(text: str, *, label: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise ReviewError(f"{label} ne peut pas être vide.")
    if len(text) > MAX_TEXT:
        raise ReviewError(f"{label} dépasse {MAX_TEXT} caractères.")
    return text


def _as_field_value(field: str, value):
    text = item_text(value)
    if field == "actions":
        if isinstance(value, dict):
            return value
        return {"title": "", "text": text, "good_practices": []}
    return text


def _unlink_practice(measure: dict, text: str) -> None:
    for action in measure["actions"]:
        if text in action.get("good_practices", []):
            action["good_practices"].remove(text)


# --- edits -----------------------------------------------------------------------------------


def rename(structure: dict, raw_path: str, *, title: str = "", number: str | None = None) -> dict:
    """New title (and number) of an axis or a measure, new text of a paragraph."""
    data = normalized(structure)
    path = Path.parse(raw_path)
    target = get(data, path)
    if path.kind == "item":
        items = _measure(data, path)[path.field]
        text = _clean_text(title, label="Le texte")
        old = items[path.item]
        if isinstance(old, dict):
            lead = old.get("title", "")
            old["title"] = lead if lead and text.startswith(lead) else ""
            old["text"] = text
        else:
            if path.field == "good_practices":
                measure = _measure(data, path)
                for action in measure["actions"]:
                    practices = action.get("good_practices", [])
                    action["good_practices"] = [text if p == old else p for p in practices]
            items[path.item] = text
        return data
    target["title"] = _clean_text(title, label="L'intitulé")
    if number is not None:
        number = "".join(number.split())
        if not number or len(number) > 10:
            raise ReviewError("Le numéro doit compter de 1 à 10 caractères.")
        target["number"] = number
    return data


def move(structure: dict, raw_path: str, direction: str) -> dict:
    """Up or down among its siblings (axes, measures of an axis, paragraphs of a field)."""
    data = normalized(structure)
    path = Path.parse(raw_path)
    get(data, path)
    if path.kind == "axis":
        siblings, index = data[path.part], path.axis
    elif path.kind == "measure":
        siblings, index = _axis(data, path)["measures"], path.measure
    else:
        siblings, index = _measure(data, path)[path.field], path.item
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(siblings):
        raise ReviewError("Cet élément ne peut pas être déplacé dans ce sens.")
    siblings[index], siblings[other] = siblings[other], siblings[index]
    return data


def move_measure(structure: dict, raw_path: str, target: str) -> dict:
    """A measure moved to the end of another axis (or annex)."""
    data = normalized(structure)
    path = Path.parse(raw_path)
    if path.kind != "measure":
        raise ReviewError("Seule une mesure peut changer d'axe.")
    destination = Path.parse(target)
    if destination.kind != "axis":
        raise ReviewError("Choisissez l'axe de destination.")
    measure = _measure(data, path)
    target_axis = _axis(data, destination)
    _axis(data, path)["measures"].pop(path.measure)
    target_axis["measures"].append(measure)
    return data


def merge_next(structure: dict, raw_path: str) -> dict:
    """An axis, a measure or a paragraph merged with the one that follows it."""
    data = normalized(structure)
    path = Path.parse(raw_path)
    get(data, path)
    if path.kind == "axis":
        axes = data[path.part]
        if path.axis + 1 >= len(axes):
            raise ReviewError("C'est le dernier axe : il n'y a rien à fusionner.")
        following = axes.pop(path.axis + 1)
        axis = axes[path.axis]
        axis["measures"] += following["measures"]
        axis["sections"] += following.get("sections", [])
        axis["introduction"] = "\n\n".join(
            filter(None, [axis.get("introduction", ""), following.get("introduction", "")])
        )
        return data
    if path.kind == "measure":
        measures = _axis(data, path)["measures"]
        if path.measure + 1 >= len(measures):
            raise ReviewError("C'est la dernière mesure de l'axe : il n'y a rien à fusionner.")
        following = measures.pop(path.measure + 1)
        measure = measures[path.measure]
        for name in FIELD_NAMES:
            measure[name] += following.get(name, [])
        measure["actors_wording"] = " ".join(
            filter(None, [measure.get("actors_wording", ""), following.get("actors_wording", "")])
        )
        measure["actors_combined"] = measure.get("actors_combined") or following.get(
            "actors_combined", False
        )
        return data
    items = _measure(data, path)[path.field]
    if path.item + 1 >= len(items):
        raise ReviewError("C'est le dernier paragraphe de la rubrique : rien à fusionner.")
    following = items.pop(path.item + 1)
    current = items[path.item]
    joined = f"{item_text(current)} {item_text(following)}".strip()
    if isinstance(current, dict):
        current["text"] = joined
        current["good_practices"] = current.get("good_practices", []) + (
            following.get("good_practices", []) if isinstance(following, dict) else []
        )
    else:
        items[path.item] = joined
    return data


def split(structure: dict, raw_path: str) -> dict:
    """A new measure (or axis) starting at this paragraph (or measure).

    Splitting a measure at a paragraph moves that paragraph and every one shown after it
    (same rubric, then the following rubrics, in the order of ``FIELDS``) to a new measure
    placed just after, numbered like the first with "b" appended (renumber it if needed).
    """
    data = normalized(structure)
    path = Path.parse(raw_path)
    get(data, path)
    if path.kind == "measure":
        axes = data[path.part]
        axis = axes[path.axis]
        if path.measure == 0:
            raise ReviewError("La première mesure d'un axe ne peut pas ouvrir un nouvel axe.")
        new_axis = {
            "number": f"{axis['number']}b"[:10],
            "title": "Nouvel axe",
            "national_axis": "",
            "introduction": "",
            "sections": [],
            "measures": axis["measures"][path.measure :],
        }
        axis["measures"] = axis["measures"][: path.measure]
        axes.insert(path.axis + 1, new_axis)
        return data
    if path.kind != "item":
        raise ReviewError("Un axe ne se scinde pas : scindez-le à une de ses mesures.")
    measures = _axis(data, path)["measures"]
    measure = measures[path.measure]
    first = item_text(measure[path.field][path.item])
    new = empty_measure(f"{measure['number']}b"[:10], first[:120] or "Nouvelle mesure")
    new["actors_combined"] = measure.get("actors_combined", False)
    start = FIELD_NAMES.index(path.field)
    for position, name in enumerate(FIELD_NAMES):
        if position < start:
            continue
        cut = path.item if position == start else 0
        new[name] = measure[name][cut:]
        measure[name] = measure[name][:cut]
    measures.insert(path.measure + 1, new)
    return data


def reassign(structure: dict, raw_path: str, field: str) -> dict:
    """A paragraph moved to another rubric of its measure (e.g. from context to actions)."""
    data = normalized(structure)
    path = Path.parse(raw_path)
    if path.kind != "item":
        raise ReviewError("Seul un paragraphe change de rubrique.")
    if field not in FIELD_NAMES:
        raise ReviewError("Rubrique inconnue.")
    measure = _measure(data, path)
    value = get(data, path)
    if field == path.field:
        return data
    measure[path.field].pop(path.item)
    if path.field == "good_practices":
        _unlink_practice(measure, value)
    measure[field].append(_as_field_value(field, value))
    return data


def drop(structure: dict, raw_path: str) -> dict:
    """An axis, a measure or a paragraph removed from the structure (noise)."""
    data = normalized(structure)
    path = Path.parse(raw_path)
    value = get(data, path)
    if path.kind == "axis":
        data[path.part].pop(path.axis)
    elif path.kind == "measure":
        _axis(data, path)["measures"].pop(path.measure)
    else:
        measure = _measure(data, path)
        measure[path.field].pop(path.item)
        if path.field == "good_practices":
            _unlink_practice(measure, value)
    return data


def add_measure(structure: dict, raw_path: str, *, number: str, title: str) -> dict:
    """A measure appended to an axis (to keep an item the new version no longer has)."""
    data = normalized(structure)
    path = Path.parse(raw_path)
    axis = _axis(data, path)
    axis["measures"].append(empty_measure(number, _clean_text(title, label="L'intitulé")))
    return data


def add_item(structure: dict, raw_path: str, field: str, value) -> dict:
    data = normalized(structure)
    path = Path.parse(raw_path)
    if path.kind != "measure" or field not in FIELD_NAMES:
        raise ReviewError("Élément introuvable dans la structure.")
    _measure(data, path)[field].append(_as_field_value(field, value))
    return data


# --- checks before confirmation --------------------------------------------------------------


def problems(structure: dict) -> list[str]:
    """What prevents writing the structure (French sentences); empty when it can be written."""
    data = normalized(structure)
    found = []
    measures = [m for part, _ in PARTS for axis in data[part] for m in axis["measures"]]
    if not measures:
        found.append("La structure ne contient aucune mesure.")
    for part, label in PARTS:
        numbers = [axis["number"] for axis in data[part]]
        for number in sorted({n for n in numbers if numbers.count(n) > 1}):
            found.append(f"Deux éléments « {label} {number} » : renumérotez l'un d'eux.")
        for axis in data[part]:
            if not axis["number"]:
                found.append(f"Un élément « {label} » n'a pas de numéro.")
            in_axis = [m["number"] for m in axis["measures"]]
            for number in sorted({n for n in in_axis if in_axis.count(n) > 1}):
                found.append(
                    f"Deux mesures portent le numéro {number} dans « {label} {axis['number']} » : "
                    "renumérotez l'une d'elles."
                )
            for measure in axis["measures"]:
                if not measure["number"] or not measure["title"]:
                    found.append(
                        f"Une mesure de « {label} {axis['number']} » n'a pas de numéro ou "
                        "d'intitulé."
                    )
    return found


def counts(structure: dict) -> dict[str, int]:
    data = normalized(structure)
    measures = [m for axis in data["axes"] for m in axis["measures"]]
    annex_measures = [m for axis in data["annexes"] for m in axis["measures"]]
    everything = measures + annex_measures
    return {
        "axes": len(data["axes"]),
        "annexes": len(data["annexes"]),
        "measures": len(measures),
        "annex_measures": len(annex_measures),
        "actions": sum(len(m["actions"]) for m in everything),
        "indicators": sum(len(m["indicators"]) for m in measures),
        "annex_indicators": sum(len(m["indicators"]) for m in annex_measures),
        "actors": sum(len(m["pilots"]) + len(m["partners"]) for m in everything),
    }
