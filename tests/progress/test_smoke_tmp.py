from django.urls import reverse


def test_pages(world, client):
    for url in [
        reverse("progress:index"),
        reverse("progress:plan", args=[world.plan.pk]),
        reverse("progress:plan", args=[world.plan.pk]) + "?territoire=commune-32107",
        reverse("progress:plan", args=[world.plan.pk]) + "?territoire=epci-200066926",
        reverse("progress:feed", args=[world.plan.pk]),
        reverse("progress:data", args=[world.plan.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        print(url, len(response.content))
    client.force_login(world.users.prefecture)
    r = client.get(reverse("progress:publication", args=[world.plan.pk]))
    assert r.status_code == 200
    r = client.get(reverse("progress:plan", args=[world.plan.pk]) + "?territoire=commune-32107")
    print(r.content.decode()[r.content.decode().find("resultats-territoire") :][:3000])
    r = client.get(reverse("progress:feed", args=[world.plan.pk]))
    print(r.content.decode()[:3000])


def test_api(world, client):
    for name in ["plan", "axis", "measure", "action", "indicator", "value"]:
        r = client.get(reverse(f"api:public-{name}-list"))
        assert r.status_code == 200, name
        print(name, r.json())
    r = client.get(reverse("api:schema"))
    assert r.status_code == 200
