"""Findings for the rectification tests (pages, API, permissions), made the only way findings are made: through
`compliance.services.findings_sync`, as the nightly sweep does.

    k3  overdue report of town A1's package; the personas' agency must answer (district A, town A1)
    k4  coverage gap in community A1 (the community officer's), the agency must answer
    k7  money finding of town A1 as a whole; the town office must answer
    k6  evaluation past due in town B1 (district B); the other agency must answer"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from compliance.checks import Found
from compliance.models import Finding
from compliance.services import findings_sync

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 100
EXE = b"MZ\x90\x00" + b"\x00" * 100


@dataclass
class Findings:
    k3: Finding
    k4: Finding
    k7: Finding
    k6: Finding

    def all(self) -> list[Finding]:
        return [self.k3, self.k4, self.k7, self.k6]


def make_findings(world, package, *, first_seen: datetime.datetime | None = None) -> Findings:
    now = first_seen or timezone.now()
    a1 = {"district_id": world.district_a.pk, "town_id": world.town_a1.pk}
    findings_sync(
        rule="K3",
        found=[
            Found(
                f"report:{package.pk}:2025-01",
                "2025年1月月报逾期未提交",
                severity="critical",
                organisation_id=world.agency.pk,
                package_id=package.pk,
                url=package.get_absolute_url(),
                details={"month": "2025-01", "due_on": "2025-02-10"},
                **a1,
            )
        ],
        now=now,
    )
    findings_sync(
        rule="K4",
        found=[
            Found(
                f"package:{package.pk}:community:{world.communities_a1[0].pk}",
                "该社区没有基础服务类项目（P4）",
                organisation_id=world.agency.pk,
                package_id=package.pk,
                community_id=world.communities_a1[0].pk,
                **a1,
            )
        ],
        now=now,
    )
    findings_sync(
        rule="K7",
        found=[
            Found(f"town:{world.town_a1.pk}:payment", "首期款逾期未拨付", organisation_id=world.town_office_a1.pk, **a1)
        ],
        now=now,
    )
    findings_sync(
        rule="K6",
        found=[
            Found(
                "evaluation:b1",
                "中期评估逾期",
                organisation_id=world.other_agency.pk,
                district_id=world.district_b.pk,
                town_id=world.town_b1.pk,
            )
        ],
        now=now,
    )
    by_rule = {f.rule: f for f in Finding.objects.all()}
    return Findings(k3=by_rule["K3"], k4=by_rule["K4"], k7=by_rule["K7"], k6=by_rule["K6"])


def bulk_findings(world, package, n: int, *, rule: str = "K5") -> None:
    """`n` more findings of one rule in town A1 (for query counts at two sizes)."""
    findings_sync(
        rule=rule,
        found=[
            Found(
                f"item:{i}",
                f"第 {i} 项服务滞后",
                organisation_id=world.agency.pk,
                package_id=package.pk,
                district_id=world.district_a.pk,
                town_id=world.town_a1.pk,
                community_id=world.communities_a1[i % 4].pk,
            )
            for i in range(n)
        ],
    )
