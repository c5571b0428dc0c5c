"""Backup and restore (docs/DEPLOYMENT.md): `manage.py backup` writes a pg_dump archive and a copy of every private
file; `manage.py restore` brings both back into a new database and an empty storage — every row of every table
and every file's bytes, as they were."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from core.backup import _pg_env, file_fields, referenced_files
from delivery.models import ReportAttachment
from delivery.services.reports import report_attach, report_create
from tests.delivery.reports.builders import END, JPEG, PDF, START, approved_plan, upload
from tests.procurement.factories import PackageFactory

ROOT = Path(__file__).resolve().parent.parent
ON_POSTGRES = django_settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@pytest.fixture
def media(settings, tmp_path):
    root = tmp_path / "private_media"
    settings.PRIVATE_MEDIA_ROOT = settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def filed(media, world, agency, round_2018, personas):
    """Rows and files made through the services: a qualified agency (its qualification documents), a package
    with an approved plan, a monthly report with a photo and a signed sheet."""
    from directory.models import Role

    package = PackageFactory(town=world.town_a1, agency=agency, round=round_2018, starts_on=START, ends_on=END)
    approved_plan(package, world)
    worker = personas[Role.AGENCY_WORKER]
    report = report_create(actor=worker, package=package, year=2025, month=3)
    report_attach(actor=worker, report=report, file=upload("活动照片.jpg", JPEG))
    report_attach(actor=worker, report=report, file=upload("签到表.pdf", PDF, "application/pdf"))
    return package


def stored_bytes() -> dict[str, bytes]:
    return {f.name: f.storage.open(f.name, "rb").read() for f in referenced_files()}


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def row_counts(cursor, tables) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


@pytest.fixture
def fresh_database():
    """A new, empty PostgreSQL database next to the test database (createdb/dropdb), dropped afterwards."""
    env, name = _pg_env("default")
    fresh = f"{name}_restored"[:63]
    subprocess.run(["dropdb", "--if-exists", fresh], env=env, check=True, capture_output=True)
    subprocess.run(["createdb", fresh], env=env, check=True, capture_output=True)
    params = connection.settings_dict
    credentials = quote(params["USER"] or "") + (f":{quote(params['PASSWORD'])}" if params.get("PASSWORD") else "")
    url = f"postgres://{credentials}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{fresh}"
    yield url
    subprocess.run(["dropdb", "--if-exists", "--force", fresh], env=env, capture_output=True)


@pytest.mark.skipif(not ON_POSTGRES, reason="pg_dump/pg_restore need PostgreSQL (CI's PostgreSQL pass runs this)")
@pytest.mark.django_db(transaction=True)
def test_a_restored_dump_has_every_row_and_every_file(filed, tmp_path, fresh_database):
    original_files = stored_bytes()
    assert len(original_files) >= 4  # two qualification documents, the photo, the sheet
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        original_counts = row_counts(cursor, tables)
    assert original_counts[ReportAttachment._meta.db_table] == 2

    backup_dir = tmp_path / "backup"
    call_command("backup", "--output", str(backup_dir))
    assert (backup_dir / "database.dump").read_bytes().startswith(b"PGDMP")

    restored_media = tmp_path / "restored_media"
    dropped = {"CACHE_URL", "STORAGE_BACKEND", "DJANGO_ENV", "CELERY_BROKER_URL"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        DATABASE_URL=fresh_database, PRIVATE_MEDIA_ROOT=str(restored_media), DJANGO_SETTINGS_MODULE="suzhou_sw.settings"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(backup_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr

    with psycopg.connect(fresh_database) as restored, restored.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        assert {row[0] for row in cursor.fetchall()} == set(tables)
        assert row_counts(cursor, tables) == original_counts
        # Every file a restored row refers to is in the restored storage, byte for byte.
        referred = set()
        for model, field in file_fields():
            cursor.execute(
                f'SELECT DISTINCT "{field.column}" FROM "{model._meta.db_table}" WHERE "{field.column}" <> \'\''
            )
            referred |= {row[0] for row in cursor.fetchall()}
    assert referred == set(original_files)
    for name, data in original_files.items():
        copy = restored_media / name
        assert copy.is_file(), name
        assert digest(copy.read_bytes()) == digest(data), name


@pytest.mark.django_db
def test_files_come_back_byte_for_byte_into_an_empty_storage(filed, settings, tmp_path):
    original = stored_bytes()
    backup_dir = tmp_path / "backup"
    call_command("backup", "--output", str(backup_dir), "--files-only")
    settings.PRIVATE_MEDIA_ROOT = settings.MEDIA_ROOT = tmp_path / "new_media"
    call_command("restore", str(backup_dir), "--files-only")
    assert stored_bytes() == original
    # Restoring again changes nothing: every file is already there with the same bytes.
    call_command("restore", str(backup_dir), "--files-only")
    assert sorted(p.name for p in (tmp_path / "new_media").rglob("*") if p.is_file()) == sorted(
        Path(name).name for name in original
    )


@pytest.mark.django_db
def test_a_damaged_backup_is_refused_before_anything_is_written(filed, settings, tmp_path):
    backup_dir = tmp_path / "backup"
    call_command("backup", "--output", str(backup_dir), "--files-only")
    some_file = next(p for p in (backup_dir / "files").rglob("*") if p.is_file())
    some_file.write_bytes(b"not what was stored")
    settings.PRIVATE_MEDIA_ROOT = settings.MEDIA_ROOT = tmp_path / "new_media"
    with pytest.raises(CommandError, match="SHA-256"):
        call_command("restore", str(backup_dir), "--files-only")
    assert not (tmp_path / "new_media").exists()


@pytest.mark.django_db
def test_backup_refuses_a_directory_with_something_in_it(media, tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "x").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", "--output", str(tmp_path / "old"), "--files-only")


@pytest.mark.skipif(not ON_POSTGRES, reason="pg_restore needs PostgreSQL")
@pytest.mark.django_db
def test_restore_never_writes_over_a_database_in_use(filed, tmp_path):
    backup_dir = tmp_path / "backup"
    call_command("backup", "--output", str(backup_dir), "--files-only")
    (backup_dir / "manifest.json").write_text(
        (backup_dir / "manifest.json").read_text().replace('"database": null', '"database": "database.dump"')
    )
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(backup_dir))
