"""A NUL character in an address is a 400 with a French message, before any view or query runs."""

import pytest

pytestmark = pytest.mark.django_db


def test_nul_in_a_path_segment_is_a_400(client):
    response = client.get("/organisations/glossaire/3%002/")
    assert response.status_code == 400
    assert "caractère nul" in response.content.decode()


@pytest.mark.parametrize("query", ["q=a%00b", "page=1%00", "a%00=1"])
def test_nul_in_the_query_string_is_a_400(client, query):
    response = client.get(f"/organisations/?{query}")
    assert response.status_code == 400
    assert "caractère nul" in response.content.decode()


def test_an_ordinary_query_string_reaches_the_view(client):
    assert client.get("/organisations/?q=gendarmerie").status_code == 200


def test_the_api_answers_for_itself_in_json(client):
    response = client.get("/api/values/?status=a%00b")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
