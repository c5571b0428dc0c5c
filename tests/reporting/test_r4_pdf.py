"""R4: the compliance report — findings by rule, district and age — as a page and a Chinese PDF for the bureau and
the auditor; the same numbers feed the dashboards' "open findings by severity"."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from compliance.checks import Found
from compliance.models import Finding
from compliance.services import findings_sync
from compliance.summary import findings_summary
from core.dashboard import Area, groups_for
from directory.models import Role
from reporting import services
from reporting.documents import r4_document
from reporting.models import ReportFile

from .pdf_helpers import assert_cjk_fonts, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def findings(world, agency):
    org = agency.organisation.pk
    a, b = world.district_a.pk, world.district_b.pk
    findings_sync(
        rule="K3",
        found=[
            Found("report:1", "九月月报逾期 12 天未提交", severity="critical", organisation_id=org, district_id=a),
            Found("report:2", "十月月报逾期 3 天未提交", organisation_id=org, district_id=a),
        ],
    )
    findings_sync(rule="K1", found=[Found("package:9", "全职社工不足 9 人", severity="critical", district_id=b)])
    findings_sync(rule="K2", found=[Found("staff:4", "社工证 20 天后到期", severity="info", district_id=a)])
    # One cleared by the next sweep, one seen 40 days ago.
    findings_sync(rule="K2", found=[])
    Finding.objects.filter(subject_key="report:1").update(first_seen_at=timezone.now() - datetime.timedelta(days=40))
    return org


def test_r4_counts_findings_by_rule_district_and_age(findings, world):
    summary = findings_summary(timezone.localdate().year)
    by_rule = {r.rule: r for r in summary.rules}
    assert (by_rule["K3"].open, by_rule["K1"].open, by_rule["K2"].open, by_rule["K2"].closed) == (2, 1, 0, 1)
    assert summary.totals.open == 3
    districts = {d.name: d for d in summary.districts}
    assert (districts[world.district_a.name].critical, districts[world.district_a.name].warning) == (1, 1)
    assert districts[world.district_b.name].total == 1
    ages = dict(summary.ages)
    assert ages["7 天以内"] == 2 and ages["31–90 天"] == 1
    assert summary.oldest[0].subject_key == "report:1"  # the oldest open first


def test_r4_pdf_keeps_the_chinese_and_uses_cjk_fonts(findings):
    pdf = r4_document(timezone.localdate().year).render()
    text = pdf_text(pdf)
    assert f"{timezone.localdate().year}年度合规检查报告" in text
    assert "九月月报逾期 12 天未提交" in text
    assert "月报逾期" in text and "人员配备" in text
    assert_cjk_fonts(pdf)


def test_r4_rendered_by_the_task_and_refused_to_all_but_the_bureau_and_the_auditor(
    client, django_capture_on_commit_callbacks, personas, findings
):
    year = timezone.localdate().year
    client.force_login(personas[Role.BUREAU_ADMIN])
    page = client.get(reverse("reporting:compliance-report"), {"year": year})
    assert page.status_code == 200 and "九月月报逾期 12 天未提交" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:report-r4-request"), {"year": year})
    assert response.status_code == 302
    report = ReportFile.objects.get(kind=ReportFile.Kind.R4)
    assert report.status == ReportFile.Status.READY and report.year == year
    download = client.get(reverse("reporting:report-download", args=[report.pk]))
    assert download.status_code == 200
    for role in (Role.DISTRICT_OFFICER, Role.TOWN_OFFICER, Role.AGENCY_MANAGER, Role.COMMUNITY_OFFICER):
        client.force_login(personas[role])
        assert client.get(reverse("reporting:compliance-report")).status_code == 404, role
        assert client.post(reverse("reporting:report-r4-request"), {"year": year}).status_code == 404, role
        assert client.get(reverse("reporting:report-download", args=[report.pk])).status_code == 404, role
    client.force_login(personas[Role.AUDITOR])
    assert client.get(reverse("reporting:report-download", args=[report.pk])).status_code == 200
    assert ReportFile.objects.count() == 1


def test_r4_bad_year_is_a_message_and_changes_nothing(client, bureau):
    client.force_login(bureau)
    response = client.post(reverse("reporting:report-r4-request"), {"year": "1999"}, follow=True)
    assert response.status_code == 200 and "请选择" in response.content.decode()
    with pytest.raises(Exception):  # noqa: B017  (ValidationError from the service)
        services.report_request(actor=bureau, kind=ReportFile.Kind.R4, year=timezone.localdate().year + 1)
    assert not ReportFile.objects.exists()


def test_r4_render_report_command(tmp_path, findings):
    out = tmp_path / "compliance.pdf"
    year = timezone.localdate().year
    call_command("render_report", "r4", "--year", str(year), "--output", str(out))
    assert f"{year}年度合规检查报告" in pdf_text(out.read_bytes())


def test_r4_dashboard_shows_open_findings_by_severity_for_each_area(findings, world, agency):
    today = timezone.localdate()

    def values(area):
        group = next(g for g in groups_for(area) if g.key == "findings")
        return {f.key: f.value for f in group.figures}

    city = values(Area(kind="city", on=today))
    assert (city["findings_critical"], city["findings_warning"], city["findings_info"]) == (2, 1, 0)
    district_b = values(Area(kind="district", on=today, district_ids=frozenset({world.district_b.pk})))
    assert district_b["findings_critical"] == 1 and district_b["findings_warning"] == 0
    mine = values(Area(kind="agency", on=today, agency_ids=frozenset({agency.organisation.pk})))
    assert (mine["findings_critical"], mine["findings_warning"]) == (1, 1)
