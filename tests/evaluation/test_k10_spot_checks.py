"""K10 — spot checks (抽查): the yearly draw of packages running more than a year, stratified by district,
reproducible from its recorded seed, priority to packages past two years never drawn; the drawn packages get a
spot-check evaluation through the usual assignment, scoring and finalisation, which the money rules ignore."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from core.actors import SYSTEM
from directory.models import Role
from evaluation import services
from evaluation.models import Evaluation, SpotCheckDraw, SpotCheckPick
from evaluation.scoring import add_months
from evaluation.spot_checks import Candidate, k10_candidates, k10_draw
from evaluation.tasks import spot_checks_draw_task
from procurement.models import ServicePackage
from tests.factories import TownFactory
from tests.procurement.factories import AgencyFactory, PackageFactory, RoundFactory

from .helpers import declare_and_submit

pytestmark = pytest.mark.django_db


def months_ago(months: int, days: int = 10) -> datetime.date:
    return add_months(timezone.localdate(), -months) - datetime.timedelta(days=days)


@pytest.fixture
def make_packages(edition):
    round_ = RoundFactory(edition=edition)

    def make(district, n: int, *, months: int = 14, **fields) -> list[ServicePackage]:
        starts_on = months_ago(months)
        return [
            PackageFactory(
                town=TownFactory(district=district),
                agency=AgencyFactory(),
                round=round_,
                starts_on=starts_on,
                ends_on=max(add_months(starts_on, 36), timezone.localdate() + datetime.timedelta(days=30)),
                **fields,
            )
            for _ in range(n)
        ]

    return make


def draw(actor, **kwargs) -> SpotCheckDraw:
    return services.spot_check_draw(actor=actor, year=timezone.localdate().year, **kwargs)


def picked(draw_: SpotCheckDraw) -> set[int]:
    return set(draw_.picks.values_list("package_id", flat=True))


# --- the rule ------------------------------------------------------------------------------------------


def test_k10_each_district_draws_its_share_rounded_up(bureau, world, make_packages):
    a = make_packages(world.district_a, 7)
    b = make_packages(world.district_b, 3)
    result = draw(bureau, share=30, seed="fixed")
    by_district = {d: result.picks.filter(district=d).count() for d in (world.district_a, world.district_b)}
    assert by_district == {world.district_a: 3, world.district_b: 1}  # ceil(2.1), ceil(0.9)
    assert result.eligible_count == 10 and result.share == 30 and result.seed == "fixed"
    assert picked(result) <= {p.pk for p in a + b}


def test_k10_share_defaults_to_the_setting_and_cannot_go_below_it(settings, bureau, world, make_packages):
    settings.COMPLIANCE_SPOT_CHECK_SHARE = 40
    make_packages(world.district_a, 5)
    with pytest.raises(ValidationError) as exc:
        draw(bureau, share=30)
    assert "share" in exc.value.message_dict
    assert draw(bureau).picks.count() == 2  # ceil(40 % × 5)


def test_k10_same_seed_and_data_give_the_same_draw(bureau, world, make_packages):
    make_packages(world.district_a, 12)
    make_packages(world.district_b, 9)
    first = draw(bureau, seed="2026-抽查")
    first_picks = picked(first)
    SpotCheckPick.objects.all().delete()
    first.delete()
    again = draw(bureau, seed="2026-抽查")
    assert picked(again) == first_picks


def test_k10_a_different_seed_gives_a_different_draw(world):
    on = timezone.localdate()
    candidates = [Candidate(pk, world.district_a.pk, months_ago(14), False) for pk in range(1, 41)]
    draws = {seed: k10_draw(candidates, share=30, seed=seed, on=on) for seed in ("甲", "乙", "丙")}
    assert all(len(d) == 12 for d in draws.values())
    assert len({tuple(p.package_id for p in d) for d in draws.values()}) == 3
    assert k10_draw(candidates, share=30, seed="甲", on=on) == draws["甲"]


def test_k10_a_draw_without_a_seed_records_a_fresh_one_that_replays_it(bureau, world, make_packages):
    make_packages(world.district_a, 9)
    result = draw(bureau)
    assert len(result.seed) >= 16
    drawn = picked(result)
    SpotCheckPick.objects.all().delete()  # the data as they were before the draw
    replay = k10_draw(k10_candidates(result.drawn_on), share=result.share, seed=result.seed, on=result.drawn_on)
    assert {d.package_id for d in replay} == drawn


def test_k10_packages_past_two_years_never_drawn_come_first(bureau, world, make_packages):
    recent = make_packages(world.district_a, 6, months=14)
    old = make_packages(world.district_a, 1, months=26)[0]
    result = draw(bureau, share=30, seed="s")  # quota ceil(2.1) = 3
    pick = result.picks.get(package=old)
    assert pick.priority is True
    assert result.picks.filter(priority=True).count() == 1
    assert len(picked(result) & {p.pk for p in recent}) == 2


def test_k10_a_package_drawn_before_loses_its_priority(world, make_packages):
    old = make_packages(world.district_a, 1, months=30)[0]
    fresh = k10_candidates(timezone.localdate())
    assert [c.drawn_before for c in fresh] == [False]
    earlier = SpotCheckDraw.objects.create(
        year=2000, drawn_on=datetime.date(2000, 1, 5), seed="x", share=30, eligible_count=1
    )
    SpotCheckPick.objects.create(draw=earlier, package=old, district=world.district_a)
    (candidate,) = k10_candidates(timezone.localdate())
    assert candidate.drawn_before is True
    (drawn,) = k10_draw([candidate], share=30, seed="s", on=timezone.localdate())
    assert drawn.priority is False


def test_k10_packages_under_a_year_or_out_of_service_are_never_drawn(bureau, world, make_packages):
    eligible = make_packages(world.district_a, 2, months=13)
    young = make_packages(world.district_a, 3, months=11)
    ended = make_packages(world.district_a, 1, months=20, status=ServicePackage.Status.TERMINATED)
    result = draw(bureau, share=100, seed="all")
    assert picked(result) == {p.pk for p in eligible}
    assert result.eligible_count == 2
    assert not picked(result) & {p.pk for p in young + ended}


def test_k10_second_draw_for_the_same_year_is_refused(bureau, world, make_packages):
    make_packages(world.district_a, 3)
    draw(bureau, seed="one")
    with pytest.raises(ValidationError) as exc:
        draw(bureau, seed="two")
    assert "year" in exc.value.message_dict
    assert SpotCheckDraw.objects.count() == 1


@pytest.mark.parametrize(
    "role", [Role.AUDITOR, Role.DISTRICT_OFFICER, Role.TOWN_OFFICER, Role.AGENCY_MANAGER, Role.EVALUATOR]
)
def test_k10_only_the_bureau_draws(personas, world, make_packages, role):
    make_packages(world.district_a, 3)
    with pytest.raises(PermissionDenied):
        draw(personas[role])
    with pytest.raises(PermissionDenied):
        draw(None)
    assert not SpotCheckDraw.objects.exists()


def test_k10_task_draws_once_a_year_as_the_system(world, make_packages):
    make_packages(world.district_a, 4)
    first = spot_checks_draw_task()
    assert first["drawn"] is True and first["picks"] == 2
    again = spot_checks_draw_task()
    assert again == {"year": timezone.localdate().year, "drawn": False}
    result = SpotCheckDraw.objects.get()
    assert result.drawn_by is None and result.picks.count() == 2


# --- assignment, scoring, money ----------------------------------------------------------------------


@pytest.fixture
def drawn(bureau, world, make_packages):
    packages = make_packages(world.district_a, 2)
    result = draw(bureau, share=50, seed="s")
    (pick,) = result.picks.select_related("package")
    other = next(p for p in packages if p.pk != pick.package_id)
    return pick, other


def test_k10_drawn_package_gets_a_spot_check_evaluation_the_usual_way(
    bureau, world, evaluator, evaluator2, drawn, closed_round
):
    pick, _other = drawn
    evaluation = services.evaluation_assign(
        actor=bureau,
        package=pick.package,
        stage=Evaluation.Stage.SPOT_CHECK,
        firm=world.firm,
        evaluator_ids=[evaluator.pk, evaluator2.pk],
    )
    pick.refresh_from_db()
    assert pick.evaluation == evaluation
    assert evaluation.get_stage_display() == "抽查评估"
    assert timezone.localdate() < evaluation.due_on <= timezone.localdate() + datetime.timedelta(days=90)
    with pytest.raises(ValidationError):  # one spot-check evaluation per pick
        services.evaluation_assign(
            actor=bureau,
            package=pick.package,
            stage=Evaluation.Stage.SPOT_CHECK,
            firm=world.firm,
            evaluator_ids=[evaluator.pk, evaluator2.pk],
        )


def test_k10_undrawn_package_gets_no_spot_check(bureau, world, evaluator, evaluator2, drawn):
    _pick, other = drawn
    with pytest.raises(ValidationError) as exc:
        services.evaluation_assign(
            actor=bureau,
            package=other,
            stage=Evaluation.Stage.SPOT_CHECK,
            firm=world.firm,
            evaluator_ids=[evaluator.pk, evaluator2.pk],
        )
    assert "stage" in exc.value.message_dict


def test_k10_spot_check_is_scored_and_finalised_and_the_money_rules_ignore_it(
    bureau, world, evaluator, evaluator2, package, closed_round
):
    from funds.services import evaluation_results

    earlier = SpotCheckDraw.objects.create(
        year=2000, drawn_on=datetime.date(2000, 1, 5), seed="x", share=30, eligible_count=1
    )
    SpotCheckPick.objects.create(draw=earlier, package=package, district=world.district_a)
    mid_term = services.evaluation_assign(
        actor=bureau,
        package=package,
        stage=Evaluation.Stage.MID_TERM,
        firm=world.firm,
        evaluator_ids=[evaluator.pk, evaluator2.pk],
    )
    spot = services.evaluation_assign(
        actor=bureau,
        package=package,
        stage=Evaluation.Stage.SPOT_CHECK,
        firm=world.firm,
        evaluator_ids=[evaluator.pk, evaluator2.pk],
    )
    declare_and_submit(spot, evaluator, "95")
    declare_and_submit(spot, evaluator2, "93")
    spot = services.evaluation_finalise(actor=bureau, evaluation=spot)
    assert spot.is_finalised and spot.final_score > Decimal("80")
    results = evaluation_results(package)
    assert set(results) == {"mid_term"}  # the finalised spot check releases no instalment
    assert results["mid_term"].finalised is False
    assert mid_term.stage == "mid_term"


# --- pages --------------------------------------------------------------------------------------------


def test_k10_bureau_draws_in_the_browser_and_goes_on_to_assign(client_for, bureau, world, make_packages):
    make_packages(world.district_a, 4)
    make_packages(world.district_b, 2)
    old = make_packages(world.district_b, 1, months=27)[0]
    client = client_for(bureau)
    page = client.get(reverse("evaluation:spot-check-list"))
    assert page.status_code == 200 and 'data-testid="draw-form"' in page.content.decode()
    year = timezone.localdate().year
    response = client.post(reverse("evaluation:spot-check-list"), {"year": year, "share": 30, "seed": "公开种子"})
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluation:spot-check-detail", args=[year])
    html = client.get(response["Location"]).content.decode()
    assert "公开种子" in html
    assert world.district_a.name in html and world.district_b.name in html
    assert html.count('data-testid="priority"') == 1 and old.title in html
    assign = f"{reverse('evaluation:evaluation-assign')}?package={old.pk}&amp;stage=spot_check"
    assert assign in html
    form = client.get(f"{reverse('evaluation:evaluation-assign')}?package={old.pk}&stage=spot_check")
    assert form.status_code == 200
    assert 'value="spot_check" selected' in form.content.decode()


def test_k10_bad_draw_input_is_a_form_error(client_for, bureau, world, make_packages):
    make_packages(world.district_a, 2)
    client = client_for(bureau)
    url = reverse("evaluation:spot-check-list")
    response = client.post(url, {"year": timezone.localdate().year, "share": 10})
    assert response.status_code == 400 and not SpotCheckDraw.objects.exists()
    client.post(url, {"year": timezone.localdate().year, "share": 30})
    response = client.post(url, {"year": timezone.localdate().year, "share": 30})
    assert response.status_code == 400 and SpotCheckDraw.objects.count() == 1
    assert "每年只抽一次" in response.content.decode()


@pytest.mark.parametrize("role", [Role.DISTRICT_OFFICER, Role.TOWN_OFFICER, Role.AGENCY_MANAGER, Role.EVALUATOR])
def test_k10_pages_are_not_for_other_roles(client_for, personas, bureau, world, make_packages, role):
    make_packages(world.district_a, 2)
    draw(bureau, seed="s")
    client = client_for(personas[role])
    year = timezone.localdate().year
    assert client.get(reverse("evaluation:spot-check-list")).status_code == 404
    assert client.get(reverse("evaluation:spot-check-detail", args=[year])).status_code == 404
    assert client.post(reverse("evaluation:spot-check-list"), {"year": year + 1, "share": 30}).status_code == 404
    assert SpotCheckDraw.objects.count() == 1


def test_k10_auditor_reads_but_does_not_draw(client_for, personas, world, make_packages):
    make_packages(world.district_a, 2)
    client = client_for(personas[Role.AUDITOR])
    page = client.get(reverse("evaluation:spot-check-list"))
    assert page.status_code == 200 and 'data-testid="draw-form"' not in page.content.decode()
    year = timezone.localdate().year
    assert client.post(reverse("evaluation:spot-check-list"), {"year": year, "share": 30}).status_code == 403
    assert not SpotCheckDraw.objects.exists()


def test_k10_anonymous_is_sent_to_login(client):
    response = client.get(reverse("evaluation:spot-check-list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_k10_pages_take_a_fixed_number_of_queries(
    client_for, bureau, world, make_packages, django_assert_max_num_queries
):
    client = client_for(bureau)
    year = timezone.localdate().year
    make_packages(world.district_a, 3)
    draw(bureau, seed="s")
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("evaluation:spot-check-detail", args=[year]))
    with django_assert_max_num_queries(12) as small_list:
        client.get(reverse("evaluation:spot-check-list"))
    SpotCheckPick.objects.all().delete()
    SpotCheckDraw.objects.all().delete()
    make_packages(world.district_a, 10)
    make_packages(world.district_b, 10)
    draw(bureau, seed="s")
    SpotCheckDraw.objects.create(year=2000, drawn_on=datetime.date(2000, 1, 5), seed="x", share=30, eligible_count=1)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("evaluation:spot-check-detail", args=[year]))
    with django_assert_max_num_queries(len(small_list.captured_queries)):
        client.get(reverse("evaluation:spot-check-list"))


def test_k10_draw_by_the_system_is_allowed(world, make_packages):
    make_packages(world.district_a, 2)
    assert draw(SYSTEM).drawn_by is None


@pytest.mark.django_db(transaction=True)
def test_k10_two_simultaneous_draws_leave_one_on_postgresql(bureau, world, make_packages):
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent transactions")
    make_packages(world.district_a, 4)
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def run(seed):
        try:
            barrier.wait(timeout=10)
            outcomes[seed] = draw(bureau, seed=seed)
        except Exception as exc:  # recorded and asserted on below
            outcomes[seed] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(seed,)) for seed in ("one", "two")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    failures = [o for o in outcomes.values() if isinstance(o, Exception)]
    assert len(failures) == 1 and isinstance(failures[0], ValidationError), outcomes
    assert "每年只抽一次" in str(failures[0])
    (kept,) = SpotCheckDraw.objects.all()
    assert kept.picks.count() == 2
