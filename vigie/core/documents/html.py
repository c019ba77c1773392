"""HTML rendering of a document tree, and its PDF printed by WeasyPrint.

The page is self-contained (styles inline in ``<style>``, images as inline SVG): it is meant for
printing, not for the browser pages of the site (whose CSP forbids inline styles). The print CSS
numbers the pages, repeats the document's title at the top of each page, repeats table header
rows, keeps headings with what follows, and writes page numbers in the table of contents.
"""

import re

from django.utils.html import escape

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

PRINT_CSS = """
@page {
  size: A4; margin: 2.2cm 2cm 2.4cm 2cm;
  @top-center { font-size: 8pt; color: #555; }
  @bottom-right { content: "Page " counter(page) " / " counter(pages); font-size: 8pt; color: #555; }
}
@page :first { @top-center { content: none; } }
html { font-family: "Marianne", "DejaVu Sans", Arial, sans-serif; font-size: 10pt; line-height: 1.4; }
body { margin: 0; }
.doc-title { text-align: left; font-size: 22pt; font-weight: bold; margin: 4cm 0 0.6cm; }
.doc-subtitle { font-size: 14pt; margin: 0 0 1cm; }
.doc-note { font-size: 8.5pt; color: #444; }
h1, h2, h3, h4, h5, h6 { break-after: avoid; page-break-after: avoid; color: #000091; line-height: 1.2; }
h1 { font-size: 17pt; margin: 0.9cm 0 0.3cm; }
h2 { font-size: 14pt; margin: 0.7cm 0 0.25cm; }
h3 { font-size: 12pt; margin: 0.5cm 0 0.2cm; }
h4, h5, h6 { font-size: 10.5pt; margin: 0.4cm 0 0.15cm; }
p { margin: 0 0 0.25cm; orphans: 3; widows: 3; text-align: justify; }
ul { margin: 0 0 0.3cm; padding-left: 0.6cm; }
ul.level-2 { padding-left: 1.2cm; list-style-type: circle; }
ul.level-3 { padding-left: 1.8cm; list-style-type: square; }
ul.level-4 { padding-left: 2.4cm; list-style-type: square; }
li { text-align: justify; }
table { border-collapse: collapse; width: 100%; margin: 0 0 0.4cm; font-size: 9pt; }
caption { caption-side: top; text-align: left; font-weight: bold; margin-bottom: 0.15cm; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 0.5pt solid #888; padding: 0.08cm 0.3cm; text-align: left; vertical-align: top; }
th { background: #eeeef8; }
figure { margin: 0 0 0.4cm; break-inside: avoid; }
figure svg { width: 100%; height: auto; }
.nobreak { white-space: nowrap; }
.page-break { break-after: page; page-break-after: always; }
nav.toc { break-after: page; page-break-after: always; }
nav.toc ol { list-style: none; padding: 0; margin: 0; }
nav.toc li { margin: 0.08cm 0; }
nav.toc li.toc-2 { padding-left: 0.6cm; }
nav.toc li.toc-3 { padding-left: 1.2cm; }
nav.toc a { color: inherit; text-decoration: none; }
nav.toc a::after { content: leader(".") target-counter(attr(href), page); }
"""


def render_html(document: Document, *, css: str = "") -> str:
    anchors = _anchors(document)
    parts = [_block(block, document, anchors, i) for i, block in enumerate(document.blocks)]
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(document.language.split("-")[0])}">\n<head>\n'
        f'<meta charset="utf-8">\n<title>{escape(document.title)}</title>\n'
        f'<meta name="author" content="{escape(document.author)}">\n'
        f"<style>{PRINT_CSS}{_running_title(document.title)}{css}</style>\n</head>\n<body>\n"
        + "\n".join(parts)
        + "\n</body>\n</html>\n"
    )


def _running_title(title: str) -> str:
    """The document's title at the top of every page but the first, as a CSS string (quotes,
    backslashes and angle brackets escaped the CSS way: nothing can close the style element)."""
    quoted = "".join(f"\\{ord(c):x} " if c in '\\"<>\n' else c for c in title)
    return f'@page {{ @top-center {{ content: "{quoted}"; }} }}'


def render_pdf(document: Document, *, css: str = "") -> bytes:
    import weasyprint

    html = weasyprint.HTML(string=render_html(document, css=css), url_fetcher=_refuse_fetch)
    return html.write_pdf()


def _refuse_fetch(url: str, *args, **kwargs):
    """Generated documents are self-contained: nothing is fetched, from the network or the disk."""
    raise ValueError(f"Ressource externe refusée : {url[:80]}")


def _anchors(document: Document) -> dict[int, str]:
    return {
        index: f"h{index}"
        for index, block in enumerate(document.blocks)
        if isinstance(block, Heading)
    }


def _block(block, document: Document, anchors: dict[int, str], index: int) -> str:
    if isinstance(block, Heading):
        level = min(max(block.level, 1), 6)
        return f'<h{level} id="{anchors[index]}">{escape(block.text)}</h{level}>'
    if isinstance(block, Paragraph):
        css_class = f' class="doc-{block.style}"' if block.style else ""
        return f"<p{css_class}>{_runs(block)}</p>"
    if isinstance(block, BulletList):
        return _list(block)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Image):
        svg = block.svg.decode("utf-8", errors="replace").split("?>", 1)[-1].strip()
        return f'<figure role="img" aria-label="{escape(block.alt)}">{svg}</figure>'
    if isinstance(block, PageBreak):
        return '<div class="page-break"></div>'
    if isinstance(block, TableOfContents):
        return _toc(block, document, anchors)
    raise TypeError(f"Unknown document block: {block!r}")


HYPHENATED_RE = re.compile(r"\w+(?:-\w+)+")


def _text(text: str) -> str:
    """Escaped text, line breaks kept; a hyphenated word ("Saint-Céré") is never split across
    lines, so that the printed text reads back as written."""
    return "<br>".join(
        HYPHENATED_RE.sub(r'<span class="nobreak">\g<0></span>', escape(line))
        for line in text.split("\n")
    )


def _runs(paragraph: Paragraph) -> str:
    out = []
    for run in paragraph.runs:
        text = _text(run.text)
        if run.italic:
            text = f"<em>{text}</em>"
        if run.bold:
            text = f"<strong>{text}</strong>"
        out.append(text)
    return "".join(out)


def _list(block: BulletList) -> str:
    items = "".join(f"<li>{_runs(item)}</li>" for item in block.items)
    level = min(max(block.level, 1), 4)
    return f'<ul class="level-{level}">{items}</ul>'


def _table(block: Table) -> str:
    width = block.width
    caption = f"<caption>{escape(block.caption)}</caption>" if block.caption else ""
    head = ""
    if block.header:
        cells = "".join(
            f'<th scope="col">{escape(cell)}</th>' for cell in _pad(block.header, width)
        )
        head = f"<thead><tr>{cells}</tr></thead>"
    rows = "".join(
        "<tr>" + "".join(f"<td>{_cell(cell)}</td>" for cell in _pad(row, width)) + "</tr>"
        for row in block.rows
    )
    return f"<table>{caption}{head}<tbody>{rows}</tbody></table>"


def _cell(text: str) -> str:
    return _text(text)


def _pad(row: tuple, width: int) -> tuple:
    return row + ("",) * (width - len(row))


def _toc(block: TableOfContents, document: Document, anchors: dict[int, str]) -> str:
    items = [
        f'<li class="toc-{b.level}"><a href="#{anchors[i]}">{escape(b.text)}</a></li>'
        for i, b in enumerate(document.blocks)
        if isinstance(b, Heading) and b.level <= block.depth
    ]
    return f'<nav class="toc"><h2>{escape(block.title)}</h2><ol>{"".join(items)}</ol></nav>'
