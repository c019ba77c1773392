"""A minimal, format-independent document model: a flat sequence of blocks."""

from dataclasses import dataclass, field
from enum import StrEnum


class BlockKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE_ROW = "table_row"


@dataclass(frozen=True)
class Block:
    """One unit of text as a reader found it, with inline markup already removed.

    ``level`` is the heading level (1 = top) for headings and the nesting depth (1 = top)
    for list items. ``bold_prefix`` is the leading run of bold text, if any: plans often
    put the short name of an action in bold at the start of its paragraph. ``lines`` keeps
    the original line breaks (signature blocks need them). ``line`` is the 1-based line (or
    paragraph) number in the source, for error messages.
    """

    kind: BlockKind
    text: str
    level: int = 0
    bold_prefix: str = ""
    line: int = 0
    lines: tuple[str, ...] = ()
    cells: tuple[str, ...] = field(default=())

    @property
    def is_bold(self) -> bool:
        return bool(self.text) and self.bold_prefix == self.text

    @property
    def is_heading(self) -> bool:
        return self.kind == BlockKind.HEADING
