"""P1 in the database: a town has at most one active package at any date.

PostgreSQL can say this with an exclusion constraint over the package's period (both ends included); other
databases can't, and there `procurement.rules.p1_overlapping_packages` (called by every service that creates
or activates a package) is the only guard. Django's model state doesn't know the constraint, so
makemigrations stays quiet about it."""

from django.db import migrations

CONSTRAINT = "package_one_active_per_town"


def add_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE procurement_servicepackage ADD CONSTRAINT {CONSTRAINT} "
        "EXCLUDE USING gist (town_id WITH =, daterange(starts_on, ends_on, '[]') WITH &&) "
        "WHERE (status = 'active')"
    )


def drop_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE procurement_servicepackage DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [
        ("procurement", "0004_reports_live_versions"),
    ]

    operations = [
        migrations.RunPython(add_exclusion, drop_exclusion, elidable=False),
    ]
