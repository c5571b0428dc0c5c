"""Rules C1–C4 of DOMAIN.md."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from catalog.models import CatalogueEdition, ServiceCategory, ServiceItem, ServiceTask
from catalog.services import (
    COLUMNS,
    edition_import,
    edition_mark_in_use,
    export_csv,
    export_rows,
    export_xlsx,
    read_table,
    service_item_update,
)
from directory.models import Role


def _counts(code):
    edition = CatalogueEdition.objects.get(code=code)
    return (
        edition.categories.count(),
        edition.items.count(),
        ServiceTask.objects.filter(item__edition=edition).count(),
    )


@pytest.mark.django_db
def test_c1_loadcatalog_ships_both_editions_with_official_shape():
    call_command("loadcatalog", stdout=io.StringIO())
    assert _counts("2016-pilot") == (3, 21, 85)
    categories, items, _tasks = _counts("2018-new-round")
    assert (categories, items) == (4, 90)
    current = CatalogueEdition.objects.get(is_current=True)
    assert current.code == "2018-new-round"
    assert list(current.categories.values_list("name_zh", flat=True)) == [
        "基础服务类",
        "需求调研类",
        "自治增能类",
        "焦点治理类",
    ]
    pilot = CatalogueEdition.objects.get(code="2016-pilot")
    assert list(pilot.categories.values_list("name_zh", flat=True)) == ["基础类", "增能类", "治理类"]


@pytest.mark.django_db
def test_c1_loadcatalog_is_safe_to_run_twice():
    call_command("loadcatalog", stdout=io.StringIO())
    call_command("loadcatalog", stdout=io.StringIO())
    assert CatalogueEdition.objects.count() == 2
    assert ServiceItem.objects.count() == 111


@pytest.mark.django_db
def test_c1_catalogue_names_come_from_the_article(edition_2018):
    names = set(edition_2018.items.values_list("name_zh", flat=True))
    for example in (
        "兴趣班",
        "4点半课堂",
        "社区资源地图",
        "公益集市",
        "志愿服务队",
        "社区公益基金筹建",
        "群租房",
        "高空抛物",
        "宠物扰民",
        "楼道安全隐患",
        "无物业管理小区",
    ):
        assert any(example in n for n in names), example


@pytest.mark.django_db
def test_c2_every_sub_item_has_every_field(edition_2018):
    for item in ServiceItem.objects.all():
        assert item.code and item.name_zh and item.name_en and item.description
        assert item.level in ServiceItem.Level.values
        assert item.unit in ServiceItem.Unit.values
        assert item.suggested_annual_target > 0
    levels = set(edition_2018.items.values_list("level", flat=True))
    assert levels == {"town", "community", "both"}


def _as_text(rows):
    return [[str(v) for v in row] for row in rows]


@pytest.mark.django_db
def test_c3_csv_export_then_import_round_trips(edition_2018, bureau_admin):
    content = export_csv(edition_2018)
    rows = read_table(content, "x.csv")
    assert rows[0] == COLUMNS
    copy = edition_import(actor=bureau_admin, code="copy-csv", name_zh="副本", name_en="Copy", year=2026, rows=rows)
    assert copy.items.count() == 90
    assert _as_text(export_rows(copy)) == _as_text(export_rows(edition_2018))


@pytest.mark.django_db
def test_c3_xlsx_export_then_import_round_trips(edition_2018, bureau_admin):
    content = export_xlsx(edition_2018)
    sheet = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[1]] == COLUMNS
    assert sheet.max_row == 91
    copy = edition_import(
        actor=bureau_admin,
        code="copy-xlsx",
        name_zh="副本",
        name_en="Copy",
        year=2026,
        rows=read_table(content, "x.xlsx"),
    )
    assert copy.items.count() == 90
    assert (
        ServiceTask.objects.filter(item__edition=copy).count()
        == ServiceTask.objects.filter(item__edition=edition_2018).count()
    )


def _bad_rows():
    rows = [list(COLUMNS)]
    good = [
        "JC",
        "basic",
        "基础服务类",
        "Basic",
        "JC-01",
        "兴趣班",
        "Interest classes",
        "说明",
        "community",
        "session",
        "24",
        "",
        "",
    ]
    rows.append(good)
    rows.append(
        [
            "JC",
            "basic",
            "基础服务类",
            "Basic",
            "JC-02",
            "老人探访",
            "Visits",
            "说明",
            "street",
            "session",
            "24",
            "",
            "",
        ]
    )
    rows.append(
        [
            "JC",
            "basic",
            "基础服务类",
            "Basic",
            "JC-03",
            "困境儿童",
            "Children",
            "说明",
            "community",
            "session",
            "-3",
            "",
            "",
        ]
    )
    return rows


@pytest.mark.django_db
def test_c3_bad_rows_are_reported_by_number_and_nothing_is_imported(bureau_admin):
    items_before = ServiceItem.objects.count()  # the shipped editions' items (tests/conftest.py loads them)
    with pytest.raises(ValidationError) as exc:
        edition_import(actor=bureau_admin, code="bad", name_zh="坏", name_en="Bad", year=2026, rows=_bad_rows())
    messages = exc.value.messages
    assert any(m.startswith("第3行") and "street" in m for m in messages)
    assert any(m.startswith("第4行") and "正整数" in m for m in messages)
    assert not CatalogueEdition.objects.filter(code="bad").exists()
    assert ServiceItem.objects.count() == items_before


@pytest.mark.django_db
def test_c3_missing_column_is_refused(bureau_admin):
    rows = [COLUMNS[:-3], ["JC"]]
    with pytest.raises(ValidationError) as exc:
        edition_import(actor=bureau_admin, code="bad", name_zh="坏", name_en="Bad", year=2026, rows=rows)
    assert "缺少列" in exc.value.messages[0]


@pytest.mark.django_db
def test_c3_duplicate_item_code_is_refused(bureau_admin):
    rows = _bad_rows()[:2]
    rows.append(list(rows[1]))
    with pytest.raises(ValidationError) as exc:
        edition_import(actor=bureau_admin, code="dup", name_zh="重", name_en="Dup", year=2026, rows=rows)
    assert "第3行" in exc.value.messages[0] and "重复" in exc.value.messages[0]


def test_c3_unreadable_files_are_refused():
    with pytest.raises(ValidationError):
        read_table(b"not a zip", "edition.xlsx")
    with pytest.raises(ValidationError):
        read_table(b"a,b", "edition.txt")


@pytest.mark.django_db
def test_c3_only_the_bureau_imports(personas):
    with pytest.raises(PermissionDenied):
        edition_import(
            actor=personas[Role.AGENCY_MANAGER],
            code="x",
            name_zh="x",
            name_en="x",
            year=2026,
            rows=_bad_rows()[:2],
        )


@pytest.mark.django_db
def test_c3_command_line_import_and_export(tmp_path, edition_2018):
    out = tmp_path / "edition.xlsx"
    call_command("export_catalogue", "2018-new-round", output=str(out), stdout=io.StringIO())
    call_command(
        "import_catalogue",
        str(out),
        code="cli-copy",
        name_zh="命令行导入",
        name_en="CLI",
        year=2026,
        stdout=io.StringIO(),
    )
    assert CatalogueEdition.objects.get(code="cli-copy").items.count() == 90
    bad = tmp_path / "bad.csv"
    with bad.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(_bad_rows())
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="第3行"):
        call_command("import_catalogue", str(bad), code="cli-bad", name_zh="x", name_en="x", year=2026)
    assert not CatalogueEdition.objects.filter(code="cli-bad").exists()


@pytest.mark.django_db
def test_c3_admin_import_reports_row_number(client, bureau_admin):
    client.force_login(bureau_admin)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(_bad_rows())
    upload = io.BytesIO(buffer.getvalue().encode("utf-8"))
    upload.name = "bad.csv"
    response = client.post(
        "/admin/catalog/catalogueedition/import/",
        {"file": upload, "code": "admin-bad", "name_zh": "坏", "name_en": "Bad", "year": 2026},
    )
    assert response.status_code == 200
    assert "第3行" in response.content.decode()
    assert not CatalogueEdition.objects.filter(code="admin-bad").exists()


@pytest.mark.django_db
def test_c3_admin_import_xlsx_and_export(client, bureau_admin):
    client.force_login(bureau_admin)
    workbook = Workbook()
    for row in _bad_rows()[:2]:
        workbook.active.append(row)
    upload = io.BytesIO()
    workbook.save(upload)
    upload.seek(0)
    upload.name = "good.xlsx"
    response = client.post(
        "/admin/catalog/catalogueedition/import/",
        {"file": upload, "code": "admin-good", "name_zh": "新目录", "name_en": "New", "year": 2026},
    )
    assert response.status_code == 302
    edition = CatalogueEdition.objects.get(code="admin-good")
    assert edition.items.get().name_zh == "兴趣班"
    response = client.post(
        "/admin/catalog/catalogueedition/",
        {"action": "export_csv", "_selected_action": [edition.pk]},
    )
    assert response.status_code == 200
    assert "兴趣班" in response.content.decode("utf-8-sig")


@pytest.mark.django_db
def test_c4_edition_in_use_is_never_changed_in_place(edition_2018, bureau_admin):
    edition = edition_mark_in_use(edition=edition_2018)
    item = edition.items.get(code="JC-01")
    old_target = item.suggested_annual_target
    revised = service_item_update(actor=bureau_admin, item=item, suggested_annual_target=old_target + 10)
    item.refresh_from_db()
    assert item.suggested_annual_target == old_target
    assert revised.edition != edition
    assert revised.edition.derived_from == edition
    assert revised.suggested_annual_target == old_target + 10
    assert revised.edition.items.count() == 90


@pytest.mark.django_db
def test_c4_edition_not_in_use_is_edited_in_place(edition_2018, bureau_admin):
    item = edition_2018.items.get(code="JC-01")
    updated = service_item_update(actor=bureau_admin, item=item, suggested_annual_target=77)
    assert updated.pk == item.pk and updated.suggested_annual_target == 77
    assert CatalogueEdition.objects.count() == 2


@pytest.mark.django_db
def test_c4_import_cannot_replace_an_edition_in_use(edition_2018, bureau_admin):
    edition_mark_in_use(edition=edition_2018)
    with pytest.raises(ValidationError) as exc:
        edition_import(
            actor=bureau_admin,
            code="2018-new-round",
            name_zh="x",
            name_en="x",
            year=2026,
            rows=_bad_rows()[:2],
            replace=True,
        )
    assert "code" in exc.value.message_dict
    assert edition_2018.items.count() == 90


@pytest.mark.django_db
def test_c4_admin_edit_of_item_in_use_goes_to_a_revision(client, edition_2018, bureau_admin):
    edition_mark_in_use(edition=edition_2018)
    item = edition_2018.items.get(code="JC-01")
    client.force_login(bureau_admin)
    response = client.post(
        f"/admin/catalog/serviceitem/{item.pk}/change/",
        {
            "name_zh": item.name_zh,
            "name_en": item.name_en,
            "description": "新的说明",
            "level": item.level,
            "unit": item.unit,
            "suggested_annual_target": item.suggested_annual_target,
            "order": item.order,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    item.refresh_from_db()
    assert item.description != "新的说明"
    assert ServiceItem.objects.get(edition__derived_from=edition_2018, code="JC-01").description == "新的说明"


@pytest.mark.django_db
def test_c4_admin_refuses_to_edit_an_edition_in_use(client, edition_2018, bureau_admin):
    edition_mark_in_use(edition=edition_2018)
    client.force_login(bureau_admin)
    response = client.post(
        f"/admin/catalog/catalogueedition/{edition_2018.pk}/change/",
        {"code": "renamed", "name_zh": "改名", "name_en": "x", "year": 2018},
    )
    assert response.status_code == 403
    edition_2018.refresh_from_db()
    assert edition_2018.code == "2018-new-round"


@pytest.mark.django_db
def test_c4_admin_cannot_add_or_delete_items_categories_tasks_of_an_edition_in_use(client, edition_2018, bureau_admin):
    edition_mark_in_use(edition=edition_2018)
    item = edition_2018.items.get(code="JC-01")
    task = ServiceTask.objects.filter(item__edition=edition_2018).first()
    category = item.category
    client.force_login(bureau_admin)
    # One by one: the delete page refuses.
    for url in (
        f"/admin/catalog/serviceitem/{item.pk}/delete/",
        f"/admin/catalog/servicecategory/{category.pk}/delete/",
        f"/admin/catalog/servicetask/{task.pk}/delete/",
        f"/admin/catalog/catalogueedition/{edition_2018.pk}/delete/",
    ):
        assert client.post(url, {"post": "yes"}).status_code == 403, url
    # In bulk: the action refuses too.
    client.post(
        "/admin/catalog/serviceitem/", {"action": "delete_selected", "_selected_action": [item.pk], "post": "yes"}
    )
    assert edition_2018.items.count() == 90 and ServiceTask.objects.filter(pk=task.pk).exists()
    # Adding: the edition in use is not offered.
    form = client.get("/admin/catalog/serviceitem/add/").context["adminform"].form
    assert not form.fields["edition"].queryset.filter(pk=edition_2018.pk).exists()
    assert not form.fields["category"].queryset.filter(edition=edition_2018).exists()
    response = client.post(
        "/admin/catalog/serviceitem/add/",
        {"edition": edition_2018.pk, "category": category.pk, "code": "JC-99", "name_zh": "新增", "name_en": "New"},
    )
    assert not edition_2018.items.filter(code="JC-99").exists() and response.status_code == 200
    form = client.get("/admin/catalog/servicetask/add/").context["adminform"].form
    assert not form.fields["item"].queryset.filter(edition=edition_2018).exists()


@pytest.mark.django_db
def test_c4_admin_still_deletes_in_an_edition_not_in_use(client, edition_2018, bureau_admin):
    task = ServiceTask.objects.filter(item__edition=edition_2018).first()
    client.force_login(bureau_admin)
    assert client.post(f"/admin/catalog/servicetask/{task.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not ServiceTask.objects.filter(pk=task.pk).exists()


@pytest.mark.django_db
def test_only_one_current_edition(edition_2018):
    from django.db import IntegrityError, transaction

    pilot = CatalogueEdition.objects.get(code="2016-pilot")
    with pytest.raises(IntegrityError), transaction.atomic():
        CatalogueEdition.objects.filter(pk=pilot.pk).update(is_current=True)


@pytest.mark.django_db
def test_category_kinds_cover_the_four_2018_categories(edition_2018):
    assert set(edition_2018.categories.values_list("kind", flat=True)) == set(ServiceCategory.Kind.values)


@pytest.mark.django_db
def test_role_table_auditor_does_not_change_the_catalogue_or_the_directory(edition_2018, personas, world):
    from directory.services import membership_create

    auditor = personas[Role.AUDITOR]
    item = edition_2018.items.get(code="JC-01")
    with pytest.raises(PermissionDenied):
        service_item_update(actor=auditor, item=item, description="审计员改的")
    with pytest.raises(PermissionDenied):
        edition_import(actor=auditor, code="audit", name_zh="审计", name_en="Audit", year=2026, rows=[])
    with pytest.raises(PermissionDenied):
        membership_create(actor=auditor, user=auditor, organisation=world.city_bureau, role=Role.BUREAU_ADMIN)
    item.refresh_from_db()
    assert item.description != "审计员改的" and not CatalogueEdition.objects.filter(code="audit").exists()
    assert not auditor.memberships.filter(role=Role.BUREAU_ADMIN).exists()
