"""Items of a "Pilotes et partenaires" wording, in the plan's own words."""

import re

from vigie.imports.parsing.vocabulary import capitalize_first

SUPPORT_RE = re.compile(r",?\s+avec l['’]appui d(?:e|u|es)\b\s*", re.IGNORECASE)
LEADING_ARTICLE_RE = re.compile(r"^(?:la|le|les|des|l['’])\s*(?=\S)", re.IGNORECASE)
ELLIPTIC_RE = re.compile(r"^(?:du|de la|de l['’]|d['’])\s*", re.IGNORECASE)
# " et " starts a new actor when followed by a capital (a body's name) or a determiner.
AND_SPLIT_RE = re.compile(r" et (?=[A-ZÀ-Ý]|(?:la|le|les|l['’]|des|du) )")


def _split_top_level(text: str, separator: re.Pattern) -> list[str]:
    """Splits on ``separator`` outside parentheses."""
    parts, depth, start = [], 0, 0
    position = 0
    while position < len(text):
        char = text[position]
        depth += (char == "(") - (char == ")")
        if depth <= 0 and (match := separator.match(text, position)):
            parts.append(text[start:position])
            start = position = match.end()
            continue
        position += 1
    parts.append(text[start:])
    return parts


def split_actor_wording(wording: str) -> list[str]:
    """Items of a "Pilotes et partenaires" paragraph, in the plan's own words.

    "…, SPIP et Agence du TIG, maires et présidents d'intercommunalités, avec l'appui de la
    Préfecture." → […, "SPIP", "Agence du TIG", "Maires et présidents d'intercommunalités",
    "Préfecture"]. "acteurs de l'éducation nationale (…), du monde associatif" gives
    "Acteurs du monde associatif" for the second item.
    """
    text = SUPPORT_RE.sub(", ", wording.strip())
    items: list[str] = []
    for chunk in _split_top_level(text, re.compile(r",\s*")):
        for part in _split_top_level(chunk, AND_SPLIT_RE):
            part = part.strip().rstrip(".;:").strip()
            if not part:
                continue
            if ELLIPTIC_RE.match(part) and items:
                part = f"{items[-1].split()[0]} {part}"
            part = LEADING_ARTICLE_RE.sub("", part)
            items.append(capitalize_first(part))
    return items
