"""The reports API as other systems use it (issue 12): strict input (finding 6: a narrative is text, a count is
not a boolean, every text bounded), the report list across packages filtered by town and month, and attachment
upload over the API — the same selectors, predicates and services as the pages."""

import pytest
from django.urls import reverse

from core.limits import NOTE_MAX_LENGTH, TEXT_MAX_LENGTH
from delivery.models import ReportAttachment, ReportLine
from directory.models import Role
from directory.services import api_token_create
from tests.procurement.factories import PackageFactory, RoundFactory, qualified_agency

from .builders import END, JPEG, MZ, START, approved_plan, make_report

pytestmark = pytest.mark.django_db


def api(name, *args):
    return reverse(f"api-v1:delivery-{name}", args=args)


@pytest.fixture
def draft(package, items, worker):
    return make_report(package, 2025, 3, worker, values={items["station"]: {"sessions": 1}})


def patch(client, report, body):
    return client.patch(api("report-detail", report.pk), body, content_type="application/json")


# --- finding 6: strict input --------------------------------------------------------------------------------


def test_a_narrative_must_be_text(client_for, draft, items):
    line = {"plan_item": items["station"].pk, "narrative": {"x": 1}}
    response = patch(client_for(draft.created_by), draft, {"lines": [line]})
    assert response.status_code == 400 and "lines" in response.json()
    assert ReportLine.objects.get(report=draft, plan_item=items["station"]).narrative == ""


@pytest.mark.parametrize("value", [True, False, [1], {"n": 1}])
def test_a_count_is_not_a_boolean_a_list_or_an_object(client_for, draft, items, value):
    response = patch(
        client_for(draft.created_by), draft, {"lines": [{"plan_item": items["station"].pk, "sessions": value}]}
    )
    assert response.status_code == 400
    assert ReportLine.objects.get(report=draft, plan_item=items["station"]).sessions == 1


def test_numbers_and_numeric_text_are_still_accepted(client_for, draft, items):
    client = client_for(draft.created_by)
    line = {"plan_item": items["station"].pk, "sessions": "4", "volunteer_hours": 2.5, "narrative": "讲座两次"}
    assert patch(client, draft, {"lines": [line]}).status_code == 200
    saved = ReportLine.objects.get(report=draft, plan_item=items["station"])
    assert (saved.sessions, str(saved.volunteer_hours), saved.narrative) == (4, "2.5", "讲座两次")


def test_text_fields_are_bounded(client_for, draft, items):
    client = client_for(draft.created_by)
    response = patch(client, draft, {"summary": "长" * (TEXT_MAX_LENGTH + 1)})
    assert response.status_code == 400 and "summary" in response.json()
    line = {"plan_item": items["station"].pk, "narrative": "长" * (NOTE_MAX_LENGTH + 1)}
    assert patch(client, draft, {"lines": [line]}).status_code == 400
    draft.refresh_from_db()
    assert draft.summary == ""
    # Two megabytes are refused before any serializer runs (DATA_UPLOAD_MAX_MEMORY_SIZE).
    assert patch(client, draft, {"summary": "x" * 2_000_000}).status_code in (400, 413)


def test_the_service_refuses_booleans_and_long_text_from_any_caller(draft, items):
    from django.core.exceptions import ValidationError

    from delivery.services.reports import report_save_draft

    for values in ({"sessions": True}, {"narrative": {"x": 1}}, {"narrative": "长" * (NOTE_MAX_LENGTH + 1)}):
        with pytest.raises(ValidationError):
            report_save_draft(actor=draft.created_by, report=draft, lines={items["station"].pk: values})
    with pytest.raises(ValidationError):
        report_save_draft(actor=draft.created_by, report=draft, summary="长" * (TEXT_MAX_LENGTH + 1), lines={})


# --- the report list across packages -------------------------------------------------------------------------


@pytest.fixture
def other_town_report(world, worker, personas, edition_2018):
    package = PackageFactory(
        town=world.town_b1,
        agency=qualified_agency(world.other_agency),
        round=RoundFactory(),
        starts_on=START,
        ends_on=END,
    )
    approved_plan(package, world)
    return make_report(package, 2025, 3, worker)


def test_reports_of_one_town_for_one_month(client_for, package, items, worker, personas, world, other_town_report):
    march = make_report(package, 2025, 3, worker)
    make_report(package, 2025, 4, worker)
    client = client_for(personas[Role.BUREAU_ADMIN])
    response = client.get(api("report-list-all"), {"town": world.town_a1.pk, "year": 2025, "month": 3})
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [march.pk]
    assert client.get(api("report-list-all"), {"year": 2025, "month": 3}).json()["count"] == 2
    # Scoped like every list: the agency's worker does not see the other agency's town.
    client = client_for(worker)
    assert client.get(api("report-list-all"), {"town": world.town_b1.pk}).json()["count"] == 0


@pytest.mark.parametrize("query", [{"year": "abc"}, {"month": "13"}, {"town": "9" * 30}, {"status": "bogus"}])
def test_bad_filters_are_400_never_500(client_for, personas, query):
    response = client_for(personas[Role.BUREAU_ADMIN]).get(api("report-list-all"), query)
    assert response.status_code in (200, 400)


def test_the_report_list_reads_a_constant_number_of_queries(
    client_for, package, items, worker, personas, django_assert_max_num_queries
):
    client = client_for(personas[Role.BUREAU_ADMIN])
    for month in range(1, 7):
        make_report(package, 2025, month, worker)
    with django_assert_max_num_queries(8):
        assert client.get(api("report-list-all")).json()["count"] == 6


# --- attachments over the API --------------------------------------------------------------------------------


def test_a_worker_uploads_an_attachment_with_a_read_write_token(client, draft, items):
    line = ReportLine.objects.get(report=draft, plan_item=items["station"])
    _token, key = api_token_create(actor=draft.created_by, name="相册系统", scope="write")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        api("report-attach", draft.pk), {"file": SimpleUploadedFile("活动.jpg", JPEG), "line": line.pk}, **auth
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["content_type"] == "image/jpeg" and body["line"] == line.pk and body["original_name"] == "活动.jpg"
    assert ReportAttachment.objects.get().sha256 == body["sha256"]
    bad = client.post(api("report-attach", draft.pk), {"file": SimpleUploadedFile("x.jpg", MZ)}, **auth)
    assert bad.status_code == 400 and "file" in bad.json()
    _token, read_key = api_token_create(actor=draft.created_by, name="只读", scope="read")
    refused = client.post(
        api("report-attach", draft.pk),
        {"file": SimpleUploadedFile("a.jpg", JPEG)},
        HTTP_AUTHORIZATION=f"Bearer {read_key}",
    )
    assert refused.status_code == 403
    assert ReportAttachment.objects.count() == 1


def test_attachment_upload_asks_the_same_predicates(client_for, draft, personas, outsiders):
    from django.core.files.uploadedfile import SimpleUploadedFile

    def post(user):
        return client_for(user).post(api("report-attach", draft.pk), {"file": SimpleUploadedFile("a.jpg", JPEG)})

    assert post(outsiders[Role.AGENCY_WORKER]).status_code == 404
    assert post(personas[Role.TOWN_OFFICER]).status_code == 403
    assert post(personas[Role.AUDITOR]).status_code == 403
    assert not ReportAttachment.objects.exists()
