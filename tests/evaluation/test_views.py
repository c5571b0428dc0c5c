"""The evaluation pages end to end through the test client: forms call the services, htmx partials, the
evaluator's workspace, downloads, and query counts on the list and the workspace."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from delivery.models import FocusIssue, PlanItem, ReportAttachment, ReportLine, ServicePlan, ServiceReport
from directory.models import Role
from evaluation import services
from evaluation.models import AssessmentSheet, Evaluation, EvaluationAssignment, ScoreSheet
from tests.factories import OrganisationFactory, TownFactory
from tests.procurement.factories import AgencyFactory, PackageFactory, RoundFactory

from .helpers import declare_and_submit, entries_totalling, rubric_indicators

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def workspace_data(package, world, user) -> dict:
    """An approved plan with two items, a confirmed report (with a PDF attachment) and a draft one, and two
    focus issues of the package's communities."""
    c = world.communities_a1
    plan = ServicePlan.objects.create(
        package=package, status=ServicePlan.Status.APPROVED, version=1, approved_at=timezone.now()
    )
    item = dict(is_filed=True, filed_status=PlanItem.FiledStatus.APPROVED, filed_category_kind="empowerment")
    visits = PlanItem.objects.create(
        plan=plan, filed_name="睦邻走访", filed_unit="household", community=c[0], annual_target=40, **item
    )
    hall = PlanItem.objects.create(plan=plan, filed_name="议事厅", filed_unit="session", annual_target=12, **item)
    start = package.starts_on
    confirmed = ServiceReport.objects.create(
        package=package,
        year=start.year,
        month=start.month,
        created_by=user,
        status=ServiceReport.Status.CONFIRMED,
        summary="开展睦邻走访和议事厅活动。",
        confirmed_by=user,
        confirmed_at=timezone.now(),
    )
    ReportLine.objects.create(report=confirmed, plan_item=visits, households=10)
    ReportLine.objects.create(report=confirmed, plan_item=hall, sessions=3)
    nxt = start + datetime.timedelta(days=32)
    draft = ServiceReport.objects.create(package=package, year=nxt.year, month=nxt.month, created_by=user)
    ReportLine.objects.create(report=draft, plan_item=hall, sessions=9)
    attachment = ReportAttachment(
        report=confirmed,
        original_name="签到表.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
        uploaded_by=user,
    )
    attachment.file.save("sign-in.pdf", ContentFile(PDF), save=False)
    attachment.save()
    draft_attachment = ReportAttachment(
        report=draft,
        original_name="草稿照片.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="1" * 64,
        uploaded_by=user,
    )
    draft_attachment.file.save("draft.pdf", ContentFile(PDF), save=False)
    draft_attachment.save()
    FocusIssue.objects.create(
        community=c[0],
        package=package,
        kind=FocusIssue.Kind.HIGH_THROW,
        title="高空抛物治理",
        description="居民反映高空抛物。",
        status=FocusIssue.Status.RESOLVED,
        resolution="安装监控并开展宣传。",
        resolved_on=timezone.localdate(),
        reported_by=user,
    )
    FocusIssue.objects.create(
        community=c[1],
        package=package,
        kind=FocusIssue.Kind.GROUP_RENTAL,
        title="群租房整治",
        description="楼道堆物。",
        reported_by=user,
    )
    return {"attachment": attachment, "draft_attachment": draft_attachment, "plan": plan}


# --- the bureau ----------------------------------------------------------------------------------


def test_bureau_assigns_through_the_page(client, bureau, package, world, evaluator, evaluator2):
    client.force_login(bureau)
    url = reverse("evaluation:evaluation-assign")
    data = {"package": package.pk, "stage": "mid_term", "firm": world.firm.pk, "evaluators": [evaluator.pk]}
    response = client.post(url, data)
    assert response.status_code == 200 and "每项评估至少派出 2 名评估员" in response.content.decode()
    response = client.post(url, {**data, "evaluators": [evaluator.pk, evaluator2.pk]})
    evaluation = Evaluation.objects.get()
    assert response.status_code == 302 and response["Location"] == evaluation.get_absolute_url()
    body = client.get(evaluation.get_absolute_url()).content.decode()
    assert str(evaluator) in body and "尚未声明" in body


def test_bureau_adds_an_evaluator_and_finalises_through_the_pages(
    client, bureau, evaluation, evaluator, evaluator2, evaluator3, closed_round
):
    services.assignment_declare(
        actor=evaluator, assignment=evaluation.assignments.get(evaluator=evaluator), has_conflict=True, note="亲属"
    )
    client.force_login(bureau)
    detail = client.get(evaluation.get_absolute_url()).content.decode()
    assert 'data-testid="short"' in detail and "亲属" in detail
    client.post(reverse("evaluation:evaluation-add-evaluators", args=[evaluation.pk]), {"evaluators": [evaluator3.pk]})
    assert evaluation.assignments.filter(removed_at__isnull=True).count() == 2
    # Finalising too early is refused with a message, not an error page.
    response = client.post(reverse("evaluation:evaluation-finalise", args=[evaluation.pk]), follow=True)
    assert "尚未提交评分" in response.content.decode()
    declare_and_submit(evaluation, evaluator2, "95")
    declare_and_submit(evaluation, evaluator3, "91")
    detail = client.get(evaluation.get_absolute_url()).content.decode()
    assert 'data-testid="finalise"' in detail and "93.00" in detail  # the mean, before finalising
    response = client.post(reverse("evaluation:evaluation-finalise", args=[evaluation.pk]), follow=True)
    body = response.content.decode()
    assert "评估已定稿：最终得分 89.40，良好" in body
    evaluation.refresh_from_db()
    assert evaluation.final_score == Decimal("89.40")  # 93 × 0.8 + 75 × 0.2
    assert evaluation.get_grade_display() in body


def test_non_bureau_users_cannot_post_bureau_actions(client, personas, evaluation):
    for role in (Role.AUDITOR, Role.EVALUATOR):
        client.force_login(personas[role])
        for name in ("evaluation-finalise", "evaluation-add-evaluators"):
            assert client.post(reverse(f"evaluation:{name}", args=[evaluation.pk])).status_code == 403, (role, name)
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.ASSIGNED


# --- the evaluator -------------------------------------------------------------------------------


def test_evaluator_declares_then_lands_in_the_workspace(client, evaluation, evaluator, evaluator2):
    client.force_login(evaluator)
    workspace = reverse("evaluation:evaluation-workspace", args=[evaluation.pk])
    assert client.get(workspace)["Location"] == reverse("evaluation:evaluation-declare", args=[evaluation.pk])
    response = client.post(reverse("evaluation:evaluation-declare", args=[evaluation.pk]), {"has_conflict": "no"})
    assert response["Location"] == workspace
    client.force_login(evaluator2)
    response = client.post(reverse("evaluation:evaluation-declare", args=[evaluation.pk]), {"has_conflict": "yes"})
    assert response.status_code == 200 and "请说明存在的利益冲突" in response.content.decode()
    response = client.post(
        reverse("evaluation:evaluation-declare", args=[evaluation.pk]), {"has_conflict": "yes", "note": "曾任理事"}
    )
    assert response["Location"] == reverse("evaluation:evaluation-list")
    assert EvaluationAssignment.objects.get(evaluator=evaluator2).removed_at is not None


def test_the_workspace_puts_everything_in_one_place(client, evaluation, evaluator, world, personas, closed_round):
    data = workspace_data(evaluation.package, world, personas[Role.TOWN_OFFICER])
    EvaluationAssignment.objects.filter(evaluator=evaluator).update(declared_at=timezone.now())
    client.force_login(evaluator)
    body = client.get(reverse("evaluation:evaluation-workspace", args=[evaluation.pk])).content.decode()
    # Package facts, plan items with targets and confirmed output only (the draft's 9 sessions do not count).
    assert evaluation.package.title in body and str(evaluation.package.agency) in body
    assert "睦邻走访" in body and "40 户" in body and "10 户" in body and "25.0%" in body
    assert "议事厅" in body and "3 次" in body and "12 次" in body
    # Confirmed reports with their attachments (served through this app), not drafts.
    attachment_url = reverse("evaluation:evaluation-attachment", args=[evaluation.pk, data["attachment"].pk])
    assert "开展睦邻走访和议事厅活动" in body and attachment_url in body and "草稿照片" not in body
    # Focus issues, two-way results, the rubric to score.
    assert "高空抛物治理" in body and "群租房整治" in body and "已解决 1 个" in body
    assert closed_round.period in body and "75.00%" in body
    for indicator in rubric_indicators(evaluation):
        assert f'name="score_{indicator.pk}"' in body
    assert "项目管理" in body and "满意度" in body


def test_a2_report_attachments_are_served_to_the_declared_evaluator_only(
    client, evaluation, evaluator, world, personas, outsiders, evaluator3
):
    data = workspace_data(evaluation.package, world, personas[Role.TOWN_OFFICER])
    url = reverse("evaluation:evaluation-attachment", args=[evaluation.pk, data["attachment"].pk])
    client.force_login(evaluator)
    # A2: the evidence opens only after the evaluator has declared no conflict, like the workspace.
    EvaluationAssignment.objects.filter(evaluator=evaluator).update(declared_at=None)
    assert client.get(url).status_code == 404
    EvaluationAssignment.objects.filter(evaluator=evaluator).update(declared_at=timezone.now(), has_conflict=False)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Cache-Control"] == "private, no-store"
    draft_url = reverse("evaluation:evaluation-attachment", args=[evaluation.pk, data["draft_attachment"].pk])
    assert client.get(draft_url).status_code == 404  # only confirmed reports
    for user in (evaluator3, outsiders[Role.EVALUATOR], personas[Role.AGENCY_MANAGER]):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_score_sheet_draft_saves_in_place_with_htmx(client, evaluation, evaluator):
    EvaluationAssignment.objects.filter(evaluator=evaluator).update(declared_at=timezone.now())
    indicators = rubric_indicators(evaluation)
    client.force_login(evaluator)
    url = reverse("evaluation:evaluation-sheet-save", args=[evaluation.pk])
    first, second = indicators[0], indicators[1]
    response = client.post(
        url,
        {f"score_{first.pk}": "4.5", f"comment_{first.pk}": "制度健全", f"score_{second.pk}": "9"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200 and body.startswith('<form id="score-form"')
    assert "不能超过满分 5 分" in body and 'data-testid="saved"' not in body
    response = client.post(url, {f"score_{first.pk}": "4.5", f"comment_{first.pk}": "制度健全"}, HTTP_HX_REQUEST="true")
    assert 'data-testid="saved"' in response.content.decode()
    sheet = ScoreSheet.objects.get(assignment__evaluator=evaluator)
    assert sheet.scores.get(indicator=first).score == Decimal("4.5") and sheet.status == ScoreSheet.Status.DRAFT
    # Without JavaScript the same button saves and comes back to the workspace.
    response = client.post(url, {f"score_{first.pk}": "4"})
    assert response.status_code == 302
    assert sheet.scores.get(indicator=first).score == Decimal("4")


def test_score_sheet_submit_shows_what_is_missing_then_locks(client, evaluation, evaluator):
    EvaluationAssignment.objects.filter(evaluator=evaluator).update(declared_at=timezone.now())
    indicators = rubric_indicators(evaluation)
    client.force_login(evaluator)
    url = reverse("evaluation:evaluation-sheet-submit", args=[evaluation.pk])
    data = {
        f"score_{i.pk}": str(e.score)
        for i, e in zip(indicators, entries_totalling(indicators, Decimal("90")).values(), strict=True)
    }
    data[f"score_{indicators[0].pk}"] = "1"
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200 and "低于满分的 60%" in body
    assert ScoreSheet.objects.get(assignment__evaluator=evaluator).status == ScoreSheet.Status.DRAFT
    data[f"comment_{indicators[0].pk}"] = "制度建设缺失，未见岗位职责。"
    response = client.post(url, data)
    assert response.status_code == 302
    sheet = ScoreSheet.objects.get(assignment__evaluator=evaluator)
    assert sheet.is_submitted and sheet.total == Decimal("88.00")  # 90 less the 2 points taken off the first
    body = client.get(response["Location"]).content.decode()
    assert 'data-testid="sheet-submitted"' in body and 'data-testid="submit-sheet"' not in body and "disabled" in body
    assert client.post(url, data).status_code == 403  # scoring after submitting


# --- two-way assessment pages --------------------------------------------------------------------


def test_rounds_open_fill_and_close_through_the_pages(client, bureau, package, world, personas):
    client.force_login(bureau)
    response = client.post(reverse("evaluation:round-open"), {"package": package.pk, "period": "2025h9"})
    assert response.status_code == 200 and "2025H1" in response.content.decode()
    period = services.assessments.period_of(timezone.localdate())
    response = client.post(reverse("evaluation:round-open"), {"package": package.pk, "period": period})
    round_ = package.assessment_rounds.get()
    assert response["Location"] == round_.get_absolute_url()

    officer = personas[Role.TOWN_OFFICER]
    client.force_login(officer)
    listing = client.get(reverse("evaluation:round-list")).content.decode()
    sheet = round_.sheets.get(rater_organisation=world.town_office_a1)
    assert sheet.get_absolute_url() in listing
    indicators = list(round_.agency_indicator_set.indicators.all())
    response = client.post(
        reverse("evaluation:sheet-save", args=[sheet.pk]), {f"score_{indicators[0].pk}": "20"}, HTTP_HX_REQUEST="true"
    )
    assert 'data-testid="saved"' in response.content.decode()
    data = {f"score_{i.pk}": str(i.max_score) for i in indicators}
    response = client.post(reverse("evaluation:sheet-submit", args=[sheet.pk]), data)
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == AssessmentSheet.Status.SUBMITTED and sheet.percent == Decimal("100.00")
    assert client.post(reverse("evaluation:sheet-submit", args=[sheet.pk]), data).status_code == 403

    client.force_login(bureau)
    client.post(reverse("evaluation:round-close", args=[round_.pk]))
    round_.refresh_from_db()
    assert round_.is_closed
    body = client.get(round_.get_absolute_url()).content.decode()
    assert 'data-testid="round-result"' in body and "100.00%" in body


# --- query counts --------------------------------------------------------------------------------


def _evaluations(bureau, world, edition, evaluators, n: int) -> None:
    for _ in range(n):
        town = TownFactory(district=world.district_a)
        package = PackageFactory(town=town, agency=AgencyFactory(), round=RoundFactory(edition=edition))
        services.evaluation_assign(
            actor=bureau, package=package, stage="mid_term", firm=world.firm, evaluator_ids=[u.pk for u in evaluators]
        )


@pytest.mark.parametrize("role", [Role.BUREAU_ADMIN, Role.EVALUATOR])
def test_evaluation_list_query_count_is_constant(
    client, personas, bureau, world, edition, evaluation, evaluator, evaluator2, django_assert_max_num_queries, role
):
    client.force_login(personas[role])
    url = reverse("evaluation:evaluation-list")
    # 4 + 1: the bell's unread count (notifications).
    client.get(url)
    with django_assert_max_num_queries(6):
        small = client.get(url)
    _evaluations(bureau, world, edition, [evaluator, evaluator2], 6)
    with django_assert_max_num_queries(6):
        large = client.get(url)
    assert large.content.decode().count("data-evaluation=") == 7 > small.content.decode().count("data-evaluation=")


def test_workspace_query_count_is_constant(
    client, evaluation, evaluator, world, personas, closed_round, django_assert_max_num_queries
):
    user = personas[Role.TOWN_OFFICER]
    workspace_data(evaluation.package, world, user)
    EvaluationAssignment.objects.filter(evaluator=evaluator).update(declared_at=timezone.now())
    client.force_login(evaluator)
    url = reverse("evaluation:evaluation-workspace", args=[evaluation.pk])
    client.get(url)
    # 16 + 2: the money paid (funds: instalments with their payments, evaluations); + 1: the bell (notifications).
    with django_assert_max_num_queries(19):
        client.get(url)
    # More reports, attachments and focus issues: the same number of queries.
    for n in range(2, 6):
        month = evaluation.package.starts_on + datetime.timedelta(days=31 * n)
        report = ServiceReport.objects.create(
            package=evaluation.package,
            year=month.year,
            month=month.month,
            created_by=user,
            status=ServiceReport.Status.CONFIRMED,
            confirmed_by=user,
            confirmed_at=timezone.now(),
        )
        attachment = ReportAttachment(
            report=report,
            original_name=f"照片{n}.pdf",
            content_type="application/pdf",
            size=1,
            sha256="2" * 64,
            uploaded_by=user,
        )
        attachment.file.save(f"p{n}.pdf", ContentFile(PDF), save=False)
        attachment.save()
        FocusIssue.objects.create(
            community=world.communities_a1[2],
            package=evaluation.package,
            kind=FocusIssue.Kind.OTHER,
            title=f"问题{n}",
            description="-",
            reported_by=user,
        )
    with django_assert_max_num_queries(19):
        response = client.get(url)
    assert "照片5.pdf" in response.content.decode()


def test_round_list_query_count_is_constant(
    client, bureau, personas, world, edition, raters, package, django_assert_max_num_queries
):
    from .helpers import filled_round

    filled_round(bureau, package, raters, close=False)
    url = reverse("evaluation:round-list")
    for role in (Role.BUREAU_ADMIN, Role.TOWN_OFFICER):
        client.force_login(personas[role])
        client.get(url)
        with django_assert_max_num_queries(6):
            client.get(url)
    for _ in range(4):
        town = TownFactory(district=world.district_a)
        other = PackageFactory(town=town, agency=AgencyFactory(), round=RoundFactory(edition=edition))
        OrganisationFactory(kind="town_office", town=town, uscc=None)
        services.assessment_round_open(
            actor=bureau, package=other, period=services.assessments.period_of(other.starts_on)
        )
    client.force_login(bureau)
    with django_assert_max_num_queries(6):
        body = client.get(url).content.decode()
    assert body.count("/evaluation/assessments/") >= 5


@pytest.mark.parametrize(
    ("role", "labels"),
    [
        (Role.BUREAU_ADMIN, ["第三方评估", "双向考核"]),
        (Role.AUDITOR, ["第三方评估", "双向考核"]),
        (Role.EVALUATOR, ["我的评估任务"]),
        (Role.TOWN_OFFICER, ["第三方评估", "双向考核"]),
        (Role.AGENCY_MANAGER, ["第三方评估", "双向考核"]),
        (Role.EXPERT, []),
    ],
)
def test_navigation_offers_each_role_its_evaluation_pages(personas, role, labels):
    from evaluation.navigation import evaluation_links

    assert [label for label, _url in evaluation_links(personas[role])] == labels
