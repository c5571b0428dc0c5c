"""K9's side-by-side page: both attachments with their reports, only for whoever may see both reports."""

from __future__ import annotations

import pytest
from django.urls import reverse

from directory.models import Role

from .images import jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture
def within_package(package, items, file_report):
    (march,) = file_report(package, 2025, 3, [("三月活动.jpg", jpeg(1))])
    (april,) = file_report(package, 2025, 4, [("四月活动.jpg", jpeg(1))])
    return march, april


@pytest.fixture
def across_packages(package, items, other_package, other_items, file_report):
    (ours,) = file_report(package, 2025, 3, [("活动.jpg", jpeg(1))])
    (theirs,) = file_report(other_package, 2025, 5, [("活动.jpg", jpeg(1))])
    return ours, theirs


def url(a, b) -> str:
    return reverse("delivery:evidence-compare", args=[a.pk, b.pk])


@pytest.mark.parametrize(
    "role",
    [Role.BUREAU_ADMIN, Role.AUDITOR, Role.DISTRICT_OFFICER, Role.TOWN_OFFICER, Role.AGENCY_MANAGER],
)
def test_k9_page_shows_both_uses_side_by_side(client_for, personas, within_package, role):
    march, april = within_package
    response = client_for(personas[role]).get(url(march, april))
    assert response.status_code == 200
    html = response.content.decode()
    for attachment in (march, april):
        assert reverse("delivery:report-attachment", args=[attachment.pk]) in html  # the preview
        assert attachment.original_name in html
        assert reverse("delivery:report-detail", args=[attachment.report_id]) in html
    assert "2025年3月服务报告" in html and "2025年4月服务报告" in html
    assert "同一个文件" in html
    assert "JPG" in html


def test_k9_page_for_two_packages_is_for_the_city_wide_roles(client_for, personas, outsiders, across_packages):
    ours, theirs = across_packages
    assert client_for(personas[Role.BUREAU_ADMIN]).get(url(ours, theirs)).status_code == 200
    assert client_for(personas[Role.AUDITOR]).get(url(theirs, ours)).status_code == 200
    # each town, district and agency sees only one of the two reports
    for user in (
        personas[Role.TOWN_OFFICER],
        personas[Role.DISTRICT_OFFICER],
        personas[Role.AGENCY_MANAGER],
        outsiders[Role.TOWN_OFFICER],
        outsiders[Role.AGENCY_WORKER],
    ):
        assert client_for(user).get(url(ours, theirs)).status_code == 404, user


@pytest.mark.parametrize(
    "role", [Role.AGENCY_MANAGER, Role.AGENCY_WORKER, Role.TOWN_OFFICER, Role.DISTRICT_OFFICER, Role.EVALUATOR]
)
def test_k9_page_refuses_outsiders(client_for, outsiders, within_package, role):
    march, april = within_package
    response = client_for(outsiders[role]).get(url(march, april))
    assert response.status_code == 404
    assert "三月活动" not in response.content.decode()


def test_k9_page_sends_anonymous_to_login(client, within_package):
    response = client.get(url(*within_package))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_k9_page_of_one_attachment_twice_or_a_missing_one_is_404(client_for, bureau, within_package):
    march, _april = within_package
    client = client_for(bureau)
    assert client.get(reverse("delivery:evidence-compare", args=[march.pk, march.pk])).status_code == 404
    assert client.get(reverse("delivery:evidence-compare", args=[march.pk, 999999])).status_code == 404
    assert client.get(reverse("delivery:evidence-compare", args=[march.pk, 10**25])).status_code == 404


def test_k9_page_of_near_photos_shows_the_distance(client_for, bureau, package, items, file_report):
    from .images import variants

    (march,) = file_report(package, 2025, 3, [("a.jpg", jpeg(3))])
    (april,) = file_report(package, 2025, 4, [("b.jpg", variants(3)["brightened"])])
    html = client_for(bureau).get(url(march, april)).content.decode()
    assert "感知哈希相差" in html
