"""The vocabulary of French crime-prevention plans, as the structure parser matches it.

Every pattern applies to ``fold(text)`` (lowercase, no accents, straight apostrophes, the same
length as the text, so that a match's positions are those of the original text): the words
of axes ("Axe", "Priorité", "Orientation"), measures ("Mesure 1.2", "Fiche action n°3"), the
parts of a fiche ("Pilote(s)", "Partenaires", "Indicateurs"…), context pages, signatures,
glossaries and periods; and the text helpers the parser's handlers share.
"""

import re
import unicodedata
from difflib import SequenceMatcher

from vigie.plans.enums import SectionKind

DEFAULT_TITLE = "Plan départemental de prévention de la délinquance"

# All patterns apply to fold(text): lowercase, no accents, straight apostrophes, same length.
NUMBER_SIGN = r"(?:n\s*[°o]\.?\s*)?"
SEPARATOR = r"\s*(?:[:.|–-]\s*)?"
FICHE_RE = re.compile(r"^fiches?[ -]actions?\s*:?$")
MEASURE_RE = re.compile(
    rf"^mesure\s+{NUMBER_SIGN}(?P<number>\d+(?:\.\d+)*)\b{SEPARATOR}(?P<title>.*)$"
)
AXIS_RE = re.compile(
    rf"^(?:axe|priorite|orientation)(?: strategique| prioritaire)?\s+{NUMBER_SIGN}(?P<number>\d+)\b"
    rf"{SEPARATOR}(?P<title>.*)$"
)
# "Fiche action n°3 : titre", "Fiche n° 1.2", "Fiche-action 4 –"
FICHE_NUMBER_RE = re.compile(
    rf"^fiches?(?:[ -]actions?)?\s+{NUMBER_SIGN}(?P<number>\d+(?:\.\d+)*)\b{SEPARATOR}(?P<title>.*)$"
)
# "Mesure : titre", "Fiche action : titre" (unnumbered measures)
NAMED_FICHE_RE = re.compile(r"^(?:mesure|fiches?[ -]actions?)\s*:\s*(?P<title>\S.*)$")
# An intermediate level between axis and measure: "Objectif stratégique 1.1 : …"
STRATEGIC_RE = re.compile(
    rf"^objectifs? (?:strategiques?|generaux|general|operationnels?)\s+{NUMBER_SIGN}"
    rf"(?P<number>\d+(?:\.\d+)*)\b{SEPARATOR}(?P<title>.*)$"
)
ACTION_FICHE_RE = re.compile(rf"^action\s*(?:{NUMBER_SIGN}\d+\s*)?:\s*(?P<title>\S.*)$")
ANNEX_RE = re.compile(
    rf"^annexe(?:\s+{NUMBER_SIGN}(?P<number>\d+|[ivx]+)\b)?(?:\s*[:.|–-]\s*(?P<title>.*))?\s*$"
)
GLOSSARY_RE = re.compile(
    r"^(?:glossaire|lexique|liste des (?:sigles|acronymes)|sigles(?: et acronymes)?)\s*:?$"
)
CHAPTER_RE = re.compile(r"^chapitre\s+(?:[ivxlc]+|\d+)\b")
PLAN_OF_ACTION_RE = re.compile(r"^plans? d'actions?\s*:?$")
PAGE_MARKER_RE = re.compile(r"^(?:page\s+)?\d+\s*/\s*\d+$")
PAGE_SUFFIX_RE = re.compile(r"\s*\(?\d+\s*/\s*\d+\)?$")
GOOD_PRACTICE_RE = re.compile(r"^\W*bonnes? pratiques?\s*:\s*")
SIGNATURE_RE = re.compile(
    r"^fait a (?P<place>[^,]+?),? le (?P<day>\d{1,2})(?:er)? (?P<month>[a-z]+) (?P<year>\d{4})"
)
PERIOD_RE = re.compile(r"\b((?:19|20)\d{2})\s*(?:-|–|—|>|/|à)\s*((?:19|20)\d{2})\b")
PERIOD_ONLY_RE = re.compile(r"^\s*((?:19|20)\d{2})\s*(?:-|–|—|>|/|à)\s*((?:19|20)\d{2})\s*$")
DEFINITION_RE = re.compile(
    r"^(?P<acronym>[A-ZÀ-ÝŒ0-9][A-ZÀ-ÝŒ0-9'’&/.-]{1,15}(?: [A-Z0-9][A-Z0-9'’&/.-]{1,15})?"
    r"(?: ?\([^)]{1,40}\))?) ?: (?P<definition>\S.*)$"
)
PERSON_RE = re.compile(
    r"^(?:[A-ZÀ-Ý][a-zà-ÿ]+(?:[-' ][A-ZÀ-Ý][a-zà-ÿ]+)*) (?:[A-ZÀ-ÝŒ][A-ZÀ-ÝŒ'-]*)(?: [A-ZÀ-ÝŒ][A-ZÀ-ÝŒ'-]*)*$"
)

CONTEXT_SECTIONS = (
    (re.compile(r"^etats? des lieux$"), SectionKind.SITUATION, "État des lieux"),
    (re.compile(r"^(?:bilan|evaluation)\b"), SectionKind.REVIEW, ""),
    (re.compile(r"^(?:principaux |les )?enjeux\b"), SectionKind.STAKES, "Principaux enjeux"),
)
MEASURE_SECTIONS = (
    (re.compile(r"^(?:pilotes? et partenaires|partenaires et pilotes?)$"), "actors"),
    (
        re.compile(
            r"^(?:(?:co-?)?pilotes?|porteurs?|responsables?)(?: de l'action| de la mesure"
            r"| de la fiche| du projet| de projet)?$"
        ),
        "pilots",
    ),
    (
        re.compile(
            r"^(?:partenaires?|acteurs?)(?: associes| mobilises| concernes| impliques"
            r"| a mobiliser| potentiels)?$"
        ),
        "partners",
    ),
    (
        re.compile(r"^(?:constats? partages?|constats?|problematiques?|diagnostic|enjeux)$"),
        "findings",
    ),
    (
        re.compile(r"^objectifs? (?:de la strategie nationale|nationaux|de la snpd)$"),
        "national_objectives",
    ),
    (
        re.compile(
            r"^objectifs?(?: operationnels?| poursuivis| vises| specifiques?| de l'action"
            r"| de la mesure| generaux| general)?$"
        ),
        "objectives",
    ),
    (
        re.compile(
            r"^(?:etats? des lieux|contexte|description(?: de l'action| de la mesure)?"
            r"|publics?(?: cibles?| vises?| concernes?| beneficiaires)?"
            r"|territoires?(?: concernes?| cibles?)?)$"
        ),
        "situation",
    ),
    (
        re.compile(
            r"^(?:actions?(?: a mener| a conduire| prevues| envisagees| proposees| a engager"
            r"| a mettre en oeuvre| concretes)?|modalites(?: de mise en oeuvre)?|mise en oeuvre)$"
        ),
        "actions",
    ),
    (
        re.compile(
            r"^(?:indicateurs?(?: de suivi| d'evaluation| de resultats?| de realisation"
            r"| d'impact)?(?: et d'evaluation| et de resultats?)?|criteres? d'evaluation"
            r"|evaluation)$"
        ),
        "indicators",
    ),
    (
        re.compile(
            r"^(?:calendrier(?: previsionnel| de mise en oeuvre| de realisation)?|echeancier"
            r"|echeances?|delais?(?: de realisation| de mise en oeuvre)?|duree|planning)$"
        ),
        "schedule",
    ),
    (
        re.compile(
            r"^(?:financements?(?: envisages?| mobilisables?| prevus?| possibles?)?"
            r"|budget(?: previsionnel)?|couts?(?: previsionnels?| estimes?)?"
            r"|moyens(?: financiers| mobilises| alloues)?|sources? de financement)$"
        ),
        "funding",
    ),
    (re.compile(r"^bonnes? pratiques?(?: identifiees| locales| a valoriser)?$"), "good_practices"),
)
# Labels of a measure's parts written "Pilote(s)", "Indicateur(s)": the parenthesis is dropped.
PLURAL_MARK_RE = re.compile(r"\s?\((e?s|x)\)")
# A short bold line or heading ending with ":" that names an unknown part of a fiche.
OTHER_LABEL_MAX_WORDS = 6
# Words of each axis of the national strategy (SNPD 2020-2024) found in local axis titles.
NATIONAL_AXIS_WORDS = {
    "1": ("jeune", "jeunes", "jeunesse", "mineurs"),
    "2": ("vulnerable", "vulnerables", "victimes", "violences"),
    "3": ("population", "citoyenne", "citoyens", "tranquillite"),
    "4": ("territoire", "territoires", "gouvernance"),
}
MONTH_NAMES = (
    "janvier", "fevrier", "mars", "avril", "mai", "juin",
    "juillet", "aout", "septembre", "octobre", "novembre", "decembre",
)  # fmt: skip
MONTHS = {name: number for number, name in enumerate(MONTH_NAMES, start=1)}
LONG_PARAGRAPH_WORDS = 20
TITLE_MAX_LENGTH = 250
KEYWORD_MAX_LENGTH = 300


# --- text helpers ----------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lowercase, accent-free copy of ``text`` with exactly the same length (for matching)."""
    folded = []
    for char in text:
        if char in "’‘`´":
            folded.append("'")
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)
        )
        base = base.lower()
        folded.append(base if len(base) == 1 else char.lower() if len(char.lower()) == 1 else char)
    return "".join(folded)


def without_colon(text: str) -> str:
    return text.rstrip().rstrip(":").rstrip()


def capitalize_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def clean_title(text: str) -> str:
    return capitalize_first(without_colon(text.strip()).strip(" .;–-"))


def is_all_caps(text: str) -> bool:
    letters = [char for char in text if char.isalpha()]
    return len(letters) >= 3 and all(char.isupper() for char in letters)


def sentence_case(text: str, proper_nouns: tuple[str, ...] = ()) -> str:
    """ "PLAN DÉPARTEMENTAL … DU LOT" → "Plan départemental … du Lot"; mixed case is kept."""
    if not is_all_caps(text):
        return text
    result = capitalize_first(text.lower())
    for noun in proper_nouns:
        result = re.sub(rf"\b{re.escape(noun.lower())}\b", noun, result)
    return result


def similar(first: str, second: str) -> bool:
    """Same title give or take case, accents, punctuation and a typo."""
    a = re.sub(r"\W+", " ", fold(first)).strip()
    b = re.sub(r"\W+", " ", fold(second)).strip()
    if not a or not b:
        return False
    return a == b or SequenceMatcher(None, a, b).ratio() >= 0.85


def word_count(text: str) -> int:
    return len(text.split())


# --- labels of a fiche ----------------------------------------------------------------------

TITLE_LABEL_RE = re.compile(r"^(?:intitule|titre)(?: de l'action| de la mesure| de la fiche)?$")


def part_for_label(label: str) -> str | None:
    """The part of a measure a label names ("Pilote(s)" → "pilots"), None if it names none."""
    label = PLURAL_MARK_RE.sub(r"\1", fold(label)).strip().rstrip(":").strip()
    label = label.replace("œ", "oe")
    for pattern, part in MEASURE_SECTIONS:
        if pattern.match(label):
            return part
    return None


def section_part(text: str) -> str | None:
    """The part named by a line that is a label ("Indicateurs de suivi :", "Pilote : DSDEN")."""
    label = fold(text).partition(":")[0]
    if word_count(label) > OTHER_LABEL_MAX_WORDS:
        return None
    return part_for_label(label)


def looks_structural(text: str) -> bool:
    """A line that names a part of the plan ("Axe 2 : …", "Mesure 1.2", "Pilote :"), which a
    reader must never take for a running header even when it recurs at the top of pages."""
    key = fold(text)
    patterns = (AXIS_RE, MEASURE_RE, FICHE_NUMBER_RE, FICHE_RE, NAMED_FICHE_RE, STRATEGIC_RE)
    return any(p.match(key) for p in patterns) or section_part(text) is not None
