"""The money pages: who sees what (persona × URL), the flows through the forms, the xlsx exports, the public
disclosure page without login, and constant query counts on the list pages."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from directory.models import Role
from evaluation.models import Evaluation
from funds import services
from funds.models import FundMember, LedgerEntry, MicroGrant, Payment
from tests.factories import UserFactory

from .conftest import finalised_evaluation, split_evenly

D = Decimal


@pytest.fixture
def setup(bureau, package, other_package, budgets, fund, committee, fund_manager, other_fund):
    split_evenly(bureau, package, budgets, 1)
    services.schedule_generate(package=other_package)
    services.donation_record(
        actor=fund_manager,
        fund=fund,
        amount="1000.00",
        occurred_on=timezone.localdate(),
        donor_name="张先生",
        is_anonymous=True,
    )
    grant = services.grant_apply(
        actor=fund_manager,
        fund=fund,
        kind="micro_venture",
        title="睦邻花园",
        applicant_kind="resident_group",
        applicant_name="居民小组",
        community=fund.town.communities.first(),
        purpose="花园改造",
        budget_lines=[{"item": "苗木", "amount": "200.00"}],
    )
    return {"grant": grant}


def _urls(package, fund, grant, sources):
    return {
        "sources": reverse("funds:source-list"),
        "source_export": reverse("funds:source-export"),
        "source_detail": reverse("funds:source-detail", args=[sources["district"].pk]),
        "packages": reverse("funds:package-list"),
        "package": reverse("funds:package-money", args=[package.pk]),
        "package_export": reverse("funds:package-export", args=[package.pk]),
        "funds": reverse("funds:fund-list"),
        "fund": reverse("funds:fund-detail", args=[fund.pk]),
        "fund_export": reverse("funds:fund-export", args=[fund.pk]),
        "grant": reverse("funds:grant-detail", args=[grant.pk]),
        "public": reverse("funds:public-fund", args=[fund.pk]),
    }


OK, NF = 200, 404
# persona → expected status per page (the committee member and fund manager are fund personas)
MATRIX = {
    Role.BUREAU_ADMIN: dict.fromkeys(
        [
            "sources",
            "source_export",
            "source_detail",
            "packages",
            "package",
            "package_export",
            "funds",
            "fund",
            "fund_export",
            "grant",
            "public",
        ],
        OK,
    ),
    Role.AUDITOR: dict.fromkeys(
        [
            "sources",
            "source_export",
            "source_detail",
            "packages",
            "package",
            "package_export",
            "funds",
            "fund",
            "fund_export",
            "grant",
            "public",
        ],
        OK,
    ),
    Role.DISTRICT_OFFICER: dict.fromkeys(
        [
            "sources",
            "source_export",
            "source_detail",
            "packages",
            "package",
            "package_export",
            "funds",
            "fund",
            "fund_export",
            "grant",
            "public",
        ],
        OK,
    ),
    Role.TOWN_OFFICER: {
        "sources": NF,
        "source_export": NF,
        "source_detail": NF,
        "packages": OK,
        "package": OK,
        "package_export": OK,
        "funds": OK,
        "fund": OK,
        "fund_export": OK,
        "grant": OK,
        "public": OK,
    },
    Role.COMMUNITY_OFFICER: {
        "sources": NF,
        "source_export": NF,
        "source_detail": NF,
        "packages": NF,
        "package": NF,
        "package_export": NF,
        "funds": OK,  # an empty list: none of its community's funds
        "fund": NF,
        "fund_export": NF,
        "grant": NF,
        "public": OK,
    },
    Role.AGENCY_MANAGER: {
        "sources": NF,
        "source_export": NF,
        "source_detail": NF,
        "packages": OK,
        "package": OK,
        "package_export": OK,
        "funds": NF,
        "fund": NF,
        "fund_export": NF,
        "grant": NF,
        "public": OK,
    },
    Role.AGENCY_WORKER: {
        "sources": NF,
        "source_export": NF,
        "source_detail": NF,
        "packages": OK,
        "package": OK,
        "package_export": OK,
        "funds": NF,
        "fund": NF,
        "fund_export": NF,
        "grant": NF,
        "public": OK,
    },
    Role.EVALUATOR: {
        "sources": NF,
        "source_export": NF,
        "source_detail": NF,
        "packages": NF,
        "package": NF,
        "package_export": NF,
        "funds": NF,
        "fund": NF,
        "fund_export": NF,
        "grant": NF,
        "public": OK,
    },
    Role.EXPERT: {
        "sources": NF,
        "source_export": NF,
        "source_detail": NF,
        "packages": NF,
        "package": NF,
        "package_export": NF,
        "funds": NF,
        "fund": NF,
        "fund_export": NF,
        "grant": NF,
        "public": OK,
    },
}
FUND_PERSONA = {
    "sources": NF,
    "source_export": NF,
    "source_detail": NF,
    "packages": NF,
    "package": NF,
    "package_export": NF,
    "funds": OK,
    "fund": OK,
    "fund_export": OK,
    "grant": OK,
    "public": OK,
}


def test_permission_matrix_personas(client_for, personas, setup, package, fund, sources):
    urls = _urls(package, fund, setup["grant"], sources)
    for role, expected in MATRIX.items():
        client = client_for(personas[role])
        for name, url in urls.items():
            assert client.get(url).status_code == expected[name], (role, name)


def test_permission_matrix_fund_people_and_outsiders(
    client, client_for, outsiders, setup, package, fund, sources, committee, fund_manager
):
    urls = _urls(package, fund, setup["grant"], sources)
    for user in (committee[0], fund_manager):
        c = client_for(user)
        for name, url in urls.items():
            assert c.get(url).status_code == FUND_PERSONA[name], (user, name)
    # Outsiders (another district/town/agency) see nothing of A's money or fund: 404, never data.
    for role, user in outsiders.items():
        c = client_for(user)
        for name in ("package", "package_export", "fund", "fund_export", "grant", "source_detail"):
            assert c.get(urls[name]).status_code == NF, (role, name)
    client.logout()
    for name, url in urls.items():
        response = client.get(url)
        if name == "public":
            assert response.status_code == OK
        else:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_agency_cannot_read_another_packages_payments(client_for, other_manager, bureau, package, budgets, setup):
    services.payment_record(
        actor=bureau,
        instalment=package.instalments.get(plan_year=1, milestone="start"),
        amount="392000.00",
        paid_on=timezone.localdate(),
        voucher_number="PZ-9",
    )
    c = client_for(other_manager)
    assert c.get(reverse("funds:package-money", args=[package.pk])).status_code == 404
    data = c.get(reverse("api-v1:funds-payment-list")).json()
    assert data["count"] == 0
    assert c.get(reverse("api-v1:funds-package-money", args=[package.pk])).status_code == 404


def test_bureau_records_a_payment_through_the_page_and_sees_the_states(client_for, bureau, package, setup):
    c = client_for(bureau)
    start = package.instalments.get(plan_year=1, milestone="start")
    mid = package.instalments.get(plan_year=1, milestone="mid_term")
    page = c.get(reverse("funds:package-money", args=[package.pk])).content.decode()
    assert (
        f'data-instalment="{mid.pk}" data-state="held"' in page
        or f'data-instalment="{mid.pk}" data-state="not_yet_due"' in page
    )
    response = c.post(
        reverse("funds:payment-record", args=[start.pk]),
        {"amount": "392000.00", "paid_on": timezone.localdate().isoformat(), "voucher_number": "PZ-1"},
    )
    assert response.status_code == 302
    # before the mid-term evaluation the mid-term instalment is refused with the reason on the page
    response = c.post(
        reverse("funds:payment-record", args=[mid.pk]),
        {"amount": "294000.00", "paid_on": timezone.localdate().isoformat(), "voucher_number": "PZ-2"},
    )
    assert response.status_code == 400 and "尚未达成" in response.content.decode()
    finalised_evaluation(package, Evaluation.Stage.MID_TERM, grade="fail", score="52.00")
    page = c.get(reverse("funds:package-money", args=[package.pk])).content.decode()
    assert f'data-instalment="{mid.pk}" data-state="held"' in page and "复评" in page
    for bad in ("-1", "abc", "1.001"):
        response = c.post(
            reverse("funds:payment-record", args=[start.pk]),
            {"amount": bad, "paid_on": timezone.localdate().isoformat(), "voucher_number": "PZ-3"},
        )
        assert response.status_code == 400
    assert Payment.objects.count() == 1


def test_only_the_bureau_posts_money(client_for, personas, package, setup):
    start = package.instalments.get(plan_year=1, milestone="start")
    for role in (Role.AUDITOR, Role.DISTRICT_OFFICER, Role.TOWN_OFFICER, Role.AGENCY_MANAGER):
        c = client_for(personas[role])
        response = c.post(
            reverse("funds:payment-record", args=[start.pk]),
            {"amount": "1.00", "paid_on": timezone.localdate().isoformat(), "voucher_number": "X"},
        )
        assert response.status_code in (403, 404), role
        assert c.post(reverse("funds:split-set", args=[package.pk, 1]), {}).status_code in (403, 404), role
    assert not Payment.objects.exists()


def test_split_over_commitment_shown_on_the_form(client_for, bureau, package, sources, setup):
    c = client_for(bureau)
    year = package.starts_on.year + 1
    services.budget_set(actor=bureau, source=sources["city"], year=year, amount="100.00")
    response = c.post(
        reverse("funds:split-set", args=[package.pk, 2]),
        {f"y2-source_{sources['city'].pk}": "980000.00"},
    )
    assert response.status_code == 400 and "100.00" in response.content.decode()


def test_budget_form_refuses_bad_amounts(client_for, bureau, sources):
    c = client_for(bureau)
    url = reverse("funds:budget-set", args=[sources["city"].pk])
    for bad in ("-5", "abc", "1.234"):
        c.post(url, {"year": "2026", "amount": bad})
    assert not sources["city"].budgets.filter(year=2026).exists()
    c.post(url, {"year": "2026", "amount": "1234.50"})
    assert sources["city"].budgets.get(year=2026).amount == D("1234.50")


def test_fund_flow_donation_vote_public_page(client, client_for, fund, fund_manager, committee, setup, world):
    c = client_for(fund_manager)
    response = c.post(
        reverse("funds:donation-record", args=[fund.pk]),
        {"amount": "500.00", "occurred_on": timezone.localdate().isoformat(), "donor_name": "苏州某科技公司"},
    )
    assert response.status_code == 302
    assert (
        c.post(
            reverse("funds:donation-record", args=[fund.pk]),
            {"amount": "-1", "occurred_on": "2026-01-01", "donor_name": "x"},
        ).status_code
        == 400
    )
    grant = setup["grant"]
    # a non-member cannot vote
    assert (
        client_for(world and UserFactory())
        .post(reverse("funds:grant-vote", args=[grant.pk]), {"approve": "yes"})
        .status_code
        == 404
    )
    assert (
        client_for(fund_manager).post(reverse("funds:grant-vote", args=[grant.pk]), {"approve": "yes"}).status_code
        == 403
    )
    for member in committee[:2]:
        assert (
            client_for(member).post(reverse("funds:grant-vote", args=[grant.pk]), {"approve": "yes"}).status_code == 302
        )
    grant.refresh_from_db()
    assert grant.status == MicroGrant.Status.APPROVED
    page = client_for(fund_manager).get(reverse("funds:fund-detail", args=[fund.pk])).content.decode()
    assert "1,300.00" in page
    client.logout()
    public = client.get(reverse("funds:public-fund", args=[fund.pk])).content.decode()
    assert "1,300.00" in public and "匿名" in public and "苏州某科技公司" in public
    assert "张先生" not in public  # the anonymous donor's name never appears publicly
    assert "睦邻花园" in public and "花园改造" in public


def test_exports_are_xlsx_with_the_figures(client_for, bureau, package, fund, setup):
    c = client_for(bureau)
    for url in (
        reverse("funds:source-export") + f"?year={package.starts_on.year}",
        reverse("funds:package-export", args=[package.pk]),
        reverse("funds:fund-export", args=[fund.pk]),
    ):
        response = c.get(url)
        assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet.max_row >= 2


def test_formula_like_donor_is_neutralised_in_the_export(client_for, bureau, fund, fund_manager):
    services.donation_record(
        actor=fund_manager, fund=fund, amount="1.00", occurred_on=timezone.localdate(), donor_name="=HYPERLINK(1)"
    )
    response = client_for(bureau).get(reverse("funds:fund-export", args=[fund.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert any(c.value == "=HYPERLINK(1)" for c in cells)  # kept as typed, as text
    assert all(c.data_type != "f" for c in cells)  # never a live formula


def test_ledger_has_no_edit_or_delete_page(client_for, bureau, fund, setup):
    entry = LedgerEntry.objects.first()
    c = client_for(bureau)
    assert c.post(f"/funds/ledger/{entry.pk}/edit/", {"amount": "1"}).status_code == 404
    assert c.post(f"/funds/ledger/{entry.pk}/delete/").status_code == 404


def test_grant_close_with_receipt_and_download(client_for, fund, fund_manager, committee, setup, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    grant = setup["grant"]
    for member in committee[:2]:
        services.grant_vote(actor=member, grant=grant, approve=True)
    c = client_for(fund_manager)
    png = SimpleUploadedFile("receipt.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, content_type="image/png")
    response = c.post(reverse("funds:grant-close", args=[grant.pk]), {"outcome": "花园建成", "receipts": [png]})
    assert response.status_code == 302
    receipt = grant.receipts.get()
    download = c.get(reverse("funds:receipt-download", args=[grant.pk, receipt.pk]))
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"
    bad = SimpleUploadedFile("x.png", b"MZ....", content_type="image/png")
    assert c.post(reverse("funds:grant-close", args=[grant.pk]), {"outcome": "x", "receipts": [bad]}).status_code in (
        400,
        403,
    )


def test_evaluator_workspace_shows_money_paid(client_for, bureau, package, setup, personas, world):
    from evaluation import services as evaluation_services

    evaluator2 = UserFactory(username="ev2")
    from tests.factories import MembershipFactory

    MembershipFactory(user=evaluator2, organisation=world.firm, role=Role.EVALUATOR)
    services.payment_record(
        actor=bureau,
        instalment=package.instalments.get(plan_year=1, milestone="start"),
        amount="392000.00",
        paid_on=timezone.localdate(),
        voucher_number="PZ-1",
    )
    evaluation = evaluation_services.evaluation_assign(
        actor=bureau,
        package=package,
        stage="closing",
        firm=world.firm,
        evaluator_ids=[personas[Role.EVALUATOR].pk, evaluator2.pk],
    )
    assignment = evaluation.assignments.get(evaluator=personas[Role.EVALUATOR])
    evaluation_services.assignment_declare(actor=personas[Role.EVALUATOR], assignment=assignment, has_conflict=False)
    page = client_for(personas[Role.EVALUATOR]).get(reverse("evaluation:evaluation-workspace", args=[evaluation.pk]))
    assert page.status_code == 200
    assert "392,000.00" in page.content.decode() and "资金模块上线后显示" not in page.content.decode()


def _more_data(bureau, world, sources, n=4):
    from tests.procurement.factories import AgencyFactory, PackageFactory, RoundFactory

    for i in range(n):
        town = (
            world.town_a2
            if i == 0
            else __import__("tests.factories", fromlist=["TownFactory"]).TownFactory(district=world.district_a)
        )
        p = PackageFactory(town=town, agency=AgencyFactory(), round=RoundFactory(edition=world_edition()))
        services.schedule_generate(package=p)


def world_edition():
    from catalog.models import CatalogueEdition

    return CatalogueEdition.objects.first()


def test_list_pages_constant_queries(
    client_for, bureau, world, sources, setup, django_assert_max_num_queries, fund_manager, committee
):
    c = client_for(bureau)
    urls = [
        reverse("funds:source-list"),
        reverse("funds:package-list"),
        reverse("funds:fund-list"),
        reverse("funds:public-list"),
    ]
    counts = {}
    for url in urls:
        c.get(url)
    _more_data(bureau, world, sources)
    for i in range(3):
        fund = services.CommunityFund.objects.create(
            kind="foundation", name=f"基金{i}", host=setup["grant"].fund.host, town=world.town_a1
        )
        services.donation_record(
            actor=bureau, fund=fund, amount="10.00", occurred_on=timezone.localdate(), donor_name="x"
        )
        FundMember.objects.create(fund=fund, user=committee[0], role="committee")
    for url in urls:
        with django_assert_max_num_queries(14):
            counts[url] = c.get(url).status_code
    assert set(counts.values()) == {200}


def test_city_statistics_show_community_funds_by_district_and_kind(client, fund, other_fund, fund_manager, bureau):
    services.donation_record(
        actor=fund_manager, fund=fund, amount="1234.56", occurred_on=timezone.localdate(), donor_name="x"
    )
    services.donation_record(
        actor=bureau, fund=other_fund, amount="0.44", occurred_on=timezone.localdate(), donor_name="y"
    )
    client.logout()
    data = client.get(reverse("api-v1:city-statistics")).json()["community_funds"]
    assert data["funds"] == 2 and data["assets"] == "1235.00"
    assert {r["label"]: r["assets"] for r in data["by_district"]} == {"姑苏区": "1234.56", "吴江区": "0.44"}
    assert {r["label"]: r["funds"] for r in data["by_kind"]} == {"社区公益基金": 1, "社区发展基金会": 1}
    page = client.get(reverse("reporting:city-statistics")).content.decode()
    assert "1,235.00" in page and "社区发展基金会" in page


def test_money_pages_in_english(client_for, bureau, package, setup):
    c = client_for(bureau)
    c.post(reverse("set_language"), {"language": "en"})
    page = c.get(reverse("funds:package-money", args=[package.pk])).content.decode()
    assert "Payment schedule" in page and "Contract value (CNY)" in page


def test_an_agency_applies_through_the_public_page(client_for, manager, fund, world):
    c = client_for(manager)
    public = c.get(reverse("funds:public-fund", args=[fund.pk])).content.decode()
    assert 'data-testid="apply"' in public
    response = c.post(
        reverse("funds:grant-apply", args=[fund.pk]),
        {
            "kind": "micro_venture",
            "title": "亲子阅读角",
            "applicant_kind": "agency",
            "applicant_name": "乐仁社工服务社",
            "community": world.communities_a1[1].pk,
            "purpose": "社区亲子阅读",
            "item_1": "图书",
            "amount_1": "800.00",
            "item_2": "书架",
            "amount_2": "1.001",
        },
    )
    assert response.status_code == 400 and not MicroGrant.objects.exists()
    response = c.post(
        reverse("funds:grant-apply", args=[fund.pk]),
        {
            "kind": "micro_venture",
            "title": "亲子阅读角",
            "applicant_kind": "agency",
            "applicant_name": "乐仁社工服务社",
            "community": world.communities_a1[1].pk,
            "purpose": "社区亲子阅读",
            "item_1": "图书",
            "amount_1": "800.00",
        },
    )
    grant = MicroGrant.objects.get()
    assert response.status_code == 302 and grant.amount == D("800.00") and grant.applied_by == manager
    assert c.get(reverse("funds:grant-detail", args=[grant.pk])).status_code == 200  # the applicant follows it
    assert c.get(reverse("funds:fund-detail", args=[fund.pk])).status_code == 404  # but not the fund's ledger


def test_generate_payment_schedules_command(package, other_package):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("generate_payment_schedules", stdout=out)
    call_command("generate_payment_schedules", stdout=StringIO())
    assert package.instalments.count() == 6 and other_package.instalments.count() == 6
    assert "12 instalments" in out.getvalue()
