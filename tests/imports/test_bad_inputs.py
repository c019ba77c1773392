"""Bad input: each gets a clear French message, never a 500, and nothing is written to the
plans (row counts before and after), through the web upload and through import_plan."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from tests.imports.conftest import plan_row_counts
from tests.imports.documents import blocks_of, to_docx
from vigie.imports.enums import ImportStatus
from vigie.imports.errors import PlanImportError
from vigie.imports.forms import UploadForm
from vigie.imports.models import ImportSession
from vigie.imports.reading.readers import read_document


def image_only_pdf() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 800), "white")
    ImageDraw.Draw(image).text((50, 50), "PLAN DEPARTEMENTAL (scan)", fill="black")
    out = io.BytesIO()
    image.save(out, format="PDF")
    return out.getvalue()


def encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    from tests.imports.documents import to_pdf

    source = to_pdf(blocks_of("# Plan départemental 2021-2024\n\nAxe 1 : Les jeunes\n"))
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(source)).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def truncated_docx() -> bytes:
    data = to_docx(blocks_of("# Plan départemental 2021-2024\n\nAxe 1 : Les jeunes\n"))
    return data[: len(data) // 2]


def zip_bomb_docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (8 * 1024 * 1024))
    return out.getvalue()


NO_STRUCTURE = "Compte rendu de réunion 2021-2024.\n\nRien à signaler.\n".encode()

CASES = [
    ("scan.pdf", image_only_pdf, "ne contient pas de texte : c'est probablement un scan"),
    ("protege.pdf", encrypted_pdf, "protégé par un mot de passe"),
    ("abime.docx", truncated_docx, "endommagé"),
    ("bombe.docx", zip_bomb_docx, "zip bomb"),
    ("programme.docx", lambda: b"MZ\x90\x00" + b"\x00" * 2000, "c'est un programme Windows"),
    ("plan.rtf", lambda: b"{\\rtf1 Plan}", "Format non accepté (.rtf)"),
    ("plan.txt", lambda: NO_STRUCTURE, "Aucune structure de plan reconnue"),
    ("plan.pdf", lambda: b"%PDF-1.7\n" + b"n'importe quoi" * 50, "PDF est endommagé"),
    ("vide.txt", lambda: b"", "vide"),
]


@pytest.mark.parametrize(("name", "build", "message"), CASES, ids=[c[0] for c in CASES])
def test_reader_refuses_in_french(name, build, message):
    data = build()
    with pytest.raises(PlanImportError, match=re.escape(message)):
        from vigie.imports.parsing.structure import parse_plan

        parse_plan(read_document(name, data))


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "build", "message"), CASES, ids=[c[0] for c in CASES])
def test_web_upload_refuses_and_writes_nothing(client, make_user, gers, name, build, message):
    client.force_login(make_user("prefecture", gers))
    before = plan_row_counts()
    upload = SimpleUploadedFile(name, build())
    response = client.post(reverse("imports:start", args=["32"]), {"file": upload}, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert plan_row_counts() == before
    assert not ImportSession.objects.filter(status=ImportStatus.REVIEW).exists()


@pytest.mark.django_db
def test_web_upload_over_the_size_limit(client, make_user, gers):
    client.force_login(make_user("prefecture", gers))
    before = plan_row_counts()
    with override_settings(VIGIE_MAX_UPLOAD_BYTES=1000):
        response = client.post(
            reverse("imports:start", args=["32"]),
            {"file": SimpleUploadedFile("plan.txt", b"x" * 1500)},
        )
    assert response.status_code == 200
    assert "Le fichier est trop volumineux" in response.content.decode()
    assert plan_row_counts() == before and ImportSession.objects.count() == 0


@pytest.mark.django_db
def test_web_upload_far_over_the_limit_is_refused_before_reading_it(client, make_user, gers):
    client.force_login(make_user("prefecture", gers))
    with override_settings(VIGIE_MAX_UPLOAD_BYTES=1000):
        response = client.post(
            reverse("imports:start", args=["32"]),
            {"file": SimpleUploadedFile("plan.txt", b"x" * (1024 * 1024 + 2000))},
        )
    assert response.status_code == 200
    content = response.content.decode()
    assert (
        "Le fichier est trop volumineux (1,1 Mo) : la taille maximale est de 1000 octets."
        in content
    )
    assert ImportSession.objects.count() == 0


class HugeUpload(SimpleUploadedFile):
    """An upload that says it weighs 20 MB and 1 byte, without the bytes."""

    def __init__(self):
        super().__init__("plan.pdf", b"%PDF-1.7")
        self.size = 20 * 1024 * 1024 + 1


@pytest.mark.django_db
def test_upload_form_checks_the_real_limit(gers):
    form = UploadForm(
        data={}, files={"file": HugeUpload()}, department=gers, max_bytes=20 * 1024 * 1024
    )
    assert not form.is_valid()
    assert form.errors["file"][0] == (
        "Le fichier est trop volumineux (20,1 Mo) : la taille maximale est de 20 Mo. "
        "Enregistrez le plan sans les images (ou en PDF « texte ») et déposez-le à nouveau."
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "build", "message"), CASES, ids=[c[0] for c in CASES])
def test_command_refuses_and_writes_nothing(tmp_path, gers, name, build, message):
    path = tmp_path / name
    path.write_bytes(build())
    before = plan_row_counts()
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("import_plan", str(path), department="32", stdout=io.StringIO())
    assert plan_row_counts() == before


@pytest.mark.django_db
def test_command_refuses_a_file_over_20_mb_without_reading_it(tmp_path, gers):
    path = tmp_path / "enorme.pdf"
    with path.open("wb") as stream:  # a sparse file: nothing is allocated
        stream.truncate(20 * 1024 * 1024 + 1)
    before = plan_row_counts()
    with pytest.raises(CommandError, match="trop volumineux"):
        call_command("import_plan", str(path), department="32", stdout=io.StringIO())
    assert plan_row_counts() == before


def test_docx_with_a_dtd_is_refused():
    data = to_docx(blocks_of("# Plan 2021-2024\n"))
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for member in source.infolist():
            content = source.read(member)
            if member.filename == "word/document.xml":
                content = content.replace(
                    b"?>",
                    b'?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>',
                    1,
                )
            archive.writestr(member, content)
    with pytest.raises(PlanImportError, match="DTD"):
        read_document("plan.docx", out.getvalue())


def test_pdf_named_txt_is_refused():
    with pytest.raises(PlanImportError, match="c'est un PDF"):
        read_document("plan.txt", b"%PDF-1.7\n1 0 obj")
