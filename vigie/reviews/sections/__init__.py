"""The sections of a review, in order. Each builder takes the shared `ReviewSource` and returns a `Section`
(or None when it has nothing to say). A new section (e.g. the money by axis, measure and fund once the funding
app exists) is one more module here: a builder, a template `reviews/sections/<key>.html` and a writer in
`vigie/reviews/odt.py`; until it is listed below it is simply absent from every review."""

from dataclasses import dataclass, field


@dataclass
class TocEntry:
    anchor: str
    title: str
    level: int = 1


@dataclass
class Section:
    key: str
    title: str
    data: dict
    toc: list[TocEntry] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"section-{self.key}"

    @property
    def template(self) -> str:
        return f"reviews/sections/{self.key}.html"


def section_builders():
    from vigie.reviews.sections import figures, governance, late, plan, statistics

    return [figures.build, plan.build, statistics.build, governance.build, late.build]


def build_sections(source) -> list[Section]:
    sections = []
    for build in section_builders():
        section = build(source)
        if section is not None:
            section.toc.insert(0, TocEntry(section.anchor, section.title, 1))
            sections.append(section)
    return sections
