"""Search (issue 13): "which reports mentioned 独居老人 last quarter?", "which agency runs 4点半课堂 where?".
Runs on SQLite (LIKE) and on PostgreSQL (the bigram indexes of delivery migration 0004, then ILIKE)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.models import ServiceItem
from core.search import QueryProblem, parse_terms, snippet
from delivery.models import FocusIssue, PlanItem, ReportLine, ServicePlan, ServiceReport
from directory.models import Role
from procurement.models import Tender
from reporting.search import period_dates
from tests.procurement.factories import PackageFactory, TenderFactory

URL = "/search/"


def _report(package, user, year, month, *, summary="", narrative="", status=ServiceReport.Status.CONFIRMED):
    report = ServiceReport.objects.create(
        package=package, year=year, month=month, created_by=user, status=status, summary=summary
    )
    item = package.plan.items.first()
    ReportLine.objects.create(report=report, plan_item=item, narrative=narrative)
    return report


@pytest.fixture
def scene(world, agency, other_agency, round_2018, personas, outsiders):
    """Town A1's package (the personas' agency) and town B1's (the other agency), each with a plan and reports."""
    today = timezone.localdate()
    start = today - datetime.timedelta(days=400)
    pkg_a = PackageFactory(town=world.town_a1, agency=agency, round=round_2018, starts_on=start)
    pkg_b = PackageFactory(town=world.town_b1, agency=other_agency, round=round_2018, starts_on=start)
    catalogue = {i.code: i for i in ServiceItem.objects.filter(edition=round_2018.edition)}
    for pkg, community in ((pkg_a, world.communities_a1[2]), (pkg_b, world.community_b1)):
        plan = ServicePlan.objects.create(package=pkg, status=ServicePlan.Status.APPROVED, version=1)
        PlanItem.objects.create(plan=plan, item=catalogue["JC-08"], community=community, year=1, annual_target=100)
    manager_a = personas[Role.AGENCY_MANAGER]
    manager_b = outsiders[Role.AGENCY_MANAGER]
    last_quarter_start, _ = period_dates("last_quarter", today)
    old = last_quarter_start - datetime.timedelta(days=200)
    rows = {
        "a_recent": _report(
            pkg_a,
            manager_a,
            last_quarter_start.year,
            last_quarter_start.month,
            narrative="入户探访独居老人，排查用电隐患。",
        ),
        "a_old": _report(
            pkg_a, manager_a, old.year, old.month, summary="本月<script>alert(1)</script>重点关注独居老人。"
        ),
        "b_only": _report(pkg_b, manager_b, old.year, old.month, narrative="开展邻里守望互助活动。"),
        "issue_a": FocusIssue.objects.create(
            community=world.communities_a1[0],
            package=pkg_a,
            kind=FocusIssue.Kind.OTHER,
            title="楼内老人无人照看",
            description="独居老人家中无人照看，需定期探访。",
            reported_by=personas[Role.TOWN_OFFICER],
        ),
        "tender_public": TenderFactory(
            round=round_2018, town=world.town_a1, title="双塔街道4点半课堂服务项目", description="课后托管"
        ),
        "tender_draft": TenderFactory(
            round=round_2018, town=world.town_a1, title="草稿：邻里守望项目", status=Tender.Status.DRAFT
        ),
    }
    rows["pkg_a"], rows["pkg_b"] = pkg_a, pkg_b
    return rows


def _totals(response) -> dict[str, int]:
    return {group.key: group.total for group in response.context["results"]}


def test_a_two_character_chinese_word_is_found_in_reports_and_focus_issues(client_for, bureau, scene):
    response = client_for(bureau).get(URL, {"q": "独居"})
    assert response.status_code == 200
    totals = _totals(response)
    assert totals["reports"] == 2
    assert totals["focus_issues"] == 1
    body = response.content.decode()
    assert scene["a_recent"].get_absolute_url() in body
    assert scene["issue_a"].get_absolute_url() in body
    assert "<mark>独居</mark>" in body


def test_which_agency_runs_4_half_past_class_where(client_for, bureau, scene, world):
    response = client_for(bureau).get(URL, {"q": "4点半课堂"})
    totals = _totals(response)
    assert totals["plan_items"] == 2  # one in each town
    assert totals["tenders"] == 1
    plan_group = next(g for g in response.context["results"] if g.key == "plan_items")
    titles = " ".join(h.title for h in plan_group.hits)
    assert "乐仁社工服务社" in titles and world.communities_a1[2].name in titles
    assert "和光社工服务中心" in titles and world.community_b1.name in titles
    assert reverse("delivery:plan-detail", args=[scene["pkg_a"].pk]) in response.content.decode()


def test_an_agency_does_not_find_a_word_only_in_another_agencys_report(client_for, manager, bureau, scene):
    assert _totals(client_for(bureau).get(URL, {"q": "邻里守望"}))["reports"] == 1
    response = client_for(manager).get(URL, {"q": "邻里守望"})
    assert sum(_totals(response).values()) == 0
    assert "search-nothing" in response.content.decode()


def test_the_other_agency_sees_its_report_but_not_ours(client, scene, outsiders):
    client.force_login(outsiders[Role.AGENCY_MANAGER])
    assert _totals(client.get(URL, {"q": "邻里守望"}))["reports"] == 1
    totals = _totals(client.get(URL, {"q": "独居"}))
    assert totals["reports"] == 0 and totals["focus_issues"] == 0


def test_a_town_officer_finds_its_towns_rows_only(client, scene, personas, outsiders):
    client.force_login(personas[Role.TOWN_OFFICER])
    totals = _totals(client.get(URL, {"q": "独居"}))
    assert totals["reports"] == 2 and totals["focus_issues"] == 1
    client.force_login(outsiders[Role.TOWN_OFFICER])
    totals = _totals(client.get(URL, {"q": "独居"}))
    assert totals["reports"] == 0 and totals["focus_issues"] == 0


def test_an_evaluator_finds_no_reports_and_only_public_tenders(client, scene, personas):
    client.force_login(personas[Role.EVALUATOR])
    totals = _totals(client.get(URL, {"q": "独居"}))
    assert totals["reports"] == 0 and totals["focus_issues"] == 0
    assert _totals(client.get(URL, {"q": "4点半课堂"}))["tenders"] == 1
    assert _totals(client.get(URL, {"q": "邻里守望"}))["tenders"] == 0  # the draft is the bureau's
    assert _totals(client.get(URL, {"q": "邻里守望"}))["reports"] == 0


def test_a_version_replaced_by_a_correction_is_not_found_twice(client_for, bureau, scene):
    old = scene["a_old"]
    old.status = ServiceReport.Status.SUPERSEDED
    old.save()
    corrected = ServiceReport.objects.create(
        package=old.package,
        year=old.year,
        month=old.month,
        version=2,
        supersedes=old,
        created_by=old.created_by,
        status=ServiceReport.Status.CONFIRMED,
        summary=old.summary,
    )
    group = next(g for g in client_for(bureau).get(URL, {"q": "独居"}).context["results"] if g.key == "reports")
    urls = [h.url for h in group.hits]
    assert corrected.get_absolute_url() in urls and old.get_absolute_url() not in urls


def test_one_kind_alone_is_paged(client_for, bureau, scene):
    pkg = scene["pkg_a"]
    for month in range(1, 13):
        for year in (2019, 2020):
            _report(pkg, pkg.created_by, year, month, narrative="独居老人探访")
    client = client_for(bureau)
    first = client.get(URL, {"q": "独居", "kind": "reports"})
    assert first.context["results"][0].total == 26 and len(first.context["results"][0].hits) == 20
    second = client.get(URL, {"q": "独居", "kind": "reports", "page": 2})
    assert len(second.context["results"][0].hits) == 6
    assert "上一页" in second.content.decode()
    past_the_end = client.get(URL, {"q": "独居", "kind": "reports", "page": 9})  # the last page, with its hits
    assert past_the_end.context["page"].number == 2 and len(past_the_end.context["results"][0].hits) == 6


def test_draft_tenders_are_found_by_the_bureau_only(client_for, bureau, scene):
    assert _totals(client_for(bureau).get(URL, {"q": "邻里守望"}))["tenders"] == 1


def test_anonymous_visitors_are_sent_to_log_in(client, scene):
    response = client.get(URL, {"q": "独居"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/api/v1/search/", {"q": "独居"}).status_code in (401, 403)


def test_last_quarter_keeps_the_reports_of_its_months(client_for, bureau, scene):
    response = client_for(bureau).get(URL, {"q": "独居", "period": "last_quarter"})
    totals = _totals(response)
    assert totals["reports"] == 1  # a_recent only; a_old is half a year older
    group = next(g for g in response.context["results"] if g.key == "reports")
    assert group.hits[0].url == scene["a_recent"].get_absolute_url()
    assert "search-period" in response.content.decode()


def test_the_snippet_escapes_the_text_it_shows(client_for, bureau, scene):
    body = client_for(bureau).get(URL, {"q": "独居"}).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_results_are_grouped_with_a_cap_and_a_link_to_the_rest(client_for, bureau, scene):
    pkg = scene["pkg_a"]
    for month in range(1, 8):
        _report(pkg, pkg.created_by, 2020, month, narrative="独居老人探访")
    response = client_for(bureau).get(URL, {"q": "独居"})
    group = next(g for g in response.context["results"] if g.key == "reports")
    assert group.total == 9 and len(group.hits) == 5
    body = response.content.decode()
    assert "search-more-reports" in body and "kind=reports" in body
    only = client_for(bureau).get(URL, {"q": "独居", "kind": "reports"})
    assert [g.key for g in only.context["results"]] == ["reports"]
    assert len(only.context["results"][0].hits) == 9


def test_the_page_reads_a_constant_number_of_queries(client_for, bureau, scene, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(bureau)
    client.get(URL, {"q": "独居"})
    # session, user, memberships, bell; per kind a count, the page's ids and the page's rows (reports, focus
    # issues, plan items) or a count and the page (agencies, tenders, packages) — hits or none
    with django_assert_max_num_queries(19):
        client.get(URL, {"q": "独居 老人"})
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"q": "独居 老人"})
    pkg = scene["pkg_a"]
    for month in range(1, 8):
        _report(pkg, pkg.created_by, 2020, month, narrative="独居老人探访")
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL, {"q": "独居 老人"})
    with CaptureQueriesContext(connection) as none:
        client.get(URL, {"q": "养猫"})
    assert _totals(response)["reports"] == 9
    assert len(few) == len(many) == len(none)


@pytest.mark.parametrize(
    ("q", "message"),
    [("独", "两个字"), ("x" * 51, "太长"), ("ab cd ef gh ij kl", "最多")],
)
def test_a_query_that_cannot_be_searched_gets_a_message_not_an_error(client_for, bureau, scene, q, message):
    response = client_for(bureau).get(URL, {"q": q})
    assert response.status_code == 200
    assert message in response.content.decode()
    api = client_for(bureau).get("/api/v1/search/", {"q": q})
    assert api.status_code == 400 and message in api.json()["q"][0]


def test_an_empty_query_shows_the_form_alone(client_for, bureau):
    response = client_for(bureau).get(URL)
    assert response.status_code == 200 and response.context["results"] == []
    assert "search-problem" not in response.content.decode()


def test_a_bad_kind_or_period_is_a_message(client_for, bureau):
    response = client_for(bureau).get(URL, {"q": "独居", "kind": "nonsense", "period": "x"})
    assert response.status_code == 200 and "search-problem" in response.content.decode()
    api = client_for(bureau).get("/api/v1/search/", {"q": "独居", "kind": "nonsense", "period": "x"})
    assert api.status_code == 400 and set(api.json()) == {"kind", "period"}  # each under its own name


def test_the_api_returns_the_same_groups(client_for, manager, scene):
    data = client_for(manager).get("/api/v1/search/", {"q": "独居 老人", "kind": "reports"}).json()
    assert data["terms"] == ["独居", "老人"]
    group = data["groups"][0]
    assert group["key"] == "reports" and group["total"] == 2
    assert "<mark>独居</mark>" in group["hits"][0]["snippet"]


def test_the_search_box_is_in_the_top_bar(client_for, bureau):
    assert 'data-testid="nav-search"' in client_for(bureau).get(reverse("directory:home")).content.decode()


# --- pieces -------------------------------------------------------------------------------------------------


def test_terms_are_split_on_spaces_and_one_character_words_dropped():
    assert parse_terms(" 独居老人  4点半课堂 x ") == ["独居老人", "4点半课堂"]
    with pytest.raises(QueryProblem):
        parse_terms("  ")


def test_a_snippet_marks_every_term_and_cuts_around_the_first():
    text = "甲" * 100 + "独居老人<b>" + "乙" * 100
    out = str(snippet(text, ["独居", "<b>"]))
    assert out.startswith("…") and out.endswith("…")
    assert "<mark>独居</mark>老人<mark>&lt;b&gt;</mark>" in out


def test_upper_and_lower_case_latin_letters_match():
    assert "<mark>Home</mark>" in str(snippet("Home visits", ["home"]))


def test_period_dates_of_last_quarter():
    assert period_dates("last_quarter", datetime.date(2026, 2, 10)) == (
        datetime.date(2025, 10, 1),
        datetime.date(2026, 1, 1),
    )
    assert period_dates("this_month", datetime.date(2026, 12, 2)) == (
        datetime.date(2026, 12, 1),
        datetime.date(2027, 1, 1),
    )


def test_on_postgresql_the_bigram_indexes_serve_the_search(client_for, bureau, scene, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("SQLite searches with LIKE alone")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'search_%%_bigrams'")
        assert {row[0] for row in cursor.fetchall()} == {
            "search_report_summary_bigrams",
            "search_report_line_bigrams",
            "search_focus_issue_bigrams",
            "search_plan_item_bigrams",
        }
        # A two-character word is one bigram: the index answers it exactly (pg_trgm would find no trigram in it).
        cursor.execute("SELECT sw_bigrams('独居老人'), sw_bigrams('独')")
        assert cursor.fetchone() == (["居老", "独居", "老人"], [])
    with CaptureQueriesContext(connection) as ctx:
        client_for(bureau).get(URL, {"q": "独居"})
    assert any("sw_bigrams" in q["sql"] for q in ctx.captured_queries)
