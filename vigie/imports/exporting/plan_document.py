"""The plan document (a ``vigie.core.documents.Document``) written from the plan in the import schema.

The document keeps the plan's own structure and wording, laid out the way Vigie's importer
(``vigie.imports.parsing``) reads plans, so that an exported plan imported again gives the
same axes, measures, actions and indicators:

- cover: the plan's title (a title style), its period alone on a line, the department, a
  few short notes on the version (too short to be read as the introduction);
- the introduction: its paragraphs, lists and the headings that open it;
- one chapter per axis, « Axe N : intitulé » (heading 1), then its presentation and context
  pages (« État des lieux », « Bilan … », « Principaux enjeux », heading 2: tables and lists
  kept), then its measures, « Mesure N.M : intitulé » (heading 2);
- in each measure, bold labels followed by lists: « Pilotes et partenaires » (the plan's
  wording) or « Pilotes » and « Partenaires », « Constat partagé », « Objectifs »,
  « Objectifs de la stratégie nationale », « État des lieux », « Actions à mener » (each
  action a list item, its short name in bold; its good practices below it, « → Bonne
  pratique : … »), « Indicateurs », « Calendrier », « Financement »;
- the signature (« Fait à …, le … », then each signatory's office and name);
- annexes, « Annexe N : intitulé », their presentation, context pages, and groups of actions
  (a heading followed by the list of its actions);
- the glossary (« SIGLE : définition »).

List items are never read as labels by the importer: the texts of the plan go into lists
wherever the layout allows, so that an item that starts with « Pilote : » stays an item.
"""

import re
from datetime import date

from vigie.core.documents import (
    BulletList,
    Document,
    Heading,
    PageBreak,
    Paragraph,
    Run,
    Table,
    TableOfContents,
)
from vigie.core.formatting import french_date

LONG_PARAGRAPH_WORDS = 20  # as vigie.imports.parsing.vocabulary: shorter text before it is cover
LIST_LINE_RE = re.compile(r"^(?P<indent> *)- (?P<text>.*)$")
MEASURE_PARTS = (
    ("findings", "Constat partagé"),
    ("objectives", "Objectifs"),
    ("national_objectives", "Objectifs de la stratégie nationale"),
    ("situation", "État des lieux"),
)
# Print rules of the PDF: a table row's first cell on one line, so that the lines of its other
# cells that wrap read as the same row (the PDF reader starts a new row at a filled first column).
PRINT_CSS = "td:first-child { white-space: nowrap; } table { font-size: 8.5pt; }"
CLOSING_PARTS = (
    ("indicators", "Indicateurs"),
    ("schedule", "Calendrier"),
    ("funding", "Financement"),
)


def plan_document(
    data: dict,
    *,
    department_name: str = "",
    version_notes: list[str] = (),
    table_of_contents: bool = True,
) -> Document:
    """The document of a plan given in the import schema (``plan_to_import_json``).

    ``table_of_contents``: ODT and DOCX get one (their readers skip it); the PDF has its
    bookmarks instead, since a printed table of contents would be read as text."""
    blocks = _cover(data, department_name, version_notes)
    if table_of_contents:
        blocks.append(TableOfContents(depth=2))
    blocks.append(PageBreak())
    blocks += text_blocks(data.get("introduction", ""), lead_headings=True)
    for axis in data.get("axes", []):
        blocks += [PageBreak(), *_axis(axis)]
    blocks += _signature(data)
    for annex in data.get("annexes", []):
        blocks += [PageBreak(), *_annex(annex)]
    blocks += _glossary(data.get("glossary", []))
    return Document(title=data.get("title", ""), blocks=blocks)


def _cover(data: dict, department_name: str, version_notes) -> list:
    period = data.get("period") or {}
    blocks = [
        Paragraph.of(data.get("title", ""), style="title"),
        Paragraph.of(f"{period.get('start')}-{period.get('end')}", style="subtitle"),
    ]
    if department_name:
        blocks.append(Paragraph.of(department_name))
    # short lines: the importer takes a paragraph of 20 words or more for the introduction
    blocks += [Paragraph.of(note, style="note") for note in version_notes]
    return blocks


# --- texts: paragraphs separated by a blank line, lists as "- " lines, tables as "a | b" rows


def text_blocks(text: str, *, lead_headings: bool = False, heading_level: int = 2) -> list:
    """Blocks of a text as ``render_blocks`` writes it (``vigie.imports.parsing.block_tools``).

    ``lead_headings``: the short paragraphs before the first long one were headings (the
    importer keeps only the headings that open an introduction)."""
    blocks: list = []
    leading = lead_headings
    for chunk in (c for c in (text or "").split("\n\n") if c.strip()):
        lines = chunk.split("\n")
        if all(LIST_LINE_RE.match(line) for line in lines):
            blocks += _list_blocks(lines)
        elif len(lines) > 1:
            blocks.append(_table(lines))
        elif leading and len(chunk.split()) < LONG_PARAGRAPH_WORDS:
            blocks.append(Heading(heading_level, chunk))
            continue
        else:
            blocks.append(Paragraph.of(chunk))
        leading = False
    return blocks


def _table(lines: list[str]) -> Table:
    """Rows of a table as the importer wrote them (empty cells left out): a row one cell
    short of the others had an empty first cell (the corner above a column of labels)."""
    rows = [line.split(" | ") for line in lines]
    width = max(len(row) for row in rows)
    return Table(rows=[[""] + row if len(row) == width - 1 else row for row in rows])


def _list_blocks(lines: list[str]) -> list[BulletList]:
    lists: list[BulletList] = []
    items: list[str] = []
    level = 1
    for line in lines:
        match = LIST_LINE_RE.match(line)
        item_level = len(match.group("indent")) // 2 + 1
        if items and item_level != level:
            lists.append(BulletList(items, level=level))
            items = []
        level = item_level
        items.append(match.group("text"))
    if items:
        lists.append(BulletList(items, level=level))
    return lists


# --- axes and measures -----------------------------------------------------------------------


def _axis(axis: dict) -> list:
    blocks: list = [Heading(1, f"Axe {axis['number']} : {axis['title']}")]
    blocks += text_blocks(axis.get("introduction", ""))
    for section in axis.get("sections", []):
        blocks.append(Heading(2, section["title"]))
        blocks += text_blocks(section.get("body", ""))
    for measure in axis.get("measures", []):
        blocks += _measure(measure)
    return blocks


def _label(text: str) -> Paragraph:
    return Paragraph((Run(f"{text} :", bold=True),))


def _items(label: str, items: list[str]) -> list:
    return [_label(label), BulletList(items)] if items else []


def _measure(measure: dict) -> list:
    blocks: list = [Heading(2, f"Mesure {measure['number']} : {measure['title']}")]
    blocks += _actors(measure)
    for key, label in MEASURE_PARTS:
        blocks += _items(label, measure.get(key, []))
    blocks += _actions(measure)
    for key, label in CLOSING_PARTS:
        blocks += _items(label, measure.get(key, []))
    return blocks


def _actors(measure: dict) -> list:
    if measure.get("actors_combined"):
        if measure.get("actors_wording"):
            return [_label("Pilotes et partenaires"), Paragraph.of(measure["actors_wording"])]
        return _items("Pilotes et partenaires", measure.get("pilots", []))
    return _items("Pilotes", measure.get("pilots", [])) + _items(
        "Partenaires", measure.get("partners", [])
    )


def _action_item(action: dict) -> Paragraph:
    """An action, its short name in bold: as the start of its text when it is (plans write
    them so), else before it, followed by a colon (actions named in Vigie)."""
    title, text = action.get("title", ""), action["text"]
    if title and text.startswith(title):
        rest = text[len(title) :]
        if not rest:
            return Paragraph.of(text, bold=True)
        return Paragraph((Run(title, bold=True), Run(rest)))
    if title:
        return Paragraph((Run(f"{title} :", bold=True), Run(f" {text}")))
    return Paragraph.of(text)


def _good_practice(text: str) -> Paragraph:
    return Paragraph((Run("→ Bonne pratique : ", bold=True), Run(text)))


def _actions(measure: dict) -> list:
    """« Actions à mener », each action a list item followed by its good practices; the
    measure's good practices tied to no action come first."""
    actions = measure.get("actions", [])
    tied = [p for a in actions for p in a.get("good_practices", [])]
    loose = list(measure.get("good_practices", []))
    for practice in tied:
        if practice in loose:
            loose.remove(practice)
    if not actions and not loose:
        return []
    blocks: list = [_label("Actions à mener"), *(_good_practice(p) for p in loose)]
    items: list[Paragraph] = []
    for action in actions:
        items.append(_action_item(action))
        if action.get("good_practices"):
            blocks.append(BulletList(items))
            blocks += [_good_practice(p) for p in action["good_practices"]]
            items = []
    if items:
        blocks.append(BulletList(items))
    return blocks


# --- signature, annexes, glossary ------------------------------------------------------------


def _signature(data: dict) -> list:
    if not data.get("signed_on"):
        return []
    signed_on = date.fromisoformat(data["signed_on"])
    place = data.get("signed_at") or "…"
    blocks: list = [PageBreak(), Paragraph.of(f"Fait à {place}, le {french_date(signed_on)}")]
    for signatory in data.get("signatories", []):
        if signatory.get("office"):
            blocks.append(Paragraph.of(signatory["office"]))
        blocks.append(Paragraph.of(signatory["name"], bold=True))
    return blocks


def _annex(annex: dict) -> list:
    blocks: list = [Heading(1, f"Annexe {annex['number']} : {annex['title']}")]
    blocks += text_blocks(annex.get("introduction", ""))
    for section in annex.get("sections", []):
        blocks.append(Heading(2, section["title"]))
        blocks += text_blocks(section.get("body", ""))
    for measure in annex.get("measures", []):
        # a heading followed by a list: a group of actions of the annex
        blocks.append(Heading(2, measure["title"]))
        blocks += _annex_measure(measure)
    return blocks


def _annex_measure(measure: dict) -> list:
    blocks: list = []
    items: list[Paragraph] = []
    for action in measure.get("actions", []):
        items.append(_action_item(action))
        if action.get("good_practices"):
            blocks.append(BulletList(items))
            blocks += [_good_practice(p) for p in action["good_practices"]]
            items = []
    if items:
        blocks.append(BulletList(items))
    blocks += _actors(measure)
    for key, label in (*MEASURE_PARTS, *CLOSING_PARTS):
        blocks += _items(label, measure.get(key, []))
    return blocks


def _glossary(entries: list[dict]) -> list:
    if not entries:
        return []
    blocks: list = [PageBreak(), Heading(1, "Glossaire")]
    for entry in entries:
        blocks.append(
            Paragraph((Run(entry["acronym"], bold=True), Run(f" : {entry['definition']}")))
        )
    return blocks
