"""R3: the city annual report for a year — the public city statistics with year-on-year change, packages and money
by source, coverage, focus issues resolved, community funds' assets, evaluation grades — with pygal charts; the
same `city_annual` figures feed the PDF, its page and the bureau's dashboard. The bureau and the auditor ask for
it; nobody else."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core import dashboard
from core.dashboard import Area, Figure, FigureGroup
from directory.models import Role
from funds import services as funds_services
from funds.models import CommunityFund, FundingSource
from reporting import services
from reporting.documents import r3_document
from reporting.figures import Change, city_annual
from reporting.models import ReportFile
from reporting.statistics import city_statistics
from tests.procurement.factories import AgencyFactory, PackageFactory, RoundFactory

from .pdf_helpers import assert_cjk_fonts, pdf_text


@pytest.fixture
def city(world, personas, finalised, edition):
    """Town A1's package (finalised mid-term evaluation) and town B1's, both in service; the welfare-lottery
    fund committed to A1's package this year; a community fund with a donation."""
    bureau = personas[Role.BUREAU_ADMIN]
    other = PackageFactory(
        town=world.town_b1,
        agency=AgencyFactory(organisation=world.other_agency),
        round=RoundFactory(edition=edition),
    )
    year = timezone.localdate().year
    lottery = funds_services.source_ensure(kind=FundingSource.Kind.WELFARE_LOTTERY)
    for y in range(finalised.package.starts_on.year, year + 3):
        funds_services.budget_set(actor=bureau, source=lottery, year=y, amount="5000000.00")
    fund = CommunityFund.objects.create(
        kind=CommunityFund.Kind.COMMUNITY_FUND, name="双塔街道社区公益基金", host=world.foundation, town=world.town_a1
    )
    funds_services.donation_record(
        actor=bureau, fund=fund, donor_name="张三", amount="8000.00", occurred_on=timezone.localdate()
    )
    return {"year": year, "packages": [finalised.package, other], "fund": fund}


def test_r3_pdf_keeps_the_chinese_draws_charts_and_uses_cjk_fonts(
    client, django_capture_on_commit_callbacks, bureau, city, finalised
):
    year = city["year"]
    client.force_login(bureau)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:report-r3-request"), {"year": year})
    assert response.status_code == 302
    report = ReportFile.objects.get(kind=ReportFile.Kind.R3)
    assert report.status == ReportFile.Status.READY, report.error
    page = client.get(reverse("reporting:city-annual") + f"?year={year}")
    assert 'data-testid="report-download"' in page.content.decode()
    download = client.get(reverse("reporting:report-download", args=[report.pk]))
    assert download.status_code == 200
    pdf = b"".join(download.streaming_content)
    text = pdf_text(pdf)
    assert f"{year}年度全市政府购买社工服务报告" in text
    for chinese in ("姑苏区", "吴江区", "市级福彩公益金", "社区基金资产", "同比变化", finalised.get_grade_display()):
        assert chinese in text, chinese
    assert "社工机构与社会工作者历年变化" in text  # a chart's title, drawn from its inline SVG
    assert "8000.00" in text  # the community fund's assets
    assert_cjk_fonts(pdf)


def test_r3_figures_are_the_statistics_pages_and_the_dashboards(client, bureau, city):
    year = city["year"]
    annual = city_annual(year)
    stats = city_statistics()
    assert annual.this_year.agencies == stats.agencies
    assert annual.this_year.social_workers == stats.social_workers
    assert annual.stats.towns_covered == stats.towns_covered == 2
    assert annual.this_year.packages == stats.packages == 2
    assert [g[2] for g in annual.grades if g[0] == city["packages"][0].evaluations.get().grade] == [1]
    client.force_login(bureau)
    response = client.get(reverse("directory:home"))
    figures = {f.key: f for g in response.context["figure_groups"] for f in g.figures}
    assert figures["agencies"].value == annual.this_year.agencies
    assert figures["social_workers"].value == annual.this_year.social_workers
    assert figures["fund_assets"].value == annual.funds["assets"]


def test_r3_year_on_year_change():
    change = Change("社会工作者", 150, 120)
    assert change.delta == 30 and str(change.delta_pct) == "25.0"
    assert Change("社会工作者", 5, None).delta is None
    assert Change("社会工作者", 5, 0).delta_pct is None


def test_r3_refused_to_everyone_but_the_bureau_and_the_auditor(
    client, django_capture_on_commit_callbacks, personas, outsiders, city
):
    year = city["year"]
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(actor=personas[Role.AUDITOR], kind=ReportFile.Kind.R3, year=year)
    report.refresh_from_db()
    assert report.status == ReportFile.Status.READY
    for role in (Role.DISTRICT_OFFICER, Role.TOWN_OFFICER, Role.AGENCY_MANAGER, Role.COMMUNITY_OFFICER):
        client.force_login(personas[role])
        assert client.post(reverse("reporting:report-r3-request"), {"year": year}).status_code == 404, role
        assert client.get(reverse("reporting:city-annual")).status_code == 404, role
        assert client.get(reverse("reporting:report-download", args=[report.pk])).status_code == 404, role
    client.force_login(personas[Role.BUREAU_ADMIN])
    assert client.get(reverse("reporting:report-download", args=[report.pk])).status_code == 200


def test_r3_bad_year_is_a_message(client, bureau, city):
    with pytest.raises(ValidationError):
        services.report_request(actor=bureau, kind=ReportFile.Kind.R3, year=2015)
    with pytest.raises(ValidationError):
        services.report_request(actor=bureau, kind=ReportFile.Kind.R3, year=city["year"] + 1)
    client.force_login(bureau)
    response = client.post(reverse("reporting:report-r3-request"), {"year": "x" * 20}, follow=True)
    assert response.status_code == 200 and "请选择" in response.content.decode()
    assert not ReportFile.objects.exists()


def test_r3_report_says_when_its_data_changed(client, django_capture_on_commit_callbacks, bureau, city, world):
    year = city["year"]
    with django_capture_on_commit_callbacks(execute=True):
        services.report_request(actor=bureau, kind=ReportFile.Kind.R3, year=year)
    client.force_login(bureau)
    url = reverse("reporting:city-annual") + f"?year={year}"
    assert 'data-testid="report-stale"' not in client.get(url).content.decode()
    PackageFactory(town=world.town_a2, round=city["packages"][0].round)
    assert 'data-testid="report-stale"' in client.get(url).content.decode()


def test_r3_prints_the_figures_other_apps_register_for_the_annual_report(city):
    """The place compliance fills in: a provider registered in core.dashboard for the annual report."""

    def findings(area: Area):
        if area.purpose != Area.ANNUAL_REPORT:
            return []
        return [FigureGroup(title="未整改的合规问题（按严重程度）", figures=[Figure("严重", 3)], key="findings")]

    dashboard.register(findings)
    try:
        document = r3_document(city["year"])
    finally:
        dashboard._providers.remove(findings)
    assert pdf_text(document.render()).count("未整改的合规问题（按严重程度）") == 1


def test_r3_render_report_command(tmp_path, city):
    out = tmp_path / "city.pdf"
    call_command("render_report", "r3", "--year", str(city["year"]), "--output", str(out))
    assert f"{city['year']}年度全市政府购买社工服务报告" in pdf_text(out.read_bytes())
