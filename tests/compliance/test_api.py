"""K8 through the API (/api/v1/compliance/): the same scope, filters, state machine and refusals as the pages —
an outsider gets 404, a refusal 403, bad input 400 with the field named."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from compliance.models import Finding
from compliance.services import findings_sync
from directory.models import Role
from directory.services import api_token_create
from tests.compliance.findings_world import EXE, PNG, bulk_findings, make_findings

pytestmark = pytest.mark.django_db

LIST = reverse("api-v1:compliance-finding-list")


def detail(pk):
    return reverse("api-v1:compliance-finding-detail", args=[pk])


def respond(pk):
    return reverse("api-v1:compliance-finding-respond", args=[pk])


def waive(pk):
    return reverse("api-v1:compliance-finding-waive", args=[pk])


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = settings.PRIVATE_MEDIA_ROOT = tmp_path


@pytest.fixture
def findings(world, package):
    return make_findings(world, package)


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_k8_api_list_is_scoped_and_filtered(client, personas, outsiders, findings, world):
    client.force_login(personas[Role.BUREAU_ADMIN])
    assert _ids(client.get(LIST)) == {f.pk for f in findings.all()}
    assert _ids(client.get(LIST, {"rule": "K3"})) == {findings.k3.pk}
    assert _ids(client.get(LIST, {"district": world.district_b.pk})) == {findings.k6.pk}
    assert _ids(client.get(LIST, {"agency": world.agency.pk})) == {findings.k3.pk, findings.k4.pk}
    client.force_login(personas[Role.COMMUNITY_OFFICER])
    assert _ids(client.get(LIST)) == {findings.k4.pk}
    client.force_login(outsiders[Role.AGENCY_MANAGER])
    assert _ids(client.get(LIST)) == {findings.k6.pk}
    client.force_login(personas[Role.EVALUATOR])
    assert _ids(client.get(LIST)) == set()


def test_k8_api_list_defaults_to_open_and_answered(client, bureau, findings):
    findings_sync(rule="K6", found=[])
    client.force_login(bureau)
    assert findings.k6.pk not in _ids(client.get(LIST))
    assert _ids(client.get(LIST, {"status": "closed"})) == {findings.k6.pk}
    assert findings.k6.pk in _ids(client.get(LIST, {"status": "all"}))


def test_k8_api_bad_filters_are_400(client, bureau, findings):
    client.force_login(bureau)
    response = client.get(LIST, {"status": "bogus", "age": "5", "town": "abc"})
    assert response.status_code == 400
    assert {"status", "age", "town"} <= set(response.json())


def test_k8_api_list_query_count_is_constant(client, bureau, world, package, django_assert_max_num_queries):
    client.force_login(bureau)
    bulk_findings(world, package, 3)
    client.get(LIST)
    with django_assert_max_num_queries(5):
        assert client.get(LIST).json()["count"] == 3
    bulk_findings(world, package, 60)
    with django_assert_max_num_queries(5):
        assert client.get(LIST).json()["count"] == 60


def test_k8_api_detail_has_history_and_what_the_caller_may_do(client, manager, findings):
    client.force_login(manager)
    body = client.get(detail(findings.k3.pk)).json()
    assert body["rule"] == "K3" and body["details"]["month"] == "2025-01"
    assert [(e["kind"], e["actor"]) for e in body["events"]] == [("opened", None)]
    assert body["can_respond"] is True and body["can_waive"] is False


def test_k8_api_detail_is_404_outside_the_scope(client, outsiders, findings):
    for role in (Role.TOWN_OFFICER, Role.AGENCY_MANAGER, Role.COMMUNITY_OFFICER):
        client.force_login(outsiders[role])
        assert client.get(detail(findings.k3.pk)).status_code == 404
        assert client.post(respond(findings.k3.pk), {"text": "x"}).status_code == 404
        assert client.post(waive(findings.k3.pk), {"reason": "x"}).status_code == 404


def test_k8_api_respond_multipart_with_a_file_through_a_token(client, manager, findings):
    _token, key = api_token_create(actor=manager, name="erp", scope="write")
    response = client.post(
        respond(findings.k3.pk),
        {"text": "已补交。", "attachment": SimpleUploadedFile("回执.png", PNG)},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "responded"
    answer = body["events"][-1]
    assert answer["kind"] == "responded" and answer["text"] == "已补交。" and answer["attachment_name"] == "回执.png"
    assert answer["actor"] == str(manager)
    assert answer["download"] == reverse("compliance:finding-attachment", args=[answer["id"]])


def test_k8_api_bad_attachment_is_400_on_the_field_and_nothing_changes(client, manager, findings):
    client.force_login(manager)
    response = client.post(respond(findings.k3.pk), {"text": "已整改", "attachment": SimpleUploadedFile("a.jpg", EXE)})
    assert response.status_code == 400
    assert "文件内容不是" in response.json()["attachment"][0]
    findings.k3.refresh_from_db()
    assert findings.k3.status == Finding.Status.OPEN and findings.k3.events.count() == 1


def test_k8_api_respond_refusals(client, personas, findings):
    client.force_login(personas[Role.BUREAU_ADMIN])
    assert client.post(respond(findings.k3.pk), {"text": "代为整改"}).status_code == 403
    client.force_login(personas[Role.AGENCY_MANAGER])
    assert client.post(respond(findings.k3.pk), {"text": ""}).json().keys() == {"text"}
    findings_sync(rule="K3", found=[])
    response = client.post(respond(findings.k3.pk), {"text": "已整改"})
    assert response.status_code == 400 and "已消除" in response.json()["non_field_errors"][0]


def test_k8_api_waive(client, personas, findings):
    client.force_login(personas[Role.AGENCY_MANAGER])
    assert client.post(waive(findings.k3.pk), {"reason": "不需要"}, content_type="application/json").status_code == 403
    client.force_login(personas[Role.BUREAU_ADMIN])
    blank = client.post(waive(findings.k3.pk), {"reason": ""}, content_type="application/json")
    assert blank.status_code == 400 and "reason" in blank.json()
    done = client.post(waive(findings.k3.pk), {"reason": "已另行处理。"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "waived" and done.json()["closed_at"]
    assert done.json()["events"][-1]["text"] == "已另行处理。"
    again = client.post(waive(findings.k3.pk), {"reason": "再次"}, content_type="application/json")
    assert again.status_code == 400 and "豁免" in again.json()["non_field_errors"][0]


def test_k8_api_read_token_cannot_answer(client, manager, findings):
    _token, key = api_token_create(actor=manager, name="ro", scope="read")
    response = client.post(respond(findings.k3.pk), {"text": "x"}, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 403
