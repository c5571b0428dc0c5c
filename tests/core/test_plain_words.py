"""Users read words, not codes (issue 13): rule IDs stay out of the messages people read (a tooltip or help
text may keep them), a catalogue edition is shown by its name, the admin's filters read in Chinese, and a
person without a certificate reads "No certificate" in English, not "None"."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.procurement.factories import PackageFactory, RoundFactory, StaffFactory

ROOT = Path(__file__).resolve().parents[2]
APPS = ("catalog", "directory", "procurement", "delivery", "evaluation", "funds", "compliance", "reporting", "core")
RULE_ID = re.compile(r"（[A-Z][0-9]+(?:–[A-Z]?[0-9]+)?）")


def test_no_rule_id_in_a_translated_message_outside_help_text():
    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or path.name == "defaults.py":
                continue
            for n, line in enumerate(path.read_text().splitlines(), 1):
                if RULE_ID.search(line) and "help_text" not in line and not line.lstrip().startswith("#"):
                    if "_(" in line or line.lstrip().startswith('"'):
                        offenders.append(f"{path.relative_to(ROOT)}:{n}")
    assert offenders == []


def test_no_rule_id_in_page_text_only_in_a_tooltip():
    for path in (ROOT / "templates").rglob("*.html"):
        text = re.sub(r'title="[^"]*"', "", path.read_text())
        assert not RULE_ID.search(text), path


@pytest.mark.django_db
def test_the_roster_names_the_threshold_in_words_with_the_rule_in_a_tooltip(client, manager, agency, edition_2018):
    RoundFactory()
    client.force_login(manager)
    body = client.get(reverse("procurement:staff-list", args=[agency.pk])).content.decode()
    assert 'title="规则 Q2"' in body and "名专职人员</span>" in body
    assert "（Q2）" not in body


@pytest.mark.django_db
def test_an_edition_reads_as_its_name_on_the_package_page(client, bureau, world, agency, round_2018):
    package = PackageFactory(town=world.town_a1, agency=agency, round=round_2018)
    edition = package.edition
    assert str(edition) == edition.name_zh
    client.force_login(bureau)
    body = client.get(package.get_absolute_url()).content.decode()
    assert f"<dd>{edition.name_zh}</dd>" in body and f"（{edition.code}）" not in body


@pytest.mark.django_db
def test_the_periodic_task_filter_reads_in_chinese(admin_client):
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    every = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.HOURS)
    PeriodicTask.objects.create(name="a", task="compliance.tasks.a", interval=every)
    PeriodicTask.objects.create(name="b", task="compliance.tasks.b", interval=every)
    body = admin_client.get(reverse("admin:django_celery_beat_periodictask_changelist")).content.decode()
    assert "以 任务" in body and "Task Name" not in body


@pytest.mark.django_db
def test_no_certificate_reads_as_words_in_english(client, manager, agency):
    StaffFactory(agency=agency, name="周杰", is_full_time=True)
    client.force_login(manager)
    client.cookies["django_language"] = "en"
    body = client.get(reverse("procurement:staff-list", args=[agency.pk])).content.decode()
    assert "No certificate" in body and ">None<" not in body
