"""Backup and restore (docs/DEPLOYMENT.md): the PostgreSQL database as a `pg_dump --format=custom` archive, and
every private file a FileField refers to, read and written through Django's storage API — so the same commands
work with the local directory and with an S3 bucket, and a backup taken from one restores into the other.

A backup directory holds `database.dump`, `files/<stored name>` and `manifest.json` (each file's name, size and
SHA-256, and the names a row refers to but the storage lacked). The database is dumped first, then the files
are copied: a file uploaded meanwhile is copied without its row (harmless); none referred to by the dump is
deleted meanwhile except by a user removing it, which the manifest lists as missing."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core.files import File
from django.db import connections, models
from django.utils import timezone

DUMP_NAME = "database.dump"
FILES_DIR = "files"
MANIFEST_NAME = "manifest.json"
CHUNK_BYTES = 1024 * 1024


class BackupError(Exception):
    """What stops a backup or a restore, said plainly for the operator."""


@dataclass(frozen=True)
class StoredFile:
    name: str
    storage: object


def file_fields() -> list[tuple[type[models.Model], models.FileField]]:
    """Every concrete FileField of every installed model (historical copies included)."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                found.append((model, field))
    return found


def referenced_files(using: str = "default") -> Iterator[StoredFile]:
    """Every distinct stored name a row refers to, with the storage of its field."""
    seen: set[str] = set()
    for model, field in file_fields():
        names = (
            model._base_manager.using(using)
            .exclude(**{f"{field.attname}__isnull": True})
            .exclude(**{field.attname: ""})
            .values_list(field.attname, flat=True)
            .distinct()
        )
        for name in names.iterator():
            if name not in seen:
                seen.add(name)
                yield StoredFile(name=name, storage=field.storage)


def _inside(root: Path, name: str) -> Path:
    target = (root / name).resolve()
    if not target.is_relative_to(root.resolve()):
        raise BackupError(f"stored name outside the backup: {name!r}")
    return target


def _pg_env(using: str) -> tuple[dict[str, str], str]:
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise BackupError(
            "the database part needs PostgreSQL (pg_dump/pg_restore); on SQLite copy db.sqlite3 while the site is "
            "stopped, and use --files-only for the files."
        )
    params = connection.settings_dict
    env = {**os.environ}
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if params.get(key):
            env[var] = str(params[key])
    sslmode = (params.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return env, params["NAME"]


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} is not installed (PostgreSQL client programs)") from exc
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip() or result.stdout.strip()}")


def _sha256(handle) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    for chunk in iter(lambda: handle.read(CHUNK_BYTES), b""):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def backup(output: Path, *, database: bool = True, using: str = "default") -> dict:
    """Write a backup into `output` (absent or empty) and return its manifest. The backup holds every person's
    data: what it writes is readable by the operator's account only (umask 077 while it runs)."""
    previous = os.umask(0o077)
    try:
        return _backup(Path(output), database=database, using=using)
    finally:
        os.umask(previous)


def _backup(output: Path, *, database: bool, using: str) -> dict:
    if output.exists() and any(output.iterdir()):
        raise BackupError(f"{output} is not empty")
    if database:
        env, name = _pg_env(using)
    output.mkdir(parents=True, exist_ok=True)
    manifest: dict = {"created_at": timezone.now().isoformat(), "database": None, "files": [], "missing": []}
    if database:
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={output / DUMP_NAME}",
                f"--dbname={name}",
            ],
            env,
        )
        manifest["database"] = DUMP_NAME
    files_root = output / FILES_DIR
    for stored in referenced_files(using):
        target = _inside(files_root, stored.name)
        try:
            source = stored.storage.open(stored.name, "rb")
        except FileNotFoundError:
            manifest["missing"].append(stored.name)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with source, open(target, "wb") as out:
            shutil.copyfileobj(source, out, CHUNK_BYTES)
        with open(target, "rb") as copied:
            sha256, size = _sha256(copied)
        manifest["files"].append({"name": stored.name, "size": size, "sha256": sha256})
    (output / MANIFEST_NAME).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def restore(source: Path, *, database: bool = True, using: str = "default") -> dict:
    """Restore a backup: the dump into the (empty) database, then every file into the storage. Returns counts."""
    from django.core.files.storage import storages

    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST_NAME).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{source} has no {MANIFEST_NAME}: not a backup directory") from None
    files_root = source / FILES_DIR
    # Every file is checked against the manifest before anything is written.
    for entry in manifest["files"]:
        with open(_inside(files_root, entry["name"]), "rb") as handle:
            if _sha256(handle)[0] != entry["sha256"]:
                raise BackupError(f"{entry['name']} does not match its SHA-256 in the manifest")
    if database:
        if not manifest.get("database"):
            raise BackupError("this backup holds no database dump (taken with --files-only)")
        env, name = _pg_env(using)
        connection = connections[using]
        if connection.introspection.table_names():
            raise BackupError(f"database {name!r} is not empty: restore into a new database (createdb)")
        connection.close()
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={name}",
                str(source / manifest["database"]),
            ],
            env,
        )
    storage = storages["default"]
    written = skipped = 0
    for entry in manifest["files"]:
        name = entry["name"]
        if storage.exists(name):
            with storage.open(name, "rb") as present:
                if _sha256(present)[0] != entry["sha256"]:
                    raise BackupError(f"{name} already exists in the storage with other content")
            skipped += 1
            continue
        with open(_inside(files_root, name), "rb") as handle:
            saved = storage.save(name, File(handle, name=name))
        if saved != name:
            raise BackupError(f"the storage renamed {name} to {saved}")
        written += 1
    return {"files_written": written, "files_present": skipped, "missing": len(manifest["missing"])}
