"""Blocks → ``ParsedPlan``, driven by the vocabulary of French crime-prevention plans.

Nothing here depends on line numbers or on one particular document. The parser walks the
blocks once, keeping a small state (current axis, current measure, current section of the
measure) that the recognised phrases change:

- plan level: the title ("Plan départemental de prévention de la délinquance…"), the period
  ("2021 > 2024", "2020-2024"), the signature ("Fait à Auch, le 28 septembre 2021" followed
  by office/name pairs), "Chapitre …", "Annexe", "Glossaire" and runs of "SIGLE : définition";
- axes: "Axe N", "Priorité n° N", or context pages opened by "État des lieux" (a new axis),
  "Bilan …" and "Principaux enjeux" (sections of the current axis, pages "1/2", "2/2" merged);
- measures: "Fiche action", "Mesure N.M" (a second "Mesure N.M" continues the same measure:
  fiches printed over two pages), or an unnumbered "Action : titre" fiche;
- measure sections: "Pilotes et partenaires", "Pilote(s)", "Partenaires", "Constat partagé",
  "Problématiques", "Objectifs", "Objectifs de la stratégie nationale", "État des lieux",
  "Actions à mener", "Indicateurs (de suivi)", and "→ Bonne pratique : …" paragraphs.

Text of a measure that is under no section heading is an action when the plan never uses
an "Actions à mener" heading (Gers: each paragraph is an action), and context (situation)
otherwise (Lot: the road-safety fiche is free text).
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher

from vigie.plans.enums import SectionKind
from vigie.plans.importers import PlanImportError
from vigie.plans.importers.blocks import Block, BlockKind
from vigie.plans.importers.schema import (
    ParsedAction,
    ParsedAxis,
    ParsedGlossaryEntry,
    ParsedGoodPractice,
    ParsedMeasure,
    ParsedPlan,
    ParsedSection,
    ParsedSignatory,
)

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


def render_blocks(blocks: list[Block], *, tables: bool = True) -> str:
    """Plain text of blocks: paragraphs separated by a blank line, lists and tables line by line."""
    chunks: list[list[str]] = []
    previous_kind = None
    for block in blocks:
        if block.kind == BlockKind.TABLE_ROW and not tables:
            continue
        if block.kind == BlockKind.LIST_ITEM:
            line = "  " * (block.level - 1) + "- " + block.text
        else:
            line = block.text
        grouped = block.kind in (BlockKind.LIST_ITEM, BlockKind.TABLE_ROW)
        if grouped and previous_kind == block.kind and chunks:
            chunks[-1].append(line)
        else:
            chunks.append([line])
        previous_kind = block.kind
    return "\n\n".join("\n".join(chunk) for chunk in chunks)


def from_first_long_paragraph(blocks: list[Block]) -> list[Block]:
    """Drops cover material (logos, mottos, tables of contents) before the first real text,
    keeping the headings that introduce that text."""
    for index, block in enumerate(blocks):
        if block.kind == BlockKind.PARAGRAPH and word_count(block.text) >= LONG_PARAGRAPH_WORDS:
            start = index
            while start > 0 and blocks[start - 1].is_heading:
                start -= 1
            return blocks[start:]
    return []


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


def expand_label_tables(blocks: list[Block]) -> list[Block]:
    """Fiches laid out as two-column tables ("Pilote | Préfecture", "Indicateurs | …") are
    turned into the labelled paragraphs the parser reads: "Pilote : Préfecture", or the
    label followed by one list item per line of the cell."""
    result: list[Block] = []
    for block in blocks:
        cells = [cell.strip() for cell in block.cells if cell and cell.strip()]
        if block.kind != BlockKind.TABLE_ROW or len(cells) < 2 or "\n" in cells[0]:
            result.append(block)
            continue
        label = without_colon(cells[0])
        key = fold(label)
        is_part = part_for_label(label) is not None or TITLE_LABEL_RE.match(key)
        is_heading = any(
            pattern.match(key) for pattern in (FICHE_NUMBER_RE, MEASURE_RE, AXIS_RE, STRATEGIC_RE)
        ) or key in ("mesure", "fiche action", "fiche-action", "axe", "priorite", "orientation")
        if not (is_part or is_heading):
            result.append(block)
            continue
        values = [line.strip() for cell in cells[1:] for line in cell.split("\n") if line.strip()]
        if len(values) == 1 or is_heading:
            text = f"{label} : {' '.join(values)}"
            result.append(Block(BlockKind.PARAGRAPH, text, line=block.line, lines=(text,)))
            continue
        result.append(
            Block(BlockKind.PARAGRAPH, f"{label} :", bold_prefix=f"{label} :", line=block.line)
        )
        result += [
            Block(BlockKind.LIST_ITEM, value, level=1, line=block.line, lines=(value,))
            for value in values
        ]
    return result


# --- actors ----------------------------------------------------------------------------------

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


# --- drafts (mutable state while walking the blocks) -----------------------------------------


@dataclass
class _Loose:
    """A paragraph or list item of a measure that is under no section heading."""

    title: str
    text: str


@dataclass
class _MeasureDraft:
    number: str | None
    title: str = ""
    numbered: bool = True
    loose_as_actions: bool | None = None  # None: decided for the whole plan at the end
    actors_paragraphs: list[str] = field(default_factory=list)
    pilots: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    pilot_partners: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    objectives: list[str] = field(default_factory=list)
    national_objectives: list[str] = field(default_factory=list)
    situation: list[str] = field(default_factory=list)
    indicators: list[str] = field(default_factory=list)
    schedule: list[str] = field(default_factory=list)
    funding: list[str] = field(default_factory=list)
    actions: list[ParsedAction] = field(default_factory=list)
    loose: list[_Loose] = field(default_factory=list)
    heading_level: int = 0  # level of the heading that opened an unnumbered measure
    # (text, "actions" | "loose", index of the item it follows or -1)
    good_practices: list[tuple[str, str, int]] = field(default_factory=list)

    def is_empty(self) -> bool:
        lists = (
            self.actors_paragraphs,
            self.pilots,
            self.partners,
            self.pilot_partners,
            self.findings,
            self.objectives,
            self.national_objectives,
            self.situation,
            self.indicators,
            self.schedule,
            self.funding,
            self.actions,
            self.loose,
            self.good_practices,
        )
        return not any(lists)


@dataclass
class _SectionDraft:
    kind: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    keep: bool = False  # kept even without text (a strategic objective's title)


@dataclass
class _AxisDraft:
    kind: str  # "axis" | "annex"
    number: str | None
    title: str = ""
    intro_blocks: list[Block] = field(default_factory=list)
    sections: list[_SectionDraft] = field(default_factory=list)
    measures: list[_MeasureDraft] = field(default_factory=list)

    def has_content(self) -> bool:
        return bool(self.measures or self.sections or self.intro_blocks)


# --- the parser ------------------------------------------------------------------------------


def parse_plan(blocks: list[Block], *, proper_nouns: tuple[str, ...] = ()) -> ParsedPlan:
    """The structure of a plan. ``proper_nouns`` (e.g. the department's name) keep their
    capital when an all-caps title is put in sentence case."""
    return _PlanParser(blocks, proper_nouns).parse()


class _PlanParser:
    def __init__(self, blocks: list[Block], proper_nouns: tuple[str, ...]):
        blocks = expand_label_tables(blocks)
        self.blocks = blocks
        self.proper_nouns = proper_nouns
        self.axis_level = 0  # level of the heading that opened the current axis
        self.glossary_indexes = _glossary_runs(blocks)
        self.heading_depths = _heading_number_depths(blocks)
        self.front: list[Block] = []
        self.axes: list[_AxisDraft] = []
        self.axis: _AxisDraft | None = None
        self.measure: _MeasureDraft | None = None
        self.section: _SectionDraft | None = None
        self.zone = "front"
        self.measure_part = "loose"
        self.expect: str | None = None
        self.uses_action_headings = False
        self.signed_on: date | None = None
        self.signed_at = ""
        self.signatories: list[ParsedSignatory] = []
        self.glossary: list[ParsedGlossaryEntry] = []

    # walking

    def parse(self) -> ParsedPlan:
        index = 0
        while index < len(self.blocks):
            index = self._step(index)
        return self._finish()

    def _step(self, index: int) -> int:
        block = self.blocks[index]
        if index in self.glossary_indexes or self.zone == "glossary":
            if self._glossary_entry(block):
                return index + 1
            self.zone = self._idle_zone()
        key = fold(block.text)
        if block.kind in (BlockKind.HEADING, BlockKind.PARAGRAPH):
            if PAGE_MARKER_RE.match(key):
                return index + 1
            if signature := SIGNATURE_RE.match(key):
                return self._signature(index, signature)
            if self._keyword(block, key):
                return index + 1
            if self.expect and self._expected_title(block):
                self.expect = None
                return index + 1
        self.expect = None
        if block.is_heading and self._heading_measure(block, index):
            return index + 1
        self._content(block, index)
        return index + 1

    def _idle_zone(self) -> str:
        return "front" if not self.axes else "ignored"

    def _close_measure(self) -> None:
        self.measure, self.section, self.measure_part = None, None, "loose"

    # keywords

    def _keyword(self, block: Block, key: str) -> bool:
        bare = without_colon(key)
        # Headings announce their title on the same line; long paragraphs are prose.
        short = len(block.text) <= KEYWORD_MAX_LENGTH
        handlers = (
            self._fiche_keyword,
            *(
                (
                    self._fiche_number_keyword,
                    self._named_fiche_keyword,
                    self._strategic_keyword,
                    self._measure_keyword,
                    self._annex_keyword,
                    self._axis_keyword,
                    self._chapter_keyword,
                    self._context_keyword,
                    self._action_fiche_keyword,
                )
                if short
                else ()
            ),
            self._glossary_keyword,
            self._plan_of_action_keyword,
            self._title_label_keyword,
            self._good_practice_keyword,
            self._measure_section_keyword,
        )
        return any(handler(block, key, bare) for handler in handlers)

    def _fiche_keyword(self, block: Block, key: str, bare: str) -> bool:
        if not FICHE_RE.match(key):
            return False
        self._close_measure()
        self.zone, self.expect = "fiche", None
        return True

    def _measure_keyword(self, block: Block, key: str, bare: str) -> bool:
        match = MEASURE_RE.match(key)
        if not match or not self._reads_as_heading(block, match, MEASURE_RE):
            return False
        number = match.group("number")
        axis = self._axis_for_measure(number.split(".")[0] if "." in number else None)
        measure = next((m for m in axis.measures if m.number == number), None)
        if measure is None:
            measure = _MeasureDraft(number=number, heading_level=block.level)
            axis.measures.append(measure)
        self._open_measure(measure)
        title = block.text[match.start("title") :].strip()
        if title and not measure.title:
            measure.title = clean_title(title)
        self.expect = None if title else "measure_title"
        return True

    def _annex_keyword(self, block: Block, key: str, bare: str) -> bool:
        match = ANNEX_RE.match(key)
        if not match or not (block.is_heading or self.axes):
            return False  # "Annexe …" in a table of contents is not the annex itself
        self._close_measure()
        number = (match.group("number") or "").upper() or self._next_annex_number()
        self.axis = self._find_axis("annex", number) or self._new_axis("annex", number)
        title = block.text[match.start("title") :].strip() if match.group("title") else ""
        if title and not self.axis.title:
            self.axis.title = clean_title(title)
        self.zone, self.expect = "annex_intro", None if title else "axis_title"
        return True

    def _reads_as_heading(
        self, block: Block, match: re.Match, pattern: re.Pattern | None = None
    ) -> bool:
        """A block that starts with "Mesure 37", "Axe 2"… opens a measure or an axis only when
        it reads as a heading, not as a sentence that happens to start with the word (a PDF
        line "mesure n° 37 de la stratégie nationale…" cut from its paragraph): set as a
        heading or in bold; otherwise it starts with a capital, its title does not run on
        from the number as a sentence ("Mesure n° 37 de la stratégie…"), and its number has
        the form of the numbers of the headings of the same kind ("37" among "1.1", "2.3")."""
        if block.is_heading or block.bold_prefix:
            return True
        if not block.text[:1].isupper():
            return False
        between = block.text[match.end("number") : match.start("title")]
        title = block.text[match.start("title") :]
        if not re.search(r"[:.|–-]", between) and title[:1].islower():
            return False
        depths = self.heading_depths.get(pattern.pattern if pattern else "", set())
        return not depths or match.group("number").count(".") in depths

    def _next_annex_number(self) -> str:
        taken = {a.number for a in self.axes if a.kind == "annex"}
        number = 1
        while str(number) in taken:
            number += 1
        return str(number)

    def _axis_keyword(self, block: Block, key: str, bare: str) -> bool:
        match = AXIS_RE.match(key)
        if (
            not match
            or block.kind == BlockKind.LIST_ITEM
            or not self._reads_as_heading(block, match)
        ):
            return False
        self._close_measure()
        number = match.group("number").lstrip("0") or "0"
        self.axis = self._find_axis("axis", number) or self._new_axis("axis", number)
        self.axis_level = block.level if block.is_heading else 0
        title = block.text[match.start("title") :].strip()
        if title and not self.axis.title:
            self.axis.title = clean_title(title)
        self.zone, self.expect = "axis", None if title else "axis_title"
        return True

    def _fiche_number_keyword(self, block: Block, key: str, bare: str) -> bool:
        """ "Fiche action n°3 : titre": a numbered measure, in the current axis unless the
        number says which ("Fiche 2.1")."""
        match = FICHE_NUMBER_RE.match(key)
        if not match or block.kind == BlockKind.LIST_ITEM:
            return False
        if not self._reads_as_heading(block, match, FICHE_NUMBER_RE):
            return False
        number = match.group("number")
        axis = self._axis_for_measure(number.split(".")[0] if "." in number else None)
        measure = next((m for m in axis.measures if m.number == number), None)
        if measure is None:
            measure = _MeasureDraft(number=number, heading_level=block.level)
            axis.measures.append(measure)
        self._open_measure(measure)
        title = block.text[match.start("title") :].strip()
        if title and not measure.title:
            measure.title = clean_title(title)
        self.expect = None if title else "measure_title"
        return True

    def _named_fiche_keyword(self, block: Block, key: str, bare: str) -> bool:
        """ "Mesure : titre", "Fiche action : titre": an unnumbered measure."""
        match = NAMED_FICHE_RE.match(key)
        if not match or block.kind == BlockKind.LIST_ITEM:
            return False
        if self.axis is None or self.axis.kind != "axis":
            self.axis = self._new_axis("axis", None)
        title = block.text[match.start("title") :].strip()
        measure = _MeasureDraft(
            number=None, numbered=False, title=clean_title(title), heading_level=block.level
        )
        self.axis.measures.append(measure)
        self._open_measure(measure)
        return True

    def _strategic_keyword(self, block: Block, key: str, bare: str) -> bool:
        """ "Objectif stratégique 1.1 : titre", a level between axes and measures: kept as a
        section of the axis; the measures that follow stay in the axis."""
        match = STRATEGIC_RE.match(key)
        if not match or block.kind == BlockKind.LIST_ITEM:
            return False
        self._close_measure()
        number = match.group("number")
        if "." in number:
            self._axis_for_measure(number.split(".")[0])
        elif self.axis is None or self.axis.kind != "axis":
            self.axis = self._new_axis("axis", None)
        label = block.text[: match.start("title")].strip().rstrip(":–-. ").strip()
        title = block.text[match.start("title") :].strip()
        self.section = _SectionDraft(
            kind=SectionKind.OTHER,
            title=f"{label} : {clean_title(title)}" if title else label,
            keep=True,
        )
        self.axis.sections.append(self.section)
        self.zone, self.expect = "section", None
        return True

    def _title_label_keyword(self, block: Block, key: str, bare: str) -> bool:
        """ "Intitulé : …" (fiches laid out as tables): the title of the measure."""
        label, _, inline = key.partition(":")
        if not TITLE_LABEL_RE.match(label.strip()) or not inline.strip():
            return False
        title = clean_title(block.text[len(key) - len(inline) :])
        if self.measure is not None and self.zone == "measure":
            if not self.measure.title:
                self.measure.title = title
            return True
        if self.axis is None or self.axis.kind != "axis":
            return False
        measure = _MeasureDraft(number=None, numbered=False, title=title)
        self.axis.measures.append(measure)
        self._open_measure(measure)
        return True

    def _heading_measure(self, block: Block, index: int) -> bool:
        """A heading below the axis level whose text is followed, before the next heading of
        the same level, by parts of a fiche (Pilote, Partenaires, Indicateurs…) is an
        unnumbered measure."""
        if self.axis is None or self.axis.kind != "axis" or len(block.text) > TITLE_MAX_LENGTH:
            return False
        in_strategic = self.zone == "section" and self.section is not None and self.section.keep
        if self.zone not in ("axis", "measure") and not in_strategic:
            return False
        if self.axis_level and block.level <= self.axis_level:
            return False
        current = self.measure if self.zone == "measure" else None
        if current is not None and (
            not current.heading_level or block.level > current.heading_level
        ):
            return False
        if not self._announces_measure(index):
            return False
        self._close_measure()
        measure = _MeasureDraft(
            number=None, numbered=False, title=clean_title(block.text), heading_level=block.level
        )
        self.axis.measures.append(measure)
        self._open_measure(measure)
        return True

    def _announces_measure(self, index: int) -> bool:
        level = self.blocks[index].level
        for block in self.blocks[index + 1 : index + 60]:
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

    def _glossary_keyword(self, block: Block, key: str, bare: str) -> bool:
        if not GLOSSARY_RE.match(key):
            return False
        self._close_measure()
        self.zone, self.expect = "glossary", None
        return True

    def _chapter_keyword(self, block: Block, key: str, bare: str) -> bool:
        if not CHAPTER_RE.match(key) or not self.axes:
            return False  # before the first axis, chapters are part of the introduction
        self._close_measure()
        self.axis, self.zone, self.expect = None, "ignored", None
        return True

    def _plan_of_action_keyword(self, block: Block, key: str, bare: str) -> bool:
        if not PLAN_OF_ACTION_RE.match(key) or not self._in_annex():
            return False
        self._close_measure()
        self.zone, self.expect = "annex_plan", None
        return True

    def _context_keyword(self, block: Block, key: str, bare: str) -> bool:
        if key.rstrip().endswith(":") or not (block.is_heading or is_all_caps(block.text)):
            return False
        measure = self.measure if self.zone == "measure" else None
        if (
            measure is not None
            and block.is_heading
            and measure.heading_level
            and block.level > measure.heading_level
            and section_part(block.text)
        ):
            return False  # "Enjeux", "État des lieux" below the fiche's heading: parts of it
        for pattern, kind, canonical in CONTEXT_SECTIONS:
            if pattern.match(bare):
                self._open_context_section(kind, canonical or self._section_title(block.text))
                return True
        return False

    def _action_fiche_keyword(self, block: Block, key: str, bare: str) -> bool:
        match = ACTION_FICHE_RE.match(key)
        if not match or block.kind == BlockKind.LIST_ITEM:
            return False
        title = block.text[match.start("title") :].strip()
        if self.measure is not None and self.measure.numbered and self.zone == "measure":
            self.measure.actions.append(ParsedAction(title=block.bold_prefix, text=title))
            return True
        if self.axis is None or self.axis.kind != "axis":
            self.axis = self._new_axis("axis", None)
        measure = _MeasureDraft(number=None, numbered=False, title=clean_title(title))
        self.axis.measures.append(measure)
        self._open_measure(measure)
        return True

    def _measure_section_keyword(self, block: Block, key: str, bare: str) -> bool:
        if self.measure is None or self.zone != "measure":
            return False
        label, _, inline = key.partition(":")
        part = part_for_label(label)
        if part is None:
            return self._other_label(block, key, label, inline)
        self.measure_part, self.expect = part, None
        self.uses_action_headings |= part == "actions"
        value = block.text[len(key) - len(inline) :].strip() if inline.strip() else ""
        if value:  # "Pilote : Préfecture": a one-line section
            self._measure_content(block, value)
            self.measure_part = "loose"
        return True

    def _other_label(self, block: Block, key: str, label: str, inline: str) -> bool:
        """A bold line or heading "Public visé :" that names no known part: what follows is
        context (kept in the situation with its label), not the previous part."""
        if inline.strip() or not key.rstrip().endswith(":"):
            return False
        if not (block.is_heading or block.is_bold) or word_count(label) > OTHER_LABEL_MAX_WORDS:
            return False
        if self.measure_part == "loose":
            return False
        self.measure.situation.append(block.text)
        self.measure_part = "situation"
        return True

    def _good_practice_keyword(self, block: Block, key: str, bare: str) -> bool:
        match = GOOD_PRACTICE_RE.match(key)
        if not match or self.measure is None or self.zone != "measure":
            return False
        text = block.text[match.end() :].strip()
        if not text:
            return False  # "Bonnes pratiques :" heads a list: a part of the measure
        if self.measure_part == "actions":
            target, position = "actions", len(self.measure.actions) - 1
        else:
            target, position = "loose", len(self.measure.loose) - 1
        self.measure.good_practices.append((text, target, position))
        return True

    # titles announced by a keyword ("ETAT DES LIEUX" then the axis title, "Mesure 1.2" then
    # the measure title); on the second page of a fiche the repeated title is skipped.

    def _expected_title(self, block: Block) -> bool:
        if not self._may_be_title(block):
            return False
        target = self.measure if self.expect == "measure_title" else self.axis
        if target is None:
            return False
        if not target.title:
            target.title = clean_title(block.text)
            return True
        return similar(target.title, block.text)

    def _may_be_title(self, block: Block) -> bool:
        """Headings and bold lines may be titles; plain paragraphs only when short, and not
        sentences when an axis title is expected (context pages start with prose)."""
        if block.kind != BlockKind.PARAGRAPH or block.is_bold:
            return True
        if len(block.text) > TITLE_MAX_LENGTH:
            return False
        return not (self.expect == "axis_title" and block.text.endswith("."))

    # content

    def _content(self, block: Block, index: int) -> None:
        if self._in_annex() and block.is_heading:
            self._annex_heading(block, index)
            return
        if self.zone == "front":
            self.front.append(block)
        elif self.zone in ("axis", "annex_intro"):
            self.axis.intro_blocks.append(block)
        elif self.zone == "section":
            self.section.blocks.append(block)
        elif self.zone == "measure":
            self._measure_content(block, block.text)

    def _measure_content(self, block: Block, text: str) -> None:
        measure, part = self.measure, self.measure_part
        is_list = block.kind == BlockKind.LIST_ITEM
        title = block.bold_prefix if text == block.text else ""
        if part == "loose":
            measure.loose.append(_Loose(title=title, text=text))
        elif part == "actions":
            measure.actions.append(ParsedAction(title=title, text=text))
        elif part == "actors":
            (measure.pilot_partners if is_list else measure.actors_paragraphs).append(text)
        elif part in ("pilots", "partners"):
            items = [text] if is_list else split_actor_wording(text)
            getattr(measure, part).extend(items)
        elif part == "good_practices":
            measure.good_practices.append((text, "actions", -1))
        else:
            getattr(measure, part).append(text)

    def _annex_heading(self, block: Block, index: int) -> None:
        """In an annex, a heading followed by a list is a group of actions (a measure of the
        annex); a heading followed by text is a context section."""
        following = self.blocks[index + 1] if index + 1 < len(self.blocks) else None
        self._close_measure()
        if following is not None and following.kind == BlockKind.LIST_ITEM:
            measure = _MeasureDraft(
                number=None, numbered=False, title=clean_title(block.text), loose_as_actions=True
            )
            self.axis.measures.append(measure)
            self._open_measure(measure)
        else:
            self.section = _SectionDraft(kind=SectionKind.OTHER, title=without_colon(block.text))
            self.axis.sections.append(self.section)
            self.zone = "section"

    # signature and glossary

    def _signature(self, index: int, match: re.Match) -> int:
        self._close_measure()
        text = self.blocks[index].text
        place = text[match.start("place") : match.end("place")].strip()
        self.signed_at = place.title() if place.isupper() else place
        self.signed_on = _date(match)
        index += 1
        while index < len(self.blocks):
            consumed = self._signatory(index)
            if not consumed:
                break
            index += consumed
        self.zone = self._idle_zone()
        return index

    def _signatory(self, index: int) -> int:
        """Reads one "office, name" pair (or a lone name); returns the number of blocks used."""
        first = self.blocks[index]
        if _is_person(first):
            self.signatories.append(ParsedSignatory(name=first.text, office=""))
            return 1
        second = self.blocks[index + 1] if index + 1 < len(self.blocks) else None
        if second is None or not _is_person(second) or first.kind == BlockKind.TABLE_ROW:
            return 0
        self.signatories.append(ParsedSignatory(name=second.text, office=_office(first)))
        return 2

    def _glossary_entry(self, block: Block) -> bool:
        match = DEFINITION_RE.match(block.text) if block.kind == BlockKind.PARAGRAPH else None
        if not match:
            return False
        if self.zone != "glossary":
            self._close_measure()
            self.zone = "glossary"
        acronym = match.group("acronym").strip()
        if all(entry.acronym != acronym for entry in self.glossary):
            self.glossary.append(ParsedGlossaryEntry(acronym, match.group("definition").strip()))
        return True

    # axes and measures

    def _in_annex(self) -> bool:
        return self.axis is not None and self.axis.kind == "annex"

    def _find_axis(self, kind: str, number: str) -> _AxisDraft | None:
        return next((a for a in self.axes if a.kind == kind and a.number == number), None)

    def _new_axis(self, kind: str, number: str | None) -> _AxisDraft:
        axis = _AxisDraft(kind=kind, number=number)
        self.axes.append(axis)
        return axis

    def _axis_for_measure(self, number: str | None) -> _AxisDraft:
        current = self.axis if self.axis is not None and self.axis.kind == "axis" else None
        if number is None:
            self.axis = current or self._new_axis("axis", None)
        elif current is not None and current.number in (None, number):
            if current.number is None and self._find_axis("axis", number) is None:
                current.number = number
            self.axis = current if current.number == number else self._find_axis("axis", number)
        else:
            self.axis = self._find_axis("axis", number) or self._new_axis("axis", number)
        return self.axis

    def _open_measure(self, measure: _MeasureDraft) -> None:
        self.measure, self.section = measure, None
        self.zone, self.measure_part, self.expect = "measure", "loose", None

    def _open_context_section(self, kind: str, title: str) -> None:
        self._close_measure()
        axis = self.axis
        starts_new_axis = axis is None or axis.kind != "axis" or axis.measures
        if kind == SectionKind.SITUATION and axis is not None:
            starts_new_axis = starts_new_axis or any(s.kind == kind for s in axis.sections)
        if starts_new_axis:
            axis = self.axis = self._new_axis("axis", None)
        last = axis.sections[-1] if axis.sections else None
        if last is not None and last.kind == kind and last.title == title:
            self.section = last  # "Bilan 2014-2020 (2/2)" continues "Bilan 2014-2020 (1/2)"
        else:
            self.section = _SectionDraft(kind=kind, title=title)
            axis.sections.append(self.section)
        self.zone, self.expect = "section", "axis_title"

    def _section_title(self, text: str) -> str:
        return sentence_case(PAGE_SUFFIX_RE.sub("", text).strip(), self.proper_nouns)

    # result

    def _finish(self) -> ParsedPlan:
        for axis in self.axes:
            # Unnumbered fiches without any content are a summary list ("Action : …" lines).
            axis.measures = [m for m in axis.measures if m.numbered or not m.is_empty()]
        axes = [a for a in self.axes if a.kind == "axis" and a.has_content()]
        annexes = [a for a in self.axes if a.kind == "annex" and a.has_content()]
        _number_axes(axes)
        for axis in axes:
            _number_measures(axis, prefix=axis.number)
        for annex in annexes:
            _number_measures(annex, prefix=f"A{annex.number}")
        plan = ParsedPlan(
            title=self._plan_title(),
            period_start=0,
            period_end=0,
            signed_on=self.signed_on,
            signed_at=self.signed_at,
            signatories=self.signatories,
            introduction=render_blocks(from_first_long_paragraph(self.front), tables=False),
            axes=[self._axis(axis, national=True) for axis in axes],
            annexes=[self._axis(annex, national=False) for annex in annexes],
            glossary=self.glossary,
        )
        if not plan.all_measures():
            raise PlanImportError(
                "Aucune structure de plan reconnue : ni axe ou priorité, ni mesure ou fiche action "
                "(« Mesure 1.1 », « Action : … », « Pilotes », « Indicateurs »…)."
            )
        plan.period_start, plan.period_end = self._period()
        return plan

    def _axis(self, draft: _AxisDraft, *, national: bool) -> ParsedAxis:
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
            measures=[self._measure(m) for m in draft.measures],
        )

    def _measure(self, draft: _MeasureDraft) -> ParsedMeasure:
        as_actions = draft.loose_as_actions
        if as_actions is None:
            as_actions = not self.uses_action_headings
        actions = list(draft.actions)
        offset = len(actions)
        situation = list(draft.situation)
        if as_actions:
            actions += [ParsedAction(title=item.title, text=item.text) for item in draft.loose]
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

    def _plan_title(self) -> str:
        candidates = [b for b in self.front if b.kind in (BlockKind.HEADING, BlockKind.PARAGRAPH)]
        for block in candidates:
            key = fold(block.text)
            if "plan" in key and "delinquance" in key and len(block.text) <= TITLE_MAX_LENGTH:
                return self._tidy_title(block.text)
        heading = next((b for b in candidates if b.is_heading), None)
        return self._tidy_title(heading.text) if heading else DEFAULT_TITLE

    def _tidy_title(self, text: str) -> str:
        text = sentence_case(text, self.proper_nouns)
        return PERIOD_RE.sub(lambda m: f"{m.group(1)}-{m.group(2)}", text)

    def _period(self) -> tuple[int, int]:
        title_period = PERIOD_RE.search(self._plan_title())
        candidates = [title_period] if title_period else []
        candidates += [PERIOD_ONLY_RE.match(b.text) for b in self.front]
        candidates += [PERIOD_RE.search(b.text) for b in self.front if b.is_heading]
        for match in filter(None, candidates):
            start, end = int(match.group(1)), int(match.group(2))
            if start <= end <= start + 10:
                return start, end
        raise PlanImportError(
            "Période du plan introuvable : le titre ou la page de garde doit indiquer les années "
            "de début et de fin (par exemple « 2021-2024 »)."
        )


def _number_axes(axes: list[_AxisDraft]) -> None:
    taken = {axis.number for axis in axes if axis.number}
    next_number = 1
    for axis in axes:
        if axis.number:
            continue
        while str(next_number) in taken:
            next_number += 1
        axis.number = str(next_number)
        taken.add(axis.number)


def _number_measures(axis: _AxisDraft, *, prefix: str) -> None:
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


def _glossary_runs(blocks: list[Block], minimum: int = 3) -> set[int]:
    """Indexes of paragraphs that belong to a run of at least ``minimum`` "SIGLE : définition"."""
    indexes: set[int] = set()
    run: list[int] = []
    for index, block in enumerate([*blocks, None]):
        if (
            block is not None
            and block.kind == BlockKind.PARAGRAPH
            and DEFINITION_RE.match(block.text)
        ):
            run.append(index)
            continue
        if len(run) >= minimum:
            indexes.update(run)
        run = []
    return indexes


def _heading_number_depths(blocks: list[Block]) -> dict[str, set[int]]:
    """For each numbered measure pattern, the forms of the numbers of the blocks set as
    headings or in bold (0 for "Fiche action n°3", 1 for "Mesure 1.2")."""
    depths: dict[str, set[int]] = {}
    for block in blocks:
        if not (block.is_heading or block.bold_prefix):
            continue
        key = fold(block.text)
        for pattern in (MEASURE_RE, FICHE_NUMBER_RE):
            if match := pattern.match(key):
                depths.setdefault(pattern.pattern, set()).add(match.group("number").count("."))
    return depths


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
