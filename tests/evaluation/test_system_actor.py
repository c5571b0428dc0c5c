"""System calls are explicit: services the system may run accept `actor=SYSTEM`; `actor=None` (a caller that
forgot the actor) is refused everywhere, and acts that need a person on record refuse SYSTEM too."""

import pytest
from django.core.exceptions import PermissionDenied

from core.actors import SYSTEM
from evaluation import services
from evaluation.services.common import require_bureau


def test_require_bureau_lets_system_pass_and_refuses_none(db, bureau, personas, world):
    require_bureau(SYSTEM)
    require_bureau(bureau)
    with pytest.raises(PermissionDenied):
        require_bureau(None)
    with pytest.raises(PermissionDenied):
        require_bureau(SYSTEM, system_allowed=False)
    with pytest.raises(PermissionDenied):
        require_bureau(None, system_allowed=False)


def test_a1_schedule_runs_as_system_and_refuses_a_forgotten_actor(bureau, package):
    with pytest.raises(PermissionDenied):
        services.assessment_rounds_open_due(actor=None)
    opened, _skipped = services.assessment_rounds_open_due(actor=SYSTEM)
    assert [r.package_id for r in opened] == [package.pk]
    assert opened[0].opened_by is None


def test_shipped_rubric_and_indicator_sets_load_as_system(db):
    assert services.rubric_load_shipped().pk
    services.indicator_sets_load_shipped()


def test_a5_finalising_needs_a_person(evaluation):
    for actor in (None, SYSTEM):
        with pytest.raises(PermissionDenied):
            services.evaluation_finalise(actor=actor, evaluation=evaluation)
