"""Pairing the items of a plan already in Vigie with those of a new version of its document.

Used by the loader (to update rows in place, so that ids, and with them statuses, indicator
values and history, carry over) and by the diff shown before an import is confirmed.

- ``align``: lists of texts (actions, indicators, pilots): identical texts first (case,
  accents and punctuation ignored), then the most similar pairs above a threshold, then, in
  a stretch between two paired items where both versions have the same number of unpaired
  items, those items in order (a sentence rewritten in place);
- ``match_measures``: same number and similar title, then similar title whatever the
  number (renumbered), then same number (renamed), then similar content (renamed and
  renumbered).
"""

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

TEXT_THRESHOLD = 0.6
TITLE_THRESHOLD = 0.85
BODY_THRESHOLD = 0.6


def normalize(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text or "")
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(re.findall(r"\w+", folded))


def similarity(first: str, second: str) -> float:
    a, b = normalize(first), normalize(second)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < 0.3 or matcher.quick_ratio() < 0.3:
        return matcher.quick_ratio() * 0.5
    return matcher.ratio()


def align(old: list[str], new: list[str], *, threshold: float = TEXT_THRESHOLD) -> dict[int, int]:
    """{index in ``new``: index in ``old``} for the items that are the same item."""
    pairs: dict[int, int] = {}
    used: set[int] = set()
    by_text: dict[str, list[int]] = {}
    for index, text in enumerate(old):
        by_text.setdefault(normalize(text), []).append(index)
    for index, text in enumerate(new):
        candidates = [i for i in by_text.get(normalize(text), []) if i not in used]
        if candidates:
            pairs[index] = candidates[0]
            used.add(candidates[0])
    scored = sorted(
        (
            (similarity(old[i], new[j]), j, i)
            for j in range(len(new))
            if j not in pairs
            for i in range(len(old))
            if i not in used
        ),
        reverse=True,
    )
    for score, j, i in scored:
        if score < threshold:
            break
        if j in pairs or i in used:
            continue
        pairs[j] = i
        used.add(i)
    _pair_gaps(pairs, used, len(old), len(new))
    return pairs


def _pair_gaps(pairs: dict[int, int], used: set[int], old_count: int, new_count: int) -> None:
    """Between two paired items (in both versions), unpaired items of equal number are the
    same items rewritten."""
    anchors = sorted(pairs.items())
    monotonic = [(-1, -1)]
    for j, i in anchors:
        if i > monotonic[-1][1]:
            monotonic.append((j, i))
    monotonic.append((new_count, old_count))
    for (j0, i0), (j1, i1) in zip(monotonic, monotonic[1:], strict=False):
        new_gap = [j for j in range(j0 + 1, j1) if j not in pairs]
        old_gap = [i for i in range(i0 + 1, i1) if i not in used]
        if new_gap and len(new_gap) == len(old_gap):
            for j, i in zip(new_gap, old_gap, strict=True):
                pairs[j] = i
                used.add(i)


@dataclass(frozen=True)
class MeasureKey:
    part: str  # "axis:1", "annex:1": the axis the measure is in
    number: str
    title: str
    body: str = ""  # actions and indicators, to recognise a measure renamed and renumbered


def match_measures(old: list[MeasureKey], new: list[MeasureKey]) -> dict[int, int]:
    """{index in ``new``: index in ``old``}."""
    pairs: dict[int, int] = {}
    used: set[int] = set()

    def take(condition) -> None:
        for j, item in enumerate(new):
            if j in pairs:
                continue
            for i, candidate in enumerate(old):
                if i not in used and condition(candidate, item):
                    pairs[j] = i
                    used.add(i)
                    break

    def same_place(a: MeasureKey, b: MeasureKey) -> bool:
        return a.part == b.part and a.number == b.number

    take(lambda a, b: same_place(a, b) and similarity(a.title, b.title) >= TITLE_THRESHOLD)
    take(lambda a, b: similarity(a.title, b.title) >= TITLE_THRESHOLD)
    take(same_place)
    take(lambda a, b: bool(a.body) and similarity(a.body, b.body) >= BODY_THRESHOLD)
    return pairs
