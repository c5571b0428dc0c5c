"""API tokens for other systems (issue 12): a user creates, names, scopes and revokes its own tokens and sees
when each was last used; only a SHA-256 digest is stored; the bureau revokes any; a read-only token is refused on
unsafe methods; a token acts with exactly its user's permissions (the same permission layer)."""

import base64
import hashlib

import pytest
from django.urls import reverse

from directory.models import ApiToken, Role
from directory.services import api_token_create
from tests.delivery.reports.builders import END, START, approved_plan, make_report
from tests.procurement.factories import PackageFactory, RoundFactory, qualified_agency

ME = "/api/v1/me/"
TOKENS = "/api/v1/tokens/"


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def basic(username: str, password: str = "pw-for-tests") -> dict:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()}


@pytest.fixture
def report(world, personas, edition_2018):
    package = PackageFactory(
        town=world.town_a1, agency=qualified_agency(world.agency), round=RoundFactory(), starts_on=START, ends_on=END
    )
    approved_plan(package, world)
    return make_report(package, 2025, 3, personas[Role.AGENCY_WORKER])


# --- the page -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_user_creates_a_token_on_its_page_and_sees_the_key_once(client, personas):
    worker = personas[Role.AGENCY_WORKER]
    client.force_login(worker)
    assert reverse("directory:api-token-list") in client.get(reverse("directory:home")).content.decode()
    response = client.post(reverse("directory:api-token-list"), {"name": "区业务系统", "scope": "read"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    key = response.context["created_key"]
    assert key.startswith("sw_") and len(key) > 40 and key in response.content.decode()
    token = ApiToken.objects.get()
    assert (token.user, token.name, token.scope) == (worker, "区业务系统", "read")
    # Stored hashed: the digest and a short prefix, never the key.
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(list(ApiToken.objects.values_list()))
    assert key[:10] == token.prefix
    page = client.get(reverse("directory:api-token-list")).content.decode()
    assert key not in page and "区业务系统" in page and "从未使用" in page
    client.logout()
    assert client.get(ME, **bearer(key)).json()["username"] == worker.username
    client.force_login(worker)
    page = client.get(reverse("directory:api-token-list")).content.decode()
    assert "从未使用" not in page


@pytest.mark.django_db
def test_a_token_needs_a_name_and_a_known_scope(client, personas):
    client.force_login(personas[Role.AGENCY_WORKER])
    response = client.post(reverse("directory:api-token-list"), {"name": "", "scope": "admin"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_the_token_page_reads_a_constant_number_of_queries(client, personas, django_assert_max_num_queries):
    bureau = personas[Role.BUREAU_ADMIN]
    for user in personas.values():
        for n in range(3):
            api_token_create(actor=user, name=f"系统{n}", scope="read")
    client.force_login(bureau)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("directory:api-token-list")).status_code == 200


@pytest.mark.django_db
def test_a_user_revokes_its_own_token_and_not_anyone_elses(client, personas):
    worker, manager = personas[Role.AGENCY_WORKER], personas[Role.AGENCY_MANAGER]
    own, key = api_token_create(actor=worker, name="mine", scope="read")
    theirs, their_key = api_token_create(actor=manager, name="theirs", scope="read")
    client.force_login(worker)
    assert client.post(reverse("directory:api-token-revoke", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("directory:api-token-revoke", args=[own.pk])).status_code == 405
    response = client.post(reverse("directory:api-token-revoke", args=[own.pk]))
    assert response.status_code == 302
    own.refresh_from_db()
    theirs.refresh_from_db()
    assert own.revoked_at is not None and own.revoked_by == worker and theirs.revoked_at is None
    client.logout()
    response = client.get(ME, **bearer(key))
    assert response.status_code == 403 and "撤销" in response.json()["detail"]
    assert client.get(ME, **bearer(their_key)).status_code == 200


@pytest.mark.django_db
def test_the_bureau_revokes_anyones_token_on_the_page_and_in_the_admin(client, personas):
    bureau = personas[Role.BUREAU_ADMIN]
    first, _key = api_token_create(actor=personas[Role.AGENCY_MANAGER], name="财务工具", scope="write")
    second, _key = api_token_create(actor=personas[Role.TOWN_OFFICER], name="街镇系统", scope="read")
    client.force_login(bureau)
    page = client.get(reverse("directory:api-token-list")).content.decode()
    assert "财务工具" in page and "街镇系统" in page
    assert client.post(reverse("directory:api-token-revoke", args=[first.pk])).status_code == 302
    changelist = reverse("admin:directory_apitoken_changelist")
    assert "街镇系统" in client.get(changelist).content.decode()
    client.post(changelist, {"action": "revoke", "_selected_action": [second.pk]})
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 0
    # Other users do not see others' tokens.
    client.force_login(personas[Role.AGENCY_WORKER])
    page = client.get(reverse("directory:api-token-list")).content.decode()
    assert "财务工具" not in page and "街镇系统" not in page


# --- tokens on the API ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_read_only_token_reads_but_is_refused_on_unsafe_methods(client, personas, report):
    worker = personas[Role.AGENCY_WORKER]
    _token, key = api_token_create(actor=worker, name="只读", scope="read")
    url = f"/api/v1/delivery/reports/{report.pk}/"
    assert client.get(url, **bearer(key)).status_code == 200
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(url, {"summary": "x"}, content_type="application/json", **bearer(key))
        assert response.status_code == 403, method
        assert "只读令牌" in response.json()["detail"]
    report.refresh_from_db()
    assert report.summary == ""


@pytest.mark.django_db
def test_a_read_write_token_writes_as_its_user_without_csrf(client, personas, report):
    _token, key = api_token_create(actor=personas[Role.AGENCY_WORKER], name="读写", scope="write")
    client.handler.enforce_csrf_checks = True
    url = f"/api/v1/delivery/reports/{report.pk}/"
    response = client.patch(url, {"summary": "三月小结"}, content_type="application/json", **bearer(key))
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.summary == "三月小结"


@pytest.mark.django_db
def test_a_token_has_exactly_its_users_permissions(client, personas, outsiders, report):
    """The same permission layer: an outsider's token gets 404, a town officer's token cannot write a report."""
    url = f"/api/v1/delivery/reports/{report.pk}/"
    _token, outsider_key = api_token_create(actor=outsiders[Role.AGENCY_MANAGER], name="x", scope="write")
    assert client.get(url, **bearer(outsider_key)).status_code == 404
    assert (
        client.patch(url, {"summary": "x"}, content_type="application/json", **bearer(outsider_key)).status_code == 404
    )
    _token, town_key = api_token_create(actor=personas[Role.TOWN_OFFICER], name="x", scope="write")
    assert client.get(url, **bearer(town_key)).status_code == 200
    assert client.patch(url, {"summary": "x"}, content_type="application/json", **bearer(town_key)).status_code in (
        400,
        403,
    )
    report.refresh_from_db()
    assert report.summary == ""


@pytest.mark.django_db
def test_bad_tokens_and_inactive_users_are_refused(client, personas):
    worker = personas[Role.AGENCY_WORKER]
    _token, key = api_token_create(actor=worker, name="x", scope="read")
    for header in ("Bearer sw_nope", "Bearer", "Bearer a b", "Bearer " + key[:-1], "Bearer notatoken"):
        assert client.get(ME, HTTP_AUTHORIZATION=header).status_code == 403, header
    worker.is_active = False
    worker.save()
    assert client.get(ME, **bearer(key)).status_code == 403
    assert client.get(ME).status_code == 403


@pytest.mark.django_db
def test_tokens_are_managed_with_a_password_or_a_session_never_with_a_token(client, personas):
    worker = personas[Role.AGENCY_WORKER]
    response = client.post(
        TOKENS, {"name": "财务系统", "scope": "write"}, content_type="application/json", **basic(worker.username)
    )
    assert response.status_code == 201
    body = response.json()
    key = body["token"]
    assert body["name"] == "财务系统" and body["scope"] == "write" and body["user"] == worker.username
    assert "key_hash" not in body
    listed = client.get(TOKENS, **basic(worker.username)).json()
    assert listed["count"] == 1 and "token" not in listed["results"][0] and "key_hash" not in listed["results"][0]
    # A token (even read-write) cannot mint, list or revoke tokens.
    assert (
        client.post(TOKENS, {"name": "y", "scope": "write"}, content_type="application/json", **bearer(key)).status_code
        == 403
    )
    assert client.get(TOKENS, **bearer(key)).status_code == 403
    assert client.post(f"{TOKENS}{body['id']}/revoke/", **bearer(key)).status_code == 403
    assert (
        client.post(
            TOKENS, {"name": "z", "scope": "read"}, content_type="application/json", **basic(worker.username, "wrong")
        ).status_code
        == 403
    )
    assert ApiToken.objects.count() == 1
    # Revoke over the API with the password.
    response = client.post(f"{TOKENS}{body['id']}/revoke/", **basic(worker.username))
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert client.get(ME, **bearer(key)).status_code == 403


@pytest.mark.django_db
def test_the_api_lists_only_own_tokens_and_the_bureau_all(client, personas):
    for user in personas.values():
        api_token_create(actor=user, name=f"t-{user.username}", scope="read")
    client.force_login(personas[Role.AGENCY_MANAGER])
    assert client.get(TOKENS).json()["count"] == 1
    assert client.get(TOKENS, {"all": "true"}).json()["count"] == 1
    other = ApiToken.objects.exclude(user=personas[Role.AGENCY_MANAGER]).first()
    assert client.post(f"{TOKENS}{other.pk}/revoke/").status_code == 404
    client.force_login(personas[Role.BUREAU_ADMIN])
    assert client.get(TOKENS, {"all": "true"}).json()["count"] == len(personas)
    assert client.post(f"{TOKENS}{other.pk}/revoke/").status_code == 200


@pytest.mark.django_db
def test_password_guessing_on_the_token_api_is_throttled(client, personas, settings):
    worker = personas[Role.AGENCY_WORKER]
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        client.post(
            TOKENS, {"name": "z", "scope": "read"}, content_type="application/json", **basic(worker.username, "guess")
        )
    response = client.post(
        TOKENS, {"name": "z", "scope": "read"}, content_type="application/json", **basic(worker.username)
    )
    assert response.status_code in (403, 429)
    assert not ApiToken.objects.exists()
