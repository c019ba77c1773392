"""OpenDocument text (.odt) rendering of a document tree, with odfpy.

Named styles as LibreOffice names them ("Heading 1".."Heading 6" with their outline level, "Text
body", "Title", "Subtitle", "Table Heading", "Table Contents", "Caption", "List Bullet"), so
LibreOffice's navigator and its table of contents see the headings. The table of contents is a
real ``text:table-of-content`` (Tools > Update refreshes its page numbers), pre-filled with the
headings. Pages are A4, with the document's title in their header and « Page n / total » in
their footer (``styles.xml``: readers of the body never see them). Tables have a header row (``table:table-header-rows``, repeated on each page); images are
SVG files in the package, with their text alternative in ``svg:title`` and ``svg:desc``.
"""

from io import BytesIO

from odf import draw, svg, table, text
from odf.opendocument import OpenDocumentText
from odf.style import (
    DefaultStyle,
    FontFace,
    Footer,
    GraphicProperties,
    Header,
    ListLevelProperties,
    MasterPage,
    PageLayout,
    PageLayoutProperties,
    ParagraphProperties,
    Style,
    TableCellProperties,
    TableColumnProperties,
    TableProperties,
    TextProperties,
)

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
from vigie.core.documents.images import height_cm

FONT = "Liberation Sans"  # metric-compatible with Arial, installed with LibreOffice
TABLE_WIDTH_CM = 17
HEADING_SIZES = {1: "17pt", 2: "14pt", 3: "12pt", 4: "11pt", 5: "10.5pt", 6: "10pt"}
PARAGRAPH_STYLES = {"": "Text_20_body", "title": "Title", "subtitle": "Subtitle", "note": "Note"}


def render_odt(document: Document) -> bytes:
    renderer = _OdtRenderer(document)
    renderer.render()
    buffer = BytesIO()
    renderer.odt.write(buffer)
    return buffer.getvalue()


class _OdtRenderer:
    def __init__(self, document: Document):
        self.document = document
        self.odt = OpenDocumentText()
        self.tables = 0
        self.images = 0
        self._meta()
        self._styles()

    def render(self) -> None:
        for block in self.document.blocks:
            self._block(block)

    def _meta(self) -> None:
        from odf import dc

        self.odt.meta.addElement(dc.Title(text=self.document.title))
        self.odt.meta.addElement(dc.Language(text=self.document.language))
        self.odt.meta.addElement(dc.Creator(text=self.document.author))

    def _paragraph_style(
        self, name, display, *, parent=None, text_props=None, para_props=None, **attrs
    ):
        style = Style(name=name, displayname=display, family="paragraph", **attrs)
        if parent:
            style.setAttribute("parentstylename", parent)
        if para_props:
            style.addElement(ParagraphProperties(**para_props))
        if text_props:
            style.addElement(TextProperties(**text_props))
        self.odt.styles.addElement(style)

    def _styles(self) -> None:
        self.odt.fontfacedecls.addElement(
            FontFace(
                name=FONT,
                fontfamily=f"'{FONT}'",
                fontfamilygeneric="swiss",
                fontpitch="variable",
            )
        )
        language, _, country = self.document.language.partition("-")
        default = DefaultStyle(family="paragraph")
        default.addElement(
            TextProperties(fontname=FONT, fontsize="10pt", language=language, country=country)
        )
        self.odt.styles.addElement(default)
        self._paragraph_style("Standard", "Standard", text_props={"fontname": FONT})
        self._text_styles()
        self._other_styles()
        self._automatic_styles()
        self._outline_and_lists()
        self._page()

    def _text_styles(self) -> None:
        """Body text, headings (with their outline level), title and subtitle, notes."""
        self._paragraph_style(
            "Text_20_body", "Text body", parent="Standard", para_props={"marginbottom": "0.2cm"}
        )
        self._paragraph_style(
            "Heading",
            "Heading",
            parent="Standard",
            para_props={"margintop": "0.4cm", "marginbottom": "0.2cm", "keepwithnext": "always"},
            text_props={"fontweight": "bold", "color": "#000091"},
            nextstylename="Text_20_body",
        )
        for level, size in HEADING_SIZES.items():
            self._paragraph_style(
                f"Heading_20_{level}",
                f"Heading {level}",
                parent="Heading",
                text_props={"fontsize": size, "fontweight": "bold"},
                defaultoutlinelevel=str(level),
                nextstylename="Text_20_body",
            )
        self._paragraph_style(
            "Title",
            "Title",
            parent="Standard",
            para_props={"margintop": "4cm", "marginbottom": "0.5cm"},
            text_props={"fontsize": "22pt", "fontweight": "bold"},
        )
        self._paragraph_style(
            "Subtitle", "Subtitle", parent="Standard", text_props={"fontsize": "14pt"}
        )
        self._paragraph_style("Note", "Note", parent="Standard", text_props={"fontsize": "8.5pt"})

    def _other_styles(self) -> None:
        """Tables, captions, lists, table of contents, page header and footer."""
        self._paragraph_style("Table_20_Contents", "Table Contents", parent="Standard")
        self._paragraph_style(
            "Table_20_Heading",
            "Table Heading",
            parent="Table_20_Contents",
            text_props={"fontweight": "bold"},
        )
        self._paragraph_style(
            "Caption",
            "Caption",
            parent="Standard",
            text_props={"fontweight": "bold"},
            para_props={"keepwithnext": "always", "margintop": "0.2cm", "marginbottom": "0.1cm"},
        )
        self._paragraph_style("List_20_Bullet", "List Bullet", parent="Text_20_body")
        for level in range(1, 4):
            self._paragraph_style(
                f"Contents_20_{level}",
                f"Contents {level}",
                parent="Standard",
                para_props={"marginleft": f"{(level - 1) * 0.5}cm"},
            )
        self._paragraph_style(
            "Contents_20_Heading",
            "Contents Heading",
            parent="Heading",
            text_props={"fontsize": "14pt"},
        )
        self._paragraph_style(
            "Header",
            "Header",
            parent="Standard",
            text_props={"fontsize": "8pt", "color": "#555555"},
        )
        self._paragraph_style(
            "Footer",
            "Footer",
            parent="Standard",
            text_props={"fontsize": "8pt", "color": "#555555"},
            para_props={"textalign": "end"},
        )

    def _automatic_styles(self) -> None:
        auto = self.odt.automaticstyles
        for name, props in {
            "B": {"fontweight": "bold"},
            "I": {"fontstyle": "italic"},
            "BI": {"fontweight": "bold", "fontstyle": "italic"},
        }.items():
            style = Style(name=name, family="text")
            style.addElement(TextProperties(**props))
            auto.addElement(style)
        page_break = Style(name="PageBreak", family="paragraph", parentstylename="Standard")
        page_break.addElement(ParagraphProperties(breakafter="page"))
        auto.addElement(page_break)
        cell = Style(name="Cell", family="table-cell")
        cell.addElement(TableCellProperties(border="0.5pt solid #888888", padding="0.08cm"))
        auto.addElement(cell)
        header_cell = Style(name="HeaderCell", family="table-cell")
        header_cell.addElement(
            TableCellProperties(
                border="0.5pt solid #888888", padding="0.08cm", backgroundcolor="#eeeef8"
            )
        )
        auto.addElement(header_cell)
        self.figure_style = Style(name="Figure", family="graphic")
        self.figure_style.addElement(GraphicProperties(anchortype="paragraph", wrap="none"))
        auto.addElement(self.figure_style)

    def _page(self) -> None:
        """A4 pages; the document's title at the top of each page, « Page n / total » below."""
        layout = PageLayout(name="Page")
        layout.addElement(
            PageLayoutProperties(
                pagewidth="21cm",
                pageheight="29.7cm",
                printorientation="portrait",
                margintop="1.5cm",
                marginbottom="1.5cm",
                marginleft="2cm",
                marginright="2cm",
            )
        )
        self.odt.automaticstyles.addElement(layout)
        master = MasterPage(name="Standard", pagelayoutname=layout)
        header = Header()
        header.addElement(text.P(stylename="Header", text=self.document.title))
        footer = Footer()
        number = text.P(stylename="Footer", text="Page ")
        number.addElement(text.PageNumber(selectpage="current"))
        number.addText(" / ")
        number.addElement(text.PageCount())
        footer.addElement(number)
        master.addElement(header)
        master.addElement(footer)
        self.odt.masterstyles.addElement(master)

    def _outline_and_lists(self) -> None:
        outline = text.OutlineStyle(name="Outline")
        for level in range(1, 11):
            outline.addElement(text.OutlineLevelStyle(level=level, numformat=""))
        self.odt.styles.addElement(outline)
        bullets = text.ListStyle(name="Bullets", displayname="Bullets")
        for level in range(1, 4):
            bullet = text.ListLevelStyleBullet(level=level, bulletchar="••◦"[level - 1])
            bullet.addElement(
                ListLevelProperties(spacebefore=f"{0.4 * level}cm", minlabelwidth="0.4cm")
            )
            bullets.addElement(bullet)
        self.odt.styles.addElement(bullets)

    # blocks

    def _block(self, block) -> None:
        body = self.odt.text
        if isinstance(block, Heading):
            level = min(max(block.level, 1), 6)
            body.addElement(
                text.H(outlinelevel=level, stylename=f"Heading_20_{level}", text=block.text)
            )
        elif isinstance(block, Paragraph):
            body.addElement(self._p(block, PARAGRAPH_STYLES.get(block.style, "Text_20_body")))
        elif isinstance(block, BulletList):
            body.addElement(self._list(block))
        elif isinstance(block, Table):
            self._table(block)
        elif isinstance(block, Image):
            body.addElement(self._image(block))
        elif isinstance(block, PageBreak):
            body.addElement(text.P(stylename="PageBreak"))
        elif isinstance(block, TableOfContents):
            body.addElement(self._toc(block))
        else:
            raise TypeError(f"Unknown document block: {block!r}")

    def _p(self, paragraph: Paragraph, style: str):
        p = text.P(stylename=style)
        for run in paragraph.runs:
            target = p
            span_style = ("B" if run.bold else "") + ("I" if run.italic else "")
            if span_style:
                target = text.Span(stylename=span_style)
                p.addElement(target)
            for index, line in enumerate(run.text.split("\n")):
                if index:
                    target.addElement(text.LineBreak())
                if line:
                    target.addText(line)
        return p

    def _list(self, block: BulletList):
        outer = text.List(stylename="Bullets")
        container = outer
        for _ in range(block.level - 1):
            item = text.ListItem()
            container.addElement(item)
            container = text.List()
            item.addElement(container)
        for paragraph in block.items:
            item = text.ListItem()
            item.addElement(self._p(paragraph, "List_20_Bullet"))
            container.addElement(item)
        return outer

    def _table(self, block: Table) -> None:
        self.tables += 1
        width = block.width
        if block.caption:
            self.odt.text.addElement(text.P(stylename="Caption", text=block.caption))
        name = f"Tableau{self.tables}"
        table_style = Style(name=f"{name}.T", family="table")
        table_style.addElement(TableProperties(width=f"{TABLE_WIDTH_CM}cm", align="left"))
        self.odt.automaticstyles.addElement(table_style)
        grid = table.Table(name=name, stylename=table_style)
        column_style = Style(name=f"{name}.A", family="table-column")
        column_style.addElement(
            TableColumnProperties(columnwidth=f"{TABLE_WIDTH_CM / max(width, 1):.2f}cm")
        )
        self.odt.automaticstyles.addElement(column_style)
        grid.addElement(
            table.TableColumn(numbercolumnsrepeated=max(width, 1), stylename=column_style)
        )
        if block.header:
            head = table.TableHeaderRows()
            head.addElement(self._row(block.header, width, header=True))
            grid.addElement(head)
        for row in block.rows:
            grid.addElement(self._row(row, width, header=False))
        self.odt.text.addElement(grid)

    def _row(self, cells: tuple, width: int, *, header: bool):
        row = table.TableRow()
        for value in cells + ("",) * (width - len(cells)):
            cell = table.TableCell(valuetype="string", stylename="HeaderCell" if header else "Cell")
            style = "Table_20_Heading" if header else "Table_20_Contents"
            for line in value.split("\n") if value else [""]:
                cell.addElement(text.P(stylename=style, text=line))
            row.addElement(cell)
        return row

    def _image(self, block: Image):
        self.images += 1
        href = self.odt.addPicture(f"Pictures/image{self.images}.svg", "image/svg+xml", block.svg)
        frame = draw.Frame(
            stylename=self.figure_style,
            name=f"Image{self.images}",
            anchortype="paragraph",
            width=f"{block.width_cm}cm",
            height=f"{height_cm(block.svg, block.width_cm)}cm",
        )
        frame.addElement(draw.Image(href=href))
        frame.addElement(svg.Title(text=block.alt))
        frame.addElement(svg.Desc(text=block.alt))
        p = text.P(stylename="Text_20_body")
        p.addElement(frame)
        return p

    def _toc(self, block: TableOfContents):
        toc = text.TableOfContent(name="Sommaire", protected="true")
        source = text.TableOfContentSource(outlinelevel=block.depth)
        title_template = text.IndexTitleTemplate(stylename="Contents_20_Heading", text=block.title)
        source.addElement(title_template)
        for level in range(1, block.depth + 1):
            template = text.TableOfContentEntryTemplate(
                outlinelevel=level, stylename=f"Contents_20_{min(level, 3)}"
            )
            template.addElement(text.IndexEntryLinkStart())
            template.addElement(text.IndexEntryText())
            template.addElement(text.IndexEntryTabStop(type="right", leaderchar="."))
            template.addElement(text.IndexEntryPageNumber())
            template.addElement(text.IndexEntryLinkEnd())
            source.addElement(template)
        toc.addElement(source)
        body = text.IndexBody()
        title = text.IndexTitle(name="Sommaire_Head")
        title.addElement(text.P(stylename="Contents_20_Heading", text=block.title))
        body.addElement(title)
        for heading in self.document.headings(block.depth):
            body.addElement(
                text.P(stylename=f"Contents_20_{min(heading.level, 3)}", text=heading.text)
            )
        toc.addElement(body)
        return toc
