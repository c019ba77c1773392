"""Reader for PDF documents with a text layer: characters → lines → blocks.

PDFium (``pypdfium2``) gives each character with its box, font size and font; from those:

1. characters are grouped into pieces of text (a large horizontal gap starts a new piece: a
   table cell, a tabulated column), and pieces into visual lines (same height on the page);
   a space PDFium reports for a mere gap before ",", ".", ";", ":" or ")" (narrower than the
   line's word spaces, no space character in the document) is dropped, while the document's
   own spaces (French non-breaking space before ";" or ":") are kept;
2. running headers and footers are removed: among the first and last two lines of each page,
   a line that recurs (digits ignored) on at least half of the pages, and page numbers
   ("12", "Page 3 / 40", "3/40");
3. the body size is the size most characters have; larger sizes are headings, ranked by size
   (the largest is level 1);
4. lines are joined into paragraphs while the line spacing stays that of the paragraph's
   size; a larger gap, a change of size, a bullet (•, –, ▪, Wingdings…), a numbered item
   ("1."), a short line ending a sentence, or a change of indentation (from the paragraph's
   second line: the first may have a first-line indent) starts a new block;
   bullets give list items, whose level is the rank of the bullet's indentation;
5. a line made of several pieces far apart is a table row (``cells``); the lines below it
   whose pieces start at the same columns continue its cells;
6. bold comes from the font name (Bold, Black, Heavy, Semibold, Demi) or a weight ≥ 600;
   the leading bold characters of a paragraph give ``bold_prefix``.

Refused with a French message: an encrypted PDF that cannot be opened without a password
(a PDF protected only against copying or printing opens without one and is read), a damaged
file, more than ``MAX_PAGES`` pages, and a PDF without a text layer (a scan).
"""

import ctypes
import re
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from vigie.imports.errors import PlanImportError
from vigie.imports.reading.blocks import Block, BlockKind
from vigie.imports.reading.safety import PDF_NO_PAGE, pdf_refusal
from vigie.imports.reading.text import WHITESPACE_RE

MAX_PAGES = 1000
MIN_CHARS_PER_PAGE = 20
CELL_GAP_EM = 1.3  # a horizontal gap wider than this (in font sizes) separates table cells
HEADING_RATIO = 1.12  # sizes at least this much larger than the body are headings
SIZE_STEP = 0.6  # sizes closer than this (points) are the same level
BULLETS = set("•●▪■◦○‣⁃–—-➢►▶✓✔❖◆◇□·*")
NUMBERED_RE = re.compile(r"^(?:\d{1,2}|[a-z])[.)]\s+\S")
PAGE_NUMBER_RE = re.compile(
    r"^(?:page\s*)?\d{1,4}(?:\s*(?:/|sur|de)\s*\d{1,4})?$|^[-–—]\s*\d{1,4}\s*[-–—]$",
    re.IGNORECASE,
)
BOLD_NAME_RE = re.compile(r"bold|black|heavy|semibold|demi|,b\b|-b\b|extrabold", re.IGNORECASE)
SENTENCE_END = (".", ":", ";", "!", "?", "»", ")")
# Never after a space the document does not have (PDFium reports a gap as a space).
CLOSING_PUNCTUATION = ",.;:)"

Progress = Callable[[float], None] | None


@dataclass
class _Char:
    char: str
    left: float
    right: float
    bottom: float
    top: float
    size: float
    bold: bool
    generated: bool = False  # a space PDFium reports for a gap: not in the document


@dataclass
class _Piece:
    chars: list[_Char]

    @property
    def text(self) -> str:
        return _clean("".join(c.char for c in self.chars))

    @property
    def left(self) -> float:
        return min(c.left for c in self.chars if c.char != " ")

    @property
    def right(self) -> float:
        return max(c.right for c in self.chars if c.char != " ")

    @property
    def top(self) -> float:
        return max(c.top for c in self.chars if c.char != " ")

    @property
    def bottom(self) -> float:
        return min(c.bottom for c in self.chars if c.char != " ")


@dataclass
class _Line:
    page: int
    pieces: list[_Piece]
    size: float = 0.0
    left: float = 0.0
    right: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    bullet: bool = False
    text_left: float = 0.0  # where the text starts after a bullet
    flags: list[tuple[str, bool]] = field(default_factory=list)

    def finish(self) -> None:
        self.pieces.sort(key=lambda piece: piece.left)
        chars = [c for piece in self.pieces for c in piece.chars if c.char != " "]
        sizes = Counter(round(c.size * 2) / 2 for c in chars)
        self.size = sizes.most_common(1)[0][0]
        self.left = min(piece.left for piece in self.pieces)
        self.right = max(piece.right for piece in self.pieces)
        self.top = max(piece.top for piece in self.pieces)
        self.bottom = min(piece.bottom for piece in self.pieces)
        first = self.pieces[0].text
        if first in BULLETS or (len(first) == 1 and 0xF000 <= ord(first) <= 0xF0FF):
            self.bullet = True
            self.pieces = self.pieces[1:] or self.pieces
        elif first[:1] in BULLETS and first[1:2] == " " and first[:1] not in "*":
            self.bullet = True
            piece = self.pieces[0]
            index = next(i for i, c in enumerate(piece.chars) if c.char == first[0])
            piece.chars = piece.chars[index + 1 :]
        self.text_left = min(piece.left for piece in self.pieces)
        self.flags = [
            (c.char, c.bold) for index, piece in enumerate(self.pieces) for c in piece.chars
        ]

    @property
    def text(self) -> str:
        return _clean(" ".join(piece.text for piece in self.pieces))

    @property
    def cells(self) -> list[str]:
        return [piece.text for piece in self.pieces]

    @property
    def bold(self) -> bool:
        letters = [bold for char, bold in self.flags if char.strip()]
        return bool(letters) and all(letters)


def _clean(text: str) -> str:
    return WHITESPACE_RE.sub(" ", text.replace("\u00a0", " ").replace("\u00ad", "")).strip()


# --- extraction ------------------------------------------------------------------------------


def read_pdf(data: bytes, *, progress: Progress = None) -> list[Block]:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        # PDFium's error code may be that of the previous file: the file itself says why.
        raise pdf_refusal(data) from None
    try:
        count = len(document)
        if count == 0:
            raise PlanImportError(PDF_NO_PAGE)
        if count > MAX_PAGES:
            raise PlanImportError(
                f"Le PDF compte {count} pages : au-delà de {MAX_PAGES} pages, déposez le plan "
                "en plusieurs parties ou au format Word / LibreOffice."
            )
        pages = []
        for index in range(count):
            pages.append(_page_lines(document, index))
            if progress is not None:
                progress((index + 1) / count)
    finally:
        document.close()
    characters = sum(len(line.flags) for lines in pages for line in lines)
    if characters < MIN_CHARS_PER_PAGE * len(pages):
        raise PlanImportError(
            "Ce PDF ne contient pas de texte : c'est probablement un scan (une image de chaque "
            "page). Déposez le document d'origine (Word, LibreOffice) ou un PDF exporté depuis "
            "celui-ci ; un PDF numérisé doit d'abord passer par une reconnaissance de caractères."
        )
    _drop_running_lines(pages)
    lines = [line for page in pages for line in page]
    return _Assembler(lines).blocks()


def _page_lines(document, index: int) -> list[_Line]:
    import pypdfium2.raw as raw

    page = document[index]
    textpage = page.get_textpage()
    try:
        chars = _characters(raw, textpage)
    finally:
        textpage.close()
        page.close()
    pieces = _pieces(_without_gap_spaces(chars))
    return _lines(index, pieces)


def _characters(raw, textpage) -> list[_Char | None]:
    """Characters of a page in reading order; None marks a line break."""
    handle = textpage.raw
    count = raw.FPDFText_CountChars(handle)
    if count <= 0:
        return []
    buffer = ctypes.create_string_buffer((count + 1) * 2)
    written = raw.FPDFText_GetText(
        handle, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort))
    )
    text = buffer.raw[: max(written - 1, 0) * 2].decode("utf-16-le", errors="replace")
    if len(text) != count:  # characters outside the BMP: one code point per character
        text = "".join(chr(raw.FPDFText_GetUnicode(handle, i) or 32) for i in range(count))
    rect = raw.FS_RECTF()
    matrix = raw.FS_MATRIX()
    name_buffer = ctypes.create_string_buffer(256)
    fonts: dict[int, tuple[float, bool]] = {}
    result: list[_Char | None] = []
    for index, char in enumerate(text):
        if char in "\r\n":
            if result and result[-1] is not None:
                result.append(None)
            continue
        if char in "\x02\ufffe\u00ad":  # PDFium's mark for a hyphen it takes for hyphenation
            char = "-"
        elif char in "\uffff\x00" or (char.isspace() and char != " "):
            char = " "
        obj = raw.FPDFText_GetTextObject(handle, index)
        key = ctypes.cast(obj, ctypes.c_void_p).value or 0
        style = fonts.get(key)
        if style is None:
            raw.FPDFText_GetMatrix(handle, index, matrix)
            scale = (matrix.c**2 + matrix.d**2) ** 0.5 or 1.0
            raw.FPDFText_GetFontInfo(handle, index, name_buffer, 256, None)
            name = name_buffer.value.decode("latin-1", errors="replace")
            weight = raw.FPDFText_GetFontWeight(handle, index)
            size = raw.FPDFText_GetFontSize(handle, index) * scale
            # one text object, one font and size: looked up once per object
            style = fonts[key] = (size, bool(BOLD_NAME_RE.search(name)) or weight >= 600)
        if char == " ":
            generated = bool(raw.FPDFText_IsGenerated(handle, index))
            result.append(_Char(" ", 0, 0, 0, 0, 0, style[1], generated))
            continue
        raw.FPDFText_GetLooseCharBox(handle, index, rect)
        result.append(_Char(char, rect.left, rect.right, rect.bottom, rect.top, style[0], style[1]))
    return result


def _without_gap_spaces(chars: list[_Char | None]) -> list[_Char | None]:
    """Drops the spaces PDFium reports for a mere gap before a comma, a full stop, a
    semicolon, a colon or a closing parenthesis ("violences , notamment" in a justified
    line, where the word processor placed the comma a little apart from its word).

    Such a space is not in the document (``generated``) and is narrower than the usual gap
    between two words of its line: justification only ever widens the spaces of a line, so
    a space the document has before ":" ("Priorité n° 2 :") is as wide as the others. A
    space character of the document (a French non-breaking space before ";" or ":") is
    always kept."""
    result: list[_Char | None] = []
    line: list[_Char] = []
    for char in chars:
        if char is not None:
            line.append(char)
            continue
        result += _line_without_gap_spaces(line)
        result.append(None)
        line = []
    return result + _line_without_gap_spaces(line)


def _line_without_gap_spaces(line: list[_Char]) -> list[_Char]:
    gaps = []  # (first space, end of the spaces, gap, all generated, following character)
    index = 0
    while index < len(line):
        if line[index].char != " " or index == 0 or line[index - 1].char == " ":
            index += 1
            continue
        end = index
        while end < len(line) and line[end].char == " ":
            end += 1
        if end < len(line):
            spaces = line[index:end]
            gap = line[end].left - line[index - 1].right
            generated = all(space.generated for space in spaces)
            gaps.append((index, end, gap, generated, line[end]))
        index = end
    words = [gap for _, _, gap, _, char in gaps if char.char not in CLOSING_PUNCTUATION]
    dropped: set[int] = set()
    for start, end, gap, generated, char in gaps:
        usual = statistics.median(words) if words else 0.3 * char.size
        if generated and char.char in CLOSING_PUNCTUATION and gap < 0.75 * usual:
            dropped.update(range(start, end))
    return [char for index, char in enumerate(line) if index not in dropped]


def _pieces(chars: list[_Char | None]) -> list[_Piece]:
    """Runs of characters between line breaks, cut at wide horizontal gaps."""
    pieces: list[_Piece] = []
    current: list[_Char] = []
    previous: _Char | None = None

    def close() -> None:
        nonlocal current
        if any(c.char != " " for c in current):
            pieces.append(_Piece(current))
        current = []

    for char in chars:
        if char is None:
            close()
            previous = None
            continue
        if char.char == " ":
            current.append(char)
            continue
        if previous is not None:
            gap = char.left - previous.right
            same_line = abs((char.top + char.bottom) - (previous.top + previous.bottom)) / 2 < (
                0.5 * max(char.top - char.bottom, 1.0)
            )
            if (
                not same_line
                or gap > CELL_GAP_EM * max(char.size, previous.size)
                or gap < -2 * char.size
            ):
                close()
        current.append(char)
        previous = char
    close()
    return pieces


def _lines(page: int, pieces: list[_Piece]) -> list[_Line]:
    """Pieces at the same height make one visual line; lines from top to bottom."""
    lines: list[_Line] = []
    for piece in sorted(pieces, key=lambda p: (-p.top, p.left)):
        center, height = (piece.top + piece.bottom) / 2, piece.top - piece.bottom
        for line in reversed(lines[-3:]):
            line_center = (line.top + line.bottom) / 2
            line_height = line.top - line.bottom
            if abs(center - line_center) < 0.35 * min(height, line_height):
                line.pieces.append(piece)
                line.top, line.bottom = max(line.top, piece.top), min(line.bottom, piece.bottom)
                break
        else:
            lines.append(_Line(page=page, pieces=[piece], top=piece.top, bottom=piece.bottom))
    for line in lines:
        line.finish()
    return [line for line in lines if line.text]


def _fold_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower()).strip()


def _is_running(occurrences: list[tuple[int, str]]) -> bool:
    """Lines with the same text but for their numbers recur on many pages: a running header
    or footer when the text is the same, or when one of its numbers follows the page number
    ("Page 3 / 40", "PDPD du Lot — 12"); headings that only look alike ("Mesure 1.1 …",
    "Mesure 2.3 …" at the top of pages) are not."""
    texts = {text for _, text in occurrences}
    if len(texts) == 1:
        return True
    offsets: Counter = Counter()
    for page, text in occurrences:
        offsets.update({int(n) - page for n in set(re.findall(r"\d+", text))})
    return bool(offsets) and offsets.most_common(1)[0][1] >= 0.8 * len(occurrences)


def _drop_running_lines(pages: list[list[_Line]]) -> None:
    """Removes running headers and footers and page numbers, in place.

    A running line is among the first or last two lines of its page (the first or last one
    on a page of four lines or fewer), at the same height on every page where it recurs,
    not larger than the body text, not a part of a fiche ("Pilote :", "Mesure 1.2"), and
    recurs on at least half of the pages (see ``_is_running``)."""
    from vigie.imports.parsing.structure import looks_structural

    def candidates(lines: list[_Line]) -> list[_Line]:
        return [*lines[:2], *lines[-2:]] if len(lines) > 4 else [*lines[:1], *lines[-1:]]

    sizes: Counter = Counter()
    for lines in pages:
        for line in lines:
            sizes[line.size] += len(line.flags)
    body = sizes.most_common(1)[0][0] if sizes else 10.0
    groups: dict[str, dict[int, _Line]] = {}
    for index, lines in enumerate(pages):
        for line in candidates(lines):
            if line.size <= body * 1.05 and not looks_structural(line.text):
                groups.setdefault(_fold_key(line.text), {}).setdefault(index, line)
    threshold = max(2, (len(pages) + 1) // 2)
    running = set()
    for key, found in groups.items():
        if len(pages) < 2 or len(found) < threshold:
            continue
        heights = Counter(round(line.bottom / 3) for line in found.values())
        if heights.most_common(1)[0][1] < 0.8 * len(found):
            continue
        if _is_running(sorted((page, line.text) for page, line in found.items())):
            running.add(key)
    for index, lines in enumerate(pages):
        edge = {id(line) for line in candidates(lines)}
        pages[index] = [
            line
            for line in lines
            if id(line) not in edge
            or (_fold_key(line.text) not in running and not PAGE_NUMBER_RE.match(line.text))
        ]


# --- assembly --------------------------------------------------------------------------------


class _Assembler:
    def __init__(self, lines: list[_Line]):
        self.lines = lines
        sizes: Counter = Counter()
        for line in lines:
            sizes[line.size] += len(line.flags)
        # Body text is made of full lines of one piece; tables often use a smaller size.
        prose = Counter()
        for line in lines:
            if len(line.pieces) == 1:
                prose[line.size] += len(line.flags)
        self.body = (prose or sizes).most_common(1)[0][0] if sizes else 10.0
        self.levels = self._heading_levels(sizes)
        self.pitch = self._pitches()
        bullet_lefts = sorted({round(line.left / 3) * 3 for line in lines if line.bullet})
        self.bullet_levels = _cluster(bullet_lefts, 6.0)
        self.column_right = max((line.right for line in lines), default=0.0)
        self.column_left = min((line.left for line in lines), default=0.0)

    def _heading_levels(self, sizes: Counter) -> dict[float, int]:
        """Sizes larger than the body's, ranked; a size that carries a large share of the
        text is body text (of another part of the document), not a heading."""
        total = sum(sizes.values()) or 1
        larger = sorted(
            (s for s in sizes if s >= self.body * HEADING_RATIO and sizes[s] / total < 0.2),
            reverse=True,
        )
        levels: dict[float, int] = {}
        level, previous = 0, None
        for size in larger:
            if previous is None or previous - size > SIZE_STEP:
                level += 1
            levels[size] = min(level, 6)
            previous = size
        return levels

    def _pitches(self) -> dict[float, float]:
        """The usual distance between two lines of one paragraph, per font size."""
        samples: dict[float, list[float]] = {}
        for previous, line in zip(self.lines, self.lines[1:], strict=False):
            if previous.page == line.page and previous.size == line.size:
                pitch = previous.bottom - line.bottom
                if 0 < pitch < 2.5 * line.size:
                    samples.setdefault(line.size, []).append(round(pitch, 1))
        result = {}
        for size, values in samples.items():
            counts = Counter(round(value * 2) / 2 for value in values)
            frequent = [
                pitch for pitch, count in counts.items() if count >= max(2, len(values) // 20)
            ]
            estimate = min(frequent) if frequent else statistics.median(values)
            # Lines of one paragraph are rarely more than 1.45 font sizes apart; a larger
            # estimate comes from a text made of one-line paragraphs.
            result[size] = min(estimate, 1.45 * size)
        return result

    def level(self, line: _Line) -> int:
        return self.levels.get(line.size, 0)

    def _mark_tables(self) -> None:
        """Lines of several pieces are table rows only when a neighbouring line shares at least
        two of their column starts (justified text spreads words, but never in columns)."""
        self.rows: set[int] = set()
        for index, line in enumerate(self.lines):
            if len(line.pieces) < 2 or line.bullet:
                continue
            lefts = [piece.left for piece in line.pieces]
            for other in self.lines[max(index - 4, 0) : index + 5]:
                if other is line or other.page != line.page or len(other.pieces) < 2:
                    continue
                if abs(other.bottom - line.bottom) > 8 * line.size:
                    continue
                shared = sum(
                    1 for x in lefts if any(abs(x - piece.left) < 3 for piece in other.pieces)
                )
                if shared >= 2:
                    self.rows.add(id(line))
                    break

    def blocks(self) -> list[Block]:
        self._mark_tables()
        groups: list[list[_Line]] = []
        kinds: list[str] = []
        for line in self.lines:
            kind = self._kind(line)
            if groups and self._continues(groups[-1], kinds[-1], line, kind):
                groups[-1].append(line)
                continue
            groups.append([line])
            kinds.append(kind)
        blocks = []
        for number, (group, kind) in enumerate(zip(groups, kinds, strict=True), start=1):
            block = self._block(group, kind, number)
            if block is not None:
                blocks.append(block)
        return blocks

    def _kind(self, line: _Line) -> str:
        if self.level(line):
            return "heading"
        if id(line) in self.rows:
            return "row"
        if line.bullet or NUMBERED_RE.match(line.text):
            return "item"
        return "paragraph"

    def _continues(self, group: list[_Line], kind: str, line: _Line, line_kind: str) -> bool:
        previous = group[-1]
        if kind == "row":
            return self._continues_row(group, line)
        if kind == "heading" or line_kind == "heading":
            if kind != line_kind or self.level(line) != self.level(previous):
                return False
            same_page = line.page == previous.page
            return same_page and previous.bottom - line.bottom <= 1.6 * line.size
        if line_kind != "paragraph":
            return False
        if line.size != previous.size:
            return False
        width = self.column_right - self.column_left
        full = previous.right >= self.column_right - 0.1 * width
        if line.page != previous.page:  # a paragraph goes on over the page break
            ended = previous.text.endswith(SENTENCE_END)
            return not ended and (full or line.text[:1].islower())
        pitch = previous.bottom - line.bottom
        usual = self.pitch.get(line.size, 1.25 * line.size)
        if pitch <= 0 or pitch > usual + 0.35 * line.size:
            return False
        if kind == "item":
            return (
                line.left >= group[0].left + 2
                or (len(group) == 1 and line.left >= group[0].text_left - 2)
                or (len(group) > 1 and abs(line.left - group[1].left) < 2)
            )
        # The lines of a paragraph line up with its second line: the first one may be
        # indented (or hang out), as in plans set with a first-line indent.
        if len(group) > 1 and abs(line.left - group[1].left) > 0.8 * line.size:
            return False
        short = previous.right < self.column_right - 0.15 * width
        if short and previous.text.endswith(SENTENCE_END):
            return False
        return not (previous.bold and not line.bold and previous.text.endswith(":"))

    def _continues_row(self, group: list[_Line], line: _Line) -> bool:
        """A line under a table row continues its cells when each piece starts at a column."""
        previous = group[-1]
        if line.page != previous.page or self.level(line) or line.bullet:
            return False
        if previous.bottom - line.bottom > 2.0 * line.size:
            return False
        columns = [piece.left for piece in group[0].pieces]
        return all(any(abs(piece.left - x) < 3 for x in columns) for piece in line.pieces) and (
            len(line.pieces) < len(columns) or line.pieces[0].left > columns[0] + 3
        )

    def _block(self, group: list[_Line], kind: str, number: int) -> Block | None:
        if kind == "row":
            columns = [piece.left for piece in group[0].pieces]
            cells: list[list[_Piece]] = [[piece] for piece in group[0].pieces]
            for line in group[1:]:
                for piece in line.pieces:
                    column = min(range(len(columns)), key=lambda i: abs(columns[i] - piece.left))
                    cells[column].append(piece)
            values = tuple(_cell_value(pieces) for pieces in cells)
            text = " | ".join(value for value in values if value)
            return Block(BlockKind.TABLE_ROW, text, line=number, lines=(text,), cells=values)
        lines = tuple(line.text for line in group)
        text = _join(list(lines))
        if not text:
            return None
        if kind == "heading":
            return Block(
                BlockKind.HEADING, text, level=self.level(group[0]), line=number, lines=(text,)
            )
        flags = []
        for index, line in enumerate(group):
            flags += line.flags
            following = group[index + 1].text if index < len(group) - 1 else ""
            if following and not (
                _glued(line.text) and (line.text[-1] == "/" or following[:1].islower())
            ):
                flags.append((" ", True))
        if kind == "item":
            if not group[0].bullet:  # "1. texte": the number is the marker
                text = _clean(re.sub(r"^\S+\s+", "", text, count=1))
                lines = (text, *lines[1:])
                flags = _drop_marker(flags)
            level = 1 + next(
                (i for i, left in enumerate(self.bullet_levels) if abs(group[0].left - left) <= 6),
                0,
            )
            return Block(
                BlockKind.LIST_ITEM,
                text,
                level=level,
                bold_prefix=_bold_prefix(flags),
                line=number,
                lines=lines,
            )
        return Block(
            BlockKind.PARAGRAPH, text, bold_prefix=_bold_prefix(flags), line=number, lines=lines
        )


def _cell_value(pieces: list[_Piece]) -> str:
    """Lines of a table cell: a line that starts in lower case, or follows a line cut after
    a comma or a hyphen, goes on with the previous one (wrapped); otherwise it is a new item
    (one item per line, as typed in the cell)."""
    lines: list[str] = []
    for piece in pieces:
        text = piece.text
        if lines and (text[:1].islower() or lines[-1].endswith((",", "-", "/", "(", "'"))):
            lines[-1] = _join([lines[-1], text])
        else:
            lines.append(text)
    return "\n".join(lines)


def _drop_marker(flags: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    index = 0
    while index < len(flags) and not flags[index][0].isspace():
        index += 1
    while index < len(flags) and flags[index][0].isspace():
        index += 1
    return flags[index:]


def _cluster(values: list[float], tolerance: float) -> list[float]:
    clusters: list[float] = []
    for value in values:
        if not clusters or value - clusters[-1] > tolerance:
            clusters.append(value)
    return clusters


def _bold_prefix(flags: list[tuple[str, bool]]) -> str:
    lead = []
    for char, bold in flags:
        if char.isspace():
            lead.append(" ")
            continue
        if not bold:
            if lead and lead[-1].isalnum() and char.isalnum():
                return ""  # the bold run ends inside a word: not a lead
            break
        lead.append(char)
    return _clean("".join(lead))


def _glued(line: str) -> bool:
    """A line that ends inside a word: "CLSPD/", "http://", "e-" (then a lowercase line)."""
    return len(line) > 1 and line[-1] in "/-" and not line[-2].isspace()


def _join(lines: list[str]) -> str:
    """Lines of a paragraph joined with a space, except after a line that ends inside a word."""
    text = ""
    for line in lines:
        if text and not (_glued(text) and (text[-1] == "/" or line[:1].islower())):
            text += " "
        text += line
    return _clean(text)
