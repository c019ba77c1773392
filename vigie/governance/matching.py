"""Matching commune names as plan documents spell them ("VIC FEZENSAC", "SAINT CLAR") with official communes.

Tolerant on case, accents, hyphens, apostrophes and "St"/"Saint"; never a guess: a spelling that does not
name exactly one commune is left for a person to resolve, with the communes it might be.
"""

import re
import unicodedata
from dataclasses import dataclass, field

_ARTICLES = ("l ", "le ", "la ", "les ")


def normalise(name: str) -> str:
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[-'’`´_.,;/]+", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"^st(e?) ", r"saint\1 ", text)
    return re.sub(r" st(e?) ", r" saint\1 ", text)


def _without_article(key: str) -> str:
    for article in _ARTICLES:
        if key.startswith(article):
            return key[len(article) :]
    return key


@dataclass
class Match:
    commune: object | None
    candidates: list = field(default_factory=list)

    @property
    def is_resolved(self) -> bool:
        return self.commune is not None


class CommuneIndex:
    """Communes of a department indexed by normalised name (with and without a leading article)."""

    def __init__(self, communes):
        self.communes = list(communes)
        self.exact: dict[str, list] = {}
        self.loose: dict[str, list] = {}
        for commune in self.communes:
            key = normalise(commune.name)
            self.exact.setdefault(key, []).append(commune)
            self.loose.setdefault(_without_article(key), []).append(commune)

    def match(self, label: str) -> Match:
        key = normalise(label)
        found = self.exact.get(key) or self.loose.get(_without_article(key)) or []
        if len(found) == 1:
            return Match(found[0])
        if found:
            return Match(None, sorted(found, key=lambda c: c.code))
        return Match(None, self._contained_in(key))

    def _contained_in(self, key: str) -> list:
        """Communes whose whole name appears in the spelling (e.g. "SAMATAN PANASSAC" → Samatan, Panassac)."""
        padded = f" {key} "
        hits = []
        for loose_key, communes in self.loose.items():
            if len(loose_key) >= 3 and f" {loose_key} " in padded:
                hits.extend(communes)
        return sorted(hits, key=lambda c: c.code)
