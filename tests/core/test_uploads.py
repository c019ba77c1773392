import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from vigie.core import uploads
from vigie.core.uploads import (
    CSV,
    DOCX,
    MARKDOWN,
    ODS,
    ODT,
    PDF,
    TEXT,
    XLSX,
    UploadRefused,
    check_content,
    check_file,
    check_size,
    format_for_name,
    format_size,
    validate_upload,
)

MINUTES = (PDF, ODT, DOCX)
PDF_BYTES = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def refused(call, *args, **kwargs) -> UploadRefused:
    with pytest.raises(UploadRefused) as caught:
        call(*args, **kwargs)
    return caught.value


# --- sizes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "round_up", "shown"),
    [
        (1, False, "1 octet"),
        (850, False, "850 octets"),
        (1024, False, "1 ko"),
        (1023, False, "1023 octets"),
        (12 * 1024 + 600, False, "12,5 ko"),
        (20 * 1024 * 1024, False, "20 Mo"),
        (20 * 1024 * 1024, True, "20 Mo"),
        (20 * 1024 * 1024 + 1, False, "20 Mo"),
        (20 * 1024 * 1024 + 1, True, "20,1 Mo"),
        (int(2.55 * 1024 * 1024), False, "2,5 Mo"),
        (int(2.55 * 1024 * 1024), True, "2,6 Mo"),
    ],
)
def test_sizes_are_shown_in_french(size, round_up, shown):
    assert format_size(size, round_up=round_up) == shown


def test_size_limit_comes_from_the_settings(settings):
    settings.VIGIE_MAX_UPLOAD_BYTES = 2 * 1024 * 1024
    check_size(2 * 1024 * 1024)  # exactly the limit is accepted
    error = refused(check_size, 2 * 1024 * 1024 + 1)
    assert error.code == "too_large"
    assert error.message == (
        "Le fichier est trop volumineux (2,1 Mo) : la taille maximale est de 2 Mo."
    )


def test_a_per_call_limit_wins_over_the_settings(settings):
    settings.VIGIE_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
    error = refused(check_size, 5000, max_bytes=4096, hint="Allégez le fichier.")
    assert error.message == (
        "Le fichier est trop volumineux (4,9 ko) : la taille maximale est de 4 ko. "
        "Allégez le fichier."
    )
    check_size(5000, max_bytes=5000)


@pytest.mark.parametrize("size", [0, -1])
def test_an_empty_file_is_refused(size):
    error = refused(check_size, size)
    assert (error.code, error.message) == ("empty", "Le fichier est vide.")


# --- extensions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "shown"),
    [("compte-rendu.exe", ".exe"), ("compte-rendu", "sans extension"), ("", "sans extension")],
)
def test_a_wrong_extension_is_refused_with_the_accepted_formats(name, shown):
    error = refused(format_for_name, name, MINUTES)
    assert error.code == "format"
    assert error.message == (
        f"Format non accepté ({shown}) : déposez un fichier PDF (.pdf), LibreOffice (.odt) ou "
        "Word (.docx)."
    )


def test_a_format_hint_follows_the_message():
    error = refused(format_for_name, "plan.rtf", (DOCX,), hint="Enregistrez-le en .docx.")
    assert error.message == (
        "Format non accepté (.rtf) : déposez un fichier Word (.docx). Enregistrez-le en .docx."
    )


@pytest.mark.parametrize(
    ("name", "formats", "expected"),
    [
        ("Compte-Rendu.PDF", MINUTES, PDF),
        ("bilan.2024.docx", MINUTES, DOCX),
        ("plan.markdown", (MARKDOWN, TEXT), MARKDOWN),
        ("plan.text", (MARKDOWN, TEXT), TEXT),
        ("valeurs.ods", (XLSX, ODS), ODS),
    ],
)
def test_accepted_extensions_give_their_format(name, formats, expected):
    assert format_for_name(name, formats) is expected


def test_an_extension_of_another_format_is_refused():
    # .xlsx is a known format, but not one this upload accepts.
    assert refused(format_for_name, "valeurs.xlsx", (CSV,)).message == (
        "Format non accepté (.xlsx) : déposez un fichier CSV (.csv)."
    )


# --- content ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "expected", "actual"),
    [
        (b"pas un pdf", PDF, "du texte"),
        (zip_bytes(), PDF, "une archive ZIP"),
        (PDF_BYTES, DOCX, "un PDF"),
        (b"MZ\x90\x00\x03\x00", DOCX, "un programme Windows"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20, XLSX, "un document Office ancien"),
        (b"Identifiant;Valeur\n", ODS, "du texte"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", CSV, "une image PNG"),
        (zip_bytes(), CSV, "une archive ZIP"),
        (b"junk%PDF-1.4\n", TEXT, "un PDF"),
        (b"a;b\n\x00\x01\x02", CSV, "un fichier binaire"),
        ("\ufeffa;b\n".encode("utf-16"), CSV, "un fichier binaire"),
    ],
)
def test_an_extension_lying_about_the_content_is_refused(head, expected, actual):
    error = refused(check_content, head, expected)
    assert error.code == "content"
    assert error.message.startswith(
        "Le contenu du fichier ne correspond pas à son extension : un fichier "
        f"{expected.label} était attendu, c'est {actual}"
    )
    assert error.message.endswith("Vérifiez le fichier ou renommez-le avec la bonne extension.")


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (PDF_BYTES, PDF),
        (b"\r\n%PDF-1.4\n", PDF),  # a few bytes before the header, as some writers do
        (zip_bytes(), DOCX),
        (zip_bytes(), ODS),
        ("Code;Année;Nombre\n46;2024;12\n".encode(), CSV),
        ("# Plan départemental\n".encode("utf-16"), MARKDOWN),  # UTF-16 with its byte order mark
        ("Plan départemental".encode("cp1252"), TEXT),
    ],
)
def test_content_matching_the_extension_is_accepted(head, expected):
    check_content(head, expected)


def test_check_file_runs_size_then_extension_then_content(settings):
    settings.VIGIE_MAX_UPLOAD_BYTES = 100
    # Too large and of the wrong type: the size is reported first.
    assert refused(check_file, "x.exe", 101, b"MZ", MINUTES).code == "too_large"
    assert refused(check_file, "x.exe", 10, b"MZ", MINUTES).code == "format"
    assert refused(check_file, "x.pdf", 10, b"MZ", MINUTES).code == "content"
    assert check_file("x.pdf", 10, PDF_BYTES, MINUTES) is PDF


# --- form-side wrapper ------------------------------------------------------------------------


class ReadSpy(SimpleUploadedFile):
    reads = 0

    def read(self, *args, **kwargs):
        self.reads += 1
        return super().read(*args, **kwargs)


def test_validate_upload_accepts_and_leaves_the_file_at_its_start():
    upload = SimpleUploadedFile("cr.pdf", PDF_BYTES)
    upload.read(3)
    assert validate_upload(upload, MINUTES) is PDF
    assert upload.read() == PDF_BYTES


@pytest.mark.parametrize(
    ("upload", "code", "message"),
    [
        (
            SimpleUploadedFile("cr.pdf", b"MZ\x90\x00"),
            "content",
            "Le contenu du fichier ne correspond pas à son extension : un fichier PDF (.pdf) "
            "était attendu, c'est un programme Windows. Vérifiez le fichier ou renommez-le avec "
            "la bonne extension.",
        ),
        (
            SimpleUploadedFile("cr.txt", b"texte"),
            "format",
            "Format non accepté (.txt) : déposez un fichier PDF (.pdf), LibreOffice (.odt) ou "
            "Word (.docx).",
        ),
        (SimpleUploadedFile("cr.pdf", b""), "empty", "Le fichier est vide."),
    ],
)
def test_validate_upload_raises_a_french_validation_error(upload, code, message):
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload, MINUTES)
    assert caught.value.code == code
    assert caught.value.messages == [message]


def test_validate_upload_does_not_read_a_file_over_the_limit(settings):
    settings.VIGIE_MAX_UPLOAD_BYTES = 10
    upload = ReadSpy("cr.pdf", PDF_BYTES)
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload, MINUTES, size_hint="Compressez-le.")
    assert caught.value.messages == [
        "Le fichier est trop volumineux (35 octets) : la taille maximale est de 10 octets. "
        "Compressez-le."
    ]
    assert upload.reads == 0


def test_accept_attribute_and_labels_list_every_extension():
    assert uploads.accept_attribute((MARKDOWN, TEXT)) == ".md,.markdown,.txt,.text"
    assert uploads.accepted_label((XLSX, ODS)) == "Excel (.xlsx) ou LibreOffice Calc (.ods)"
    assert uploads.accepted_extensions((DOCX, ODT, PDF)) == ".docx, .odt ou .pdf"
