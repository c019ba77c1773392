"""Reader for OpenDocument texts (.odt, LibreOffice Writer): ``content.xml`` → blocks.

- headings: ``text:h`` with its outline level, or a paragraph whose style (or parent style)
  has a default outline level, or the "Title" style;
- bold leads: leading spans whose style (automatic or common, following parent styles)
  sets ``fo:font-weight`` bold (or 600 and above);
- lists: ``text:list`` items, the nesting depth is the level;
- tables: one block per row with its cells (a cell's paragraphs joined by line breaks);
  one-column tables and rows with a single filled cell are read as ordinary paragraphs;
- left out: tables of contents and other indexes, notes, frames and text boxes, tracked
  deletions; page headers and footers live in ``styles.xml`` and are never read.

The XML is parsed by lxml with entity resolution, DTD loading and network access disabled
(``safety.py`` has already refused any XML member that declares a DTD).
"""

import zipfile
from io import BytesIO

from lxml import etree

from vigie.imports.errors import PlanImportError
from vigie.imports.reading.blocks import Block, BlockKind
from vigie.imports.reading.text import WHITESPACE_RE

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
TITLE_STYLES = {"title", "titre", "titre principal"}
SKIPPED = {
    f"{{{TEXT}}}table-of-content",
    f"{{{TEXT}}}alphabetical-index",
    f"{{{TEXT}}}illustration-index",
    f"{{{TEXT}}}table-index",
    f"{{{TEXT}}}object-index",
    f"{{{TEXT}}}user-index",
    f"{{{TEXT}}}bibliography",
    f"{{{TEXT}}}tracked-changes",
    f"{{{TEXT}}}sequence-decls",
    f"{{{TEXT}}}variable-decls",
    f"{{{TEXT}}}user-field-decls",
    f"{{{TEXT}}}note",
    f"{{{OFFICE}}}forms",
}


def _t(tag: str) -> str:
    return f"{{{TEXT}}}{tag}"


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def read_odt(data: bytes) -> list[Block]:
    damaged = PlanImportError(
        "Le fichier LibreOffice (.odt) est endommagé : ouvrez-le dans LibreOffice, "
        "enregistrez-le à nouveau et déposez cette copie."
    )
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            content = etree.fromstring(archive.read("content.xml"), _parser())
            styles_xml = (
                etree.fromstring(archive.read("styles.xml"), _parser())
                if "styles.xml" in archive.namelist()
                else None
            )
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError, etree.XMLSyntaxError):
        raise damaged from None
    styles = _Styles([root for root in (styles_xml, content) if root is not None])
    body = content.find(f"{{{OFFICE}}}body/{{{OFFICE}}}text")
    if body is None:
        raise PlanImportError(
            "Ce fichier OpenDocument ne contient pas de texte : déposez le plan enregistré "
            "depuis LibreOffice Writer."
        )
    reader = _OdtReader(styles)
    reader.container(body, list_level=0)
    return reader.blocks


class _Styles:
    def __init__(self, roots):
        self.parent: dict[str, str] = {}
        self.bold: dict[str, bool] = {}
        self.outline: dict[str, int] = {}
        self.display: dict[str, str] = {}
        for root in roots:
            for style in root.iter(f"{{{STYLE}}}style"):
                name = style.get(f"{{{STYLE}}}name")
                if not name:
                    continue
                parent = style.get(f"{{{STYLE}}}parent-style-name")
                if parent:
                    self.parent[name] = parent
                display = style.get(f"{{{STYLE}}}display-name") or name.replace("_20_", " ")
                self.display[name] = display
                outline = style.get(f"{{{STYLE}}}default-outline-level")
                if outline and outline.isdigit():
                    self.outline[name] = int(outline)
                properties = style.find(f"{{{STYLE}}}text-properties")
                if properties is not None:
                    weight = properties.get(f"{{{FO}}}font-weight")
                    if weight:
                        self.bold[name] = weight == "bold" or (
                            weight.isdigit() and int(weight) >= 600
                        )
        self._cache: dict[tuple[str, str], object] = {}

    def _lookup(self, name: str | None, table: dict):
        seen = set()
        while name and name not in seen:
            seen.add(name)
            if name in table:
                return table[name]
            name = self.parent.get(name)
        return None

    def is_bold(self, name: str | None) -> bool | None:
        return self._lookup(name, self.bold)

    def outline_level(self, name: str | None) -> int:
        level = self._lookup(name, self.outline)
        if level:
            return level
        seen = set()
        while name and name not in seen:
            seen.add(name)
            if self.display.get(name, name).strip().lower() in TITLE_STYLES:
                return 1
            name = self.parent.get(name)
        return 0


class _OdtReader:
    def __init__(self, styles: _Styles):
        self.styles = styles
        self.blocks: list[Block] = []
        self.number = 0

    def container(self, element, *, list_level: int) -> None:
        for child in element.iterchildren():
            tag = child.tag
            if not isinstance(tag, str) or tag in SKIPPED:
                continue
            if tag == _t("h"):
                level = _int(child.get(_t("outline-level"))) or 1
                self._paragraph(child, heading=level)
            elif tag == _t("p"):
                level = self.styles.outline_level(child.get(_t("style-name")))
                self._paragraph(child, heading=level, list_level=list_level)
            elif tag == _t("list"):
                self.container(child, list_level=list_level + 1)
            elif tag in (_t("list-item"), _t("list-header")):
                self.container(child, list_level=list_level)
            elif tag == f"{{{TABLE}}}table":
                self._table(child)
            elif tag in (_t("section"), f"{{{TABLE}}}table-rows"):
                self.container(child, list_level=list_level)

    def _paragraph(self, element, *, heading: int = 0, list_level: int = 0) -> None:
        self.number += 1
        lines, pieces = self._inline(element)
        text = _clean(" ".join(lines))
        if not text:
            return
        if heading:
            self.blocks.append(
                Block(BlockKind.HEADING, text, level=heading, line=self.number, lines=(text,))
            )
            return
        kind = BlockKind.LIST_ITEM if list_level else BlockKind.PARAGRAPH
        self.blocks.append(
            Block(
                kind,
                text,
                level=list_level,
                bold_prefix=_bold_prefix(pieces),
                line=self.number,
                lines=tuple(filter(None, (_clean(line) for line in lines))),
            )
        )

    def _inline(self, element) -> tuple[list[str], list[tuple[str, bool]]]:
        lines: list[str] = [""]
        pieces: list[tuple[str, bool]] = []
        paragraph_bold = bool(self.styles.is_bold(element.get(_t("style-name"))))

        def add(value: str, bold: bool) -> None:
            if value:
                lines[-1] += value
                pieces.append((value, bold))

        def walk(node, bold: bool) -> None:
            add(node.text or "", bold)
            for child in node.iterchildren():
                tag = child.tag
                if (
                    isinstance(tag, str)
                    and tag not in SKIPPED
                    and not tag.startswith("{urn:oasis:names:tc:opendocument:xmlns:drawing")
                ):
                    if tag == _t("s"):
                        add(" " * (_int(child.get(_t("c"))) or 1), bold)
                    elif tag == _t("tab"):
                        add(" ", bold)
                    elif tag == _t("line-break"):
                        lines.append("")
                        pieces.append(("\n", bold))
                    else:
                        style = child.get(_t("style-name"))
                        value = self.styles.is_bold(style) if style else None
                        walk(child, bold if value is None else value)
                add(child.tail or "", bold)

        walk(element, paragraph_bold)
        return lines, pieces

    def _table(self, table) -> None:
        rows = []
        for row in table.iter(f"{{{TABLE}}}table-row"):
            if _ancestor(row, f"{{{TABLE}}}table") is not table:
                continue
            cells = [cell for cell in row.iterchildren(f"{{{TABLE}}}table-cell")]
            rows.append(cells)
        if rows and all(len(cells) <= 1 for cells in rows):
            for cells in rows:
                for cell in cells:
                    self.container(cell, list_level=0)
            return
        for cells in rows:
            values = [self._cell_text(cell) for cell in cells]
            if sum(1 for value in values if value) <= 1:
                for cell in cells:
                    self.container(cell, list_level=0)
                continue
            self.number += 1
            text = " | ".join(value.replace("\n", " ") for value in values if value)
            self.blocks.append(
                Block(
                    BlockKind.TABLE_ROW, text, line=self.number, lines=(text,), cells=tuple(values)
                )
            )

    def _cell_text(self, cell) -> str:
        parts = []
        for node in cell.iter(_t("p"), _t("h")):
            lines, _ = self._inline(node)
            parts += [text for line in lines if (text := _clean(line))]
        return "\n".join(parts)


def _ancestor(element, tag: str):
    parent = element.getparent()
    while parent is not None and parent.tag != tag:
        parent = parent.getparent()
    return parent


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _clean(text: str) -> str:
    return WHITESPACE_RE.sub(" ", text.replace("\u00a0", " ").replace("\u200b", "")).strip()


def _bold_prefix(pieces: list[tuple[str, bool]]) -> str:
    lead = []
    for value, bold in pieces:
        if not value.strip():
            lead.append(" " if value == "\n" else value)
            continue
        if not bold:
            break
        lead.append(value)
    return _clean("".join(lead))
