"""R-DOC-08 search at scale (decision 0020): the folded search column, filled for the documents
already there, and on PostgreSQL a trigram GIN index serving ``LIKE '%token%'`` (as
``dossier_name_trgm_idx``, decision 0016). SQLite keeps its scan; the model declares no index,
so ``makemigrations`` stays clean. On a large production table, create the index by hand first
with ``CREATE INDEX CONCURRENTLY`` under the same name (this migration then does nothing)."""

from django.db import migrations, models

INDEX = "corr_document_search_trgm_idx"


def fill(apps, schema_editor):
    from motcua.core.text import fold  # noqa: PLC0415 - the helper of the running code

    Document = apps.get_model("correspondence", "Document")
    batch = []
    rows = Document.objects.only("pk", "number", "symbol", "summary", "issuing_body_name")
    for document in rows.iterator(chunk_size=2000):
        ref = f"{document.number:02d}/{document.symbol}" if document.number else document.symbol
        parts = [ref, document.summary, document.issuing_body_name]
        document.search_folded = fold(" ".join(p for p in parts if p))
        batch.append(document)
        if len(batch) == 2000:
            Document.objects.bulk_update(batch, ["search_folded"])
            batch = []
    Document.objects.bulk_update(batch, ["search_folded"])


def index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON correspondence_document "
        "USING gin (search_folded gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("correspondence", "0006_case_files")]

    operations = [
        migrations.AddField(
            model_name="document",
            name="search_folded",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(index, drop_index),
    ]
