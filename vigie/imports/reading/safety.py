"""Checks an uploaded plan document before any parser touches it.

Every check answers in French with a ``PlanImportError``:

- size, type and content, shared with the other uploads (``vigie.core.uploads``, which builds
  the messages): at most ``settings.VIGIE_MAX_UPLOAD_BYTES`` (20 MB), checked before reading
  when the size is known (``check_size``); the extension must be one of ``.docx``, ``.odt``,
  ``.pdf``, ``.md``, ``.txt`` and the content must be what the extension says (magic bytes),
  so that a program renamed ``.docx`` or a PDF renamed ``.txt`` is refused with a message that
  names what the file really is;
- ZIP containers (DOCX, ODT): the central directory is read without decompressing anything,
  and the archive is refused when it has too many members, when the total uncompressed size
  exceeds ``VIGIE_IMPORT_MAX_UNCOMPRESSED_BYTES`` (200 MB) or when a member is compressed
  more than ``MAX_COMPRESSION_RATIO`` times (zip bomb); encrypted members are refused; the
  members that must be there (``word/document.xml``, ``content.xml``) are checked; XML
  members that declare a DTD (``<!DOCTYPE``, the only way to define entities) are refused,
  so no entity is ever expanded or fetched. The XML parsers are also configured never to
  resolve entities nor to use the network (python-docx: ``resolve_entities=False``;
  ``odt.py``: the same plus ``no_network`` and ``load_dtd=False``), and ``zipfile`` never
  returns more bytes than a member declares.

PDF-specific checks (encryption, text layer, page count) are made by ``pdf.py`` when it
opens the document. When PDFium cannot open a PDF, ``pdf_refusal`` tells why from the file
itself (pypdf), never from PDFium's last error: that error is kept for the whole process
and only set by some failures, so a worker that had just read an encrypted PDF called the
next file without pages "protected by a password".
"""

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from io import BytesIO
from pathlib import PurePath

from django.conf import settings

from vigie.core import uploads
from vigie.imports.errors import PlanImportError

MAX_ZIP_MEMBERS = 5000
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_MIN_BYTES = 1024 * 1024  # small members may compress very well (empty XML parts)
DOCTYPE_SCAN_BYTES = 4096
DEFAULT_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
ODT_MIMETYPE = uploads.ODT.media_type.encode()
SIZE_HINT = "Enregistrez le plan sans les images (ou en PDF « texte ») et déposez-le à nouveau."
FORMAT_HINT = "Un document .doc ou .rtf s'enregistre en .docx depuis Word ou LibreOffice."


PDF_PROTECTED = (
    "Ce PDF est protégé par un mot de passe : enregistrez-le sans protection (ou exportez à "
    "nouveau le document d'origine en PDF) avant de le déposer."
)
PDF_DAMAGED = (
    "Le PDF est endommagé ou illisible : exportez à nouveau le document d'origine en PDF et "
    "déposez cette copie."
)
PDF_NO_PAGE = "Le PDF ne contient aucune page."


class DocumentFormat(StrEnum):
    DOCX = "docx"
    ODT = "odt"
    PDF = "pdf"
    MARKDOWN = "md"
    TEXT = "txt"

    @property
    def file_format(self) -> uploads.FileFormat:
        return FILE_FORMATS[self]

    @property
    def label(self) -> str:
        return self.file_format.label


FILE_FORMATS = {
    DocumentFormat.DOCX: uploads.DOCX,
    DocumentFormat.ODT: uploads.ODT,
    DocumentFormat.PDF: uploads.PDF,
    DocumentFormat.MARKDOWN: uploads.MARKDOWN,
    DocumentFormat.TEXT: uploads.TEXT,
}
PLAN_FORMATS = tuple(FILE_FORMATS.values())
ACCEPTED = uploads.accepted_extensions(PLAN_FORMATS)


@dataclass(frozen=True)
class CheckedDocument:
    format: DocumentFormat
    name: str


def max_uncompressed_bytes() -> int:
    return getattr(settings, "VIGIE_IMPORT_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED_BYTES)


def megabytes(size: int) -> str:
    return uploads.format_size(size)


@contextmanager
def _as_plan_error() -> Iterator[None]:
    try:
        yield
    except uploads.UploadRefused as error:
        raise PlanImportError(error.message) from None


def check_size(size: int) -> None:
    """Refuses an empty file or one over the upload limit (before reading it)."""
    with _as_plan_error():
        uploads.check_size(size, hint=SIZE_HINT)


def format_for_name(name: str) -> DocumentFormat:
    with _as_plan_error():
        return DocumentFormat(
            uploads.format_for_name(name, PLAN_FORMATS, hint=FORMAT_HINT).extension
        )


def check_document(name: str, data: bytes) -> CheckedDocument:
    """All checks that need no parser; returns the format to read ``data`` with."""
    check_size(len(data))
    expected = format_for_name(name)
    with _as_plan_error():
        uploads.check_content(data[: uploads.HEAD_BYTES], expected.file_format)
    if expected in (DocumentFormat.DOCX, DocumentFormat.ODT):
        check_zip(expected, data)
    return CheckedDocument(format=expected, name=PurePath(name).name)


def check_zip(expected: DocumentFormat, data: bytes) -> None:
    """Zip bomb, encryption and completeness checks on a DOCX or ODT, without decompressing."""
    label = expected.label
    damaged = PlanImportError(
        f"Le fichier {label} est endommagé : l'archive ne peut pas être lue. Ouvrez-le dans "
        "votre traitement de texte, enregistrez-le à nouveau et déposez cette nouvelle copie."
    )
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise damaged from None
    with archive:
        if len(members) > MAX_ZIP_MEMBERS:
            raise _bomb(label)
        total = 0
        for member in members:
            total += member.file_size
            if member.flag_bits & 0x1:
                raise PlanImportError(
                    f"Le fichier {label} est protégé par un mot de passe : enregistrez-le sans "
                    "protection avant de le déposer."
                )
            if member.file_size > RATIO_CHECK_MIN_BYTES and (
                member.compress_size == 0
                or member.file_size / member.compress_size > MAX_COMPRESSION_RATIO
            ):
                raise _bomb(label)
        if total > max_uncompressed_bytes():
            raise _bomb(label)
        names = {member.filename for member in members}
        required = "word/document.xml" if expected == DocumentFormat.DOCX else "content.xml"
        if required not in names:
            raise PlanImportError(
                f"Ce fichier n'est pas un document {label} valide (« {required} » manquant) : "
                "enregistrez-le à nouveau depuis votre traitement de texte."
            )
        if expected == DocumentFormat.ODT and "mimetype" in names:
            try:
                mimetype = archive.read("mimetype")[:100].strip()
            except (zipfile.BadZipFile, OSError, ValueError, EOFError):
                raise damaged from None
            if mimetype != ODT_MIMETYPE:
                raise PlanImportError(
                    "Ce fichier OpenDocument n'est pas un texte (tableur ou présentation ?) : "
                    "déposez le plan enregistré depuis LibreOffice Writer (.odt)."
                )
        for member in members:
            if member.filename.endswith((".xml", ".rels")):
                _refuse_dtd(archive, member, damaged)


def _bomb(label: str) -> PlanImportError:
    return PlanImportError(
        f"Le fichier {label} est refusé : une fois décompressé, il serait bien plus volumineux "
        "qu'un document ordinaire (archive anormale, « zip bomb »)."
    )


def _refuse_dtd(archive: zipfile.ZipFile, member: zipfile.ZipInfo, damaged: Exception) -> None:
    try:
        with archive.open(member) as stream:
            head = stream.read(DOCTYPE_SCAN_BYTES)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        raise damaged from None
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise PlanImportError(
            "Le document contient des déclarations XML non autorisées (DTD) : il est refusé "
            "par sécurité. Enregistrez-le à nouveau depuis votre traitement de texte."
        )


def pdf_refusal(data: bytes) -> PlanImportError:
    """Why a PDF that PDFium could not open is refused, from this file alone: protected by a
    password, without any page, or else damaged."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(BytesIO(data), strict=False)
        if reader.is_encrypted:
            return PlanImportError(PDF_PROTECTED)
        pages = len(reader.pages)
    except Exception:  # a damaged file can break the parser anywhere: it is damaged
        return PlanImportError(PDF_DAMAGED)
    return PlanImportError(PDF_NO_PAGE if pages == 0 else PDF_DAMAGED)
