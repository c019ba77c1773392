"""Reader for Word documents (.docx): the body's paragraphs and tables → blocks.

- headings: paragraph styles "Heading N" / "Titre N" / "Title", or an outline level set on
  the paragraph or on its style (``w:outlineLvl``), the way Word's navigation pane sees them;
- bold leads: the leading runs whose effective weight is bold (run, character style or
  paragraph style, following ``basedOn``) give ``bold_prefix``;
- lists: paragraphs with numbering (``w:numPr``, on the paragraph or its style) or a list
  style ("List Bullet 2", "Liste à puces"); the level is ``ilvl`` + 1. Automatic numbering
  whose text contains words ("Axe %1 :", "Fiche action n°%1") is written out in front of the
  paragraph, since that is how the reader sees it; plain "1." or bullets just make list items;
- tables: one block per row with its cells (a cell's paragraphs joined by line breaks);
  one-column tables and rows with a single cell are layout boxes: their paragraphs are read
  as ordinary paragraphs;
- left out: headers and footers (not in the body), footnotes, text boxes, deleted revisions,
  tables of contents (styles "TOC N").

Line breaks inside a paragraph are kept in ``Block.lines`` (signature blocks need them).
"""

import re
from io import BytesIO

from vigie.imports.errors import PlanImportError
from vigie.imports.reading.blocks import Block, BlockKind
from vigie.imports.reading.text import WHITESPACE_RE

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
HEADING_STYLE_RE = re.compile(r"^(?:heading|titre|überschrift|titolo)\s*(\d)$", re.IGNORECASE)
LIST_STYLE_RE = re.compile(r"^(?:list|liste)\b.*?(\d)?$", re.IGNORECASE)
TITLE_STYLES = {"title", "titre", "titre principal"}
TOC_STYLE_RE = re.compile(r"^(?:toc|tdm|table des matières)\s*\d*$|^toc heading$", re.IGNORECASE)
FALSE_VALUES = {"0", "false", "off", "none"}


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def read_docx(data: bytes) -> list[Block]:
    import docx  # python-docx: lxml with resolve_entities=False

    try:
        document = docx.Document(BytesIO(data))
    except Exception:  # python-docx raises many kinds of errors on broken packages
        raise PlanImportError(
            "Le fichier Word (.docx) est endommagé ou n'est pas un document Word : ouvrez-le "
            "dans votre traitement de texte, enregistrez-le à nouveau et déposez cette copie."
        ) from None
    return _DocxReader(document).read()


class _DocxReader:
    def __init__(self, document):
        self.document = document
        self.blocks: list[Block] = []
        self.number = 0
        self.styles = _Styles(document)
        self.numbering = _Numbering(document)

    def read(self) -> list[Block]:
        self._container(self.document.element.body)
        return self.blocks

    def _container(self, element) -> None:
        for child in element.iterchildren():
            tag = child.tag
            if tag == _w("p"):
                self._paragraph(child)
            elif tag == _w("tbl"):
                self._table(child)
            elif tag == _w("sdt"):
                content = child.find(_w("sdtContent"))
                if content is not None and not self._is_toc_sdt(child):
                    self._container(content)
            elif tag in (_w("customXml"), _w("ins")):
                self._container(child)

    @staticmethod
    def _is_toc_sdt(sdt) -> bool:
        gallery = sdt.find(f"{_w('sdtPr')}/{_w('docPartObj')}/{_w('docPartGallery')}")
        return gallery is not None and "contents" in (gallery.get(_w("val")) or "").lower()

    # paragraphs

    def _paragraph(self, p) -> None:
        self.number += 1
        style_id = _style_id(p)
        style = self.styles.get(style_id)
        if style is not None and TOC_STYLE_RE.match(style.name):
            return
        lines, bold_flags = self._runs(p, style_id)
        label = self.numbering.label(p, style_id, self.styles)
        text = _clean(" ".join(lines))
        if not text and not label:
            return
        level = self.styles.heading_level(p, style_id)
        prefix = _bold_prefix(lines, bold_flags)
        words = label is not None and label.kind == "words"
        if label is not None and label.text and (words or level):
            bold_all = prefix and prefix == text
            text = _clean(f"{label.text} {text}")
            lines = [f"{label.text} {lines[0]}" if lines else label.text, *lines[1:]]
            prefix = text if bold_all else ""
        if level:
            self.blocks.append(
                Block(BlockKind.HEADING, text, level=level, line=self.number, lines=(text,))
            )
            return
        kind, list_level = BlockKind.PARAGRAPH, 0
        if label is not None and label.kind == "list":
            kind, list_level = BlockKind.LIST_ITEM, label.level
        elif not words and style is not None and (match := LIST_STYLE_RE.match(style.name)):
            kind, list_level = BlockKind.LIST_ITEM, int(match.group(1) or 1)
        self.blocks.append(
            Block(
                kind,
                text,
                level=list_level,
                bold_prefix=prefix,
                line=self.number,
                lines=tuple(filter(None, (_clean(line) for line in lines))),
            )
        )

    def _runs(self, p, style_id: str | None) -> tuple[list[str], list[list[tuple[str, bool]]]]:
        """Lines of the paragraph and, per line, its (text, bold) pieces."""
        paragraph_bold = self.styles.bold(style_id)
        lines: list[str] = [""]
        pieces: list[list[tuple[str, bool]]] = [[]]
        for run in _runs_of(p):
            bold = self.styles.run_bold(run, paragraph_bold)
            for child in run.iterchildren():
                tag = child.tag
                if tag == _w("t"):
                    value = child.text or ""
                elif tag == _w("tab"):
                    value = " "
                elif tag == _w("noBreakHyphen"):
                    value = "-"
                elif tag in (_w("br"), _w("cr")):
                    if child.get(_w("type")) in ("page", "column"):
                        continue
                    lines.append("")
                    pieces.append([])
                    continue
                else:
                    continue
                lines[-1] += value
                pieces[-1].append((value, bold))
        return lines, pieces

    # tables

    def _table(self, tbl) -> None:
        rows = []
        for tr in tbl.iter(_w("tr")):
            if _ancestor_table(tr) is not tbl:
                continue
            cells = [tc for tc in tr.iter(_w("tc")) if _ancestor_row(tc) is tr]
            rows.append(cells)
        if rows and all(len(cells) <= 1 for cells in rows):
            for cells in rows:  # a layout box: read its content as the body
                for tc in cells:
                    self._container(tc)
            return
        for cells in rows:
            values = [self._cell_text(tc) for tc in cells]
            if sum(1 for value in values if value) <= 1:
                for tc in cells:
                    self._container(tc)
                continue
            self.number += 1
            text = " | ".join(value.replace("\n", " ") for value in values if value)
            self.blocks.append(
                Block(
                    BlockKind.TABLE_ROW, text, line=self.number, lines=(text,), cells=tuple(values)
                )
            )

    def _cell_text(self, tc) -> str:
        """Text of a cell, one line per paragraph or line break."""
        parts = []
        for p in tc.iter(_w("p")):
            lines, _ = self._runs(p, _style_id(p))
            label = self.numbering.label(p, _style_id(p), self.styles)
            if label is not None and label.kind == "words" and lines:
                lines[0] = f"{label.text} {lines[0]}"
            parts += [text for line in lines if (text := _clean(line))]
        return "\n".join(parts)


def _runs_of(p):
    """Runs of a paragraph in order, through hyperlinks, insertions, fields and smart tags;
    deleted revisions and text boxes are left out."""
    for child in p.iterchildren():
        tag = child.tag
        if tag == _w("r"):
            if child.find(f".//{_w('txbxContent')}") is None:
                yield child
        elif tag in (
            _w("hyperlink"),
            _w("ins"),
            _w("smartTag"),
            _w("fldSimple"),
            _w("customXml"),
            _w("moveTo"),
        ):
            yield from _runs_of(child)
        elif tag == _w("sdt"):
            content = child.find(_w("sdtContent"))
            if content is not None:
                yield from _runs_of(content)


def _ancestor_table(element):
    parent = element.getparent()
    while parent is not None and parent.tag != _w("tbl"):
        parent = parent.getparent()
    return parent


def _ancestor_row(element):
    parent = element.getparent()
    while parent is not None and parent.tag != _w("tr"):
        parent = parent.getparent()
    return parent


def _style_id(p) -> str | None:
    style = p.find(f"{_w('pPr')}/{_w('pStyle')}")
    return style.get(_w("val")) if style is not None else None


def _clean(text: str) -> str:
    return WHITESPACE_RE.sub(" ", text.replace("\u00a0", " ").replace("\u200b", "")).strip()


def _bold_prefix(lines: list[str], pieces: list[list[tuple[str, bool]]]) -> str:
    """The leading bold text of the paragraph, ending at a word boundary."""
    lead = []
    for line_pieces in pieces:
        for value, bold in line_pieces:
            if not value.strip():
                lead.append(value)
                continue
            if not bold:
                return _clean("".join(lead)) if lead else ""
            lead.append(value)
        lead.append(" ")
    return _clean("".join(lead))


def _on(element) -> bool | None:
    """Value of a toggle property (<w:b/>, <w:b w:val="0"/>), None when absent."""
    if element is None:
        return None
    return (element.get(_w("val")) or "true").lower() not in FALSE_VALUES


class _Style:
    def __init__(self, element):
        self.id = element.get(_w("styleId"))
        name = element.find(_w("name"))
        self.name = (name.get(_w("val")) if name is not None else self.id or "").strip()
        based = element.find(_w("basedOn"))
        self.based_on = based.get(_w("val")) if based is not None else None
        self.bold = _on(element.find(f"{_w('rPr')}/{_w('b')}"))
        outline = element.find(f"{_w('pPr')}/{_w('outlineLvl')}")
        self.outline = _int(outline.get(_w("val"))) if outline is not None else None
        num_pr = element.find(f"{_w('pPr')}/{_w('numPr')}")
        self.num_id = _num_value(num_pr, "numId")
        self.ilvl = _num_value(num_pr, "ilvl")


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _num_value(num_pr, tag: str) -> int | None:
    if num_pr is None:
        return None
    element = num_pr.find(_w(tag))
    return _int(element.get(_w("val"))) if element is not None else None


class _Styles:
    def __init__(self, document):
        self.by_id: dict[str, _Style] = {}
        self.default_paragraph: str | None = None
        try:
            element = document.styles.element
        except Exception:
            element = None
        if element is not None:
            for node in element.iterchildren(_w("style")):
                style = _Style(node)
                if style.id:
                    self.by_id[style.id] = style
                if node.get(_w("type")) == "paragraph" and node.get(_w("default")) in ("1", "true"):
                    self.default_paragraph = style.id
        self._bold_cache: dict[str | None, bool] = {}

    def get(self, style_id: str | None) -> _Style | None:
        return self.by_id.get(style_id or self.default_paragraph or "")

    def chain(self, style_id: str | None):
        seen = set()
        style = self.get(style_id)
        while style is not None and style.id not in seen:
            seen.add(style.id)
            yield style
            style = self.by_id.get(style.based_on or "")

    def bold(self, style_id: str | None) -> bool:
        if style_id not in self._bold_cache:
            value = next((s.bold for s in self.chain(style_id) if s.bold is not None), False)
            self._bold_cache[style_id] = bool(value)
        return self._bold_cache[style_id]

    def run_bold(self, run, paragraph_bold: bool) -> bool:
        properties = run.find(_w("rPr"))
        if properties is not None:
            direct = _on(properties.find(_w("b")))
            if direct is not None:
                return direct
            style = properties.find(_w("rStyle"))
            if style is not None:
                value = next(
                    (s.bold for s in self.chain(style.get(_w("val"))) if s.bold is not None), None
                )
                if value is not None:
                    return value
        return paragraph_bold

    def heading_level(self, p, style_id: str | None) -> int:
        outline = p.find(f"{_w('pPr')}/{_w('outlineLvl')}")
        if outline is not None:
            value = _int(outline.get(_w("val")))
            return value + 1 if value is not None and value < 9 else 0
        for style in self.chain(style_id):
            if match := HEADING_STYLE_RE.match(style.name):
                return int(match.group(1))
            if style.name.lower() in TITLE_STYLES:
                return 1
            if style.outline is not None:
                return style.outline + 1 if style.outline < 9 else 0
        return 0

    def numbering(self, style_id: str | None) -> tuple[int | None, int | None]:
        for style in self.chain(style_id):
            if style.num_id is not None:
                return style.num_id, style.ilvl
        return None, None


class _Label:
    def __init__(self, kind: str, text: str = "", level: int = 1):
        self.kind = kind  # "list" (bullets, "1.") or "words" ("Axe 1 :")
        self.text = text  # the rendered number ("2.1", "Axe 1 :"), "" for bullets
        self.level = level


ROMAN = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip


def _roman(number: int) -> str:
    result = ""
    for value, letters in ROMAN:
        while number >= value:
            result += letters
            number -= value
    return result


def _format_number(number: int, fmt: str) -> str:
    if fmt == "upperRoman":
        return _roman(number).upper()
    if fmt == "lowerRoman":
        return _roman(number)
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (number - 1) % 26)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt == "decimalZero":
        return f"{number:02d}"
    return str(number)


class _Numbering:
    """Automatic numbering (numbering.xml): which paragraphs are list items, and the text of
    labels made of words ("Axe 1 :")."""

    def __init__(self, document):
        self.levels: dict[
            tuple[int, int], tuple[str, str, int]
        ] = {}  # (abstract, ilvl) → fmt, text, start
        self.abstract_of: dict[int, int] = {}
        self.counters: dict[int, list[int]] = {}
        try:
            part = document.part.numbering_part
            root = part.element
        except Exception:
            return
        for abstract in root.iterchildren(_w("abstractNum")):
            abstract_id = _int(abstract.get(_w("abstractNumId")))
            for lvl in abstract.iterchildren(_w("lvl")):
                ilvl = _int(lvl.get(_w("ilvl"))) or 0
                fmt = lvl.find(_w("numFmt"))
                text = lvl.find(_w("lvlText"))
                start = lvl.find(_w("start"))
                self.levels[(abstract_id, ilvl)] = (
                    fmt.get(_w("val")) if fmt is not None else "decimal",
                    text.get(_w("val")) if text is not None else "",
                    _int(start.get(_w("val"))) if start is not None else 1,
                )
        for num in root.iterchildren(_w("num")):
            abstract = num.find(_w("abstractNumId"))
            if abstract is not None:
                self.abstract_of[_int(num.get(_w("numId")))] = _int(abstract.get(_w("val")))

    def label(self, p, style_id: str | None, styles: _Styles) -> _Label | None:
        num_pr = p.find(f"{_w('pPr')}/{_w('numPr')}")
        num_id, ilvl = _num_value(num_pr, "numId"), _num_value(num_pr, "ilvl")
        if num_id is None:
            num_id, style_ilvl = styles.numbering(style_id)
            ilvl = ilvl if ilvl is not None else style_ilvl
        if not num_id:  # numId 0 removes numbering
            return None
        ilvl = ilvl or 0
        abstract = self.abstract_of.get(num_id)
        fmt, text, start = self.levels.get((abstract, ilvl), ("bullet", "", 1))
        counters = self.counters.setdefault(abstract, [0] * 9)
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else start
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        if fmt in ("bullet", "none"):
            return _Label("list", level=ilvl + 1)
        rendered = _clean(
            re.sub(
                r"%(\d)",
                lambda m: _format_number(
                    counters[int(m.group(1)) - 1] or 1,
                    self.levels.get((abstract, int(m.group(1)) - 1), (fmt,))[0],
                ),
                text,
            )
        )
        if re.search(r"[^\W\d_]{2,}", re.sub(r"%\d", "", text)):
            return _Label("words", rendered)
        return _Label("list", rendered, level=ilvl + 1)
