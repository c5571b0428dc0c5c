"""The permission walk's table (tests/test_permission_walk.py runs it): for every URL name, how to build its
arguments from the walk's scene and which status each persona gets on a GET.

The scene (`build_scene`) holds one row of every kind a URL takes, all on side A of the persona world
(tests/conftest.py: town A1 of district A, the personas' agency, firm and foundation). The personas of side A
(`personas`, one per role) reach these rows as their *own*; the outsiders (same roles, side B: another district,
town, community, agency and firm) reach them as *another's* object, and must be refused without data.

A row of EXPECT reads: URL name → (kwargs, statuses). `kwargs` is "name=scene_key ..." (the URL's parameters,
each the id of a scene row; "" for none). `statuses` is one HTTP status per column of COLUMNS, in order, grouped
with "|" for the eye: anonymous and a logged-in user with no role | the side-A personas | the side-B outsiders.

To add a URL: add its row here. The test fails for a URL without a row and prints the statuses it saw, but
read them before pasting: each 200 is a claim that this persona may see this row.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import timezone

from directory.models import Role

# Column order of the status strings in EXPECT.
COLUMNS = [
    "anonymous",
    "nobody",  # logged in, no membership
    Role.BUREAU_ADMIN,
    Role.DISTRICT_OFFICER,
    Role.TOWN_OFFICER,
    Role.COMMUNITY_OFFICER,
    Role.AGENCY_MANAGER,
    Role.AGENCY_WORKER,
    Role.EVALUATOR,
    Role.EXPERT,
    Role.AUDITOR,
    Role.FUND_MANAGER,
    "outsider:" + Role.DISTRICT_OFFICER,
    "outsider:" + Role.TOWN_OFFICER,
    "outsider:" + Role.COMMUNITY_OFFICER,
    "outsider:" + Role.AGENCY_MANAGER,
    "outsider:" + Role.AGENCY_WORKER,
    "outsider:" + Role.EVALUATOR,
    "outsider:" + Role.EXPERT,
]
OUTSIDERS = [c for c in COLUMNS if c.startswith("outsider:")]

# URL namespaces (pages) and API name prefixes whose URLs may lack a row while their branch lands (a row, once
# added, is walked). Empty now that compliance and notifications have their rows; a future app may use them.
PENDING_NAMESPACES: tuple[str, ...] = ()
PENDING_API_PREFIXES: tuple[str, ...] = ()

# Writes on a row of side A that an outsider may legitimately make (so an empty body is a 400 or the form again,
# not a refusal): URL name → why.
OPEN_WRITES = {
    "api-v1:procurement-tender-bid-list": "any qualified agency may bid on a published tender (T2)",
    "api-v1:funds-grant-apply": "any eligible applicant may apply to a fund for a micro-grant (F4)",
    "procurement:bid-submit": "any qualified agency may bid on a published tender (T2)",
    "procurement:bid-team-check": "the bid form's live team check (Q2/Q3), for any bidder",
    "funds:grant-apply": "any eligible applicant may apply to a fund for a micro-grant (F4)",
}

# Pages of rows everybody (logged in, or the public) may read: a POST to them is a read like a GET.
PUBLIC_ROWS = {
    "catalog:item-detail": "the catalogue is the city's public menu",
    "procurement:tender-detail": "a published tender is open to every user",
    "procurement:tender-public-detail": "tender notices are public (T6)",
    "funds:public-fund": "each fund publishes its ledger (信息公开, F4)",
}

# Old addresses (core.redirects): a 308 to the new one for everybody, before any check.
MOVED = 308


@dataclass
class Scene:
    ids: dict  # scene key → URL argument (a row's pk, or a string)
    private: list  # texts of side A's rows that no outsider may read, whatever the status
    markers: list  # every text only the scene's rows carry: never in a refused answer


def build_scene(*, world, personas, outsiders, edition) -> Scene:
    """One row of every kind the URLs take, on side A, with distinctive names (the markers)."""
    from compliance.checks import Found
    from compliance.models import Finding
    from compliance.notify import findings_notify
    from compliance.services import findings_sync
    from delivery.models import PlanItem, ReportAttachment, ServicePlan, Venue
    from delivery.services import focus as focus_services
    from delivery.services import reports as report_services
    from directory.services import api_token_create
    from evaluation import services as evaluation_services
    from evaluation.scoring import period_of
    from funds import services as funds_services
    from funds.models import CommunityFund, FundingSource, FundMember
    from notifications.models import Notification
    from procurement.models import TenderExpert
    from tests.factories import MembershipFactory, UserFactory
    from tests.procurement.factories import (
        BidFactory,
        ExpertFactory,
        PackageFactory,
        RoundFactory,
        TenderFactory,
        qualified_agency,
        team,
    )

    bureau, manager = personas[Role.BUREAU_ADMIN], personas[Role.AGENCY_MANAGER]
    today = timezone.localdate()
    round_ = RoundFactory()
    agency = qualified_agency(world.agency)
    qualified_agency(world.other_agency)
    staff = team(agency, full_time=9, certified=5)
    staff[0].name = "走查甲社工"
    staff[0].save(update_fields=["name"])
    open_tender = TenderFactory(round=round_, town=world.town_a2, title="走查甲招标公告")
    bid = BidFactory(tender=open_tender, agency=agency, team=staff, proposal="走查甲投标方案")
    closed = TenderFactory(
        round=round_,
        town=world.town_a2,
        title="走查甲已截标招标",
        bid_deadline=timezone.now() - datetime.timedelta(days=1),
    )
    closed_bid = BidFactory(tender=closed, agency=agency, team=staff, proposal="走查甲截标后方案")
    member = TenderExpert.objects.create(tender=closed, expert=ExpertFactory(user=personas[Role.EXPERT]))
    package = PackageFactory(town=world.town_a1, agency=agency, round=round_, title="走查甲项目包")
    plan = ServicePlan.objects.create(package=package, status=ServicePlan.Status.APPROVED, version=1)
    item = PlanItem.objects.create(
        plan=plan,
        item=edition.items.filter(level="community").first(),
        community=world.communities_a1[0],
        annual_target=5,
    )
    venue = Venue.objects.create(package=package, name="走查甲活动室", address="走查甲地址", area_m2=50)
    report = report_services.report_create(actor=manager, package=package, year=today.year, month=today.month)
    report.summary = "走查甲月报小结"
    report.save(update_fields=["summary"])
    attachment = ReportAttachment(
        report=report,
        original_name="走查甲签到表.pdf",
        content_type="application/pdf",
        size=8,
        sha256="0" * 64,
        uploaded_by=manager,
    )
    attachment.file.save("walk.pdf", ContentFile(b"%PDF-1.4"), save=False)
    attachment.save()
    issue = focus_services.focus_issue_report(
        actor=personas[Role.COMMUNITY_OFFICER],
        community=world.communities_a1[0],
        kind="other",
        title="走查甲焦点问题",
        description="走查甲描述",
    )
    colleague = UserFactory()
    MembershipFactory(user=colleague, organisation=world.firm, role=Role.EVALUATOR)
    evaluation = evaluation_services.evaluation_assign(
        actor=bureau,
        package=package,
        stage="mid_term",
        firm=world.firm,
        evaluator_ids=[personas[Role.EVALUATOR].pk, colleague.pk],
    )
    assignment = evaluation.assignments.get(evaluator=personas[Role.EVALUATOR])
    assessment = evaluation_services.assessment_round_open(actor=bureau, package=package, period=period_of(today))
    token, _key = api_token_create(actor=manager, name="走查甲令牌", scope="read")

    source = funds_services.source_ensure(kind=FundingSource.Kind.DISTRICT_BUDGET, district=world.district_a)
    funds_services.budget_set(actor=bureau, source=source, year=package.starts_on.year, amount="2000000.00")
    funds_services.package_year_split_set(
        actor=bureau, package=package, plan_year=1, parts={source: package.annual_amount}
    )
    funds_services.schedule_generate(package=package)
    instalment = package.instalments.get(plan_year=1, milestone="start")
    payment = funds_services.payment_record(
        actor=bureau, instalment=instalment, amount="392000.00", paid_on=today, voucher_number="走查甲凭证"
    )
    fund = CommunityFund.objects.create(
        kind=CommunityFund.Kind.COMMUNITY_FUND, name="走查甲社区基金", host=world.foundation, town=world.town_a1
    )
    fund_manager = personas[Role.FUND_MANAGER]
    FundMember.objects.create(fund=fund, user=fund_manager, role=FundMember.Role.MANAGER)
    donation = funds_services.donation_record(
        actor=fund_manager, fund=fund, amount="1000.00", occurred_on=today, donor_name="走查甲捐赠人"
    )
    grant = funds_services.grant_apply(
        actor=fund_manager,
        fund=fund,
        kind="micro_venture",
        title="走查甲微项目",
        applicant_kind="resident_group",
        applicant_name="走查甲居民小组",
        community=world.communities_a1[0],
        purpose="走查甲用途",
        budget_lines=[{"item": "苗木", "amount": "200.00"}],
    )
    findings_sync(
        rule="K3",
        found=[
            Found(
                f"report:{package.pk}:walk",
                "走查甲逾期月报",
                organisation_id=world.agency.pk,
                package_id=package.pk,
                district_id=world.district_a.pk,
                town_id=world.town_a1.pk,
            )
        ],
        now=timezone.now(),
    )
    finding = Finding.objects.get(rule="K3", subject_key=f"report:{package.pk}:walk")
    findings_notify([finding.pk])  # tells the agency's members (K8): the manager's notification is the scene's
    notification = Notification.objects.filter(user=manager).latest("pk")
    absent = 999_999_999  # no such row: the URL answers 404 to everyone
    ids = {
        "token": token.pk,
        "catalog_item": item.item_id,
        "tender": open_tender.pk,
        "closed_tender": closed.pk,
        "bid": bid.pk,
        "closed_bid": closed_bid.pk,
        "member": member.pk,
        "agency": agency.pk,
        "organisation": world.agency.pk,
        "staff": staff[0].pk,
        "certificate": staff[0].certificates.first().pk,
        "qualification": agency.qualifications.first().pk,
        "qualification_field": "audit_report",
        "package": package.pk,
        "plan": plan.pk,
        "plan_item": item.pk,
        "plan_year": 1,
        "venue": venue.pk,
        "report": report.pk,
        "attachment": attachment.pk,
        "focus_issue": issue.pk,
        "town": world.town_a1.pk,
        "evaluation": evaluation.pk,
        "assignment": assignment.pk,
        "score_sheet": assignment.sheet.pk,
        "round": assessment.pk,
        "assessment_sheet": assessment.sheets.first().pk,
        "source": source.pk,
        "instalment": instalment.pk,
        "payment": payment.pk,
        "fund": fund.pk,
        "ledger_entry": donation.pk,
        "grant": grant.pk,
        "finding": finding.pk,
        "notification": notification.pk,
        "absent": absent,
        "uidb64": "MQ",
        "reset_token": "set-password",
    }
    # Texts of rows that only their own side may read: never shown to an outsider, nor in any refusal.
    private = [
        "走查甲社工",
        "走查甲投标方案",
        "走查甲截标后方案",
        "走查甲项目包",
        "走查甲活动室",
        "走查甲月报小结",
        "走查甲签到表",
        "走查甲焦点问题",
        "走查甲令牌",
        "走查甲凭证",
        "走查甲逾期月报",
    ]
    # Texts a fund publishes (信息公开, F4): on its public pages, but never in a refusal.
    published = ["走查甲社区基金", "走查甲捐赠人", "走查甲微项目"]
    return Scene(ids=ids, private=private, markers=private + published)


# Columns: anonymous nobody | bureau district town community manager worker evaluator expert auditor fund_manager |
#          outsiders: district town community manager worker evaluator expert.
# 302 for the anonymous visitor of a page is the login redirect; 405 a GET of a POST-only address (refused
# before anything is read); 403 a row the persona may see but not act on; 404 a row outside its scope.
# fmt: off
EXPECT: dict[str, tuple[str, str]] = {
    # --- directory -------------------------------------------------------------------------------------------
    "directory:home": ("", "302 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "directory:login-attempt-list": ("", "302 404 | 200 404 404 404 404 404 404 404 200 404 | 404 404 404 404 404 404 404"),
    "directory:api-token-list": ("", "302 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "directory:api-token-revoke": ("pk=token", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    # --- catalog ---------------------------------------------------------------------------------------------
    "catalog:item-list": ("", "302 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "catalog:item-detail": ("pk=catalog_item", "302 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    # --- procurement -----------------------------------------------------------------------------------------
    "procurement:tender-public-list": ("", "200 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "procurement:tender-public-detail": ("pk=tender", "200 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    # The old single OCDS package: moved to the paged list (308 for everybody, the query kept).
    "procurement:ocds-release-package": ("", "308 308 | 308 308 308 308 308 308 308 308 308 308 | 308 308 308 308 308 308 308"),
    # Open data (OCDS): public, the same for everybody; the scene publishes no tender, so a year and a record
    # are 404 for all (tests/procurement/public/test_ocds_bulk.py serves real ones).
    "ocds:release-list": ("", "200 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "ocds:release-year": ("year=absent", "404 404 | 404 404 404 404 404 404 404 404 404 404 | 404 404 404 404 404 404 404"),
    "ocds:release-year-gz": ("year=absent", "404 404 | 404 404 404 404 404 404 404 404 404 404 | 404 404 404 404 404 404 404"),
    "ocds:record": ("ocid=absent", "404 404 | 404 404 404 404 404 404 404 404 404 404 | 404 404 404 404 404 404 404"),
    "procurement:agency-mine": ("", "302 404 | 302 404 404 404 302 302 404 404 302 404 | 404 404 404 302 302 404 404"),
    "procurement:agency-list": ("", "302 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "procurement:agency-detail": ("pk=agency", "302 404 | 200 404 404 404 200 200 404 404 200 404 | 404 404 404 404 404 404 404"),
    "procurement:agency-update": ("pk=agency", "302 404 | 200 404 404 404 200 403 404 404 403 404 | 404 404 404 404 404 404 404"),
    "procurement:agency-create": ("organisation_pk=organisation", "302 404 | 404 404 404 404 404 404 404 404 404 404 | 404 404 404 404 404 404 404"),
    "procurement:staff-list": ("pk=agency", "302 404 | 200 404 404 404 200 403 404 404 200 404 | 404 404 404 404 404 404 404"),
    "procurement:staff-create": ("pk=agency", "302 404 | 200 404 404 404 200 403 404 404 403 404 | 404 404 404 404 404 404 404"),
    "procurement:staff-import": ("pk=agency", "302 404 | 200 404 404 404 200 403 404 404 403 404 | 404 404 404 404 404 404 404"),
    "procurement:staff-export": ("pk=agency", "302 404 | 200 404 404 404 200 403 404 404 200 404 | 404 404 404 404 404 404 404"),
    "procurement:staff-detail": ("pk=staff", "302 404 | 200 404 404 404 200 404 404 404 200 404 | 404 404 404 404 404 404 404"),
    "procurement:staff-update": ("pk=staff", "302 404 | 200 404 404 404 200 404 404 404 403 404 | 404 404 404 404 404 404 404"),
    "procurement:staff-end": ("pk=staff", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "procurement:certificate-create": ("pk=staff", "302 404 | 200 404 404 404 200 404 404 404 403 404 | 404 404 404 404 404 404 404"),
    "procurement:certificate-update": ("pk=certificate", "302 404 | 200 404 404 404 200 404 404 404 403 404 | 404 404 404 404 404 404 404"),
    "procurement:qualification-create": ("pk=agency", "302 404 | 403 404 404 404 200 403 404 404 403 404 | 404 404 404 404 404 404 404"),
    "procurement:qualification-list": ("", "302 403 | 200 403 403 403 200 403 403 403 200 403 | 403 403 403 200 403 403 403"),
    "procurement:qualification-detail": ("pk=qualification", "302 404 | 200 404 404 404 200 404 404 404 200 404 | 404 404 404 404 404 404 404"),
    "procurement:qualification-approve": ("pk=qualification", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "procurement:qualification-reject": ("pk=qualification", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "procurement:qualification-file": ("pk=qualification field=qualification_field", "302 404 | 200 404 404 404 200 404 404 404 200 404 | 404 404 404 404 404 404 404"),
    "procurement:tender-list": ("", "302 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "procurement:tender-open-list": ("", "302 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "procurement:tender-create": ("", "302 403 | 200 403 403 403 403 403 403 403 403 403 | 403 403 403 403 403 403 403"),
    "procurement:tender-detail": ("pk=tender", "302 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "procurement:tender-update": ("pk=tender", "302 403 | 403 403 403 403 403 403 403 403 403 403 | 403 403 403 403 403 403 403"),
    "procurement:tender-publish": ("pk=tender", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "procurement:tender-close": ("pk=tender", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "procurement:tender-draw": ("pk=tender", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "procurement:tender-redraw": ("pk=closed_tender member_pk=member", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "procurement:tender-cancel": ("pk=tender", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "procurement:tender-unsuccessful": ("pk=tender", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "procurement:tender-award": ("pk=tender", "302 403 | 302 403 403 403 403 403 403 403 403 403 | 403 403 403 403 403 403 403"),
    "procurement:tender-contract": ("pk=tender", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "procurement:bid-submit": ("pk=tender", "302 403 | 403 403 403 403 200 403 403 403 403 403 | 403 403 403 200 403 403 403"),
    "procurement:bid-team-check": ("pk=tender", "302 403 | 403 403 403 403 200 403 403 403 403 403 | 403 403 403 200 403 403 403"),
    "procurement:bid-mine": ("", "302 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "procurement:bid-proposal": ("pk=bid", "302 404 | 404 404 404 404 404 404 404 404 404 404 | 404 404 404 404 404 404 404"),
    "procurement:bid-score": ("pk=closed_bid", "302 404 | 404 404 404 404 404 404 404 302 404 404 | 404 404 404 404 404 404 404"),
    "procurement:panel-list": ("", "302 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "procurement:panel-detail": ("tender_pk=closed_tender", "302 404 | 404 404 404 404 404 404 404 200 404 404 | 404 404 404 404 404 404 404"),
    "procurement:panel-declare": ("tender_pk=closed_tender", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "procurement:package-list": ("", "302 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "procurement:package-create": ("", "302 403 | 200 403 403 403 403 403 403 403 403 403 | 403 403 403 403 403 403 403"),
    "procurement:package-detail": ("pk=package", "302 404 | 200 200 200 200 200 200 404 404 200 404 | 404 404 404 404 404 404 404"),
    "procurement:package-cosign": ("pk=package", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    # --- delivery --------------------------------------------------------------------------------------------
    "delivery:plan-detail": ("pk=package", "302 404 | 200 200 200 200 200 200 404 404 200 404 | 404 404 404 404 404 404 404"),
    "delivery:plan-item-add": ("pk=package", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "delivery:plan-item-file": ("pk=package", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "delivery:plan-item-edit": ("pk=package item_pk=plan_item", "302 404 | 403 403 403 403 403 403 404 404 403 404 | 404 404 404 404 404 404 404"),
    "delivery:plan-item-remove": ("pk=package item_pk=plan_item", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "delivery:plan-item-decide": ("pk=package item_pk=plan_item", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "delivery:plan-item-comment": ("pk=package item_pk=plan_item", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "delivery:plan-comment": ("pk=package", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "delivery:plan-submit": ("pk=package", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "delivery:plan-town-review": ("pk=package", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "delivery:plan-approve": ("pk=package", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "delivery:plan-return": ("pk=package", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "delivery:plan-amend": ("pk=package", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "delivery:plan-history": ("pk=package", "302 404 | 200 200 200 200 200 200 404 404 200 404 | 404 404 404 404 404 404 404"),
    "delivery:plan-coverage": ("pk=package", "302 404 | 200 200 200 200 200 200 404 404 200 404 | 404 404 404 404 404 404 404"),
    "delivery:plan-export": ("pk=package", "302 404 | 200 200 200 403 200 200 404 404 200 404 | 404 404 404 404 404 404 404"),
    "delivery:venue-list": ("pk=package", "302 404 | 200 200 200 200 200 200 404 404 200 404 | 404 404 404 404 404 404 404"),
    "delivery:venue-create": ("pk=package", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "delivery:venue-update": ("pk=package venue_pk=venue", "302 404 | 200 403 200 403 200 403 404 404 403 404 | 404 404 404 404 404 404 404"),
    "delivery:venue-delete": ("pk=package venue_pk=venue", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "delivery:report-list": ("pk=package", "302 404 | 200 200 200 200 200 200 404 404 200 404 | 404 404 404 404 404 404 404"),
    "delivery:report-create": ("pk=package", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "delivery:report-export": ("pk=package", "302 404 | 200 200 200 404 200 200 404 404 200 404 | 404 404 404 404 404 404 404"),
    "delivery:package-progress": ("pk=package", "302 404 | 200 200 200 200 200 200 404 404 200 404 | 404 404 404 404 404 404 404"),
    "delivery:report-detail": ("pk=report", "302 404 | 200 200 200 200 200 200 404 404 200 404 | 404 404 404 404 404 404 404"),
    "delivery:report-edit": ("pk=report", "302 404 | 403 403 403 403 200 200 404 404 403 404 | 404 404 404 404 404 404 404"),
    "delivery:report-autosave": ("pk=report", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "delivery:report-attach": ("pk=report", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "delivery:report-confirm": ("pk=report", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "delivery:report-return": ("pk=report", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "delivery:report-correct": ("pk=report", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "delivery:report-attachment": ("pk=attachment", "302 404 | 200 200 200 200 200 200 404 404 200 404 | 404 404 404 404 404 404 404"),
    "delivery:report-attachment-delete": ("pk=attachment", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    # Two attachments that are not in the scene: refused without data (tests/delivery/evidence/ walks real pairs).
    "delivery:evidence-compare": ("first=absent second=absent", "302 404 | 404 404 404 404 404 404 404 404 404 404 | 404 404 404 404 404 404 404"),
    "delivery:focus-issue-list": ("", "302 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "delivery:focus-issue-create": ("", "302 403 | 403 403 403 200 200 200 403 403 403 403 | 403 403 200 403 403 403 403"),
    "delivery:focus-issue-detail": ("pk=focus_issue", "302 404 | 200 200 200 200 200 200 404 404 200 404 | 404 404 404 404 404 404 404"),
    "delivery:focus-issue-move": ("pk=focus_issue", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "delivery:town-focus-issues": ("pk=town", "302 404 | 200 200 200 404 404 404 404 404 200 404 | 404 404 404 404 404 404 404"),
    # --- evaluation ------------------------------------------------------------------------------------------
    "evaluation:evaluation-list": ("", "302 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "evaluation:evaluation-assign": ("", "302 403 | 200 403 403 403 403 403 403 403 403 403 | 403 403 403 403 403 403 403"),
    "evaluation:evaluation-detail": ("pk=evaluation", "302 404 | 200 404 404 404 404 404 302 404 200 404 | 404 404 404 404 404 404 404"),
    "evaluation:evaluation-finalise": ("pk=evaluation", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "evaluation:evaluation-add-evaluators": ("pk=evaluation", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "evaluation:evaluation-report": ("pk=evaluation", "302 404 | 404 404 404 404 404 404 404 404 404 404 | 404 404 404 404 404 404 404"),
    "evaluation:evaluation-declare": ("pk=evaluation", "302 404 | 404 404 404 404 404 404 200 404 404 404 | 404 404 404 404 404 404 404"),
    "evaluation:evaluation-workspace": ("pk=evaluation", "302 404 | 404 404 404 404 404 404 302 404 404 404 | 404 404 404 404 404 404 404"),
    "evaluation:evaluation-sheet-save": ("pk=evaluation", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "evaluation:evaluation-sheet-submit": ("pk=evaluation", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "evaluation:evaluation-attachment": ("pk=evaluation attachment_pk=attachment", "302 404 | 404 404 404 404 404 404 404 404 404 404 | 404 404 404 404 404 404 404"),
    "evaluation:round-list": ("", "302 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "evaluation:round-open": ("", "302 403 | 200 403 403 403 403 403 403 403 403 403 | 403 403 403 403 403 403 403"),
    "evaluation:round-detail": ("pk=round", "302 404 | 200 200 200 200 200 200 404 404 200 404 | 404 404 404 404 404 404 404"),
    "evaluation:round-close": ("pk=round", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "evaluation:sheet-detail": ("pk=assessment_sheet", "302 404 | 200 404 404 200 404 404 404 404 200 404 | 404 404 404 404 404 404 404"),
    "evaluation:sheet-save": ("pk=assessment_sheet", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "evaluation:sheet-submit": ("pk=assessment_sheet", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "evaluation:spot-check-list": ("", "302 404 | 200 404 404 404 404 404 404 404 200 404 | 404 404 404 404 404 404 404"),
    # No draw in the scene: every persona gets 404 for a year without one (tests/evaluation/test_k10_spot_checks.py
    # walks a real draw's page for each role).
    "evaluation:spot-check-detail": ("year=absent", "302 404 | 404 404 404 404 404 404 404 404 404 404 | 404 404 404 404 404 404 404"),
    "evaluation:package-assessments": ("pk=package", "302 404 | 200 200 200 200 200 200 404 404 200 404 | 404 404 404 404 404 404 404"),
    # --- funds -----------------------------------------------------------------------------------------------
    "funds:source-list": ("", "302 404 | 200 200 404 404 404 404 404 404 200 404 | 200 404 404 404 404 404 404"),
    "funds:source-export": ("", "302 404 | 200 200 404 404 404 404 404 404 200 404 | 200 404 404 404 404 404 404"),
    "funds:source-detail": ("pk=source", "302 404 | 200 200 404 404 404 404 404 404 200 404 | 404 404 404 404 404 404 404"),
    "funds:budget-set": ("pk=source", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "funds:package-list": ("", "302 404 | 200 200 200 404 200 200 404 404 200 404 | 200 200 404 200 200 404 404"),
    "funds:package-money": ("pk=package", "302 404 | 200 200 200 404 200 200 404 404 200 404 | 404 404 404 404 404 404 404"),
    "funds:package-export": ("pk=package", "302 404 | 200 200 200 404 200 200 404 404 200 404 | 404 404 404 404 404 404 404"),
    "funds:split-set": ("pk=package plan_year=plan_year", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "funds:schedule-generate": ("pk=package", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "funds:payment-record": ("pk=instalment", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "funds:payment-reverse": ("pk=payment", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "funds:fund-list": ("", "302 404 | 200 200 200 200 404 404 404 404 200 200 | 200 200 200 404 404 404 404"),
    "funds:fund-detail": ("pk=fund", "302 404 | 200 200 200 404 404 404 404 404 200 200 | 404 404 404 404 404 404 404"),
    "funds:fund-export": ("pk=fund", "302 404 | 200 200 200 404 404 404 404 404 200 200 | 404 404 404 404 404 404 404"),
    "funds:donation-record": ("pk=fund", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "funds:grant-apply": ("pk=fund", "302 403 | 200 403 403 200 200 200 403 403 403 200 | 403 403 403 200 200 403 403"),
    "funds:entry-reverse": ("pk=ledger_entry", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "funds:grant-detail": ("pk=grant", "302 404 | 200 200 200 404 404 404 404 404 200 200 | 404 404 404 404 404 404 404"),
    "funds:grant-vote": ("pk=grant", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "funds:grant-close": ("pk=grant", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "funds:receipt-download": ("pk=grant receipt_pk=absent", "302 404 | 404 404 404 404 404 404 404 404 404 404 | 404 404 404 404 404 404 404"),
    "funds:public-list": ("", "200 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "funds:public-fund": ("pk=fund", "200 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    # --- reporting -------------------------------------------------------------------------------------------
    "reporting:city-statistics": ("", "200 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "reporting:report-r1-request": ("evaluation_pk=evaluation", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "reporting:report-r5-request": ("plan_pk=plan", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "reporting:report-download": ("pk=absent", "302 404 | 404 404 404 404 404 404 404 404 404 404 | 404 404 404 404 404 404 404"),
    "reporting:report-r2-request": ("package_pk=package", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "reporting:report-r3-request": ("", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "reporting:city-annual": ("", "302 404 | 200 404 404 404 404 404 404 404 200 404 | 404 404 404 404 404 404 404"),
    "reporting:report-r4-request": ("", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "reporting:compliance-report": ("", "302 404 | 200 404 404 404 404 404 404 404 200 404 | 404 404 404 404 404 404 404"),
    "reporting:dashboard-packages": ("", "302 404 | 200 200 200 404 200 404 404 404 200 404 | 200 200 404 200 404 404 404"),
    # Search (issue 13): every user may search; each kind is scoped (tests/search/test_search.py). No q: the form.
    "reporting:search": ("", "302 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    # --- compliance ------------------------------------------------------------------------------------------
    "compliance:finding-list": ("", "302 404 | 200 200 200 200 200 200 200 404 200 200 | 200 200 200 200 200 200 404"),
    "compliance:finding-export": ("", "302 404 | 200 200 200 200 200 200 200 404 200 200 | 200 200 200 200 200 200 404"),
    "compliance:finding-detail": ("pk=finding", "302 404 | 200 200 200 404 200 200 404 404 200 404 | 404 404 404 404 404 404 404"),
    "compliance:finding-respond": ("pk=finding", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "compliance:finding-waive": ("pk=finding", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "compliance:finding-attachment": ("pk=absent", "302 404 | 404 404 404 404 404 404 404 404 404 404 | 404 404 404 404 404 404 404"),
    # --- notifications ---------------------------------------------------------------------------------------
    "notifications:list": ("", "302 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "notifications:notification-open": ("pk=notification", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "notifications:notification-read": ("pk=notification", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "notifications:notification-read-all": ("", "302 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "notifications:settings": ("", "302 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    # --- accounts --------------------------------------------------------------------------------------------
    "login": ("", "200 302 | 302 302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302"),
    "logout": ("", "405 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "password_change": ("", "302 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "password_change_done": ("", "302 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "password_reset_confirm": ("uidb64=uidb64 token=reset_token", "200 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "password_reset_complete": ("", "200 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "set_language": ("", "302 302 | 302 302 302 302 302 302 302 302 302 302 | 302 302 302 302 302 302 302"),
    # --- api-v1 ----------------------------------------------------------------------------------------------
    "api-v1:me": ("", "403 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "api-v1:token-list": ("", "403 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "api-v1:token-revoke": ("pk=token", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:catalog-edition-list": ("", "403 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "api-v1:catalog-item-list": ("", "403 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "api-v1:catalog-item-detail": ("pk=catalog_item", "403 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "api-v1:procurement-agency-list": ("", "403 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "api-v1:procurement-staff-list": ("pk=agency", "403 404 | 200 404 404 404 200 403 404 404 200 404 | 404 404 404 404 404 404 404"),
    "api-v1:procurement-tender-list": ("", "403 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "api-v1:procurement-tender-bid-list": ("pk=tender", "403 403 | 200 403 403 403 200 200 403 403 200 403 | 403 403 403 200 200 403 403"),
    "api-v1:procurement-bid-score-create": ("pk=bid", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:delivery-plan-detail": ("pk=package", "403 404 | 200 200 200 200 200 200 404 404 200 404 | 404 404 404 404 404 404 404"),
    "api-v1:delivery-plan-coverage": ("pk=package", "403 404 | 200 200 200 200 200 200 404 404 200 404 | 404 404 404 404 404 404 404"),
    "api-v1:delivery-plan-item-add": ("pk=package", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:delivery-plan-item-file": ("pk=package", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:delivery-plan-item-update": ("pk=package item_pk=plan_item", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:delivery-plan-item-remove": ("pk=package item_pk=plan_item", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:delivery-plan-submit": ("pk=package", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:delivery-plan-town-review": ("pk=package", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:delivery-plan-approve": ("pk=package", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:delivery-plan-return": ("pk=package", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:delivery-plan-amend": ("pk=package", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:delivery-report-list": ("pk=package", "403 404 | 200 200 200 200 200 200 404 404 200 404 | 404 404 404 404 404 404 404"),
    "api-v1:delivery-package-progress": ("pk=package", "403 404 | 200 200 200 200 200 200 404 404 200 404 | 404 404 404 404 404 404 404"),
    "api-v1:delivery-report-list-all": ("", "403 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "api-v1:delivery-report-detail": ("pk=report", "403 404 | 200 200 200 200 200 200 404 404 200 404 | 404 404 404 404 404 404 404"),
    "api-v1:delivery-report-attach": ("pk=report", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:delivery-report-submit": ("pk=report", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:delivery-report-confirm": ("pk=report", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:delivery-report-return": ("pk=report", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:delivery-report-correct": ("pk=report", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:delivery-focus-issue-list": ("", "403 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "api-v1:delivery-focus-issue-create": ("", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:delivery-focus-issue-move": ("pk=focus_issue", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:evaluation-list": ("", "403 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "api-v1:evaluation-assign": ("", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:evaluation-finalise": ("pk=evaluation", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:evaluation-declare": ("pk=assignment", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:evaluation-sheet-save": ("pk=score_sheet", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:evaluation-sheet-submit": ("pk=score_sheet", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:evaluation-round-list": ("", "403 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "api-v1:evaluation-round-open": ("", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:evaluation-round-close": ("pk=round", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:evaluation-assessment-sheet-list": ("", "403 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "api-v1:evaluation-assessment-sheet-save": ("pk=assessment_sheet", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:evaluation-assessment-sheet-submit": ("pk=assessment_sheet", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:funds-source-list": ("", "403 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "api-v1:funds-budget-set": ("pk=source", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:funds-package-money": ("pk=package", "403 404 | 200 200 200 404 200 200 404 404 200 404 | 404 404 404 404 404 404 404"),
    "api-v1:funds-split-set": ("pk=package", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:funds-payment-list": ("", "403 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "api-v1:funds-payment-record": ("pk=instalment", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:funds-payment-reverse": ("pk=payment", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:funds-fund-list": ("", "403 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "api-v1:funds-donation-record": ("pk=fund", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:funds-grant-apply": ("pk=fund", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:funds-ledger-list": ("", "403 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "api-v1:funds-ledger-reverse": ("pk=ledger_entry", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:funds-grant-list": ("", "403 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "api-v1:funds-grant-vote": ("pk=grant", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:funds-grant-close": ("pk=grant", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:compliance-finding-list": ("", "403 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "api-v1:compliance-finding-detail": ("pk=finding", "403 404 | 200 200 200 404 200 200 404 404 200 404 | 404 404 404 404 404 404 404"),
    "api-v1:compliance-finding-respond": ("pk=finding", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:compliance-finding-waive": ("pk=finding", "403 405 | 405 405 405 405 405 405 405 405 405 405 | 405 405 405 405 405 405 405"),
    "api-v1:city-statistics": ("", "200 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    # No q: 400 saying what to type; with one, each kind is scoped (tests/search/test_search.py).
    "api-v1:search": ("", "403 400 | 400 400 400 400 400 400 400 400 400 400 | 400 400 400 400 400 400 400"),
    "api-v1:schema": ("", "200 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
    "api-v1:docs": ("", "200 200 | 200 200 200 200 200 200 200 200 200 200 | 200 200 200 200 200 200 200"),
}
# fmt: on
