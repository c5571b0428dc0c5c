"""seed_demo's compliance step: the demo opens with findings of several rules, and running it twice changes
nothing."""

import pytest

from compliance.models import Finding, FindingEvent

pytestmark = pytest.mark.django_db


def test_seed_demo_leaves_open_findings_of_several_rules(settings, tmp_path):
    from core.demo import seed_all

    settings.PRIVATE_MEDIA_ROOT = settings.MEDIA_ROOT = tmp_path
    seed_all()
    opened = FindingEvent.objects.count()
    seed_all()
    assert FindingEvent.objects.count() == opened  # the second run updates, opens nothing new
    rules = set(Finding.objects.filter(closed_at__isnull=True).values_list("rule", flat=True))
    assert {"K1", "K2"} <= rules
    k1 = Finding.objects.get(rule="K1")
    assert "不在职" in k1.message and k1.organisation.name == "苏州市姑苏区乐仁社会工作服务社"
