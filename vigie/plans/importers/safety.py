"""Checks an uploaded plan document before any parser touches it.

Every check answers in French with a ``PlanImportError``:

- size: at most ``settings.VIGIE_MAX_UPLOAD_BYTES`` (20 MB), checked before reading when the
  size is known (``check_size``);
- type: the extension must be one of ``.docx``, ``.odt``, ``.pdf``, ``.md``, ``.txt`` and the
  content must be what the extension says (magic bytes), so that a program renamed ``.docx``
  or a PDF renamed ``.txt`` is refused with a message that names what the file really is;
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
opens the document.
"""

import zipfile
from dataclasses import dataclass
from enum import StrEnum
from io import BytesIO
from pathlib import PurePath

from django.conf import settings

from vigie.plans.importers import PlanImportError

MAX_ZIP_MEMBERS = 5000
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_MIN_BYTES = 1024 * 1024  # small members may compress very well (empty XML parts)
DOCTYPE_SCAN_BYTES = 4096
DEFAULT_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


class DocumentFormat(StrEnum):
    DOCX = "docx"
    ODT = "odt"
    PDF = "pdf"
    MARKDOWN = "md"
    TEXT = "txt"

    @property
    def label(self) -> str:
        return FORMAT_LABELS[self]


FORMAT_LABELS = {
    DocumentFormat.DOCX: "Word (.docx)",
    DocumentFormat.ODT: "LibreOffice (.odt)",
    DocumentFormat.PDF: "PDF",
    DocumentFormat.MARKDOWN: "Markdown (.md)",
    DocumentFormat.TEXT: "texte (.txt)",
}
EXTENSIONS = {
    ".docx": DocumentFormat.DOCX,
    ".odt": DocumentFormat.ODT,
    ".pdf": DocumentFormat.PDF,
    ".md": DocumentFormat.MARKDOWN,
    ".markdown": DocumentFormat.MARKDOWN,
    ".txt": DocumentFormat.TEXT,
    ".text": DocumentFormat.TEXT,
}
ACCEPTED = ".docx, .odt, .pdf, .md ou .txt"
# What a file really is, from its first bytes, for the messages.
SIGNATURES = (
    (b"%PDF-", "un PDF"),
    (b"PK\x03\x04", "une archive ZIP"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "un document Office ancien (.doc) ou protégé par un mot de passe",
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


@dataclass(frozen=True)
class CheckedDocument:
    format: DocumentFormat
    name: str


def max_upload_bytes() -> int:
    return settings.VIGIE_MAX_UPLOAD_BYTES


def max_uncompressed_bytes() -> int:
    return getattr(settings, "VIGIE_IMPORT_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED_BYTES)


def megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.0f} Mo" if value >= 10 else f"{value:.1f} Mo".replace(".", ",")


def check_size(size: int) -> None:
    """Refuses an empty file or one over the upload limit (before reading it)."""
    if size <= 0:
        raise PlanImportError("Le fichier est vide.")
    limit = max_upload_bytes()
    if size > limit:
        raise PlanImportError(
            f"Le fichier est trop volumineux ({megabytes(size)}) : la limite est de "
            f"{megabytes(limit)}. Enregistrez le plan sans les images (ou en PDF « texte ») "
            "et déposez-le à nouveau."
        )


def format_for_name(name: str) -> DocumentFormat:
    suffix = PurePath(name or "").suffix.lower()
    found = EXTENSIONS.get(suffix)
    if found is None:
        shown = suffix or "sans extension"
        raise PlanImportError(
            f"Type de fichier non pris en charge ({shown}) : déposez le plan au format "
            f"{ACCEPTED}. Un document .doc ou .rtf s'enregistre en .docx depuis Word ou "
            "LibreOffice."
        )
    return found


def sniff(head: bytes) -> str | None:
    """What the first bytes say the file is ("un PDF"…), None for anything else (text)."""
    for signature, label in SIGNATURES:
        if head.startswith(signature):
            return label
    if head[:1024].find(b"%PDF-") > 0:
        return "un PDF"
    return None


def check_document(name: str, data: bytes) -> CheckedDocument:
    """All checks that need no parser; returns the format to read ``data`` with."""
    check_size(len(data))
    expected = format_for_name(name)
    actual = sniff(data[:2048])
    if expected == DocumentFormat.PDF:
        if actual != "un PDF":
            raise _mismatch(expected, actual)
    elif expected in (DocumentFormat.DOCX, DocumentFormat.ODT):
        if actual != "une archive ZIP":
            raise _mismatch(expected, actual)
        check_zip(expected, data)
    elif actual is not None:
        raise _mismatch(expected, actual)
    return CheckedDocument(format=expected, name=PurePath(name).name)


def _mismatch(expected: DocumentFormat, actual: str | None) -> PlanImportError:
    what = actual or "du texte"
    return PlanImportError(
        f"Le contenu du fichier ne correspond pas à son extension : un fichier "
        f"{expected.label} était attendu, c'est {what}. Vérifiez le fichier ou renommez-le "
        "avec la bonne extension."
    )


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
