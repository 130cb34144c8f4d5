"""The desk's name search on PostgreSQL: a trigram GIN index on the folded name (issue #12).

``dossiers.selectors.search`` filters ``applicant_name_folded LIKE '%token%'`` per token; no
B-tree serves a pattern with a leading wildcard, so at scale that was a sequential scan (bench
README, "load": 125-368 ms at 100,000 dossiers). ``pg_trgm``'s ``gin_trgm_ops`` answers the same
``LIKE`` from the index, with the same results. PostgreSQL only: SQLite keeps its scan (a
developer's or a demo's database), so the model declares no index and ``makemigrations`` stays
clean. CONCURRENTLY is not used: a migration runs in a transaction; on a large production
table, create the index by hand first with ``CREATE INDEX CONCURRENTLY`` under the same name
(this migration then finds it and does nothing).
"""

from django.db import migrations

INDEX = "dossier_name_trgm_idx"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON dossiers_dossier "
        "USING gin (applicant_name_folded gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0004_dossier_declaration")]

    operations = [migrations.RunPython(forwards, backwards)]
