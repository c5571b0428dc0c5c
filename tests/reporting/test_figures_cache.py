"""The city figures are computed once and cached (issue 14: results that change a few times a day need not be
computed on every request), and any write to a row they are made of shows up on the very next request."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.models import Role
from funds import services as funds_services
from funds.models import CommunityFund
from reporting import caching
from tests.procurement.factories import AgencyFactory, PackageFactory, QualificationFactory, StaffFactory
from tests.reporting.test_statistics import city  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

API = "api-v1:city-statistics"
PAGE = "reporting:city-statistics"


def _qualified_agency():
    today = timezone.localdate()
    agency = AgencyFactory()
    QualificationFactory(
        agency=agency, valid_from=today - datetime.timedelta(days=10), valid_until=today + datetime.timedelta(days=300)
    )
    return agency


@pytest.mark.parametrize("url_name", [API, PAGE])
def test_city_statistics_a_second_request_runs_no_query(client, city, url_name, django_assert_num_queries):  # noqa: F811
    url = reverse(url_name)
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get(url)
    # The same figures (a page's CSP nonce differs from one response to the next).
    assert again.content.split(b'data-testid="headline"')[-1] == first.content.split(b'data-testid="headline"')[-1]


def test_city_statistics_a_new_qualified_agency_counts_on_the_next_request(client, city):  # noqa: F811
    url = reverse(API)
    before = client.get(url).json()
    _qualified_agency()
    after = client.get(url).json()
    assert after["agencies"] == before["agencies"] + 1


def test_city_statistics_a_new_social_worker_and_package_count_on_the_next_request(client, city, round_2018):  # noqa: F811
    url = reverse(API)
    before = client.get(url).json()
    agency = _qualified_agency()
    StaffFactory(agency=agency, employed_from=datetime.date(2019, 1, 1))
    PackageFactory(agency=agency, round=round_2018)
    after = client.get(url).json()
    assert after["social_workers"] == before["social_workers"] + 1
    assert after["packages"] == before["packages"] + 1


def test_city_statistics_page_shows_a_donation_on_the_next_request(client, city, world, personas):  # noqa: F811
    url = reverse(PAGE)
    fund = CommunityFund.objects.create(
        kind=CommunityFund.Kind.COMMUNITY_FUND, name="双塔街道社区公益基金", host=world.foundation, town=world.town_a1
    )
    assert "8,000.00" not in client.get(url).content.decode()
    funds_services.donation_record(
        actor=personas[Role.BUREAU_ADMIN],
        fund=fund,
        donor_name="张三",
        amount="8000.00",
        occurred_on=timezone.localdate(),
    )
    assert "8,000.00" in client.get(url).content.decode()


def test_bureau_home_reads_the_city_figures_from_the_cache(client, city, personas, round_2018):  # noqa: F811
    client.force_login(personas[Role.BUREAU_ADMIN])
    client.get("/")  # builds the figures
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as hit:
        client.get("/")
    assert not any("procurement_staffmember" in q["sql"] for q in hit.captured_queries)
    # A package entered now is a package in service on the next view of the home page.
    before = caching.city_annual_cached(timezone.localdate().year).this_year.packages
    PackageFactory(agency=_qualified_agency(), round=round_2018)
    assert caching.city_annual_cached(timezone.localdate().year).this_year.packages == before + 1


def test_city_annual_is_cached_per_language(city):  # noqa: F811
    from django.utils import translation

    year = timezone.localdate().year
    with translation.override("zh-hans"):
        zh = caching.city_annual_cached(year)
    with translation.override("en"):
        en = caching.city_annual_cached(year)
    assert str(zh.changes[0].label) != str(en.changes[0].label)


def test_city_figures_are_forgotten_again_when_the_write_commits(city, django_capture_on_commit_callbacks):  # noqa: F811
    # A request that read the rows before the writer committed must not keep its figures under the new version.
    with django_capture_on_commit_callbacks(execute=True):
        during = caching.version()
        AgencyFactory()
        saved = caching.version()
    assert saved > during
    assert caching.version() > saved


def test_a_district_dashboard_shows_a_new_package_on_the_next_view(client, personas, world, round_2018):
    # The area's figures are cached for everyone of the area; a package entered now is counted at once.
    from core.dashboard import Area
    from reporting.caching import area_figures_cached

    area = Area(kind="district", on=timezone.localdate(), district_ids=frozenset({world.district_a.pk}))
    before = len(area_figures_cached(area).packages)
    assert len(area_figures_cached(area).packages) == before  # (from the cache)
    PackageFactory(town=world.town_a2, round=round_2018)
    assert len(area_figures_cached(area).packages) == before + 1


def test_a_drafts_autosave_keeps_the_figures_but_its_submission_forgets_them(round_2018):
    """Autosave (the draft's text, every few seconds while workers file) changes no figure: the cache stays; a
    save that moves the report's status does."""
    from delivery.models import ServiceReport

    package = PackageFactory(round=round_2018)
    report = ServiceReport.objects.create(package=package, year=2026, month=1, created_by=package.created_by)
    version = caching.version()
    report.summary = "本月走访独居老人 12 户"
    report.save(update_fields=["summary", "updated_at"])
    assert caching.version() == version
    report.status = ServiceReport.Status.SUBMITTED
    report.save(update_fields=["status", "updated_at"])
    assert caching.version() != version


def test_a_change_to_a_rounds_lagging_threshold_forgets_the_figures(round_2018):
    version = caching.version()
    round_2018.lagging_threshold = 70
    round_2018.save()
    assert caching.version() != version


def test_the_fund_statistics_are_cached_per_language(city):  # noqa: F811
    """Their labels are translated when built: a Chinese page never gets the English labels cached before it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    with translation.override("en"):
        caching.fund_statistics_cached()
    with translation.override("zh-hans"), CaptureQueriesContext(connection) as miss:
        caching.fund_statistics_cached()
    assert len(miss) > 0  # built afresh for Chinese
    with translation.override("zh-hans"), CaptureQueriesContext(connection) as hit:
        caching.fund_statistics_cached()
    assert len(hit) == 0
