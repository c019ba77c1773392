"""The document tree and its renderers: files parsed back by odfpy, python-docx and pypdf."""

import zipfile
from decimal import Decimal
from io import BytesIO

import docx
import pytest
from odf import opendocument, table, teletype, text
from odf.namespaces import TEXTNS

from vigie.core.charts import Bars, bar_chart
from vigie.core.documents import (
    BulletList,
    Document,
    Heading,
    Image,
    PageBreak,
    Paragraph,
    Run,
    Table,
    TableOfContents,
    render_docx,
    render_html,
    render_odt,
    render_pdf,
)

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100">'
    '<rect x="10" y="10" width="120" height="40" fill="#000091"/></svg>'
)


def sample() -> Document:
    return Document(
        title="Bilan 2024 du plan",
        blocks=[
            Paragraph.of("Bilan 2024 du plan", style="title"),
            TableOfContents(),
            Heading(1, "Axe 1 : Les jeunes"),
            Paragraph([Run("Action 1 : ", bold=True), Run("repérer "), Run("vite", italic=True)]),
            Heading(2, "Mesure 1.1 : Prévenir le décrochage"),
            BulletList(["premier point", Paragraph([Run("second", bold=True)])]),
            BulletList(["sous-point"], level=2),
            Table(
                header=["Indicateur", "Valeur", "Cible"],
                rows=[["Élèves suivis", "12", "20"], ["Réunions\ntenues", "3"]],
                caption="Tableau 1 : indicateurs",
            ),
            Image(svg=SVG, alt="Barres des élèves suivis"),
            PageBreak(),
            Heading(1, "Axe 2 : Les victimes <& co>"),
            Paragraph.of("Signé à Auch\nle préfet"),
        ],
    )


def odt_headings(doc) -> list[tuple[int, str]]:
    return [
        (int(h.getAttribute("outlinelevel")), teletype.extractText(h))
        for h in doc.text.getElementsByType(text.H)
    ]


def test_odt_has_outline_headings_bold_spans_lists_and_header_rows():
    data = render_odt(sample())
    doc = opendocument.load(BytesIO(data))
    assert odt_headings(doc) == [
        (1, "Axe 1 : Les jeunes"),
        (2, "Mesure 1.1 : Prévenir le décrochage"),
        (1, "Axe 2 : Les victimes <& co>"),
    ]
    heading_styles = {h.getAttribute("stylename") for h in doc.text.getElementsByType(text.H)}
    assert heading_styles == {"Heading_20_1", "Heading_20_2"}
    styles = {
        s.getAttribute("name"): s for s in doc.styles.childNodes if s.tagName == "style:style"
    }
    assert styles["Heading_20_1"].getAttribute("defaultoutlinelevel") == "1"
    assert styles["Heading_20_1"].getAttribute("displayname") == "Heading 1"
    bold = [teletype.extractText(s) for s in doc.text.getElementsByType(text.Span)]
    assert "Action 1 : " in bold and "second" in bold
    items = [teletype.extractText(i) for i in doc.text.getElementsByType(text.ListItem)]
    assert "premier point" in items and "sous-point" in items
    grid = doc.text.getElementsByType(table.Table)[0]
    header = grid.getElementsByType(table.TableHeaderRows)[0]
    assert [teletype.extractText(c) for c in header.getElementsByType(table.TableCell)] == [
        "Indicateur",
        "Valeur",
        "Cible",
    ]
    assert len(grid.getElementsByType(table.TableRow)) == 3
    toc = doc.text.getElementsByType(text.TableOfContent)
    assert len(toc) == 1 and "Axe 2 : Les victimes <& co>" in teletype.extractText(toc[0])
    with zipfile.ZipFile(BytesIO(data)) as archive:
        pictures = [n for n in archive.namelist() if n.startswith("Pictures/")]
        assert archive.read(pictures[0]).startswith(b"<svg")
    assert b"Barres des \xc3\xa9l\xc3\xa8ves suivis" in zipfile.ZipFile(BytesIO(data)).read(
        "content.xml"
    )


def test_odt_pages_have_the_title_and_page_numbers():
    doc = opendocument.load(BytesIO(render_odt(sample())))
    [master] = [e for e in doc.masterstyles.childNodes if e.tagName == "style:master-page"]
    assert teletype.extractText(master.getElementsByType(text.P)[0]) == "Bilan 2024 du plan"
    assert master.getElementsByType(text.PageNumber) and master.getElementsByType(text.PageCount)


def test_odt_line_breaks_and_title_style():
    doc = opendocument.load(BytesIO(render_odt(sample())))
    paragraphs = doc.text.getElementsByType(text.P)
    signature = [p for p in paragraphs if "Signé à Auch" in teletype.extractText(p)][0]
    assert signature.getElementsByType(text.LineBreak)
    assert any(p.getAttribute("stylename") == "Title" for p in paragraphs)
    assert doc.text.getElementsByType(text.H)[0].qname == (TEXTNS, "h")


def test_docx_has_heading_styles_runs_lists_and_header_rows():
    data = render_docx(sample())
    word = docx.Document(BytesIO(data))
    headings = [
        (p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("Heading")
    ]
    assert headings == [
        ("Heading 1", "Axe 1 : Les jeunes"),
        ("Heading 2", "Mesure 1.1 : Prévenir le décrochage"),
        ("Heading 1", "Axe 2 : Les victimes <& co>"),
    ]
    action = [p for p in word.paragraphs if p.text.startswith("Action 1")][0]
    assert [(r.text, bool(r.bold), bool(r.italic)) for r in action.runs] == [
        ("Action 1 : ", True, False),
        ("repérer ", False, False),
        ("vite", False, True),
    ]
    bullets = [(p.style.name, p.text) for p in word.paragraphs if "List" in p.style.name]
    assert bullets == [
        ("List Bullet", "premier point"),
        ("List Bullet", "second"),
        ("List Bullet", "sous-point"),
    ]
    nested = [p for p in word.paragraphs if p.text == "sous-point"][0]
    assert nested._p.pPr.numPr.ilvl.val == 1
    grid = word.tables[0]
    assert [c.text for c in grid.rows[0].cells] == ["Indicateur", "Valeur", "Cible"]
    assert grid.rows[0]._tr.trPr.xml.count("tblHeader") == 1
    assert [c.text for c in grid.rows[2].cells] == ["Réunions\ntenues", "3", ""]
    assert word.core_properties.title == "Bilan 2024 du plan"
    assert word.inline_shapes[0]._inline.docPr.get("descr") == "Barres des élèves suivis"
    section = word.sections[0]
    assert section.header.paragraphs[0].text == "Bilan 2024 du plan"
    footer = section.footer.paragraphs[0]._p.xml
    assert 'w:instr=" PAGE "' in footer and 'w:instr=" NUMPAGES "' in footer
    body = word.element.body.xml
    assert "Table of Contents" in body and 'TOC \\o "1-3"' in body
    assert '<w:br w:type="page"/>' in body


def test_html_is_escaped_and_structured():
    html = render_html(sample())
    assert '<html lang="fr">' in html
    assert "<h1 id=" in html and "<h2 id=" in html
    assert "Axe 2 : Les victimes &lt;&amp; co&gt;" in html
    assert "<strong>Action 1 : </strong>" in html and "<em>vite</em>" in html
    assert '<th scope="col">Indicateur</th>' in html and "<caption>Tableau 1" in html
    assert 'role="img" aria-label="Barres des élèves suivis"' in html
    assert "Signé à Auch<br>le préfet" in html
    assert 'class="toc"' in html and "target-counter" in html
    assert '@top-center { content: "Bilan 2024 du plan"; }' in html
    tricky = render_html(Document(title='Le "plan" </style><script>', blocks=[]))
    assert "</style><script>" not in tricky
    assert 'content: "Le \\22 plan\\22  \\3c /style\\3e \\3c script\\3e "' in tricky


def test_pdf_holds_the_text_and_numbers_pages():
    from pypdf import PdfReader

    reader = PdfReader(BytesIO(render_pdf(sample())))
    content = "\n".join(page.extract_text() for page in reader.pages)
    assert "Axe 1 : Les jeunes" in content and "Mesure 1.1" in content
    assert "Élèves suivis" in content
    assert f"Page 1 / {len(reader.pages)}" in content
    first, *others = (page.extract_text() for page in reader.pages)
    assert others and all("Bilan 2024 du plan" in page for page in others)  # running title
    assert first.count("Bilan 2024 du plan") == 1  # the title paragraph: no running title
    assert reader.metadata.title == "Bilan 2024 du plan"


def test_pdf_fetches_nothing(monkeypatch):
    from vigie.core.documents import html

    asked = []
    original = html._refuse_fetch

    def refuse(url, *args, **kwargs):
        asked.append(url)
        return original(url, *args, **kwargs)

    monkeypatch.setattr(html, "_refuse_fetch", refuse)
    svg = (
        '<svg viewBox="0 0 10 10"><image href="file:///etc/hostname" width="10" height="10"/></svg>'
    )
    pdf = render_pdf(Document(title="x", blocks=[Image(svg=svg, alt="x")]))
    assert pdf.startswith(b"%PDF")
    assert asked == ["file:///etc/hostname"]
    with pytest.raises(ValueError):
        html._refuse_fetch("https://example.org/x.png")


def test_a_vigie_chart_goes_into_odt_and_docx():
    chart = bar_chart(
        chart_id="b1",
        title="Élèves suivis",
        description="Par année",
        categories=["2023", "2024"],
        series=[Bars("Suivis", [Decimal("12"), Decimal("20")])],
    )
    document = Document(title="x", blocks=[Image(svg=str(chart), alt="Élèves suivis")])
    with zipfile.ZipFile(BytesIO(render_odt(document))) as archive:
        svg = [archive.read(n) for n in archive.namelist() if n.endswith(".svg")]
    assert len(svg) == 1 and b"<svg" in svg[0]
    word = docx.Document(BytesIO(render_docx(document)))
    picture = word.inline_shapes[0]
    assert picture.width > 0 and picture.height > 0
    blob = word.part.related_parts[picture._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
    assert blob.startswith(b"\x89PNG")


def test_unknown_block_is_refused():
    with pytest.raises(TypeError):
        render_odt(Document(title="x", blocks=[object()]))
