"""Checks shared by every file upload: size, type (extension) and content (the first bytes).

The French messages are built here, so every form and import says the same thing:

- size: an empty file is refused, and so is a file over ``settings.VIGIE_MAX_UPLOAD_BYTES``
  (or the limit the caller gives);
- type: the extension must be one of the formats the caller accepts;
- content: the first bytes must be what the extension says (``%PDF-`` for a PDF, a ZIP archive
  for DOCX, ODT, XLSX and ODS, text without NUL bytes for CSV, Markdown and text files), so that
  a program renamed ``.docx`` or an image renamed ``.csv`` is refused with a message that names
  what the file really is.

Deeper checks stay with the caller that knows the format: layout of the archive (governance
minutes), zip bomb, encryption and DTD (``vigie.imports.reading.safety``), workbook reading
(``vigie.indicators.sheetio``), CSV header (SSMSI statistics).

``check_*`` functions raise ``UploadRefused``; ``validate_upload`` is the form-side wrapper that
reads the head of a Django ``UploadedFile`` and raises ``ValidationError`` instead.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError

HEAD_BYTES = 4096
KILOBYTE = 1024
MEGABYTE = 1024 * 1024
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class UploadRefused(Exception):
    """The file is refused: ``message`` is French, ``code`` says which check failed
    (``empty``, ``too_large``, ``format``, ``content``)."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


class Content(StrEnum):
    """What the first bytes of a format must be."""

    PDF = "pdf"
    ZIP = "zip"
    TEXT = "text"


@dataclass(frozen=True)
class FileFormat:
    extension: str  # the usual one, without the dot
    label: str  # shown after "un fichier": "Word (.docx)"
    content: Content
    media_type: str
    aliases: tuple[str, ...] = ()  # other extensions accepted for the same format
    utf16: bool = False  # text: UTF-16 with a byte order mark is accepted (it contains NUL bytes)

    @property
    def extensions(self) -> tuple[str, ...]:
        return (self.extension, *self.aliases)


PDF = FileFormat("pdf", "PDF (.pdf)", Content.PDF, "application/pdf")
DOCX = FileFormat(
    "docx",
    "Word (.docx)",
    Content.ZIP,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
ODT = FileFormat(
    "odt", "LibreOffice (.odt)", Content.ZIP, "application/vnd.oasis.opendocument.text"
)
XLSX = FileFormat(
    "xlsx",
    "Excel (.xlsx)",
    Content.ZIP,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
ODS = FileFormat(
    "ods",
    "LibreOffice Calc (.ods)",
    Content.ZIP,
    "application/vnd.oasis.opendocument.spreadsheet",
)
CSV = FileFormat("csv", "CSV (.csv)", Content.TEXT, "text/csv")
MARKDOWN = FileFormat(
    "md", "Markdown (.md)", Content.TEXT, "text/markdown", aliases=("markdown",), utf16=True
)
TEXT = FileFormat("txt", "texte (.txt)", Content.TEXT, "text/plain", aliases=("text",), utf16=True)

IS_PDF = "un PDF"
IS_ZIP = "une archive ZIP"
IS_BINARY = "un fichier binaire"
IS_TEXT = "du texte"
# What a file really is, from its first bytes, for the messages.
SIGNATURES = (
    (b"%PDF-", IS_PDF),
    (b"PK\x03\x04", IS_ZIP),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "un document Office ancien (.doc, .xls) ou protégé par un mot de passe",
    ),
    (b"MZ", "un programme Windows"),
    (b"\x7fELF", "un programme"),
    (b"\x89PNG", "une image PNG"),
    (b"\xff\xd8\xff", "une image JPEG"),
    (b"GIF8", "une image GIF"),
    (b"{\\rtf", "un document RTF"),
    (b"Rar!", "une archive RAR"),
    (b"7z\xbc\xaf", "une archive 7-Zip"),
    (b"\x1f\x8b", "une archive gzip"),
)


# --- messages ---------------------------------------------------------------------------------


def max_upload_bytes() -> int:
    return settings.VIGIE_MAX_UPLOAD_BYTES


def format_size(size: int, *, round_up: bool = False) -> str:
    """A size in French ("850 octets", "12,5 ko", "20 Mo"), to one decimal.

    Rounded down by default, so a limit is never overstated; ``round_up`` for the size of a
    refused file, so that it never looks as if it fits under the limit.
    """
    if size < KILOBYTE:
        return f"{size} octet{'s' if size > 1 else ''}"
    unit, name = (KILOBYTE, "ko") if size < MEGABYTE else (MEGABYTE, "Mo")
    tenths = -(-size * 10 // unit) if round_up else size * 10 // unit
    whole, decimal = divmod(tenths, 10)
    return f"{whole} {name}" if decimal == 0 else f"{whole},{decimal} {name}"


def _french_list(items: Sequence[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} ou {items[-1]}"


def accepted_label(formats: Sequence[FileFormat]) -> str:
    """ "PDF (.pdf), LibreOffice (.odt) ou Word (.docx)" """
    return _french_list([f.label for f in formats])


def accepted_extensions(formats: Sequence[FileFormat]) -> str:
    """ ".docx, .odt ou .pdf" (usual extensions only)"""
    return _french_list([f".{f.extension}" for f in formats])


def accept_attribute(formats: Sequence[FileFormat]) -> str:
    """The ``accept`` attribute of the file input: ".pdf,.odt,.docx"."""
    return ",".join(f".{extension}" for f in formats for extension in f.extensions)


def _with_hint(message: str, hint: str) -> str:
    return f"{message} {hint}" if hint else message


def empty_file() -> UploadRefused:
    return UploadRefused("Le fichier est vide.", "empty")


def too_large(size: int, limit: int, *, hint: str = "") -> UploadRefused:
    return UploadRefused(
        _with_hint(
            f"Le fichier est trop volumineux ({format_size(size, round_up=True)}) : "
            f"la taille maximale est de {format_size(limit)}.",
            hint,
        ),
        "too_large",
    )


def format_not_accepted(
    shown: str, formats: Sequence[FileFormat], *, hint: str = ""
) -> UploadRefused:
    """``shown`` is what was received: an extension (".rtf") or a declared type ("image/png")."""
    return UploadRefused(
        _with_hint(
            f"Format non accepté ({shown}) : déposez un fichier {accepted_label(formats)}.", hint
        ),
        "format",
    )


def content_mismatch(expected: FileFormat, actual: str) -> UploadRefused:
    return UploadRefused(
        f"Le contenu du fichier ne correspond pas à son extension : un fichier {expected.label} "
        f"était attendu, c'est {actual}. Vérifiez le fichier ou renommez-le avec la bonne "
        "extension.",
        "content",
    )


# --- checks -----------------------------------------------------------------------------------


def check_size(size: int, *, max_bytes: int | None = None, hint: str = "") -> None:
    """Refuses an empty file or one over the limit (default ``VIGIE_MAX_UPLOAD_BYTES``)."""
    if size <= 0:
        raise empty_file()
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    if size > limit:
        raise too_large(size, limit, hint=hint)


def format_for_name(name: str, formats: Sequence[FileFormat], *, hint: str = "") -> FileFormat:
    """The accepted format the file name's extension says, else ``UploadRefused``."""
    suffix = PurePath(name or "").suffix.lower()
    for file_format in formats:
        if suffix[1:] in file_format.extensions:
            return file_format
    raise format_not_accepted(suffix or "sans extension", formats, hint=hint)


def sniff(head: bytes) -> str | None:
    """What the first bytes say the file is ("un PDF"…), None when no signature is known."""
    for signature, label in SIGNATURES:
        if head.startswith(signature):
            return label
    if head[:1024].find(b"%PDF-") > 0:  # some PDF writers put a few bytes before the header
        return IS_PDF
    return None


def describe(head: bytes) -> str:
    """What the first bytes say the file is, for the messages: "un PDF", "du texte"…"""
    return sniff(head) or (IS_BINARY if b"\x00" in head[:HEAD_BYTES] else IS_TEXT)


def check_content(head: bytes, expected: FileFormat) -> None:
    """Refuses a file whose first bytes are not what its extension says."""
    actual = describe(head)
    if expected.content == Content.PDF:
        ok = actual == IS_PDF
    elif expected.content == Content.ZIP:
        ok = actual == IS_ZIP
    else:
        ok = actual == IS_TEXT or (
            actual == IS_BINARY and expected.utf16 and head.startswith(UTF16_BOMS)
        )
    if not ok:
        raise content_mismatch(expected, actual)


def check_file(
    name: str,
    size: int,
    head: bytes,
    formats: Sequence[FileFormat],
    *,
    max_bytes: int | None = None,
    size_hint: str = "",
    format_hint: str = "",
) -> FileFormat:
    """Size, then extension, then content; returns the format."""
    check_size(size, max_bytes=max_bytes, hint=size_hint)
    file_format = format_for_name(name, formats, hint=format_hint)
    check_content(head, file_format)
    return file_format


def read_head(upload, size: int = HEAD_BYTES) -> bytes:
    """The first bytes of an uploaded file, which is left at its start."""
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def validate_upload(
    upload,
    formats: Sequence[FileFormat],
    *,
    max_bytes: int | None = None,
    size_hint: str = "",
    format_hint: str = "",
) -> FileFormat:
    """``check_file`` for a form's ``UploadedFile``: raises ``ValidationError`` (shown beside
    the field), reads the head only once size and extension are accepted."""
    try:
        check_size(upload.size, max_bytes=max_bytes, hint=size_hint)
        file_format = format_for_name(upload.name, formats, hint=format_hint)
        check_content(read_head(upload), file_format)
    except UploadRefused as error:
        raise ValidationError(error.message, code=error.code) from None
    return file_format
