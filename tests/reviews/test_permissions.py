"""Permission matrix of the review pages: roles × (same department / other department) → HTTP status.

Decision: generated reviews and the review page are for every account of the plan's department (the CDPD's
members and readers, pilots, partners, coordinators, the prefecture) and national administrators; writing the
texts and generating are for the prefecture and administrators (others of the department: 403). For anyone
of another department the plan's reviews do not exist (404), even for an adopted (public) plan.
"""

import pytest
from django.urls import get_resolver, reverse

from tests.conftest import ALL_ROLES
from vigie.reviews.models import Review, ReviewText

URL_NAMES_COVERED = {
    "reviews:plan",
    "reviews:texts",
    "reviews:generate",
    "reviews:preview",
    "reviews:download",
}

EVERYONE = {"admin", "prefecture", "pilot", "coordinator", "partner", "reader"}
PREFECTURE = {"admin", "prefecture"}

MATRIX = {
    "reviews:plan": (lambda o: [o["plan"].pk], EVERYONE, "GET"),
    "reviews:texts": (lambda o: [o["plan"].pk], PREFECTURE, "POST"),
    "reviews:generate": (lambda o: [o["plan"].pk], PREFECTURE, "POST"),
    "reviews:preview": (lambda o: [o["plan"].pk], EVERYONE, "GET"),
    "reviews:download": (lambda o: [o["review"].pk], EVERYONE, "GET"),
}


def expected_status(role, same, allowed, method):
    if role == "anonymous":
        return 302
    if role == "admin" or same:
        if role in allowed:
            return (200, 302) if method == "POST" else 200
        return 403
    return 404


CASES = [
    (name, role, same)
    for name in MATRIX
    for role in ALL_ROLES
    for same in ((True,) if role in ("anonymous", "admin") else (True, False))
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role", "same"), CASES)
def test_permission_matrix(client, make_user, small, stored_review, name, role, same):
    args_for, allowed, method = MATRIX[name]
    user = make_user(role, small["gers"] if same else small["lot"])
    if role != "anonymous":
        client.force_login(user)
    url = reverse(name, args=args_for({**small, "review": stored_review}))
    response = client.post(url, {}) if method == "POST" else client.get(url)
    expected = expected_status(role, same, allowed, method)
    if isinstance(expected, tuple):
        assert response.status_code in expected, (name, role, same, response.status_code)
    else:
        assert response.status_code == expected, (name, role, same, response.status_code)
    if role == "anonymous":
        assert "/comptes/connexion/" in response.url


@pytest.mark.django_db
def test_forbidden_writes_change_nothing(client, make_user, small):
    client.force_login(make_user("reader", small["gers"]))
    url = reverse("reviews:texts", args=[small["plan"].pk])
    assert client.post(url, {"introduction": "Texte"}).status_code == 403
    url = reverse("reviews:generate", args=[small["plan"].pk])
    response = client.post(url, {"kind": "annual", "year": "2024", "output_format": "html"})
    assert response.status_code == 403
    assert not ReviewText.objects.exists() and not Review.objects.exists()


@pytest.mark.django_db
def test_writes_are_post_only(client, make_user, small):
    client.force_login(make_user("prefecture", small["gers"]))
    for name in ("reviews:texts", "reviews:generate"):
        assert client.get(reverse(name, args=[small["plan"].pk])).status_code == 405


def test_every_reviews_url_is_in_the_matrix():
    names = {
        f"reviews:{p.name}"
        for p in get_resolver().namespace_dict["reviews"][1].url_patterns
        if getattr(p, "name", None)
    }
    assert names == URL_NAMES_COVERED == set(MATRIX)
