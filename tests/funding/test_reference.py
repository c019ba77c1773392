import pytest

from vigie.funding.models import Fund, FundProgramme


@pytest.mark.django_db
def test_funds_loaded():
    assert Fund.objects.filter(code="FIPD").exists()
    assert FundProgramme.objects.filter(fund__code="FIPD").count() == 4
