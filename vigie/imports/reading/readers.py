"""One entry point for every format: checks the file (``safety.py``), then reads it into blocks.

``progress``, when given, is called with a fraction between 0 and 1 while a long document is
read (PDF pages), so that a background task can report it.
"""

from collections.abc import Callable
from pathlib import Path

from vigie.imports.errors import PlanImportError
from vigie.imports.reading.blocks import Block
from vigie.imports.reading.safety import CheckedDocument, DocumentFormat, check_document, check_size

Progress = Callable[[float], None] | None


def read_document(name: str, data: bytes, *, progress: Progress = None) -> list[Block]:
    checked = check_document(name, data)
    return read_checked(checked, data, progress=progress)


def read_checked(
    checked: CheckedDocument, data: bytes, *, progress: Progress = None
) -> list[Block]:
    if checked.format == DocumentFormat.DOCX:
        from vigie.imports.reading.docx import read_docx

        blocks = read_docx(data)
    elif checked.format == DocumentFormat.ODT:
        from vigie.imports.reading.odt import read_odt

        blocks = read_odt(data)
    elif checked.format == DocumentFormat.PDF:
        from vigie.imports.reading.pdf import read_pdf

        blocks = read_pdf(data, progress=progress)
    else:
        from vigie.imports.reading.text import decode, parse_text

        text = decode(data)
        if not text.strip():
            raise PlanImportError("Le fichier est vide.")
        blocks = parse_text(text)
    if not blocks:
        raise PlanImportError(
            "Le document ne contient aucun texte lisible : vérifiez qu'il s'agit bien du plan."
        )
    return blocks


def read_path(path: Path, *, progress: Progress = None) -> tuple[CheckedDocument, list[Block]]:
    """Reads a file from disk; its size is checked before it is read."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise PlanImportError(f"Fichier introuvable : {path}") from None
    except OSError as error:
        raise PlanImportError(f"Impossible de lire le fichier {path} : {error.strerror}.") from None
    if path.is_dir():
        raise PlanImportError(f"{path} est un dossier, pas un fichier.")
    if size == 0:
        raise PlanImportError(f"Le fichier {path} est vide.")
    check_size(size)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise PlanImportError(f"Impossible de lire le fichier {path} : {error.strerror}.") from None
    checked = check_document(path.name, data)
    return checked, read_checked(checked, data, progress=progress)
