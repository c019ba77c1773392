"""Builds DOCX, ODT and PDF versions of a plan from its text, for the accuracy tests and the benchmark.

The text is read with the text reader (``parse_text``) and every block is written with the
features a word processor gives it: heading styles (DOCX ``Heading N``, ODT outline levels,
HTML ``<hN>`` rendered by WeasyPrint with larger fonts), bold runs for bold leads, bullet
lists with their nesting, tables, and line breaks inside a paragraph. The PDF has a running
header and footer (title, department, page x / y) on every page, as published plans do.
"""

from collections.abc import Iterable
from html import escape
from io import BytesIO

from vigie.imports.reading.blocks import Block, BlockKind
from vigie.imports.reading.text import parse_text


def blocks_of(text: str) -> list[Block]:
    return parse_text(text)


def _runs(block: Block) -> list[tuple[str, bool]]:
    """(text, bold) runs of a paragraph: its bold lead, then the rest."""
    if block.is_bold or block.kind == BlockKind.HEADING:
        return [(block.text, block.is_bold)]
    lead = block.bold_prefix
    if lead and block.text.startswith(lead):
        rest = block.text[len(lead) :]
        return [(lead, True), (rest, False)] if rest else [(lead, True)]
    return [(block.text, False)]


def _lines(block: Block) -> list[str]:
    """The source lines of a paragraph when they make up its text (signature blocks)."""
    if len(block.lines) > 1 and " ".join(block.lines) == block.text:
        return list(block.lines)
    return [block.text]


def _groups(blocks: Iterable[Block]):
    """Consecutive table rows grouped into one table; every other block on its own."""
    table: list[Block] = []
    for block in blocks:
        if block.kind == BlockKind.TABLE_ROW:
            table.append(block)
            continue
        if table:
            yield table
            table = []
        yield block
    if table:
        yield table


# --- DOCX ------------------------------------------------------------------------------------


def to_docx(blocks: list[Block]) -> bytes:
    from docx import Document

    document = Document()
    for group in _groups(blocks):
        if isinstance(group, list):
            width = max(len(row.cells) for row in group)
            table = document.add_table(rows=0, cols=width)
            table.style = "Table Grid"
            for row in group:
                cells = table.add_row().cells
                for index, value in enumerate(row.cells):
                    cells[index].text = value
            continue
        block = group
        if block.kind == BlockKind.HEADING:
            document.add_heading(block.text, level=min(block.level, 9))
            continue
        if block.kind == BlockKind.LIST_ITEM:
            style = "List Bullet" if block.level <= 1 else f"List Bullet {min(block.level, 3)}"
            paragraph = document.add_paragraph(style=style)
        else:
            paragraph = document.add_paragraph()
        lines = _lines(block)
        if len(lines) > 1:
            for index, line in enumerate(lines):
                run = paragraph.add_run(line)
                run.bold = block.is_bold
                if index < len(lines) - 1:
                    run.add_break()
        else:
            for text, bold in _runs(block):
                paragraph.add_run(text).bold = bold
    out = BytesIO()
    document.save(out)
    return out.getvalue()


# --- ODT -------------------------------------------------------------------------------------


def to_odt(blocks: list[Block]) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.style import ParagraphProperties, Style, TextProperties
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, LineBreak, List, ListItem, P, Span

    document = OpenDocumentText()
    bold = Style(name="Gras", family="text")
    bold.addElement(TextProperties(fontweight="bold"))
    document.automaticstyles.addElement(bold)
    for level in range(1, 7):
        style = Style(
            name=f"Heading_20_{level}",
            displayname=f"Heading {level}",
            family="paragraph",
            defaultoutlinelevel=str(level),
        )
        style.addElement(TextProperties(fontsize=f"{20 - 2 * level}pt", fontweight="bold"))
        style.addElement(ParagraphProperties(margintop="0.3cm", marginbottom="0.2cm"))
        document.styles.addElement(style)

    def paragraph(block: Block, element_class=P, **attributes):
        element = element_class(**attributes)
        lines = _lines(block)
        if len(lines) > 1:
            for index, line in enumerate(lines):
                target = Span(stylename=bold, text=line) if block.is_bold else line
                element.addElement(target) if block.is_bold else element.addText(target)
                if index < len(lines) - 1:
                    element.addElement(LineBreak())
            return element
        for text, is_bold in _runs(block):
            if is_bold:
                element.addElement(Span(stylename=bold, text=text))
            else:
                element.addText(text)
        return element

    body = document.text
    for group in _groups(blocks):
        if isinstance(group, list):
            width = max(len(row.cells) for row in group)
            table = Table()
            table.addElement(TableColumn(numbercolumnsrepeated=width))
            for row in group:
                table_row = TableRow()
                for index in range(width):
                    cell = TableCell()
                    value = row.cells[index] if index < len(row.cells) else ""
                    for line in value.split("\n"):
                        cell.addElement(P(text=line))
                    table_row.addElement(cell)
                table.addElement(table_row)
            body.addElement(table)
            continue
        block = group
        if block.kind == BlockKind.HEADING:
            level = min(block.level, 6)
            body.addElement(H(outlinelevel=level, stylename=f"Heading_20_{level}", text=block.text))
        elif block.kind == BlockKind.LIST_ITEM:
            container = List()
            item = ListItem()
            container.addElement(item)
            for _ in range(block.level - 1):  # nested lists give the level
                inner = List()
                inner_item = ListItem()
                inner.addElement(inner_item)
                item.addElement(inner)
                item = inner_item
            item.addElement(paragraph(block))
            body.addElement(container)
        else:
            body.addElement(paragraph(block))
    out = BytesIO()
    document.write(out)
    return out.getvalue()


# --- HTML and PDF ----------------------------------------------------------------------------

PDF_CSS = """
@page {
  size: A4;
  margin: 2.4cm 2cm 2.2cm 2cm;
  @top-left { content: "%(header)s"; font: 8pt sans-serif; color: #555; }
  @top-right { content: "Préfecture — document publié"; font: 8pt sans-serif; color: #555; }
  @bottom-left { content: "%(header)s"; font: 7pt sans-serif; color: #555; }
  @bottom-center { content: "Page " counter(page) " / " counter(pages); font: 8pt sans-serif; }
}
body { font: 10.5pt/1.35 serif; }
h1 { font-size: 20pt; } h2 { font-size: 17pt; } h3 { font-size: 15pt; }
h4 { font-size: 13pt; } h5 { font-size: 12pt; } h6 { font-size: 11.5pt; }
h1, h2, h3, h4, h5, h6 { font-family: sans-serif; font-weight: bold; margin: 0.8em 0 0.4em; }
p { margin: 0 0 0.6em; text-align: justify; }
ul { margin: 0 0 0.6em; }
table { border-collapse: collapse; margin: 0 0 0.8em; font-size: 9pt; }
td { border: 1px solid #999; padding: 2pt 6pt; vertical-align: top; }
.page-break { break-before: page; }
"""


def to_html(blocks: list[Block], *, header: str = "Plan départemental de prévention") -> str:
    parts = [
        "<!doctype html><html lang='fr'><head><meta charset='utf-8'><style>",
        PDF_CSS % {"header": header.replace('"', "'")},
        "</style></head><body>",
    ]
    open_lists = 0
    for group in _groups(blocks):
        is_item = not isinstance(group, list) and group.kind == BlockKind.LIST_ITEM
        target = group.level if is_item else 0
        while open_lists > target:
            parts.append("</ul>")
            open_lists -= 1
        while open_lists < target:
            parts.append("<ul>")
            open_lists += 1
        if isinstance(group, list):
            parts.append("<table>")
            for row in group:
                cells = "".join(
                    "<td>" + "<br>".join(escape(line) for line in cell.split("\n")) + "</td>"
                    for cell in row.cells
                )
                parts.append(f"<tr>{cells}</tr>")
            parts.append("</table>")
            continue
        block = group
        if block.kind == BlockKind.HEADING:
            level = min(block.level, 6)
            page_break = ' class="page-break"' if level == 1 else ""
            parts.append(f"<h{level}{page_break}>{escape(block.text)}</h{level}>")
            continue
        lines = _lines(block)
        if len(lines) > 1:
            inner = "<br>".join(escape(line) for line in lines)
            inner = f"<strong>{inner}</strong>" if block.is_bold else inner
        else:
            inner = "".join(
                f"<strong>{escape(text)}</strong>" if is_bold else escape(text)
                for text, is_bold in _runs(block)
            )
        parts.append(f"<li>{inner}</li>" if is_item else f"<p>{inner}</p>")
    parts.append("</ul>" * open_lists)
    parts.append("</body></html>")
    return "".join(parts)


def to_pdf(blocks: list[Block], *, header: str = "Plan départemental de prévention") -> bytes:
    from weasyprint import HTML

    return HTML(string=to_html(blocks, header=header)).write_pdf()


def to_pdf_with_css(
    blocks: list[Block], css: str, *, header: str = "Plan départemental de prévention"
) -> bytes:
    """``to_pdf`` with extra style rules after the usual ones (another layout of the same text:
    first-line indents, narrower columns…)."""
    from weasyprint import HTML

    html = to_html(blocks, header=header).replace("</style>", css + "</style>", 1)
    return HTML(string=html).write_pdf()
