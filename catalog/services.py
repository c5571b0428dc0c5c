"""Writes to the service catalogue (C1–C4)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.tabular import csv_bytes, read_table, xlsx_bytes
from core.versioning import create_version, mark_in_use
from directory.permissions import is_bureau_admin

from .models import CatalogueEdition, ServiceCategory, ServiceItem, ServiceTask

DATA_DIR = Path(__file__).resolve().parent / "data"

# The editions shipped with the platform (C1); loadcatalog reads these files.
SHIPPED_EDITIONS = [
    {
        "code": "2016-pilot",
        "name_zh": "2016年试点服务目录",
        "name_en": "2016 pilot catalogue",
        "year": 2016,
        "file": "2016-pilot.csv",
        "is_current": False,
        # The pilot's packages ran on it from 2016 to 2018, so it ships frozen (C4).
        "in_use": True,
        "description": "城乡社区服务社会化试点（2016年7月起）使用的菜单式项目包：基础类、增能类、治理类。",
    },
    {
        "code": "2018-new-round",
        "name_zh": "2018年新一轮服务目录",
        "name_en": "2018 new-round catalogue",
        "year": 2018,
        "file": "2018-new-round.csv",
        "is_current": True,
        "in_use": False,
        "description": "新一轮政府购买社工服务使用的服务目录：基础服务类、需求调研类、自治增能类、焦点治理类。",
    },
]

COLUMNS = [
    "category_code",
    "category_kind",
    "category_name_zh",
    "category_name_en",
    "item_code",
    "item_name_zh",
    "item_name_en",
    "description",
    "level",
    "unit",
    "suggested_annual_target",
    "small_items_zh",
    "small_items_en",
]
SMALL_ITEM_SEPARATOR = "|"


@dataclass
class ParsedCategory:
    code: str
    kind: str
    name_zh: str
    name_en: str
    items: list[dict] = field(default_factory=list)


def _require_bureau(actor) -> None:
    if actor is not None and not is_bureau_admin(actor):
        raise PermissionDenied(_("只有民政局管理员可以维护服务目录。"))


def parse_rows(rows: list[list[str]]) -> list[ParsedCategory]:
    """Validate a table (header first) of catalogue rows. Any bad row raises a ValidationError naming it (C3)."""
    if not rows:
        raise ValidationError(_("文件为空。"))
    header = [str(h or "").strip() for h in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ValidationError(_("第1行（表头）缺少列：%(cols)s。") % {"cols": ", ".join(missing)})
    index = {name: header.index(name) for name in COLUMNS}
    categories: dict[str, ParsedCategory] = {}
    item_codes: set[str] = set()
    errors: list[str] = []
    levels = set(ServiceItem.Level.values)
    units = set(ServiceItem.Unit.values)
    kinds = set(ServiceCategory.Kind.values)

    for number, raw in enumerate(rows[1:], start=2):
        cells = [("" if v is None else str(v)).strip() for v in raw]
        if not any(cells):
            continue
        cells += [""] * (len(header) - len(cells))
        row = {name: cells[i] for name, i in index.items()}
        problems: list[str] = []
        for required in (
            "category_code",
            "category_kind",
            "category_name_zh",
            "item_code",
            "item_name_zh",
            "item_name_en",
            "description",
            "level",
            "unit",
            "suggested_annual_target",
        ):
            if not row[required]:
                problems.append(_("“%(col)s”不能为空") % {"col": required})
        if row["category_kind"] and row["category_kind"] not in kinds:
            problems.append(_("类别性质“%(v)s”无效") % {"v": row["category_kind"]})
        if row["level"] and row["level"] not in levels:
            problems.append(_("实施层面“%(v)s”无效（应为 town、community 或 both）") % {"v": row["level"]})
        if row["unit"] and row["unit"] not in units:
            problems.append(
                _("产出单位“%(v)s”无效（应为 session、attendance、household 或 case）") % {"v": row["unit"]}
            )
        target = row["suggested_annual_target"]
        if target:
            try:
                target_value = int(float(target)) if float(target).is_integer() else -1
            except ValueError:
                target_value = -1
            if target_value <= 0:
                problems.append(_("建议年度目标“%(v)s”应为正整数") % {"v": target})
            row["suggested_annual_target"] = target_value
        if row["item_code"] in item_codes:
            problems.append(_("子项代码“%(v)s”重复") % {"v": row["item_code"]})
        zh_tasks = [t.strip() for t in row["small_items_zh"].split(SMALL_ITEM_SEPARATOR) if t.strip()]
        en_tasks = [t.strip() for t in row["small_items_en"].split(SMALL_ITEM_SEPARATOR) if t.strip()]
        if en_tasks and len(en_tasks) != len(zh_tasks):
            problems.append(_("小项的中英文数量不一致（%(zh)d / %(en)d）") % {"zh": len(zh_tasks), "en": len(en_tasks)})
        category = categories.get(row["category_code"])
        if category and (category.kind, category.name_zh) != (row["category_kind"], row["category_name_zh"]):
            problems.append(_("类别“%(v)s”与前面的行不一致") % {"v": row["category_code"]})
        if problems:
            errors.append(_("第%(n)d行：%(p)s。") % {"n": number, "p": "；".join(problems)})
            continue
        item_codes.add(row["item_code"])
        if category is None:
            category = categories[row["category_code"]] = ParsedCategory(
                code=row["category_code"],
                kind=row["category_kind"],
                name_zh=row["category_name_zh"],
                name_en=row["category_name_en"] or row["category_name_zh"],
            )
        row["tasks"] = list(zip(zh_tasks, en_tasks or zh_tasks, strict=True))
        category.items.append(row)
    if errors:
        raise ValidationError(errors)
    if not categories:
        raise ValidationError(_("文件中没有服务子项。"))
    return list(categories.values())


@transaction.atomic
def edition_import(
    *,
    actor,
    code: str,
    name_zh: str,
    name_en: str,
    year: int,
    rows: list[list[str]],
    description: str = "",
    is_current: bool = False,
    replace: bool = False,
) -> CatalogueEdition:
    """Import an edition from rows (C3): all or nothing.

    A new code creates an edition. An existing code is refused unless `replace` is given, and an edition in
    use is never replaced (C4): import the changes under a new code instead.
    """
    _require_bureau(actor)
    categories = parse_rows(rows)
    edition = CatalogueEdition.objects.select_for_update().filter(code=code).first()
    if edition is not None:
        if edition.is_in_use:
            raise ValidationError(
                {"code": _("目录版本“%(c)s”已被采购项目使用，不能修改；请以新的版本代码导入。") % {"c": code}}
            )
        if not replace:
            raise ValidationError({"code": _("目录版本“%(c)s”已存在。") % {"c": code}})
        edition.categories.all().delete()
        edition.name_zh, edition.name_en, edition.year, edition.description = (
            name_zh,
            name_en,
            year,
            description,
        )
        edition.full_clean(exclude=["is_current"])
        edition.save()
    else:
        # Two imports of the same new code at once: the second gets the "already exists" error, not a 500.
        edition = create_version(
            CatalogueEdition(code=code, name_zh=name_zh, name_en=name_en, year=year, description=description),
            number=None,
            unique_fields=["code"],
            taken_message=_("目录版本“%(c)s”已存在。") % {"c": code},
            exclude=["is_current"],
        )
    _write_categories(edition, categories)
    if is_current:
        edition_make_current(actor=actor, edition=edition)
    return edition


def _write_categories(edition: CatalogueEdition, categories: list[ParsedCategory]) -> None:
    for c_order, parsed in enumerate(categories, start=1):
        category = ServiceCategory.objects.create(
            edition=edition,
            code=parsed.code,
            kind=parsed.kind,
            name_zh=parsed.name_zh,
            name_en=parsed.name_en,
            order=c_order,
        )
        items = [
            ServiceItem(
                edition=edition,
                category=category,
                code=row["item_code"],
                name_zh=row["item_name_zh"],
                name_en=row["item_name_en"],
                description=row["description"],
                level=row["level"],
                unit=row["unit"],
                suggested_annual_target=row["suggested_annual_target"],
                order=i_order,
            )
            for i_order, row in enumerate(parsed.items, start=1)
        ]
        for item in items:
            item.full_clean(exclude=["edition", "category"], validate_unique=False)
        created = ServiceItem.objects.bulk_create(items)
        tasks = [
            ServiceTask(item=item, code=f"{item.code}-{t_order}", name_zh=zh, name_en=en, order=t_order)
            for item, row in zip(created, parsed.items, strict=True)
            for t_order, (zh, en) in enumerate(row["tasks"], start=1)
        ]
        ServiceTask.objects.bulk_create(tasks)


@transaction.atomic
def edition_make_current(*, actor, edition: CatalogueEdition) -> CatalogueEdition:
    """Make this the edition new tenders use by default."""
    _require_bureau(actor)
    CatalogueEdition.objects.filter(is_current=True).exclude(pk=edition.pk).update(is_current=False)
    edition.is_current = True
    edition.save(update_fields=["is_current"])
    return edition


def edition_mark_in_use(*, edition: CatalogueEdition) -> CatalogueEdition:
    """Called by procurement when a tender or package first uses an edition; freezes it (C4). Safe to call
    again and from concurrent transactions (core.versioning.mark_in_use)."""
    return mark_in_use(edition)


def export_rows(edition: CatalogueEdition) -> list[list[str]]:
    """The edition as a table in the import format (header first)."""
    rows: list[list] = [list(COLUMNS)]
    items = (
        ServiceItem.objects.filter(edition=edition)
        .select_related("category")
        .prefetch_related("tasks")
        .order_by("category__order", "order", "code")
    )
    for item in items:
        tasks = list(item.tasks.all())
        rows.append(
            [
                item.category.code,
                item.category.kind,
                item.category.name_zh,
                item.category.name_en,
                item.code,
                item.name_zh,
                item.name_en,
                item.description,
                item.level,
                item.unit,
                item.suggested_annual_target,
                SMALL_ITEM_SEPARATOR.join(t.name_zh for t in tasks),
                SMALL_ITEM_SEPARATOR.join(t.name_en for t in tasks),
            ]
        )
    return rows


def export_csv(edition: CatalogueEdition) -> bytes:
    return csv_bytes(export_rows(edition))


def export_xlsx(edition: CatalogueEdition) -> bytes:
    return xlsx_bytes(export_rows(edition), title=edition.code)


@transaction.atomic
def edition_revise(
    *, actor, edition: CatalogueEdition, new_code: str | None = None, name_zh: str = ""
) -> CatalogueEdition:
    """Copy an edition into a new one that can be edited (C4). An edition is revised under a new code: the one
    given (refused if taken), or without one the next free `<code>-r<n>`, renumbered if another bureau admin
    takes it at the same moment."""
    _require_bureau(actor)
    revision = CatalogueEdition(
        code=new_code or "",
        name_zh=name_zh or _("%(name)s（修订）") % {"name": edition.name_zh},
        name_en=f"{edition.name_en} (revised)",
        year=timezone.localdate().year,
        description=edition.description,
        derived_from=edition,
    )
    if new_code:
        revision = create_version(
            revision,
            number=None,
            unique_fields=["code"],
            taken_message=_("目录版本“%(c)s”已存在。") % {"c": new_code},
        )
    else:
        revision = create_version(
            revision,
            number=lambda obj: setattr(obj, "code", _next_revision_code(edition)),
            unique_fields=["code"],
        )
    _write_categories(revision, parse_rows(export_rows(edition)))
    return revision


def _next_revision_code(edition: CatalogueEdition) -> str:
    base = edition.code
    n = 2
    while CatalogueEdition.objects.filter(code=f"{base}-r{n}").exists():
        n += 1
    return f"{base}-r{n}"


ITEM_EDITABLE_FIELDS = {"name_zh", "name_en", "description", "level", "unit", "suggested_annual_target"}


@transaction.atomic
def service_item_update(*, actor, item: ServiceItem, **changes) -> ServiceItem:
    """Change a sub-item. If its edition is in use, the change lands in a new revision of the edition (C4)
    and the returned item belongs to that revision; the edition in use stays as it was."""
    _require_bureau(actor)
    unknown = set(changes) - ITEM_EDITABLE_FIELDS
    if unknown:
        raise ValidationError(_("不能修改字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    edition = CatalogueEdition.objects.select_for_update().get(pk=item.edition_id)
    if edition.is_in_use:
        revision = edition_revise(actor=actor, edition=edition)
        item = ServiceItem.objects.get(edition=revision, code=item.code)
    for name, value in changes.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    return item


def load_shipped_editions(*, actor=None) -> list[tuple[CatalogueEdition, bool]]:
    """Load the editions shipped in catalog/data (safe to run twice: existing editions are left alone)."""
    results = []
    for spec in SHIPPED_EDITIONS:
        existing = CatalogueEdition.objects.filter(code=spec["code"]).first()
        if existing is not None:
            results.append((existing, False))
            continue
        content = (DATA_DIR / spec["file"]).read_bytes()
        edition = edition_import(
            actor=actor,
            code=spec["code"],
            name_zh=spec["name_zh"],
            name_en=spec["name_en"],
            year=spec["year"],
            description=spec["description"],
            rows=read_table(content, spec["file"]),
            is_current=spec["is_current"],
        )
        if spec["in_use"]:
            edition = edition_mark_in_use(edition=edition)
        results.append((edition, True))
    return results
