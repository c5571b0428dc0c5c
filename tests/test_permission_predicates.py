"""Every `can_*` / `is_*` predicate of every app returns a plain bool (STYLE.md: a truthy tuple once let every
user read comments in a grants platform), for every persona, an outsider of each scoped role and an anonymous
user. A new predicate whose argument this test cannot build fails here until the test learns it."""

import importlib
import inspect
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser

from compliance.models import Finding
from delivery.models import FocusIssue, PlanItem, ServiceReport
from directory.models import ApiToken, Organisation, Town, User
from evaluation.models import AssessmentRound, Evaluation, EvaluationAssignment
from procurement.models import Agency, Bid, QualificationApplication, ServicePackage, Tender, TenderExpert
from reporting.models import ReportFile
from tests.test_no_server_errors import scene  # noqa: F401  (the fixture: one row of every kind)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def _predicates():
    for config in apps.get_app_configs():
        if not (Path(config.path) / "permissions.py").exists() or not str(config.path).startswith(str(ROOT)):
            continue
        module = importlib.import_module(f"{config.name}.permissions")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__ and name.startswith(("can_", "is_", "has_")):
                yield f"{config.name}.{name}", fn


def _arguments(ids, world):
    round_ = AssessmentRound.objects.get(pk=ids["assessments"])
    return {
        "tender": Tender.objects.get(pk=ids["tenders"]),
        "bid": Bid.objects.get(pk=ids["bids"]),
        "member": TenderExpert.objects.filter(tender_id=ids["panels"]).first(),
        "package": ServicePackage.objects.get(pk=ids["packages"]),
        "agency": Agency.objects.get(pk=ids["agencies"]),
        "plan": ServicePackage.objects.get(pk=ids["packages"]).plan,
        "item": PlanItem.objects.get(pk=ids["items"]),
        "report": ServiceReport.objects.get(pk=ids["reports"]),
        "issue": FocusIssue.objects.get(pk=ids["focus-issues"]),
        "community": world.communities_a1[0],
        "town": Town.objects.get(pk=ids["towns"]),
        "organisation": Organisation.objects.get(pk=ids["organisations"]),
        "application": QualificationApplication.objects.get(pk=ids["qualifications"]),
        "evaluation": Evaluation.objects.get(pk=ids["evaluations"]),
        "assignment": EvaluationAssignment.objects.get(pk=ids["assignments"]),
        "round_": round_,
        "sheet": round_.sheets.first(),
        "token": ApiToken.objects.create(
            user=User.objects.first(), name="t", scope="read", prefix="sw_x", key_hash="0"
        ),
        **_funds_arguments(world),
        "finding": Finding.objects.get(pk=ids["findings"]),
        "report_file": ReportFile(kind=ReportFile.Kind.R1, evaluation=Evaluation.objects.get(pk=ids["evaluations"])),
    }


def _funds_arguments(world) -> dict:
    from django.utils import timezone

    from funds.models import CommunityFund, FundingSource, LedgerEntry, MicroGrant

    bureau = world.city_bureau.memberships.first().user
    source = FundingSource.objects.create(kind="district_budget", name="姑苏区区级财政预算", district=world.district_a)
    fund = CommunityFund.objects.create(
        kind="community_fund", name="测试基金", host=world.foundation, town=world.town_a1
    )
    entry = LedgerEntry.objects.create(
        fund=fund, kind="donation", amount="10.00", occurred_on=timezone.localdate(), donor_name="x", recorded_by=bureau
    )
    grant = MicroGrant.objects.create(
        fund=fund,
        kind="micro_venture",
        title="t",
        applicant_kind="resident_group",
        applicant_name="a",
        community=world.communities_a1[0],
        purpose="p",
        amount="1.00",
        applied_by=bureau,
    )
    return {"source": source, "fund": fund, "grant": grant, "entry": entry}


def test_every_predicate_returns_a_plain_bool(scene, world, personas, outsiders):  # noqa: F811
    arguments = _arguments(scene, world)
    users = [*personas.values(), *outsiders.values(), AnonymousUser()]
    checked = 0
    for name, fn in _predicates():
        params = [
            p
            for p in inspect.signature(fn).parameters.values()
            if p.default is inspect.Parameter.empty and p.kind is p.POSITIONAL_OR_KEYWORD
        ]
        missing = [p.name for p in params[1:] if p.name not in arguments]
        assert not missing, f"{name}: teach this test to build {missing}"
        for user in users:
            result = fn(user, *(arguments[p.name] for p in params[1:]))
            assert type(result) is bool, f"{name} returned {result!r} for {user}"
        checked += 1
    assert checked >= 60  # every app's predicates were found (67 when this test was written)
