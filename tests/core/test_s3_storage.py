"""Object storage on S3 (django-storages), against a real S3 server on loopback (moto in server mode).

Restricted minutes uploaded through the web land in the private bucket, private ACL; members download the same
bytes through the permission-checked view, outsiders get 403/404, and nobody reads the object without credentials.
The configuration is all or nothing. When the S3 server cannot start, the tests fail if CI=true or
VIGIE_REQUIRE_S3=1 (set by .ci/run), and are skipped otherwise.
"""

import os
import urllib.error
import urllib.request
import uuid
from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from config.env import S3_REQUIRED, s3_storages
from tests.factories import CommuneFactory, DepartmentFactory
from tests.governance.factories import BodyMemberFactory, ClspdFactory
from vigie.governance.models import Meeting

REGION = "eu-west-3"
MINUTES = (
    b"%PDF-1.4\nSituation de Mme X, orientation vers France Victimes.\n"
    + bytes(range(256))
    + b"\n%%EOF"
)


def _s3_required() -> bool:
    return os.environ.get("CI", "").lower() == "true" or os.environ.get("VIGIE_REQUIRE_S3") == "1"


@pytest.fixture(scope="module")
def s3_endpoint():
    """A moto S3 server on a free 127.0.0.1 port, for the tests of this module."""
    try:
        import boto3
        from moto.server import ThreadedMotoServer

        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name=REGION,
            aws_access_key_id="x",
            aws_secret_access_key="x",
        ).list_buckets()
    except Exception as exc:
        message = f"Serveur S3 (moto) impossible à démarrer : {exc!r}"
        if _s3_required():
            pytest.fail(message)
        pytest.skip(message)
    yield endpoint
    server.stop()


def _client(endpoint):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="vigie-test",
        aws_secret_access_key="vigie-test-secret",
    )


@pytest.fixture
def s3(s3_endpoint, monkeypatch, settings):
    """The test settings switched to S3: one bucket for the default storage, another for the private one."""
    suffix = uuid.uuid4().hex[:12]
    buckets = {"default": f"vigie-media-{suffix}", "private": f"vigie-prive-{suffix}"}
    client = _client(s3_endpoint)
    for bucket in buckets.values():
        client.create_bucket(
            Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
    for name, value in {
        "VIGIE_S3_BUCKET": buckets["default"],
        "VIGIE_S3_PRIVATE_BUCKET": buckets["private"],
        "VIGIE_S3_ENDPOINT_URL": s3_endpoint,
        "VIGIE_S3_ACCESS_KEY_ID": "vigie-test",
        "VIGIE_S3_SECRET_ACCESS_KEY": "vigie-test-secret",
        "VIGIE_S3_REGION": REGION,
    }.items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, **s3_storages()}
    # The model field took its storage when the app was loaded (the in-memory one of the test settings).
    monkeypatch.setattr(Meeting._meta.get_field("minutes_file"), "storage", storages["private"])
    return {"endpoint": s3_endpoint, "client": client, "buckets": buckets}


@pytest.fixture
def world(db, make_user):
    gers = DepartmentFactory(code="32", name="Gers")
    lot = DepartmentFactory(code="46", name="Lot")
    condom = CommuneFactory(department=gers, code="32107", name="Condom")
    body = ClspdFactory(department=gers, commune=condom, name="CLSPD de Condom")
    person = make_user("reader", gers, first_name="Sam", last_name="Petit")
    BodyMemberFactory(body=body, user=person)
    return {
        "body": body,
        "coordinator": make_user("coordinator", gers, commune=condom),
        "person": person,
        "reader": make_user("reader", gers),
        "lot_prefect": make_user("prefecture", lot),
    }


def _upload_restricted_minutes(client, world) -> Meeting:
    client.force_login(world["coordinator"])
    response = client.post(
        reverse("governance:meeting_create", args=[world["body"].pk]),
        {
            "date": date(2026, 11, 3).isoformat(),
            "title": "Cellule restreinte",
            "is_restricted": "on",
            "minutes_file": SimpleUploadedFile(
                "cr-nominatif.pdf", MINUTES, content_type="application/pdf"
            ),
        },
    )
    meeting = Meeting.objects.get(title="Cellule restreinte")
    assert response.status_code == 302 and meeting.is_restricted
    return meeting


def _anonymous_get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def _download(client, user, meeting):
    client.force_login(user)
    return client.get(reverse("governance:meeting_minutes_file", args=[meeting.pk]))


@pytest.mark.django_db
def test_restricted_minutes_on_s3_are_served_only_through_the_view(client, s3, world):
    meeting = _upload_restricted_minutes(client, world)
    key = f"private/{meeting.minutes_file.name}"
    bucket = s3["buckets"]["private"]

    # Stored in the private bucket, under the private prefix, with a private ACL.
    stored = s3["client"].get_object(Bucket=bucket, Key=key)
    assert stored["Body"].read() == MINUTES
    assert s3["client"].list_objects_v2(Bucket=s3["buckets"]["default"]).get("KeyCount", 0) == 0
    grants = s3["client"].get_object_acl(Bucket=bucket, Key=key)["Grants"]
    assert not [g for g in grants if "AllUsers" in g["Grantee"].get("URI", "")]

    # Members download the very same bytes through the view.
    for who in ("coordinator", "person"):
        response = _download(client, world[who], meeting)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == MINUTES
        assert response["Cache-Control"] == "private, no-store"

    # Outsiders: 403 in the department, 404 elsewhere; the page never links to the bucket.
    assert _download(client, world["reader"], meeting).status_code == 403
    assert _download(client, world["lot_prefect"], meeting).status_code == 404
    client.force_login(world["coordinator"])
    page = client.get(meeting.get_absolute_url())
    assert page.status_code == 200 and "cr-nominatif.pdf" in page.content.decode()
    assert s3["endpoint"] not in page.content.decode()

    # Nobody reads the object without credentials; the storage only hands out signed URLs.
    assert _anonymous_get(f"{s3['endpoint']}/{bucket}/{key}")[0] == 403
    assert "X-Amz-Signature=" in meeting.minutes_file.url


@pytest.mark.django_db
def test_anonymous_check_can_tell_a_public_object(s3):
    # Control for the test above: the same anonymous GET reads an object made public.
    bucket = s3["buckets"]["private"]
    s3["client"].put_object(Bucket=bucket, Key="public.txt", Body=b"public", ACL="public-read")
    assert _anonymous_get(f"{s3['endpoint']}/{bucket}/public.txt") == (200, b"public")


@pytest.mark.django_db
def test_health_check_probes_both_buckets(client, s3):
    response = client.get(reverse("core:health"))
    assert response.status_code == 200 and response.json() == {"database": "ok", "storage": "ok"}
    for bucket in s3["buckets"].values():
        assert s3["client"].list_objects_v2(Bucket=bucket).get("KeyCount", 0) == 0


@pytest.mark.django_db
def test_health_check_reports_a_missing_private_bucket(client, s3):
    s3["client"].delete_bucket(Bucket=s3["buckets"]["private"])
    response = client.get(reverse("core:health"))
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "storage": "erreur", "storage_failed": ["private"]}
    assert b"vigie-test-secret" not in response.content


# --- configuration: all or nothing ----------------------------------------------------------------

FULL = {
    "VIGIE_S3_BUCKET": "vigie-media",
    "VIGIE_S3_ENDPOINT_URL": "https://s3.fr-par.scw.cloud",
    "VIGIE_S3_ACCESS_KEY_ID": "SCWXXXX",
    "VIGIE_S3_SECRET_ACCESS_KEY": "secret",
    "VIGIE_S3_REGION": "fr-par",
}


@pytest.fixture
def clean_env(monkeypatch):
    for name in (*S3_REQUIRED, "VIGIE_S3_PRIVATE_BUCKET"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_no_s3_variable_keeps_the_local_disk(clean_env):
    assert s3_storages() is None


def test_full_configuration_gives_two_private_storages(clean_env):
    for name, value in FULL.items():
        clean_env.setenv(name, value)
    config = s3_storages()
    for name, location in (("default", "media"), ("private", "private")):
        options = config[name]["OPTIONS"]
        assert config[name]["BACKEND"] == "storages.backends.s3.S3Storage"
        assert options["bucket_name"] == "vigie-media" and options["location"] == location
        assert options["default_acl"] == "private" and options["querystring_auth"] is True
        assert options["endpoint_url"] == "https://s3.fr-par.scw.cloud"
    clean_env.setenv("VIGIE_S3_PRIVATE_BUCKET", "vigie-prive")
    assert s3_storages()["private"]["OPTIONS"]["bucket_name"] == "vigie-prive"


@pytest.mark.parametrize("missing", S3_REQUIRED)
def test_partial_configuration_is_refused_in_french(clean_env, missing):
    for name, value in FULL.items():
        if name != missing:
            clean_env.setenv(name, value)
    with pytest.raises(
        ImproperlyConfigured, match=f"Configuration du stockage S3 incomplète : il manque {missing}"
    ):
        s3_storages()


def test_private_bucket_alone_is_a_partial_configuration(clean_env):
    clean_env.setenv("VIGIE_S3_PRIVATE_BUCKET", "vigie-prive")
    with pytest.raises(ImproperlyConfigured, match="incomplète"):
        s3_storages()


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("VIGIE_S3_ENDPOINT_URL", "s3.fr-par.scw.cloud", "doit commencer par https://"),
        ("VIGIE_S3_BUCKET", "Vigie_Media", "nom de bucket valide"),
        ("VIGIE_S3_PRIVATE_BUCKET", " ", "VIGIE_S3_PRIVATE_BUCKET est vide"),
        ("VIGIE_S3_SECRET_ACCESS_KEY", "  ", "il manque VIGIE_S3_SECRET_ACCESS_KEY"),
    ],
)
def test_bad_values_are_refused_in_french(clean_env, name, value, message):
    for key, full_value in FULL.items():
        clean_env.setenv(key, full_value)
    clean_env.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=message):
        s3_storages()
