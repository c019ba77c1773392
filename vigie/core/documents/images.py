"""SVG images of generated documents: their aspect ratio, and a PNG rendering for DOCX."""

import re
from io import BytesIO

NUMBER_RE = r"([0-9]+(?:\.[0-9]+)?)"
VIEWBOX_RE = re.compile(
    rb'viewBox="\s*[-0-9.]+[\s,]+[-0-9.]+[\s,]+'
    + NUMBER_RE.encode()
    + rb"[\s,]+"
    + NUMBER_RE.encode()
)
WIDTH_RE = re.compile(rb'<svg[^>]*?\swidth="' + NUMBER_RE.encode())
HEIGHT_RE = re.compile(rb'<svg[^>]*?\sheight="' + NUMBER_RE.encode())


def svg_size(svg: bytes) -> tuple[float, float]:
    """The SVG's (width, height) in its own units: its viewBox, else its width and height."""
    if match := VIEWBOX_RE.search(svg):
        width, height = float(match.group(1)), float(match.group(2))
    else:
        width_match, height_match = WIDTH_RE.search(svg), HEIGHT_RE.search(svg)
        width = float(width_match.group(1)) if width_match else 400.0
        height = float(height_match.group(1)) if height_match else 300.0
    if width <= 0 or height <= 0:
        return 400.0, 300.0
    return width, height


def height_cm(svg: bytes, width_cm: float) -> float:
    width, height = svg_size(svg)
    return round(width_cm * height / width, 2)


def svg_to_png(svg: bytes, width_cm: float, *, dpi: int = 150) -> bytes:
    """A PNG of the SVG, drawn by WeasyPrint (into a one-page PDF) then rasterised by PDFium."""
    import pypdfium2
    import weasyprint

    page_height = height_cm(svg, width_cm)
    html = (
        f"<style>@page {{ size: {width_cm}cm {page_height}cm; margin: 0 }}"
        "body { margin: 0 } svg { width: 100%; height: 100% }</style>"
    ) + svg.decode("utf-8", errors="replace").split("?>", 1)[-1]
    pdf = weasyprint.HTML(string=html).write_pdf()
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=dpi / 72).to_pil()
    finally:
        document.close()
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
