"""core.versioning: one mechanism for catalogue editions (C4), indicator sets (A1) and rubrics (A3) — frozen once
in use, and new versions numbered without a race (on PostgreSQL: two bureau admins in real threads)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection

from catalog import services as catalog_services
from catalog.models import CatalogueEdition
from catalog.services import COLUMNS, edition_import, edition_mark_in_use, edition_revise
from core import versioning
from core.versioning import create_version, is_frozen, mark_in_use
from directory.models import Role
from evaluation import defaults
from evaluation import services as evaluation_services
from evaluation.models import AssessmentIndicatorSet, Rubric
from tests.conftest import _member

ROW = [
    "JC", "basic", "基础服务类", "Basic", "JC-01", "兴趣班", "Interest classes", "说明", "community", "session", "12",
    "报名|上课", "Sign-up|Class",
]  # fmt: skip


def small_edition(actor, code="v-test") -> CatalogueEdition:
    return edition_import(actor=actor, code=code, name_zh="测试目录", name_en="Test", year=2026, rows=[COLUMNS, ROW])


def shipped_rubric() -> Rubric:
    return evaluation_services.rubric_load_shipped()


def shipped_indicator_set() -> AssessmentIndicatorSet:
    return evaluation_services.indicator_sets_load_shipped()[0]


def rubric_dimensions() -> list[dict]:
    return [{**d, "indicators": list(d["indicators"])} for d in defaults.RUBRIC["dimensions"]]


def build(kind: str, actor):
    return {"edition": lambda: small_edition(actor), "rubric": shipped_rubric, "indicator_set": shipped_indicator_set}[
        kind
    ]()


KINDS = ["edition", "rubric", "indicator_set"]


# --- freezing ------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_mark_in_use_freezes_once_and_keeps_the_first_time(kind, bureau):
    obj = build(kind, bureau)
    stale = type(obj).objects.get(pk=obj.pk)
    assert not is_frozen(obj) and not obj.is_in_use
    assert mark_in_use(obj) is obj and is_frozen(obj) and obj.is_in_use
    first = obj.in_use_since
    # A stale copy (still unfrozen in memory) marks nothing again: the conditional update keeps the first time.
    assert mark_in_use(stale).in_use_since == first
    assert mark_in_use(obj).in_use_since == first
    obj.refresh_from_db()
    assert obj.in_use_since == first
    # The freezing is in the object's history, once.
    assert obj.history.filter(history_type="~", in_use_since=first).count() == 1


def test_is_frozen_of_nothing_is_false():
    assert not is_frozen(None)


@pytest.mark.django_db
def test_c4_edition_mark_in_use_is_the_one_helper(bureau):
    edition = small_edition(bureau)
    assert edition_mark_in_use(edition=edition).in_use_since is not None


# --- numbering -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a3_versions_of_one_code_are_numbered_1_2_3(bureau):
    first = evaluation_services.rubric_create(actor=bureau, code="custom", name_zh="一", dimensions=rubric_dimensions())
    second = evaluation_services.rubric_create(
        actor=bureau, code="custom", name_zh="二", dimensions=rubric_dimensions()
    )
    third = evaluation_services.rubric_revise(actor=bureau, rubric=first)
    assert (first.version, second.version, third.version) == (1, 2, 3)
    assert third.derived_from == first and third.dimensions.count() == first.dimensions.count()


@pytest.mark.django_db
def test_a1_indicator_set_versions_are_numbered_and_revisions_derived(bureau):
    original = shipped_indicator_set()
    mark_in_use(original)
    changed = evaluation_services.indicator_set_update(actor=bureau, indicator_set=original, name_zh="改名")
    assert changed.version == original.version + 1 and changed.derived_from == original
    assert not is_frozen(changed) and changed.name_zh == "改名"


@pytest.mark.django_db
def test_create_version_renumbers_when_the_number_it_got_is_already_taken(bureau, monkeypatch):
    shipped = shipped_rubric()
    real = versioning.next_version_number
    calls = []

    def stale_first(model, code):
        calls.append(code)
        return shipped.version if len(calls) == 1 else real(model, code)  # as if the other admin just committed it

    monkeypatch.setattr(versioning, "next_version_number", stale_first)
    revision = evaluation_services.rubric_revise(actor=bureau, rubric=shipped)
    assert revision.version == shipped.version + 1 and len(calls) == 2


@pytest.mark.django_db
def test_create_version_retries_when_its_insert_loses_the_race(bureau):
    shipped = shipped_rubric()
    rubric = Rubric(code=shipped.code, name_zh="新版本", two_way_weight=shipped.two_way_weight)
    real_clean = rubric.full_clean
    competitors = []

    def clean_then_lose(**kwargs):
        real_clean(**kwargs)
        if not competitors:  # another admin's row with the same number lands between the check and the insert
            competitors.extend(
                Rubric.objects.bulk_create([Rubric(code=rubric.code, version=rubric.version, name_zh="他")])
            )

    rubric.full_clean = clean_then_lose
    create_version(rubric)
    assert rubric.pk and rubric.version == shipped.version + 2 == competitors[0].version + 1


@pytest.mark.django_db
def test_create_version_with_a_chosen_code_refuses_a_taken_one_cleanly(bureau):
    edition = small_edition(bureau)
    with pytest.raises(ValidationError) as exc:
        edition_revise(actor=bureau, edition=edition, new_code=edition.code)
    assert "已存在" in exc.value.message_dict["code"][0]
    # Taken between the check and the insert: still a ValidationError, never an IntegrityError.
    revision = CatalogueEdition(code="v-new", name_zh="新", name_en="New", year=2026)
    real_clean = revision.full_clean

    def clean_then_lose(**kwargs):
        real_clean(**kwargs)
        CatalogueEdition.objects.bulk_create([CatalogueEdition(code="v-new", name_zh="他", name_en="x", year=2026)])

    revision.full_clean = clean_then_lose
    with pytest.raises(ValidationError) as exc:
        create_version(revision, number=None, unique_fields=["code"], taken_message="已存在")
    assert exc.value.message_dict == {"code": ["已存在"]}


@pytest.mark.django_db
def test_create_version_gives_up_with_a_validation_error_after_losing_every_time(bureau, monkeypatch):
    shipped = shipped_rubric()
    monkeypatch.setattr(versioning, "next_version_number", lambda model, code: shipped.version)
    with pytest.raises(ValidationError, match="请稍后重试"):
        evaluation_services.rubric_revise(actor=bureau, rubric=shipped)


@pytest.mark.django_db
def test_create_version_raises_other_errors_as_they_are(bureau):
    with pytest.raises(ValidationError) as exc:
        create_version(Rubric(code="bad code!", name_zh="坏"))
    assert "code" in exc.value.message_dict
    with pytest.raises(IntegrityError):  # not the identity's clash: not swallowed, not retried
        create_version(Rubric(code="x", name_zh="坏", two_way_weight=200), exclude=["two_way_weight"])


@pytest.mark.django_db
def test_c4_revising_without_a_code_takes_the_next_free_revision_code(bureau, monkeypatch):
    edition = small_edition(bureau)
    edition_mark_in_use(edition=edition)
    assert edition_revise(actor=bureau, edition=edition).code == "v-test-r2"
    # A stale "next free code" (the other admin's revision committed meanwhile) is renumbered, not a 500.
    monkeypatch.setattr(catalog_services, "_next_revision_code", _stale_once(catalog_services._next_revision_code))
    revision = edition_revise(actor=bureau, edition=edition)
    assert revision.code == "v-test-r3" and revision.derived_from == edition and revision.items.count() == 1


def _stale_once(real):
    calls = []

    def numbered(edition):
        calls.append(edition)
        return f"{edition.code}-r2" if len(calls) == 1 else real(edition)

    return numbered


# --- the race on PostgreSQL ----------------------------------------------------------------------


def _numbering_barrier(monkeypatch, module, name, parties):
    """Wrap the numbering function so each thread's first call waits for the others: every thread has picked
    the same number before any inserts, which is exactly the race."""
    real = getattr(module, name)
    barrier = threading.Barrier(parties)
    seen = threading.local()
    calls = []

    def numbered(*args):
        result = real(*args)
        calls.append(result)
        if not getattr(seen, "waited", False):
            seen.waited = True
            barrier.wait(timeout=10)
        return result

    monkeypatch.setattr(module, name, numbered)
    return calls


def _run_at_once(calls) -> list:
    outcomes: list = [None] * len(calls)

    def run(i, fn):
        try:
            outcomes[i] = fn()
        except Exception as exc:  # recorded and asserted on below
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("scenario", ["rubric_create_new_code", "rubric_revise", "indicator_set_revise", "edition"])
def test_two_bureau_admins_creating_the_next_version_at_once_both_succeed_on_postgresql(
    scenario, world, bureau, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent transactions")
    admins = [bureau, _member(Role.BUREAU_ADMIN, world.city_bureau, "p_bureau_admin_2")]
    if scenario == "rubric_create_new_code":
        numbered = _numbering_barrier(monkeypatch, versioning, "next_version_number", 2)
        calls = [
            lambda a=a: evaluation_services.rubric_create(
                actor=a, code="custom", name_zh="自定义", dimensions=rubric_dimensions()
            )
            for a in admins
        ]
    elif scenario == "rubric_revise":
        # Revising two versions of one code at once (revisions of the same version queue on its row lock).
        v1 = shipped_rubric()
        v2 = evaluation_services.rubric_create(actor=bureau, code=v1.code, name_zh="二", dimensions=rubric_dimensions())
        numbered = _numbering_barrier(monkeypatch, versioning, "next_version_number", 2)
        calls = [
            lambda a=a, r=r: evaluation_services.rubric_revise(actor=a, rubric=r)
            for a, r in zip(admins, (v1, v2), strict=True)
        ]
    elif scenario == "indicator_set_revise":
        v1 = shipped_indicator_set()
        v2 = evaluation_services.indicator_set_create(
            actor=bureau,
            code=v1.code,
            direction=v1.direction,
            name_zh="二",
            indicators=list(v1.indicators.values("code", "name_zh", "name_en", "description", "max_score")),
        )
        numbered = _numbering_barrier(monkeypatch, versioning, "next_version_number", 2)
        calls = [
            lambda a=a, s=s: evaluation_services.indicator_set_revise(actor=a, indicator_set=s)
            for a, s in zip(admins, (v1, v2), strict=True)
        ]
    else:
        edition = edition_mark_in_use(edition=small_edition(bureau))
        numbered = _numbering_barrier(monkeypatch, catalog_services, "_next_revision_code", 2)
        calls = [lambda a=a: edition_revise(actor=a, edition=edition) for a in admins]

    outcomes = _run_at_once(calls)

    assert not any(isinstance(o, IntegrityError) for o in outcomes), outcomes
    assert all(o is not None and not isinstance(o, Exception) for o in outcomes), outcomes
    # Both picked the same number; the loser renumbered once, so each got its own.
    assert len(numbered) == 3 and numbered[0] == numbered[1] != numbered[2], numbered
    if scenario == "edition":
        codes = sorted(o.code for o in outcomes)
        assert codes == ["v-test-r2", "v-test-r3"]
        assert all(CatalogueEdition.objects.get(code=c).items.count() == 1 for c in codes)
    else:
        versions = sorted(o.version for o in outcomes)
        assert versions[1] == versions[0] + 1
        model = type(outcomes[0])
        assert model.objects.filter(code=outcomes[0].code).count() == versions[1]
        assert model.objects.filter(is_default=True).count() <= 2  # at most one per direction (one for rubrics)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["rubric", "indicator_set"])
def test_a1_a3_two_admins_revising_the_same_default_at_once_leave_one_default_on_postgresql(kind, world, bureau):
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent transactions")
    admins = [bureau, _member(Role.BUREAU_ADMIN, world.city_bureau, "p_bureau_admin_2")]
    original = build(kind, bureau)
    assert original.is_default
    revise = {
        "rubric": lambda a: evaluation_services.rubric_revise(actor=a, rubric=original),
        "indicator_set": lambda a: evaluation_services.indicator_set_revise(actor=a, indicator_set=original),
    }[kind]
    outcomes = _run_at_once([lambda a=a: revise(a) for a in admins])
    assert all(not isinstance(o, Exception) for o in outcomes), outcomes
    model = type(original)
    assert sorted(o.version for o in outcomes) == [original.version + 1, original.version + 2]
    defaults_now = model.objects.filter(
        is_default=True, **({"direction": original.direction} if kind != "rubric" else {})
    )
    assert [d.version for d in defaults_now] == [original.version + 1]  # the first revision took over
