"""Search (issue 13): GIN indexes over the overlapping two-character pieces ("bigrams") of the texts people search,
on PostgreSQL only. PostgreSQL's text-search parser does not cut Chinese into words, and pg_trgm's trigram indexes
cannot serve a two-character word such as 独居 (a LIKE pattern of two characters yields no trigram), so every
text is indexed by its bigrams and a search term's bigrams must all be present (`core.search.text_q`), then
ILIKE confirms. On SQLite this migration does nothing; search there scans with LIKE.

`sw_bigrams(text)` is declared IMMUTABLE so that it can be indexed: it lower-cases with the database's ctype,
which does not change under a running cluster. Its COST tells the planner that computing it for every row of a
table is dear (it is: one array per row), so it reads the index rather than scanning. `fastupdate = off`: each
new row goes straight into the index instead of a pending list that every search would scan until the next
(auto)vacuum — after seed_city's bulk load the pending list made a two-character search 13 ms instead of 0.2 ms."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION sw_bigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$
  SELECT coalesce(array_agg(DISTINCT substr(lower(t), i, 2)), '{}')
  FROM generate_series(1, char_length(t) - 1) AS i
$$;
"""

# (index name, table, the searched expression: the same text `core.search` joins with " || ' ' || ")
INDEXES = [
    ("search_report_summary_bigrams", "procurement_servicereport", '"summary"'),
    ("search_report_line_bigrams", "procurement_reportline", '"narrative"'),
    (
        "search_focus_issue_bigrams",
        "procurement_focusissue",
        "\"title\" || ' ' || \"description\" || ' ' || \"resolution\"",
    ),
    (
        "search_plan_item_bigrams",
        "procurement_planitem",
        "\"filed_name\" || ' ' || \"justification\" || ' ' || \"note\"",
    ),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for name, table, expression in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} "
            f"USING gin (sw_bigrams({expression})) WITH (fastupdate = off)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _expression in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
    schema_editor.execute("DROP FUNCTION IF EXISTS sw_bigrams(text)")


class Migration(migrations.Migration):
    # CONCURRENTLY: building the indexes over a city's report lines takes a while, and the web replicas keep
    # serving (and workers keep saving reports) while `migrate` runs; a plain CREATE INDEX would block their
    # writes until it finished. CONCURRENTLY cannot run inside a transaction, hence not atomic.
    atomic = False

    dependencies = [
        ("delivery", "0003_focus_issue_newest_first_index"),
    ]

    operations = [migrations.RunPython(create, drop)]
