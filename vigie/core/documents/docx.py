"""Word (.docx) rendering of a document tree, with python-docx.

Word's built-in styles: "Title", "Subtitle", "Heading 1".."Heading 6", "List Bullet" (nested
lists set the numbering level, ``w:ilvl``), "Caption", "Table Grid", plus a small "Note" paragraph style. The
table of contents is a TOC field in a "Table of Contents" content control, pre-filled with the
headings; Word offers to update it on opening (``w:updateFields``). Table header rows repeat on
each page (``w:tblHeader``). Images are PNG renderings of the SVG, with the alternative text in
the picture's description. Each page has the document's title in its header and « Page n /
total » in its footer (fields; readers of the body never see headers and footers).
"""

from io import BytesIO

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from vigie.core.documents import (
    BulletList,
    Document,
    Heading,
    Image,
    PageBreak,
    Paragraph,
    Table,
    TableOfContents,
)
from vigie.core.documents.images import svg_to_png

PARAGRAPH_STYLES = {"": None, "title": "Title", "subtitle": "Subtitle", "note": "Note"}


def render_docx(document: Document) -> bytes:
    import docx

    word = docx.Document()
    _prepare(word, document)
    for block in document.blocks:
        _block(word, document, block)
    buffer = BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _prepare(word, document: Document) -> None:
    word.core_properties.title = document.title
    word.core_properties.author = document.author
    word.core_properties.language = document.language
    normal = word.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    note = word.styles.add_style("Note", 1)
    note.base_style = normal
    note.font.size = Pt(8.5)
    section = word.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.header.paragraphs[0].text = document.title
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" / ")
    _field(footer, "NUMPAGES")


def _block(word, document: Document, block) -> None:
    if isinstance(block, Heading):
        word.add_heading(block.text, level=min(max(block.level, 1), 6))
    elif isinstance(block, Paragraph):
        _runs(word.add_paragraph(style=PARAGRAPH_STYLES.get(block.style)), block)
    elif isinstance(block, BulletList):
        for item in block.items:
            paragraph = word.add_paragraph(style="List Bullet")
            if block.level > 1:
                _list_level(paragraph, block.level)
            _runs(paragraph, item)
    elif isinstance(block, Table):
        _table(word, block)
    elif isinstance(block, Image):
        _image(word, block)
    elif isinstance(block, PageBreak):
        word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    elif isinstance(block, TableOfContents):
        _toc(word, document, block)
    else:
        raise TypeError(f"Unknown document block: {block!r}")


def _runs(paragraph, block: Paragraph) -> None:
    for run in block.runs:
        for index, line in enumerate(run.text.split("\n")):
            piece = paragraph.add_run(line)
            piece.bold = run.bold or None
            piece.italic = run.italic or None
            if index:
                piece._r.insert(piece._r.index(piece._r.find(qn("w:t"))), OxmlElement("w:br"))


def _list_level(paragraph, level: int) -> None:
    """Nesting as Word does it: the "List Bullet" numbering at level ``level`` (w:ilvl)."""
    style_numbering = paragraph.style.element.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    numbering = OxmlElement("w:numPr")
    ilvl, num_id = OxmlElement("w:ilvl"), OxmlElement("w:numId")
    ilvl.set(qn("w:val"), str(min(level, 9) - 1))
    num_id.set(
        qn("w:val"), style_numbering.get(qn("w:val")) if style_numbering is not None else "1"
    )
    numbering.extend([ilvl, num_id])
    paragraph._p.get_or_add_pPr().insert(1, numbering)


def _table(word, block: Table) -> None:
    width = block.width
    if block.caption:
        caption = word.add_paragraph(block.caption, style="Caption")
        caption.paragraph_format.keep_with_next = True
    grid = word.add_table(rows=0, cols=max(width, 1))
    grid.style = word.styles["Table Grid"]
    if block.header:
        cells = grid.add_row().cells
        _mark_header(grid.rows[-1])
        for cell, value in zip(cells, block.header, strict=False):
            _cell_text(cell, value, bold=True)
    for row in block.rows:
        for cell, value in zip(grid.add_row().cells, row, strict=False):
            _cell_text(cell, value, bold=False)


def _mark_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _cell_text(cell, value: str, *, bold: bool) -> None:
    lines = value.split("\n")
    paragraph = cell.paragraphs[0]
    for index, line in enumerate(lines):
        if index:
            paragraph = cell.add_paragraph()
        run = paragraph.add_run(line)
        run.bold = bold or None


def _image(word, block: Image) -> None:
    png = svg_to_png(block.svg, block.width_cm)
    word.add_picture(BytesIO(png), width=Cm(block.width_cm))
    inline = word.paragraphs[-1]._p.find(".//" + qn("wp:docPr"))
    if inline is not None:
        inline.set("descr", block.alt)
        inline.set("title", block.alt)


def _toc(word, document: Document, block: TableOfContents) -> None:
    """A TOC field in a "Table of Contents" content control (readers skip it), pre-filled."""
    sdt = OxmlElement("w:sdt")
    properties = OxmlElement("w:sdtPr")
    part = OxmlElement("w:docPartObj")
    gallery = OxmlElement("w:docPartGallery")
    gallery.set(qn("w:val"), "Table of Contents")
    unique = OxmlElement("w:docPartUnique")
    part.extend([gallery, unique])
    properties.append(part)
    content = OxmlElement("w:sdtContent")
    sdt.extend([properties, content])
    title = word.add_paragraph(block.title, style="TOC Heading")
    content.append(title._p)
    field = word.add_paragraph()
    _field_char(field, "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = f' TOC \\o "1-{block.depth}" \\h \\z \\u '
    field.add_run()._r.append(instruction)
    _field_char(field, "separate")
    content.append(field._p)
    for heading in document.headings(block.depth):
        entry = word.add_paragraph(heading.text)
        entry.paragraph_format.left_indent = Cm(0.5 * (heading.level - 1))
        content.append(entry._p)
    end = word.add_paragraph()
    _field_char(end, "end")
    content.append(end._p)
    word.element.body.insert(len(word.element.body) - 1, sdt)
    settings = word.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def _field(paragraph, instruction: str) -> None:
    """A simple field (page number, page count) that Word and LibreOffice compute."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    value = OxmlElement("w:t")
    value.text = "1"
    run.append(value)
    field.append(run)
    paragraph._p.append(field)


def _field_char(paragraph, kind: str) -> None:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(char)
