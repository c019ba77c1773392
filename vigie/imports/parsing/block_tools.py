"""Blocks as a whole: fiches laid out as tables turned into labelled paragraphs before
parsing, runs of glossary definitions and the numbering of measure headings found ahead of
the walk, and blocks rendered back to plain text (introductions, context sections)."""

from vigie.imports.parsing.vocabulary import (
    AXIS_RE,
    DEFINITION_RE,
    FICHE_NUMBER_RE,
    LONG_PARAGRAPH_WORDS,
    MEASURE_RE,
    STRATEGIC_RE,
    TITLE_LABEL_RE,
    fold,
    part_for_label,
    without_colon,
    word_count,
)
from vigie.imports.reading.blocks import Block, BlockKind


def render_blocks(blocks: list[Block], *, tables: bool = True) -> str:
    """Plain text of blocks: paragraphs separated by a blank line, lists and tables line by line."""
    chunks: list[list[str]] = []
    previous_kind = None
    for block in blocks:
        if block.kind == BlockKind.TABLE_ROW and not tables:
            continue
        if block.kind == BlockKind.LIST_ITEM:
            line = "  " * (block.level - 1) + "- " + block.text
        else:
            line = block.text
        grouped = block.kind in (BlockKind.LIST_ITEM, BlockKind.TABLE_ROW)
        if grouped and previous_kind == block.kind and chunks:
            chunks[-1].append(line)
        else:
            chunks.append([line])
        previous_kind = block.kind
    return "\n\n".join("\n".join(chunk) for chunk in chunks)


def from_first_long_paragraph(blocks: list[Block]) -> list[Block]:
    """Drops cover material (logos, mottos, tables of contents) before the first real text,
    keeping the headings that introduce that text."""
    for index, block in enumerate(blocks):
        if block.kind == BlockKind.PARAGRAPH and word_count(block.text) >= LONG_PARAGRAPH_WORDS:
            start = index
            while start > 0 and blocks[start - 1].is_heading:
                start -= 1
            return blocks[start:]
    return []


def expand_label_tables(blocks: list[Block]) -> list[Block]:
    """Fiches laid out as two-column tables ("Pilote | Préfecture", "Indicateurs | …") are
    turned into the labelled paragraphs the parser reads: "Pilote : Préfecture", or the
    label followed by one list item per line of the cell."""
    result: list[Block] = []
    for block in blocks:
        cells = [cell.strip() for cell in block.cells if cell and cell.strip()]
        if block.kind != BlockKind.TABLE_ROW or len(cells) < 2 or "\n" in cells[0]:
            result.append(block)
            continue
        label = without_colon(cells[0])
        key = fold(label)
        is_part = part_for_label(label) is not None or TITLE_LABEL_RE.match(key)
        is_heading = any(
            pattern.match(key) for pattern in (FICHE_NUMBER_RE, MEASURE_RE, AXIS_RE, STRATEGIC_RE)
        ) or key in ("mesure", "fiche action", "fiche-action", "axe", "priorite", "orientation")
        if not (is_part or is_heading):
            result.append(block)
            continue
        values = [line.strip() for cell in cells[1:] for line in cell.split("\n") if line.strip()]
        if len(values) == 1 or is_heading:
            text = f"{label} : {' '.join(values)}"
            result.append(Block(BlockKind.PARAGRAPH, text, line=block.line, lines=(text,)))
            continue
        result.append(
            Block(BlockKind.PARAGRAPH, f"{label} :", bold_prefix=f"{label} :", line=block.line)
        )
        result += [
            Block(BlockKind.LIST_ITEM, value, level=1, line=block.line, lines=(value,))
            for value in values
        ]
    return result


def glossary_runs(blocks: list[Block], minimum: int = 3) -> set[int]:
    """Indexes of paragraphs that belong to a run of at least ``minimum`` "SIGLE : définition"."""
    indexes: set[int] = set()
    run: list[int] = []
    for index, block in enumerate([*blocks, None]):
        if (
            block is not None
            and block.kind == BlockKind.PARAGRAPH
            and DEFINITION_RE.match(block.text)
        ):
            run.append(index)
            continue
        if len(run) >= minimum:
            indexes.update(run)
        run = []
    return indexes


def heading_number_depths(blocks: list[Block]) -> dict[str, set[int]]:
    """For each numbered measure pattern, the forms of the numbers of the blocks set as
    headings or in bold (0 for "Fiche action n°3", 1 for "Mesure 1.2")."""
    depths: dict[str, set[int]] = {}
    for block in blocks:
        if not (block.is_heading or block.bold_prefix):
            continue
        key = fold(block.text)
        for pattern in (MEASURE_RE, FICHE_NUMBER_RE):
            if match := pattern.match(key):
                depths.setdefault(pattern.pattern, set()).add(match.group("number").count("."))
    return depths
