"""The coverage rules of a service plan (P4–P6) as one pure function: it reads the plan's items and the town's
communities (two queries when they are not passed in) and never writes. The plan editor's live panel, plan
submission and approval, the coverage matrix page and the nightly compliance check (K4) all call it.

Only items that count take part (P3): catalogue items, and filed items once the bureau approved them.
Town-level items never cover a community: P4–P6 are about what lands in the villages and communities."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from catalog.models import ServiceCategory, ServiceItem

KINDS: tuple[str, ...] = tuple(ServiceCategory.Kind.values)  # basic, needs_research, empowerment, governance
BASIC = ServiceCategory.Kind.BASIC
NEEDS_RESEARCH = ServiceCategory.Kind.NEEDS_RESEARCH
EMPOWERMENT = ServiceCategory.Kind.EMPOWERMENT
GOVERNANCE = ServiceCategory.Kind.GOVERNANCE
P5_KINDS = (EMPOWERMENT, GOVERNANCE)
UNIT_LABELS = dict(ServiceItem.Unit.choices)
KIND_LABELS = dict(ServiceCategory.Kind.choices)


@dataclass
class Cell:
    """One community × category cell of the matrix: how many counted items, and their annual targets summed
    per unit (sessions and attendances are never added together)."""

    count: int = 0
    targets: dict[str, int] = field(default_factory=dict)
    gap: bool = False

    def add(self, unit: str, target: int) -> None:
        self.count += 1
        self.targets[unit] = self.targets.get(unit, 0) + target

    @property
    def target_list(self) -> list[tuple[str, int]]:
        return [(str(UNIT_LABELS.get(unit, unit)), total) for unit, total in sorted(self.targets.items())]


@dataclass
class CoverageRow:
    community: object | None  # a directory.Community, or None for the town-level row
    cells: dict[str, Cell]

    @property
    def labelled_cells(self) -> list[tuple[str, Cell]]:
        return [(str(KIND_LABELS[kind]), self.cells[kind]) for kind in KINDS]

    @property
    def has_gap(self) -> bool:
        return any(c.gap for c in self.cells.values())


@dataclass
class CoverageResult:
    ok: bool
    problems: list[str] = field(default_factory=list)
    # community id (None = town level) → category kind → Cell
    by_community: dict[int | None, dict[str, Cell]] = field(default_factory=dict)
    rows: list[CoverageRow] = field(default_factory=list)  # communities in order, then the town-level row
    warnings: list[str] = field(default_factory=list)
    counted: int = 0
    rules: list[str] = field(default_factory=list)  # the rule IDs broken ("P4", "P5", "P6"), for checks and tooltips


def _names(communities: Iterable) -> str:
    return "、".join(c.name for c in communities)


def build_matrix(items: Iterable, communities: list) -> dict[int | None, dict[str, Cell]]:
    """Communities × categories (plus the town-level row under None) over the given, already counted items."""
    matrix: dict[int | None, dict[str, Cell]] = {c.id: {k: Cell() for k in KINDS} for c in communities}
    matrix[None] = {k: Cell() for k in KINDS}
    for item in items:
        row = matrix.get(item.community_id)
        if row is None or item.category_kind not in row:
            continue
        row[item.category_kind].add(item.unit, item.annual_target)
    return matrix


def coverage_check(plan, items=None, communities=None, round=None, requires_needs_research=None) -> CoverageResult:
    """P4–P6 for a plan (saved or not).

    P4: every community of the town has at least one basic-services item placed in it.
    P5: empowerment items, and governance items, each land in at least `round.min_governance_communities`
        distinct communities, or in all of them when the town has fewer.
    P6: at least `round.min_community_empowerment_share` % of community-level items are empowerment or
        governance items, and every community has a needs-research item in year 1 (when the package's
        catalogue edition has a needs-research category; the 2016 pilot catalogue had none).

    `items` are PlanItems with `item__category` and `community` loaded; `communities` the town's communities.
    Messages name what is missing and where."""
    package = plan.package
    round = round or package.round
    if items is None:
        items = list(plan.items.select_related("item__category", "community")) if plan.pk else []
    if communities is None:
        communities = list(package.town.communities.order_by("code"))
    if requires_needs_research is None:
        requires_needs_research = package.edition.categories.filter(kind=NEEDS_RESEARCH).exists()

    counted = [i for i in items if i.counts]
    not_counted = len(items) - len(counted)
    by_id = {c.id: c for c in communities}
    matrix = build_matrix(counted, communities)
    problems: list[str] = []
    warnings: list[str] = []
    broken: set[str] = set()
    if not_counted:
        warnings.append(
            _("%(n)d 个备案项目尚未获民政局批准，暂不计入覆盖。") % {"n": not_counted},
        )

    def kind_in(kind: str, year: int | None = None) -> set[int]:
        return {
            i.community_id
            for i in counted
            if i.community_id in by_id and i.category_kind == kind and (year is None or i.year == year)
        }

    # P4: full coverage by basic services.
    basic = kind_in(BASIC)
    missing = [c for c in communities if c.id not in basic]
    for c in missing:
        matrix[c.id][BASIC].gap = True
    if missing:
        broken.add("P4")
        problems.append(
            _("基础服务类项目须覆盖每个社区（村），以下社区（村）还没有：%(names)s。") % {"names": _names(missing)}
        )

    # P5: empowerment and governance each land in enough communities.
    required = min(int(round.min_governance_communities), len(communities))
    for kind in P5_KINDS:
        landed = kind_in(kind)
        if len(landed) >= required:
            continue
        lacking = [c for c in communities if c.id not in landed]
        for c in lacking:
            matrix[c.id][kind].gap = True
        broken.add("P5")
        problems.append(
            _("%(kind)s项目只落在 %(n)d 个社区（村），至少需要 %(min)d 个；尚未安排的社区（村）：%(names)s。")
            % {"kind": KIND_LABELS[kind], "n": len(landed), "min": required, "names": _names(lacking)}
        )

    # P6: community level is mainly empowerment and governance.
    community_items = [i for i in counted if i.community_id in by_id]
    if community_items:
        minimum = Decimal(round.min_community_empowerment_share)
        mainly = sum(1 for i in community_items if i.category_kind in P5_KINDS)
        share = (Decimal(mainly) * 100 / len(community_items)).quantize(Decimal("0.1"), ROUND_HALF_UP)
        if share < minimum:
            broken.add("P6")
            problems.append(
                _("社区层面共 %(total)d 个条目，其中自治增能类和焦点治理类 %(n)d 个，占 %(share)s%%，低于 %(min)s%%。")
                % {"total": len(community_items), "n": mainly, "share": share, "min": f"{minimum.normalize():f}"}
            )
    if requires_needs_research:
        researched = kind_in(NEEDS_RESEARCH, year=1)
        lacking = [c for c in communities if c.id not in researched]
        for c in lacking:
            matrix[c.id][NEEDS_RESEARCH].gap = True
        if lacking:
            broken.add("P6")
            problems.append(
                _("每个社区（村）第一年须有需求调研类项目，以下社区（村）还没有：%(names)s。")
                % {"names": _names(lacking)}
            )

    rows = [CoverageRow(community=c, cells=matrix[c.id]) for c in communities]
    rows.append(CoverageRow(community=None, cells=matrix[None]))
    return CoverageResult(
        rules=sorted(broken),
        ok=not problems,
        problems=problems,
        by_community=matrix,
        rows=rows,
        warnings=warnings,
        counted=len(counted),
    )
