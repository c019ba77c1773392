"""A review assembled from the data, and its HTML and PDF renderings (the ODT is in `vigie/reviews/odt.py`)."""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from vigie.reviews.params import ReviewParams
from vigie.reviews.sections import Section, TocEntry, build_sections
from vigie.reviews.source import ReviewSource

PRINT_CSS = "vigie/css/review-print.css"


@dataclass
class ReviewDocument:
    params: ReviewParams
    generated_at: datetime
    author: str
    introduction: str
    sections: list[Section] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.params.title

    @property
    def plan(self):
        return self.params.plan

    @property
    def toc(self) -> list[TocEntry]:
        intro = [TocEntry("introduction", "Introduction", 1)] if self.introduction else []
        return intro + [entry for section in self.sections for entry in section.toc]


def assemble(params: ReviewParams, *, author: str = "") -> ReviewDocument:
    source = ReviewSource(params)
    return ReviewDocument(
        params=params,
        generated_at=timezone.localtime(),
        author=author,
        introduction=source.texts.get(None, ""),
        sections=build_sections(source),
    )


def print_css() -> str:
    path = finders.find(PRINT_CSS)
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def render_html(document: ReviewDocument) -> str:
    """A standalone HTML document (its stylesheet inside): what is stored, and what WeasyPrint prints."""
    return render_to_string("reviews/document.html", {"doc": document, "css": print_css()})


def render_pdf(document: ReviewDocument) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(document)).write_pdf()
