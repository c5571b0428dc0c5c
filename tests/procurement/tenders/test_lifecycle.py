"""T1 (a tender's terms and defaults) and T2 (its states, and when bids are accepted)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from catalog.models import CatalogueEdition
from directory.models import Role
from procurement.models import Bid, Tender
from procurement.services import tenders as services
from tests.procurement.factories import TenderFactory

from .helpers import pass_deadline, submit

pytestmark = pytest.mark.django_db


def create(bureau, round_2018, world, **overrides):
    fields = {
        "actor": bureau,
        "round": round_2018,
        "town": world.town_a1,
        "title": "双塔街道社工服务项目",
        "service_starts_on": timezone.localdate() + datetime.timedelta(days=90),
        "bid_deadline": timezone.now() + datetime.timedelta(days=30),
    } | overrides
    return services.tender_create(**fields)


def test_t1_tender_takes_its_terms_from_the_round(bureau, round_2018, world):
    tender = create(bureau, round_2018, world)
    assert tender.status == Tender.Status.DRAFT
    assert tender.annual_ceiling == Decimal("1000000")
    assert tender.period_years == 2
    assert (tender.min_full_time_staff, tender.min_certified_share) == (9, Decimal("50"))
    assert tender.weights == {"price": 20, "proposal": 40, "team": 25, "past": 15}
    assert tender.edition == round_2018.edition


def test_t1_round_thresholds_follow_the_round(bureau, round_2018, world):
    round_2018.min_full_time_staff = 7
    round_2018.weight_price, round_2018.weight_past = 30, 5
    round_2018.save()
    tender = create(bureau, round_2018, world)
    assert tender.min_full_time_staff == 7
    assert tender.weights == {"price": 30, "proposal": 40, "team": 25, "past": 5}


def test_t1_period_up_to_three_years_accepted_four_refused_citing_the_national_rule(bureau, round_2018, world):
    assert create(bureau, round_2018, world, period_years=3).period_years == 3
    with pytest.raises(ValidationError) as exc:
        create(bureau, round_2018, world, period_years=4)
    assert "财政部令第102号" in " ".join(exc.value.message_dict["period_years"])
    assert Tender.objects.count() == 1


def test_t1_weights_must_sum_to_100(bureau, round_2018, world):
    with pytest.raises(ValidationError) as exc:
        create(bureau, round_2018, world, weight_price=30)
    assert "当前为 110" in " ".join(exc.value.messages)
    tender = create(bureau, round_2018, world, weight_price=30, weight_proposal=30)
    assert sum(tender.weights.values()) == 100


def test_t1_service_must_start_after_the_deadline(bureau, round_2018, world):
    with pytest.raises(ValidationError) as exc:
        create(bureau, round_2018, world, service_starts_on=timezone.localdate())
    assert "service_starts_on" in exc.value.message_dict


def test_t1_only_the_bureau_creates_tenders(personas, round_2018, world):
    for role in (Role.AUDITOR, Role.AGENCY_MANAGER, Role.TOWN_OFFICER):
        with pytest.raises(PermissionDenied):
            create(personas[role], round_2018, world)


def test_t1_publishing_freezes_the_catalogue_edition(bureau, round_2018, world):
    tender = create(bureau, round_2018, world)
    assert CatalogueEdition.objects.get(pk=tender.edition_id).in_use_since is None
    services.tender_publish(actor=bureau, tender=tender)
    tender.refresh_from_db()
    assert tender.status == Tender.Status.PUBLISHED and tender.published_at is not None
    assert CatalogueEdition.objects.get(pk=tender.edition_id).in_use_since is not None


def test_t1_publishing_with_a_past_deadline_is_refused(bureau, round_2018, world):
    tender = create(bureau, round_2018, world, bid_deadline=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(ValidationError) as exc:
        services.tender_publish(actor=bureau, tender=tender)
    assert "bid_deadline" in exc.value.message_dict
    tender.refresh_from_db()
    assert tender.status == Tender.Status.DRAFT


def test_t1_only_a_draft_is_edited(bureau, round_2018, world):
    tender = create(bureau, round_2018, world)
    services.tender_update(actor=bureau, tender=tender, title="新名称", period_years=3)
    tender.refresh_from_db()
    assert (tender.title, tender.period_years) == ("新名称", 3)
    with pytest.raises(ValidationError):
        services.tender_update(actor=bureau, tender=tender, period_years=4)
    services.tender_publish(actor=bureau, tender=tender)
    with pytest.raises(ValidationError) as exc:
        services.tender_update(actor=bureau, tender=tender, title="改不了")
    assert "草稿" in exc.value.messages[0]


def test_t2_the_full_path_and_illegal_transitions(bureau, tender, bids):
    with pytest.raises(ValidationError) as exc:
        services.tender_publish(actor=bureau, tender=tender)
    assert "不能变更为" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        services.tender_mark_contracted(actor=bureau, tender=tender, signed_on=timezone.localdate())
    with pytest.raises(ValidationError) as exc:
        services.tender_close_bidding(actor=bureau, tender=tender)
    assert "之前不能结束投标" in exc.value.messages[0]
    pass_deadline(tender)
    services.tender_close_bidding(actor=bureau, tender=tender)
    tender.refresh_from_db()
    assert tender.status == Tender.Status.EVALUATION
    with pytest.raises(ValidationError):
        services.tender_close_bidding(actor=bureau, tender=tender)


def test_t2_bidding_closes_lazily_once_the_deadline_passes(client, bureau, tender, bids):
    pass_deadline(tender)
    assert Tender.objects.get(pk=tender.pk).status == Tender.Status.PUBLISHED
    client.force_login(bureau)
    response = client.get(tender.get_absolute_url())
    assert response.status_code == 200
    tender.refresh_from_db()
    assert tender.status == Tender.Status.EVALUATION
    assert all(b.checked_at for b in Bid.objects.filter(tender=tender))


def test_t2_cancel_and_unsuccessful_need_a_reason(bureau, tender, bids):
    with pytest.raises(ValidationError) as exc:
        services.tender_cancel(actor=bureau, tender=tender, reason=" ")
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.tender_mark_unsuccessful(actor=bureau, tender=tender, reason="不足三家")  # still taking bids
    pass_deadline(tender)
    services.tender_mark_unsuccessful(actor=bureau, tender=tender, reason="有效投标不足。")
    tender.refresh_from_db()
    assert (tender.status, tender.status_reason) == (Tender.Status.UNSUCCESSFUL, "有效投标不足。")
    with pytest.raises(ValidationError):
        services.tender_cancel(actor=bureau, tender=tender, reason="再取消")


def test_t2_cancel_a_published_tender(bureau, tender):
    services.tender_cancel(actor=bureau, tender=tender, reason="街道区划调整。")
    tender.refresh_from_db()
    assert tender.status == Tender.Status.CANCELLED and tender.status_reason == "街道区划调整。"


def test_t2_late_bid_refused(tender, agency, agency_team, manager):
    pass_deadline(tender)
    with pytest.raises(ValidationError) as exc:
        submit(tender, agency, manager, agency_team)
    assert "截止" in exc.value.messages[0]
    assert not Bid.objects.exists()


def test_t2_no_bid_on_a_draft_or_cancelled_tender(round_2018, world, agency, agency_team, manager):
    draft = TenderFactory(round=round_2018, town=world.town_a1, status=Tender.Status.DRAFT)
    with pytest.raises(ValidationError) as exc:
        submit(draft, agency, manager, agency_team)
    assert "不在投标期" in exc.value.messages[0]


def test_t2_resubmitting_before_the_deadline_replaces_the_one_bid(tender, agency, agency_team, manager):
    first = submit(tender, agency, manager, agency_team, price="990000")
    again = submit(tender, agency, manager, agency_team[:5], price="970000.50")
    assert first.pk == again.pk
    bid = Bid.objects.get(tender=tender, agency=agency)
    assert bid.price == Decimal("970000.50") and bid.team.count() == 5
    assert bid.submitted_at >= first.submitted_at


def test_t2_only_the_agency_manager_bids(personas, outsiders, tender, agency, agency_team):
    for user in (personas[Role.AGENCY_WORKER], personas[Role.BUREAU_ADMIN], outsiders[Role.AGENCY_MANAGER]):
        with pytest.raises(PermissionDenied):
            submit(tender, agency, user, agency_team)


def test_t2_the_team_is_the_agency_own_staff(tender, agency, manager, agency_team, other_team):
    with pytest.raises(ValidationError) as exc:
        submit(tender, agency, manager, [*agency_team[:8], other_team[0]])
    assert "team_ids" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        submit(tender, agency, manager, [])
    assert "team_ids" in exc.value.message_dict


def test_t5_bid_by_an_unqualified_agency_is_refused_with_the_problems(tender, agency, agency_team, manager):
    agency.qualifications.all().delete()
    agency.registration_valid_until = timezone.localdate() - datetime.timedelta(days=1)
    agency.save()
    with pytest.raises(ValidationError) as exc:
        submit(tender, agency, manager, agency_team)
    text = " ".join(exc.value.messages)
    assert "登记证书已于" in text and "承接资格" in text
    assert not Bid.objects.exists()


def test_t5_price_over_the_ceiling_is_refused_at_submission(tender, agency, agency_team, manager):
    with pytest.raises(ValidationError) as exc:
        submit(tender, agency, manager, agency_team, price="1000000.01")
    assert "1000000.00" in exc.value.message_dict["price"][0]
    for bad in ("0", "-5", "12.345", "NaN"):
        with pytest.raises(ValidationError) as exc:
            services.bid_submit(
                actor=manager,
                tender=tender,
                agency=agency,
                price=Decimal(bad),
                proposal="方案",
                team_ids=[agency_team[0].pk],
            )
        assert "price" in exc.value.message_dict
    # Text that is no number never reaches the service: the form (and the API's serializer) refuse it.
    from procurement.forms.tenders import BidForm

    form = BidForm({"price": "abc", "proposal": "方案", "team_ids": [agency_team[0].pk]}, staff=agency.staff.all())
    assert not form.is_valid() and "price" in form.errors


def test_t2_proposal_attachment_is_a_pdf_by_content_and_at_most_10_mb(tender, agency, agency_team, manager):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .helpers import PDF

    fake = SimpleUploadedFile("proposal.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        submit(tender, agency, manager, agency_team, proposal_file=fake)
    assert "proposal_file" in exc.value.message_dict
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024), content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        submit(tender, agency, manager, agency_team, proposal_file=big)
    assert "10 MB" in exc.value.message_dict["proposal_file"][0]
    named_oddly = SimpleUploadedFile("方案.bin", PDF, content_type="application/octet-stream")
    bid = submit(tender, agency, manager, agency_team, proposal_file=named_oddly)
    assert bid.proposal_file.read().startswith(b"%PDF-")


def test_t2_beat_closes_every_tender_past_its_deadline_and_checks_its_bids(tender, bids, round_2018, world, bureau):
    from procurement.tasks import tenders_close_due_task

    still_open = TenderFactory(round=round_2018, town=world.town_a2, created_by=bureau)
    draft = TenderFactory(
        round=round_2018, town=world.town_b1, created_by=bureau, status=Tender.Status.DRAFT, published_at=None
    )
    Tender.objects.filter(pk=draft.pk).update(bid_deadline=timezone.now() - datetime.timedelta(hours=1))
    pass_deadline(tender)

    assert tenders_close_due_task() == {"closed": [tender.pk]}
    assert Tender.objects.get(pk=tender.pk).status == Tender.Status.EVALUATION
    assert all(b.checked_at is not None for b in Bid.objects.filter(tender=tender))  # T5 ran: bids opened
    assert Tender.objects.get(pk=still_open.pk).status == Tender.Status.PUBLISHED
    assert Tender.objects.get(pk=draft.pk).status == Tender.Status.DRAFT
    assert tenders_close_due_task() == {"closed": []}  # twice is harmless


def test_t2_beat_sweep_goes_on_past_a_tender_that_fails_to_close(
    tender, bids, round_2018, world, bureau, monkeypatch, caplog
):
    later = TenderFactory(round=round_2018, town=world.town_a2, created_by=bureau)
    pass_deadline(tender)  # the lower id: the sweep meets it first, and it fails
    pass_deadline(later)
    assert tender.pk < later.pk
    real_close = services._close

    def close(t):
        if t.pk == tender.pk:
            raise RuntimeError("disk full")
        return real_close(t)

    monkeypatch.setattr(services, "_close", close)
    assert services.tenders_close_due() == [later.pk]
    assert Tender.objects.get(pk=tender.pk).status == Tender.Status.PUBLISHED  # rolled back, retried next run
    assert Tender.objects.get(pk=later.pk).status == Tender.Status.EVALUATION
    assert f"closing tender {tender.pk}" in caplog.text
