"""The funds API: the same rules and refusals as the pages, filters, and no way to edit or delete money."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.models import Role
from funds import services
from funds.models import LedgerEntry, MicroGrant, Payment

from .conftest import split_evenly

D = Decimal


@pytest.fixture
def api(client_for):
    def as_user(user):
        return client_for(user)

    return as_user


def test_sources_and_budget_set(api, bureau, sources, personas):
    c = api(bureau)
    url = reverse("api-v1:funds-budget-set", args=[sources["city"].pk])
    assert c.post(url, {"year": 2026, "amount": "1000000.00"}, content_type="application/json").status_code == 200
    for bad in ("-1", "abc", "1.005"):
        response = c.post(url, {"year": 2026, "amount": bad}, content_type="application/json")
        assert response.status_code == 400 and "amount" in response.json(), bad
    rows = c.get(reverse("api-v1:funds-source-list"), {"year": 2026}).json()
    assert {r["name"]: r["budget"] for r in rows}["市级财政预算"] == "1000000.00"
    assert c.get(reverse("api-v1:funds-source-list"), {"year": "abc"}).status_code == 400
    town = api(personas[Role.TOWN_OFFICER])
    assert town.post(url, {"year": 2026, "amount": "1"}, content_type="application/json").status_code == 404
    assert town.get(reverse("api-v1:funds-source-list")).json() == []


def test_f2_split_and_f3_payment_through_the_api(api, bureau, package, budgets):
    c = api(bureau)
    url = reverse("api-v1:funds-split-set", args=[package.pk])
    parts = [
        {"source": budgets["lottery"].pk, "amount": "490000.00"},
        {"source": budgets["city"].pk, "amount": "490000.00"},
    ]
    assert c.post(url, {"plan_year": 1, "parts": parts}, content_type="application/json").status_code == 201
    bad = [{"source": budgets["lottery"].pk, "amount": "490000.001"}]
    assert c.post(url, {"plan_year": 1, "parts": bad}, content_type="application/json").status_code == 400
    short = [{"source": budgets["lottery"].pk, "amount": "1.00"}]
    response = c.post(url, {"plan_year": 1, "parts": short}, content_type="application/json")
    assert response.status_code == 400 and "non_field_errors" in response.json()
    money = c.get(reverse("api-v1:funds-package-money", args=[package.pk])).json()
    start = next(i for i in money["years"][0]["instalments"] if i["milestone"] == "start")
    mid = next(i for i in money["years"][0]["instalments"] if i["milestone"] == "mid_term")
    pay = reverse("api-v1:funds-payment-record", args=[start["id"]])
    body = {"amount": "392000.00", "paid_on": timezone.localdate().isoformat(), "voucher_number": "PZ-1"}
    assert c.post(pay, body, content_type="application/json").status_code == 201
    response = c.post(reverse("api-v1:funds-payment-record", args=[mid["id"]]), body, content_type="application/json")
    assert response.status_code == 400 and "尚未达成" in str(response.json())
    payment = Payment.objects.get()
    reverse_url = reverse("api-v1:funds-payment-reverse", args=[payment.pk])
    assert c.post(reverse_url, {"reason": "录错"}, content_type="application/json").status_code == 201
    listed = c.get(reverse("api-v1:funds-payment-list"), {"package": package.pk}).json()
    assert listed["count"] == 2


def test_payments_no_update_or_delete(api, bureau, package, budgets):
    split_evenly(bureau, package, budgets, 1)
    payment = services.payment_record(
        actor=bureau,
        instalment=package.instalments.get(plan_year=1, milestone="start"),
        amount="1.00",
        paid_on=timezone.localdate(),
        voucher_number="PZ",
    )
    c = api(bureau)
    for url in (reverse("api-v1:funds-payment-list"), reverse("api-v1:funds-payment-reverse", args=[payment.pk])):
        assert c.put(url, {"amount": "2.00"}, content_type="application/json").status_code == 405
        assert c.patch(url, {"amount": "2.00"}, content_type="application/json").status_code == 405
        assert c.delete(url).status_code == 405
    payment.refresh_from_db()
    assert payment.amount == D("1.00")


def test_f4_ledger_api_donation_vote_and_no_edit(api, fund, fund_manager, committee, world, personas):
    c = api(fund_manager)
    url = reverse("api-v1:funds-donation-record", args=[fund.pk])
    body = {"amount": "800.00", "occurred_on": timezone.localdate().isoformat(), "is_anonymous": True}
    assert c.post(url, body, content_type="application/json").status_code == 201
    for bad in ("-1", "x", "0.001"):
        assert c.post(url, {**body, "amount": bad}, content_type="application/json").status_code == 400
    entry = LedgerEntry.objects.get()
    ledger = c.get(reverse("api-v1:funds-ledger-list"), {"fund": fund.pk}).json()
    assert ledger["results"][0]["donor"] == "匿名"
    for method in ("put", "patch", "delete"):
        assert (
            getattr(c, method)(reverse("api-v1:funds-ledger-list"), content_type="application/json").status_code == 405
        )
        assert (
            getattr(c, method)(
                reverse("api-v1:funds-ledger-reverse", args=[entry.pk]), content_type="application/json"
            ).status_code
            == 405
        )
    grant_url = reverse("api-v1:funds-grant-apply", args=[fund.pk])
    grant_body = {
        "kind": "micro_autonomy",
        "title": "议事亭",
        "applicant_kind": "community_org",
        "applicant_name": "睦邻议事会",
        "community": world.communities_a1[0].pk,
        "purpose": "议事亭修缮",
        "budget_lines": [{"item": "木料", "amount": "500.00"}],
    }
    response = c.post(grant_url, grant_body, content_type="application/json")
    assert response.status_code == 201
    grant_id = response.json()["id"]
    bad_lines = {**grant_body, "budget_lines": [{"item": "木料", "amount": "-5"}]}
    assert c.post(grant_url, bad_lines, content_type="application/json").status_code == 400
    vote = reverse("api-v1:funds-grant-vote", args=[grant_id])
    assert (
        c.post(vote, {"approve": True}, content_type="application/json").status_code == 403
    )  # the manager is no member
    assert (
        api(personas[Role.AGENCY_MANAGER]).post(vote, {"approve": True}, content_type="application/json").status_code
        == 404
    )
    for member in committee[:2]:
        assert api(member).post(vote, {"approve": True}, content_type="application/json").status_code == 200
    assert MicroGrant.objects.get(pk=grant_id).status == MicroGrant.Status.APPROVED
    funds = api(committee[0]).get(reverse("api-v1:funds-fund-list")).json()
    assert funds["results"][0]["balance"] == "300.00"
    assert api(personas[Role.AGENCY_MANAGER]).get(reverse("api-v1:funds-fund-list")).json()["count"] == 0
    grants = api(committee[0]).get(reverse("api-v1:funds-grant-list"), {"status": "approved"}).json()
    assert grants["count"] == 1


def test_list_endpoints_constant_queries(api, bureau, fund, fund_manager, django_assert_max_num_queries):
    for _ in range(5):
        services.donation_record(
            actor=fund_manager, fund=fund, amount="1.00", occurred_on=timezone.localdate(), donor_name="x"
        )
    c = api(bureau)
    for name in ("funds-ledger-list", "funds-fund-list", "funds-grant-list", "funds-payment-list"):
        with django_assert_max_num_queries(8):
            assert c.get(reverse(f"api-v1:{name}")).status_code == 200


def _approved_grant(api, fund, fund_manager, committee, world):
    body = {
        "kind": "micro_autonomy",
        "title": "议事亭",
        "applicant_kind": "community_org",
        "applicant_name": "睦邻议事会",
        "community": world.communities_a1[0].pk,
        "purpose": "议事亭修缮",
        "budget_lines": [{"item": "木料", "amount": "300.00"}],
    }
    services.donation_record(
        actor=fund_manager, fund=fund, amount=D("500.00"), occurred_on=timezone.localdate(), is_anonymous=True
    )
    grant_id = (
        api(fund_manager)
        .post(reverse("api-v1:funds-grant-apply", args=[fund.pk]), body, content_type="application/json")
        .json()["id"]
    )
    for member in committee[:2]:
        api(member).post(
            reverse("api-v1:funds-grant-vote", args=[grant_id]), {"approve": True}, content_type="application/json"
        )
    return MicroGrant.objects.get(pk=grant_id)


def test_f4_grant_closes_through_the_api_with_receipts(api, fund, fund_manager, committee, world, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from procurement.demo import tiny_pdf

    grant = _approved_grant(api, fund, fund_manager, committee, world)
    assert grant.status == MicroGrant.Status.APPROVED
    url = reverse("api-v1:funds-grant-close", args=[grant.pk])
    # An outsider does not even see the grant; a committee member who is not the applicant may not close it.
    outsider = api(personas[Role.AGENCY_MANAGER]).post(url, {"outcome": "完成"})
    assert outsider.status_code == 404
    assert api(committee[0]).post(url, {"outcome": "完成"}).status_code == 403
    # A receipt that is not what it says is refused with the field named, and nothing changes.
    fake = SimpleUploadedFile("fapiao.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = api(fund_manager).post(url, {"outcome": "完成", "receipts": [fake]})
    assert response.status_code == 400 and "receipts" in response.json()
    grant.refresh_from_db()
    assert grant.status == MicroGrant.Status.APPROVED and grant.receipts.count() == 0
    assert api(fund_manager).post(url, {"outcome": ""}).status_code == 400
    receipt = SimpleUploadedFile("fapiao.pdf", tiny_pdf("receipt 300.00"), content_type="application/pdf")
    response = api(fund_manager).post(url, {"outcome": "议事亭修缮完成，居民议事 6 次。", "receipts": [receipt]})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "closed"
    grant.refresh_from_db()
    assert grant.outcome.startswith("议事亭修缮完成") and grant.receipts.count() == 1
    # Closed is final: a second close is refused.
    assert api(fund_manager).post(url, {"outcome": "再次"}).status_code in (400, 403)


def test_f2_split_parts_are_typed_objects(api, bureau, package, budgets, sources):
    url = reverse("api-v1:funds-split-set", args=[package.pk])
    c = api(bureau)
    for parts in ([{"source": "x", "amount": "1.00"}], ["not an object"], [{"source": sources["city"].pk}]):
        response = c.post(url, {"plan_year": 1, "parts": parts}, content_type="application/json")
        assert response.status_code == 400
        assert "parts" in response.json()
    half = package.annual_amount / 2
    twice = [{"source": sources["city"].pk, "amount": str(half)}, {"source": sources["city"].pk, "amount": str(half)}]
    response = c.post(url, {"plan_year": 1, "parts": twice}, content_type="application/json")
    assert response.status_code == 400 and "parts" in response.json()
