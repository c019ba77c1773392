"""Letters: editable templates with checked placeholders, generation in ODT and PDF, the signed copy."""

import zipfile
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from tests.factories import DepartmentFactory, MeasureFactory, OrganisationFactory
from tests.funding.factories import make_application, make_call
from vigie.audit.models import AuditEntry
from vigie.funding import letters
from vigie.funding.enums import ApplicationState, LetterKind
from vigie.funding.models import GrantLetter, LetterTemplate

pytestmark = pytest.mark.django_db


@pytest.fixture
def gers():
    return DepartmentFactory(code="32", name="Gers")


@pytest.fixture
def accepted(gers):
    call = make_call(gers)
    application = make_application(
        call,
        organisation=OrganisationFactory(department=gers, name="Association Trait d'Union"),
        state=ApplicationState.NOTIFIED,
        granted_amount=7500,
        title="Médiation sociale de soirée",
    )
    measure = application.measures.get()
    measure.title = "Prévenir au plus tôt"
    measure.save()
    return application


def _pdf_text(field) -> str:
    with field.open("rb") as handle:
        return " ".join(page.extract_text() for page in PdfReader(BytesIO(handle.read())).pages)


def test_the_decision_letter_names_the_applicant_the_amount_and_the_measure(accepted, make_user):
    prefecture = make_user("prefecture", accepted.call.department)
    letter = letters.generate_letter(
        acting_user=prefecture, application=accepted, kind=LetterKind.DECISION
    )
    text = " ".join(_pdf_text(letter.pdf_file).split())
    assert "Association Trait d'Union" in text
    assert "7 500 €" in text.replace("\u202f", " ")
    assert "mesure 1.1 « Prévenir au plus tôt »" in text
    with letter.odt_file.open("rb") as handle:
        content = zipfile.ZipFile(BytesIO(handle.read())).read("content.xml").decode()
    assert "Association Trait d" in content and "Prévenir au plus tôt" in content
    assert AuditEntry.objects.filter(object_id=str(letter.pk)).exists()


def test_the_department_template_is_used_and_an_unknown_placeholder_is_refused(accepted, make_user):
    prefecture = make_user("prefecture", accepted.call.department)
    with pytest.raises(ValidationError) as error:
        letters.save_template(
            acting_user=prefecture,
            department=accepted.call.department,
            kind=LetterKind.NOTIFICATION,
            title="Notification",
            body="Subvention de {montant} pour {beneficiaire}.",
        )
    assert "Champ inconnu : {beneficiaire}" in error.value.message_dict["body"][0]
    assert not LetterTemplate.objects.exists()
    letters.save_template(
        acting_user=prefecture,
        department=accepted.call.department,
        kind=LetterKind.NOTIFICATION,
        title="Notification à {porteur}",
        body="Une subvention de {montant} vous est accordée.",
    )
    letter = letters.generate_letter(
        acting_user=prefecture, application=accepted, kind=LetterKind.NOTIFICATION
    )
    assert letter.text == "Une subvention de 7\u202f500\u202f€ vous est accordée."


def test_an_unpaired_brace_is_a_french_error():
    with pytest.raises(ValidationError, match="accolade"):
        letters.check_placeholders("Montant : {montant")


def test_a_refusal_letter_needs_a_refused_application(accepted, make_user):
    prefecture = make_user("prefecture", accepted.call.department)
    with pytest.raises(ValidationError, match="ne reçoit pas de lettre de refus"):
        letters.generate_letter(
            acting_user=prefecture, application=accepted, kind=LetterKind.REFUSAL
        )
    assert not GrantLetter.objects.exists()


def test_only_the_prefecture_generates(accepted, make_user):
    applicant = make_user("applicant", accepted.call.department, organisation=accepted.organisation)
    with pytest.raises(PermissionDenied):
        letters.generate_letter(
            acting_user=applicant, application=accepted, kind=LetterKind.DECISION
        )


def test_the_signed_copy_must_be_a_pdf_and_nothing_is_written_otherwise(accepted, make_user):
    prefecture = make_user("prefecture", accepted.call.department)
    letter = letters.generate_letter(
        acting_user=prefecture, application=accepted, kind=LetterKind.DECISION
    )
    with pytest.raises(ValidationError) as error:
        letters.attach_signed_copy(
            acting_user=prefecture,
            letter=letter,
            upload=SimpleUploadedFile("signe.docx", b"PK\x03\x04 word"),
        )
    assert "PDF" in error.value.message_dict["file"][0]
    letter.refresh_from_db()
    assert not letter.signed_file
    letters.attach_signed_copy(
        acting_user=prefecture,
        letter=letter,
        upload=SimpleUploadedFile("arrete-signe.pdf", b"%PDF-1.4 signed"),
    )
    letter.refresh_from_db()
    assert letter.signed_name == "arrete-signe.pdf" and letter.signed_at is not None


def test_several_measures_are_all_named(accepted):
    other = MeasureFactory(axis=accepted.measures.get().axis, number="1.2", title="Parentalité")
    accepted.measures.add(other)
    assert "et mesure 1.2 « Parentalité »" in letters.values_for(accepted)["mesure"]
