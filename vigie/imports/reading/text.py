"""Reader for plain text and Markdown-like text, as produced by PDF-to-text converters.

Understood: ``#`` headings, ``**bold**`` and ``*italic*`` markers, ``-``/``*``/``•``/``1.``
list items (indentation gives the nesting level), tab-separated or ``|``-separated table
rows, ``<sup>…</sup>`` and ``^{…}`` exponents, ``<http://…>`` links. Consecutive non-blank
lines form one paragraph (a line break inside bold text is common in converted PDFs).
"""

import re
import unicodedata
from pathlib import Path

from vigie.imports.errors import PlanImportError
from vigie.imports.reading.blocks import Block, BlockKind

HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
LIST_RE = re.compile(r"^(?P<indent>[ \t]*)(?:[-*+•▪◦]|\d{1,2}[.)])\s+(?P<text>\S.*)$")
RULE_RE = re.compile(r"^\s*([-*_])(?:\s*\1){2,}\s*$")
PIPE_SEPARATOR_RE = re.compile(r"^\|?[\s:|-]+\|?$")

SUP_RE = re.compile(r"<sup>(.*?)</sup>", re.IGNORECASE)
CARET_BRACE_RE = re.compile(r" ?\^\{([^}]*)\}")
CARET_RE = re.compile(r"\^(\w+)")
AUTOLINK_RE = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
HTML_TAG_RE = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|])")
WHITESPACE_RE = re.compile(r"\s+")

# Escaped markdown characters are parked in the Unicode private use area while markup is removed.
_PRIVATE_BASE = 0xE000


def decode(data: bytes) -> str:
    """Text of a file: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise PlanImportError(
            "Le fichier semble binaire (PDF, DOCX, ODT…) : seul un fichier texte peut être "
            "importé pour l'instant."
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PlanImportError("Encodage du fichier non reconnu : ni UTF-8, ni Windows-1252.")


def read_file(path: Path) -> list[Block]:
    """Blocks of a text or Markdown file; French ``PlanImportError`` when it cannot be used."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise PlanImportError(f"Fichier introuvable : {path}") from None
    except IsADirectoryError:
        raise PlanImportError(f"{path} est un dossier, pas un fichier.") from None
    except OSError as error:
        raise PlanImportError(f"Impossible de lire le fichier {path} : {error.strerror}.") from None
    text = decode(data)
    if not text.strip():
        raise PlanImportError(f"Le fichier {path} est vide.")
    return parse_text(text)


def parse_text(text: str) -> list[Block]:
    """Blocks of a Markdown-like text."""
    parser = _LineParser()
    lines = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        parser.feed(line, number)
    parser.flush()
    return parser.blocks


class _LineParser:
    """Groups source lines into blocks."""

    def __init__(self):
        self.blocks: list[Block] = []
        self._pending: list[str] = []
        self._pending_kind: BlockKind | None = None
        self._pending_level = 0
        self._pending_line = 0

    def feed(self, line: str, number: int) -> None:
        line = line.replace("\u00a0", " ").replace("\u200b", "").rstrip("\n")
        if not line.strip() or RULE_RE.match(line):
            self.flush()
            return
        if heading := HEADING_RE.match(line):
            self.flush()
            self._emit(BlockKind.HEADING, [heading.group(2)], len(heading.group(1)), number)
            return
        if item := LIST_RE.match(line):
            self.flush()
            level = 1 + len(item.group("indent").expandtabs(4)) // 2
            self._start(BlockKind.LIST_ITEM, item.group("text"), level, number)
            return
        if "\t" in line.strip(" ") or _is_pipe_row(line):
            self.flush()
            self._emit_table_row(line, number)
            return
        if self._pending_kind is None:
            self._start(BlockKind.PARAGRAPH, line, 0, number)
        else:
            self._pending.append(line)

    def flush(self) -> None:
        if self._pending_kind is not None:
            self._emit(self._pending_kind, self._pending, self._pending_level, self._pending_line)
        self._pending, self._pending_kind = [], None

    def _start(self, kind: BlockKind, line: str, level: int, number: int) -> None:
        self._pending, self._pending_kind = [line], kind
        self._pending_level, self._pending_line = level, number

    def _emit(self, kind: BlockKind, raw_lines: list[str], level: int, number: int) -> None:
        raw = " ".join(part.strip() for part in raw_lines)
        text = plain(raw)
        if not text:
            return
        lines = tuple(filter(None, (plain(part) for part in raw_lines)))
        self.blocks.append(
            Block(kind, text, level=level, bold_prefix=bold_prefix(raw), line=number, lines=lines)
        )

    def _emit_table_row(self, line: str, number: int) -> None:
        stripped = line.strip()
        if _is_pipe_row(line):
            if PIPE_SEPARATOR_RE.match(stripped):
                return
            cells = tuple(plain(cell) for cell in stripped.strip("|").split("|"))
        else:
            cells = tuple(plain(cell) for cell in line.split("\t"))
        text = " | ".join(cell for cell in cells if cell)
        if text:
            self.blocks.append(
                Block(BlockKind.TABLE_ROW, text, line=number, lines=(text,), cells=cells)
            )


def _is_pipe_row(line: str) -> bool:
    stripped = line.strip()
    return len(stripped) > 2 and stripped.startswith("|") and stripped.endswith("|")


def _protect_escapes(raw: str) -> str:
    return ESCAPE_RE.sub(lambda match: chr(_PRIVATE_BASE + ord(match.group(1))), raw)


def _restore_escapes(text: str) -> str:
    return "".join(
        chr(ord(char) - _PRIVATE_BASE) if _PRIVATE_BASE <= ord(char) < _PRIVATE_BASE + 128 else char
        for char in text
    )


def _strip_noise(raw: str) -> str:
    """Removes exponent markup, links and HTML tags, keeping their text."""
    text = SUP_RE.sub(r"\1", raw)
    text = CARET_BRACE_RE.sub(r"\1", text)
    text = CARET_RE.sub(r"\1", text)
    text = AUTOLINK_RE.sub(r"\1", text)
    return HTML_TAG_RE.sub("", text)


def plain(raw: str) -> str:
    """The text of one line or paragraph without any inline markup, whitespace collapsed."""
    text = _strip_noise(_protect_escapes(raw)).replace("*", "")
    return _restore_escapes(WHITESPACE_RE.sub(" ", text).strip())


def bold_prefix(raw: str) -> str:
    """The leading bold run of a paragraph ("**Développer…**, notamment…" → "Développer…")."""
    text = _strip_noise(_protect_escapes(raw)).strip()
    if text.startswith("***"):  # bold inside italic: "***Focus :** texte*"
        text = text[1:]
    if not text.startswith("**"):
        return ""
    end = text.find("**", 2)
    if end <= 2:
        return ""
    return _restore_escapes(WHITESPACE_RE.sub(" ", text[2:end].replace("*", "")).strip())
