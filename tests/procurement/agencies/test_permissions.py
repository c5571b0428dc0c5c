"""Who reaches which agency page: persona × URL → status. Outsiders get 404, anonymous users the login page."""

import pytest
from django.urls import reverse

from directory.models import Role
from tests.procurement.factories import CertificateFactory, StaffFactory

R = Role
CITY = {R.BUREAU_ADMIN: 200, R.AUDITOR: 200}
# What each page answers to the personas of side A (the agency's own people and the city-wide roles);
# anyone not listed — other roles of side A and every outsider of side B — gets 404.
EXPECTED = {
    "agency-detail": {**CITY, R.AGENCY_MANAGER: 200, R.AGENCY_WORKER: 200},
    "agency-update": {R.BUREAU_ADMIN: 200, R.AUDITOR: 403, R.AGENCY_MANAGER: 200, R.AGENCY_WORKER: 403},
    "staff-list": {**CITY, R.AGENCY_MANAGER: 200, R.AGENCY_WORKER: 403},
    "staff-create": {R.BUREAU_ADMIN: 200, R.AUDITOR: 403, R.AGENCY_MANAGER: 200, R.AGENCY_WORKER: 403},
    "staff-import": {R.BUREAU_ADMIN: 200, R.AUDITOR: 403, R.AGENCY_MANAGER: 200, R.AGENCY_WORKER: 403},
    "staff-export": {**CITY, R.AGENCY_MANAGER: 200, R.AGENCY_WORKER: 403},
    "staff-detail": {**CITY, R.AGENCY_MANAGER: 200},
    "staff-update": {R.BUREAU_ADMIN: 200, R.AUDITOR: 403, R.AGENCY_MANAGER: 200},
    "certificate-create": {R.BUREAU_ADMIN: 200, R.AUDITOR: 403, R.AGENCY_MANAGER: 200},
    "certificate-update": {R.BUREAU_ADMIN: 200, R.AUDITOR: 403, R.AGENCY_MANAGER: 200},
    "qualification-create": {R.BUREAU_ADMIN: 403, R.AUDITOR: 403, R.AGENCY_MANAGER: 200, R.AGENCY_WORKER: 403},
    "qualification-detail": {**CITY, R.AGENCY_MANAGER: 200},
    "qualification-file": {**CITY, R.AGENCY_MANAGER: 200},
}
PERSONAS = [("p", role) for role in Role.values] + [
    ("o", role) for role in (R.AGENCY_MANAGER, R.AGENCY_WORKER, R.TOWN_OFFICER, R.DISTRICT_OFFICER, R.EVALUATOR)
]


@pytest.fixture
def urls(agency, pending_application):
    staff = StaffFactory(agency=agency)
    certificate = CertificateFactory(staff=staff)
    by_name = {
        "agency-detail": [agency.pk],
        "agency-update": [agency.pk],
        "staff-list": [agency.pk],
        "staff-create": [agency.pk],
        "staff-import": [agency.pk],
        "staff-export": [agency.pk],
        "staff-detail": [staff.pk],
        "staff-update": [staff.pk],
        "certificate-create": [staff.pk],
        "certificate-update": [certificate.pk],
        "qualification-create": [agency.pk],
        "qualification-detail": [pending_application.pk],
        "qualification-file": [pending_application.pk, "audit_report"],
    }
    return {name: reverse(f"procurement:{name}", args=args) for name, args in by_name.items()}


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", list(EXPECTED))
def test_permission_matrix(client, personas, outsiders, urls, url_name):
    """One row of the matrix per URL: every persona of side A and the outsiders of side B."""
    expected, got = {}, {}
    for side, role in PERSONAS:
        client.force_login(personas[role] if side == "p" else outsiders[role])
        expected[f"{side}:{role}"] = EXPECTED[url_name].get(role, 404) if side == "p" else 404
        got[f"{side}:{role}"] = client.get(urls[url_name]).status_code
    assert got == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name", [*EXPECTED, "agency-mine", "agency-list", "qualification-list", "qualification-approve"]
)
def test_anonymous_is_sent_to_login(client, urls, url_name):
    url = urls.get(url_name) or reverse(
        f"procurement:{url_name}", args=[1] if url_name == "qualification-approve" else []
    )
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [
        (R.BUREAU_ADMIN, 200),
        (R.AUDITOR, 200),
        (R.AGENCY_MANAGER, 200),
        (R.AGENCY_WORKER, 403),
        (R.TOWN_OFFICER, 403),
        (R.EVALUATOR, 403),
        (R.EXPERT, 403),
    ],
)
def test_qualification_list_is_for_the_bureau_auditor_and_agency_managers(client, personas, agency, role, status):
    client.force_login(personas[role])
    assert client.get(reverse("procurement:qualification-list")).status_code == status


@pytest.mark.django_db
def test_unknown_qualification_file_field_is_404(client, bureau_admin, pending_application):
    client.force_login(bureau_admin)
    url = reverse("procurement:qualification-file", args=[pending_application.pk, "submitted_by"])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_agency_list_is_scoped(client, personas, outsiders, agency, other_agency):
    url = reverse("procurement:agency-list")
    client.force_login(personas[R.AUDITOR])
    assert {a.pk for a in client.get(url).context["agencies"]} == {agency.pk, other_agency.pk}
    client.force_login(personas[R.AGENCY_WORKER])
    assert [a.pk for a in client.get(url).context["agencies"]] == [agency.pk]
    client.force_login(outsiders[R.AGENCY_MANAGER])
    assert [a.pk for a in client.get(url).context["agencies"]] == [other_agency.pk]
    client.force_login(personas[R.TOWN_OFFICER])
    assert list(client.get(url).context["agencies"]) == []


@pytest.mark.django_db
def test_my_agency_page_sends_each_user_to_the_right_place(client, personas, agency):
    url = reverse("procurement:agency-mine")
    client.force_login(personas[R.AGENCY_MANAGER])
    assert client.get(url)["Location"] == agency.get_absolute_url()
    client.force_login(personas[R.AGENCY_WORKER])
    assert client.get(url)["Location"] == agency.get_absolute_url()
    client.force_login(personas[R.BUREAU_ADMIN])
    assert client.get(url)["Location"] == reverse("procurement:agency-list")
    client.force_login(personas[R.TOWN_OFFICER])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_only_the_bureau_posts_decisions(client, personas, outsiders, pending_application):
    for user, status in [
        (personas[R.AGENCY_MANAGER], 403),
        (personas[R.AUDITOR], 403),
        (personas[R.AGENCY_WORKER], 404),
        (outsiders[R.AGENCY_MANAGER], 404),
        (personas[R.TOWN_OFFICER], 404),
    ]:
        client.force_login(user)
        for name in ("qualification-approve", "qualification-reject"):
            url = reverse(f"procurement:{name}", args=[pending_application.pk])
            assert client.post(url, {"reason": "同意"}).status_code == status
    pending_application.refresh_from_db()
    assert pending_application.status == "submitted"
