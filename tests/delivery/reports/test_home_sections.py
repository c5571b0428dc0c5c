"""Home page: the agency's reports due, overdue or returned (S1, S3); the town's reports awaiting confirmation
and open focus issues; the community's open focus issues (S5)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from delivery.models import ServiceReport
from delivery.services.focus import focus_issue_report
from directory.models import Role
from tests.procurement.factories import PackageFactory

from .builders import make_report

pytestmark = pytest.mark.django_db
Status = ServiceReport.Status


def test_home_shows_each_side_what_needs_doing(client_for, package, items, world, personas, outsiders):
    worker = personas[Role.AGENCY_WORKER]
    make_report(package, 2025, 1, worker, status=Status.RETURNED, returned_reason="缺签到表")
    make_report(package, 2025, 2, worker, status=Status.SUBMITTED)
    make_report(package, 2025, 3, worker, status=Status.CONFIRMED)
    focus_issue_report(
        actor=personas[Role.COMMUNITY_OFFICER],
        community=world.communities_a1[0],
        kind="sanitation",
        title="垃圾乱堆放",
        description="楼道口",
    )

    agency_home = client_for(worker).get(reverse("directory:home")).content.decode()
    assert "待提交、逾期或被退回的月度报告" in agency_home
    assert "2025年1月" in agency_home and "街镇已退回" in agency_home
    assert "2025年4月" in agency_home and "已逾期" in agency_home
    assert "2025年2月" not in agency_home and "2025年3月" not in agency_home

    town_home = client_for(personas[Role.TOWN_OFFICER]).get(reverse("directory:home")).content.decode()
    assert "待确认的月度报告" in town_home and "2025年2月 · 第 1 版" in town_home
    assert "本街镇未解决的焦点问题" in town_home and "垃圾乱堆放" in town_home

    community_home = client_for(personas[Role.COMMUNITY_OFFICER]).get(reverse("directory:home")).content.decode()
    assert "本社区未解决的焦点问题" in community_home and "垃圾乱堆放" in community_home

    away_home = client_for(outsiders[Role.TOWN_OFFICER]).get(reverse("directory:home")).content.decode()
    assert "2025年2月 · 第 1 版" not in away_home and "垃圾乱堆放" not in away_home


def test_s3_returned_report_heads_the_list_even_when_many_months_are_missing(
    client_for, world, agency, round_2018, personas
):
    # A package running for 30 months with nothing filed: more months than the home page lists. The report
    # the town returned (the oldest month) still comes first, and the page says how many are not listed.
    today = timezone.localdate()
    first = today.replace(day=1)
    for _ in range(30):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    package = PackageFactory(
        town=world.town_a1,
        agency=agency,
        round=round_2018,
        starts_on=first,
        ends_on=today + datetime.timedelta(days=365),
    )
    worker = personas[Role.AGENCY_WORKER]
    make_report(package, first.year, first.month, worker, status=Status.RETURNED, returned_reason="缺签到表")

    body = client_for(worker).get(reverse("directory:home")).content.decode()
    section = body.split("待提交、逾期或被退回的月度报告", 1)[1].split("</article>", 1)[0]
    items = section.count("<li>")
    assert items == 20
    assert section.index(f"{first.year}年{first.month}月") < section.index("已逾期")
    assert "街镇已退回" in section
    assert re.search(r"另有 (\d+) 项未列出", section).group(1) == str(30 - 20)
    months = [(int(y), int(m)) for y, m in re.findall(r">(\d{4})年(\d{1,2})月<", section)]
    assert months[0] == (first.year, first.month) and months[1:] == sorted(months[1:])  # then oldest first
    assert len(months) == 20
