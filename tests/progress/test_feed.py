"""The Atom feed of a plan's progress: valid XML in the Atom namespace, newest first, nothing personal."""

from xml.etree import ElementTree

from django.urls import reverse

ATOM = "{http://www.w3.org/2005/Atom}"


def _feed(client, plan):
    response = client.get(reverse("progress:feed", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return response.content, ElementTree.fromstring(response.content)


def test_feed_is_valid_atom_with_the_progress_updates(world, client):
    content, root = _feed(client, world.plan)
    assert root.tag == f"{ATOM}feed"
    for child in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{child}") is not None, child
    entries = root.findall(f"{ATOM}entry")
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert "Action « Intervenir dans les écoles de Condom » : À venir → En cours" in titles
    assert any(
        t.startswith("Indicateur « Nombre d'interventions en milieu scolaire » : 150")
        for t in titles
    )
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(set(ids)) == len(ids) and all(" " not in i for i in ids)
    updated = [entry.findtext(f"{ATOM}updated") for entry in entries]
    assert updated == sorted(updated, reverse=True)
    for entry in entries:
        link = entry.find(f"{ATOM}link").get("href")
        assert reverse("progress:plan", args=[world.plan.pk]) + "#" in link


def test_feed_names_nobody(world, client):
    content, _root = _feed(client, world.plan)
    text = content.decode()
    for user in (world.users.prefecture, world.users.coordinator):
        assert user.username not in text
        assert user.get_full_name() not in text or not user.get_full_name()
    assert "<author>" not in text


def test_feed_of_a_plan_without_updates_is_empty_but_valid(world, client):
    _content, root = _feed(client, world.lot_plan)
    assert root.findall(f"{ATOM}entry") == []
