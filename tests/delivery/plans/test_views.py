"""Plan pages: who sees what (outsiders get 404), the htmx editor with its live coverage panel, the P7 workflow
through the pages, the coverage matrix, the history, the xlsx export, venues, and constant query counts."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from delivery.models import PlanComment, PlanItem, PlanVersion, ServicePlan, Venue
from delivery.services import plans as services
from directory.models import Role

from .conftest import BASIC, GOVERN, RESEARCH, TOWN_BASIC, fill_covering_plan, place

pytestmark = pytest.mark.django_db

SEES_PACKAGE = [
    Role.BUREAU_ADMIN,
    Role.AUDITOR,
    Role.DISTRICT_OFFICER,
    Role.TOWN_OFFICER,
    Role.COMMUNITY_OFFICER,
    Role.AGENCY_MANAGER,
    Role.AGENCY_WORKER,
]
PAGES = ["plan-detail", "plan-coverage", "plan-history", "venue-list", "plan-export"]


def url(name, package, *args):
    return reverse(f"delivery:{name}", args=[package.pk, *args])


def htmx(client, path, data):
    return client.post(path, data, HTTP_HX_REQUEST="true")


def approve_through_services(personas, plan):
    plan = services.plan_submit(actor=personas[Role.AGENCY_MANAGER], plan=plan)
    plan = services.plan_town_review(actor=personas[Role.TOWN_OFFICER], plan=plan, approve=True)
    return services.plan_approve(actor=personas[Role.BUREAU_ADMIN], plan=plan)


# --- who sees the pages --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", SEES_PACKAGE)
@pytest.mark.parametrize("page", PAGES)
def test_package_people_see_the_plan_pages(client, personas, covering_plan, package, role, page):
    client.force_login(personas[role])
    expected = 403 if (page == "plan-export" and role == Role.COMMUNITY_OFFICER) else 200
    assert client.get(url(page, package)).status_code == expected


@pytest.mark.parametrize(
    "role",
    [Role.DISTRICT_OFFICER, Role.TOWN_OFFICER, Role.COMMUNITY_OFFICER, Role.AGENCY_MANAGER, Role.AGENCY_WORKER],
)
@pytest.mark.parametrize("page", PAGES)
def test_outsiders_get_404(client, outsiders, covering_plan, package, role, page):
    client.force_login(outsiders[role])
    assert client.get(url(page, package)).status_code == 404


@pytest.mark.parametrize("page", PAGES)
def test_unrelated_roles_get_404_and_anonymous_users_log_in(client, personas, no_role_user, package, page):
    for user in (personas[Role.EVALUATOR], personas[Role.EXPERT], no_role_user):
        client.force_login(user)
        assert client.get(url(page, package)).status_code == 404
    client.logout()
    assert client.get(url(page, package)).status_code == 302


# --- the editor ----------------------------------------------------------------------------------------


def test_agency_drafts_through_htmx_and_the_coverage_panel_follows(client, personas, package, catalogue, communities):
    client.force_login(personas[Role.AGENCY_WORKER])
    page = client.get(url("plan-detail", package)).content.decode()
    assert 'id="coverage-panel"' in page and "基础服务类项目须覆盖每个社区" in page and "添加目录子项" in page
    response = htmx(
        client,
        url("plan-item-add", package),
        {"item": catalogue[BASIC].pk, "community": communities[0].pk, "year": 1, "annual_target": 30},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "居家养老探访" in body and 'hx-swap-oob="true"' in body
    # The panel now names only the three communities still without a basic item.
    p4 = re.search(r"<li>(基础服务类项目须覆盖每个社区[^<]*)</li>", body).group(1)
    assert communities[0].name not in p4 and communities[1].name in p4
    plan = ServicePlan.objects.get(package=package)
    assert plan.items.get().annual_target == 30


def test_bad_item_input_is_a_form_error_not_a_500(client, personas, package, catalogue, communities, world):
    client.force_login(personas[Role.AGENCY_MANAGER])
    response = htmx(
        client,
        url("plan-item-add", package),
        {"item": catalogue[TOWN_BASIC].pk, "community": communities[0].pk, "year": 1, "annual_target": 5},
    )
    assert response.status_code == 200 and "只能放在街镇层面" in response.content.decode()
    response = htmx(
        client,
        url("plan-item-add", package),
        {"item": catalogue[BASIC].pk, "community": world.community_b1.pk, "year": 9, "annual_target": "x"},
    )
    assert response.status_code == 200
    assert not PlanItem.objects.exists()


def test_item_from_another_edition_is_refused_on_the_page(client, personas, package, communities):
    from catalog.models import ServiceItem

    old = ServiceItem.objects.filter(edition__code="2016-pilot", level="community").first()
    client.force_login(personas[Role.AGENCY_MANAGER])
    response = client.post(
        url("plan-item-add", package), {"item": old.pk, "community": communities[0].pk, "year": 1, "annual_target": 5}
    )
    assert response.status_code == 200
    assert not PlanItem.objects.exists()


def test_edit_row_and_remove_via_htmx(client, personas, plan, package, catalogue, communities):
    item = place(plan, catalogue[BASIC], communities[0])
    client.force_login(personas[Role.AGENCY_MANAGER])
    row = client.get(url("plan-item-edit", package, item.pk), HTTP_HX_REQUEST="true")
    assert row.status_code == 200 and f'id="item-{item.pk}"' in row.content.decode()
    bad = htmx(client, url("plan-item-edit", package, item.pk), {"community": "", "year": 1, "annual_target": 5})
    assert bad["HX-Retarget"] == f"#item-{item.pk}" and "请选择落地的社区" in bad.content.decode()
    ok = htmx(
        client,
        url("plan-item-edit", package, item.pk),
        {"community": communities[1].pk, "year": 2, "annual_target": 44},
    )
    assert ok.status_code == 200 and "coverage-panel" in ok.content.decode()
    item.refresh_from_db()
    assert (item.community, item.year, item.annual_target) == (communities[1], 2, 44)
    htmx(client, url("plan-item-remove", package, item.pk), {})
    assert not PlanItem.objects.filter(pk=item.pk).exists()


def test_filed_item_form_and_the_bureaus_decision(client, personas, plan, package, communities):
    client.force_login(personas[Role.AGENCY_MANAGER])
    data = {
        "name": "社区花园营造",
        "category_kind": "empowerment",
        "unit": "session",
        "community": communities[0].pk,
        "year": 1,
        "annual_target": 6,
        "justification": "",
    }
    response = htmx(client, url("plan-item-file", package), data)
    assert "此字段是必填项" in response.content.decode() or "备案理由" in response.content.decode()
    assert not PlanItem.objects.exists()
    data["justification"] = "居民提议的花园营造目录中没有。"
    htmx(client, url("plan-item-file", package), data)
    filed = PlanItem.objects.get(is_filed=True)
    assert filed.filed_status == "pending"
    # The agency can't decide its own filing; the bureau rejects without a reason: refused with a message.
    assert client.post(url("plan-item-decide", package, filed.pk), {"decision": "approve"}).status_code == 403
    client.force_login(personas[Role.BUREAU_ADMIN])
    page = client.get(url("plan-detail", package)).content.decode()
    assert 'data-testid="filed-decision"' in page
    response = htmx(client, url("plan-item-decide", package, filed.pk), {"decision": "reject", "reason": ""})
    assert "不予备案时请写明原因" in response.content.decode()
    htmx(client, url("plan-item-decide", package, filed.pk), {"decision": "approve", "reason": "同意。"})
    filed.refresh_from_db()
    assert filed.filed_status == "approved"


def test_worker_of_another_agency_cannot_post_to_the_editor(client, outsiders, plan, package, catalogue, communities):
    item = place(plan, catalogue[BASIC], communities[0])
    client.force_login(outsiders[Role.AGENCY_WORKER])
    data = {"item": catalogue[RESEARCH].pk, "community": communities[0].pk, "year": 1, "annual_target": 5}
    assert client.post(url("plan-item-add", package), data).status_code == 404
    assert client.post(url("plan-item-remove", package, item.pk)).status_code == 404
    assert client.post(url("plan-submit", package)).status_code == 404
    assert PlanItem.objects.filter(plan=plan).count() == 1


def test_officers_cannot_edit_items(client, personas, plan, package, catalogue, communities):
    item = place(plan, catalogue[BASIC], communities[0])
    data = {"item": catalogue[RESEARCH].pk, "community": communities[0].pk, "year": 1, "annual_target": 5}
    for role in (Role.TOWN_OFFICER, Role.COMMUNITY_OFFICER, Role.BUREAU_ADMIN, Role.AUDITOR):
        client.force_login(personas[role])
        assert client.post(url("plan-item-add", package), data).status_code == 403
        assert client.post(url("plan-item-remove", package, item.pk)).status_code == 403
        assert "添加目录子项" not in client.get(url("plan-detail", package)).content.decode()


# --- the workflow through the pages --------------------------------------------------------------------


def test_p7_submit_button_is_disabled_and_refused_with_the_problems(
    client, personas, plan, package, catalogue, communities
):
    place(plan, catalogue[BASIC], communities[0])
    client.force_login(personas[Role.AGENCY_MANAGER])
    page = client.get(url("plan-detail", package)).content.decode()
    assert 'data-testid="plan-submit" disabled' in page
    response = client.post(url("plan-submit", package), follow=True)
    text = response.content.decode()
    assert "基础服务类项目须覆盖每个社区" in text and communities[1].name in text
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_p7_workflow_through_the_pages(client, personas, covering_plan, package, communities):
    manager, town, community, bureau = (
        personas[Role.AGENCY_MANAGER],
        personas[Role.TOWN_OFFICER],
        personas[Role.COMMUNITY_OFFICER],
        personas[Role.BUREAU_ADMIN],
    )
    client.force_login(manager)
    client.post(url("plan-submit", package))
    covering_plan.refresh_from_db()
    assert covering_plan.status == "submitted"

    # The community officer comments on their own community's item, not on another's.
    own = PlanItem.objects.get(plan=covering_plan, community=communities[0], item__code=BASIC)
    other = PlanItem.objects.get(plan=covering_plan, community=communities[1], item__code=BASIC)
    client.force_login(community)
    page = client.get(url("plan-detail", package)).content.decode()
    assert page.count("提意见") == 4  # the four items placed in their community
    assert htmx(client, url("plan-item-comment", package, own.pk), {"text": "建议增加周末场次。"}).status_code == 200
    assert client.post(url("plan-item-comment", package, other.pk), {"text": "…"}).status_code == 403
    assert client.post(url("plan-comment", package), {"text": "…"}).status_code == 403
    assert PlanComment.objects.get().plan_item == own

    # The town returns without a reason: refused; with a reason: returned, and the agency sees why.
    client.force_login(town)
    assert 'data-testid="town-review"' in client.get(url("plan-detail", package)).content.decode()
    client.post(url("plan-town-review", package), {"decision": "return", "reason": ""})
    covering_plan.refresh_from_db()
    assert covering_plan.status == "submitted"
    client.post(url("plan-town-review", package), {"decision": "return", "reason": "请补充场地安排。"})
    client.force_login(manager)
    assert "请补充场地安排。" in client.get(url("plan-detail", package)).content.decode()
    client.post(url("plan-submit", package))
    client.force_login(town)
    client.post(url("plan-town-review", package), {"decision": "forward", "reason": "同意。"})
    covering_plan.refresh_from_db()
    assert covering_plan.status == "town_reviewed"

    client.force_login(bureau)
    assert 'data-testid="bureau-decision"' in client.get(url("plan-detail", package)).content.decode()
    client.post(url("plan-approve", package))
    covering_plan.refresh_from_db()
    assert covering_plan.status == "approved" and covering_plan.version == 1

    # Amendment: refused without a reason, accepted with one; the history shows both versions.
    client.force_login(manager)
    client.post(url("plan-amend", package), {"reason": ""})
    covering_plan.refresh_from_db()
    assert covering_plan.status == "approved"
    client.post(url("plan-amend", package), {"reason": "增加目标。"})
    covering_plan.refresh_from_db()
    assert covering_plan.status == "draft" and covering_plan.amendment_reason == "增加目标。"
    item = PlanItem.objects.get(plan=covering_plan, community=communities[2], item__code=GOVERN)
    client.post(
        url("plan-item-edit", package, item.pk), {"community": communities[2].pk, "year": 1, "annual_target": 30}
    )
    approve_through_services(personas, covering_plan)
    history = client.get(url("plan-history", package)).content.decode()
    assert 'data-version="2"' in history and 'data-version="1"' in history
    assert "增加目标。" in history and 'data-diff="changed"' in history and "10 → " in history.replace("/", " ")


def test_town_officer_of_another_town_cannot_review(client, outsiders, personas, covering_plan, package):
    services.plan_submit(actor=personas[Role.AGENCY_MANAGER], plan=covering_plan)
    client.force_login(outsiders[Role.TOWN_OFFICER])
    assert client.post(url("plan-town-review", package), {"decision": "forward"}).status_code == 404
    assert client.get(url("plan-detail", package)).status_code == 404
    covering_plan.refresh_from_db()
    assert covering_plan.status == "submitted"


def test_steps_out_of_turn_are_refused(client, personas, covering_plan, package):
    client.force_login(personas[Role.BUREAU_ADMIN])
    assert client.post(url("plan-approve", package)).status_code == 403
    client.force_login(personas[Role.TOWN_OFFICER])
    assert client.post(url("plan-town-review", package), {"decision": "forward"}).status_code == 403
    client.force_login(personas[Role.AGENCY_MANAGER])
    assert client.post(url("plan-amend", package), {"reason": "x"}).status_code == 403


# --- coverage matrix, history, export ------------------------------------------------------------------


def test_coverage_matrix_shows_counts_targets_and_gaps(client, personas, plan, package, catalogue, communities):
    fill_covering_plan(plan, catalogue, communities)
    PlanItem.objects.filter(plan=plan, community=communities[3], item__code=BASIC).delete()
    place(plan, catalogue["JC-08"], communities[0], year=2, target=300)
    client.force_login(personas[Role.TOWN_OFFICER])
    page = client.get(url("plan-coverage", package)).content.decode()
    assert "基础服务类项目须覆盖每个社区" in page and communities[3].name in page
    assert page.count('class="gap"') == 1
    assert "300 人次" in page and "街镇层面" in page
    year_two = client.get(url("plan-coverage", package), {"year": 2}).content.decode()
    assert "300 人次" in year_two and "10 户" not in year_two
    assert client.get(url("plan-coverage", package), {"year": "moon"}).status_code == 200


def test_xlsx_export_lists_items_and_the_matrix(client, personas, covering_plan, package, communities):
    filed = PlanItem.objects.create(
        plan=covering_plan,
        community=communities[0],
        year=1,
        annual_target=6,
        is_filed=True,
        filed_name="社区花园营造",
        filed_category_kind="empowerment",
        filed_unit="session",
        justification="居民提议。",
        filed_status="pending",
    )
    for role in (Role.TOWN_OFFICER, Role.BUREAU_ADMIN, Role.AGENCY_MANAGER):
        client.force_login(personas[role])
        response = client.get(url("plan-export", package))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["服务计划"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("项目包", package.title) + (None,) * (len(rows[0]) - 2)
    header = rows.index(next(r for r in rows if r and r[0] == "服务年度"))
    items = rows[header + 1 :]
    assert len(items) == 19
    by_name = {r[4]: r for r in items}
    assert by_name["居家养老探访"][2] == "基础服务类" and by_name["居家养老探访"][5] == "户"
    assert by_name[filed.filed_name][7] == "待备案审批" and by_name[filed.filed_name][8] == "否"
    matrix = list(book["覆盖情况"].iter_rows(values_only=True))
    assert matrix[0] == ("社区（村）", "基础服务类", "需求调研类", "自治增能类", "焦点治理类")
    assert [r[0] for r in matrix[1:6]] == [c.name for c in communities] + ["街镇层面"]
    assert matrix[1][1] == "1（10户）"
    assert ("覆盖检查", "通过") in [r[:2] for r in matrix]


# --- venues (P8) ---------------------------------------------------------------------------------------


def test_p8_venue_pages(client, personas, outsiders, package, communities):
    client.force_login(personas[Role.COMMUNITY_OFFICER])
    form = client.get(url("venue-list", package)).content.decode()
    assert 'data-testid="venue-form"' in form
    data = {
        "community": communities[0].pk,
        "name": "南园活动室",
        "address": "南园路1号",
        "area_m2": "60",
        "equipment": "桌椅",
    }
    response = client.post(url("venue-create", package), {**data, "area_m2": "0"})
    assert response.status_code == 200 and not Venue.objects.exists()
    # A community officer can't pick another community (not among the form's choices).
    client.post(url("venue-create", package), {**data, "community": communities[1].pk})
    assert not Venue.objects.exists()
    client.post(url("venue-create", package), {**data, "is_free": "on"})
    venue = Venue.objects.get()
    assert venue.community == communities[0] and venue.is_free
    client.force_login(outsiders[Role.TOWN_OFFICER])
    assert client.post(url("venue-create", package), data).status_code == 404
    assert client.post(url("venue-delete", package, venue.pk)).status_code == 404
    client.force_login(personas[Role.AGENCY_WORKER])
    assert client.post(url("venue-create", package), data).status_code == 403
    assert 'data-testid="venue-form"' not in client.get(url("venue-list", package)).content.decode()
    client.force_login(personas[Role.TOWN_OFFICER])
    client.post(
        url("venue-update", package, venue.pk), {**data, "community": "", "name": "街道活动中心", "area_m2": "200.5"}
    )
    venue.refresh_from_db()
    assert venue.community is None and str(venue.area_m2) == "200.5"
    client.post(url("venue-delete", package, venue.pk))
    assert not Venue.objects.exists()


# --- constant queries ----------------------------------------------------------------------------------


def _fill(plan, catalogue, communities, start: int, stop: int, author) -> None:
    """Items number `start` to `stop` of 40 distinct ones (5 sub-items × 4 communities × 2 years), each with
    a comment."""
    codes = ["JC-01", "JC-02", "JC-03", "ZZ-01", "JD-01"]
    combos = [(code, c, year) for year in (1, 2) for c in communities for code in codes][start:stop]
    for code, community, year in combos:
        item = place(plan, catalogue[code], community, year=year)
        PlanComment.objects.create(plan=plan, plan_item=item, community=community, author=author, text="意见")


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", [Role.AGENCY_MANAGER, Role.TOWN_OFFICER, Role.BUREAU_ADMIN])
@pytest.mark.parametrize("page", ["plan-detail", "plan-coverage", "plan-export"])
def test_plan_pages_use_constant_queries(
    client, personas, plan, package, catalogue, communities, role, page, django_assert_max_num_queries
):
    client.force_login(personas[role])
    _fill(plan, catalogue, communities, 0, 5, personas[Role.TOWN_OFFICER])
    few = _queries(client, url(page, package))
    _fill(plan, catalogue, communities, 5, 40, personas[Role.TOWN_OFFICER])
    assert PlanItem.objects.filter(plan=plan).count() == 40
    with django_assert_max_num_queries(few):
        client.get(url(page, package))
    with django_assert_max_num_queries(16):
        client.get(url(page, package))


def test_venue_list_uses_constant_queries(client, personas, package, communities, django_assert_max_num_queries):
    client.force_login(personas[Role.TOWN_OFFICER])
    Venue.objects.create(package=package, name="A", address="a", area_m2=10, equipment="无")
    few = _queries(client, url("venue-list", package))
    for n, c in enumerate(communities * 5):
        Venue.objects.create(package=package, community=c, name=f"V{n}", address="a", area_m2=10, equipment="无")
    with django_assert_max_num_queries(few):
        client.get(url("venue-list", package))


def test_history_uses_constant_queries(client, personas, covering_plan, package, django_assert_max_num_queries):
    plan = approve_through_services(personas, covering_plan)
    client.force_login(personas[Role.AGENCY_MANAGER])
    few = _queries(client, url("plan-history", package))
    for n in range(4):
        plan = services.plan_amend(actor=personas[Role.AGENCY_MANAGER], plan=plan, reason=f"第{n}次变更")
        plan = approve_through_services(personas, plan)
    assert PlanVersion.objects.filter(plan=plan).count() == 5
    with django_assert_max_num_queries(few):
        client.get(url("plan-history", package))
