"""The desk's name search on PostgreSQL: whole words of the folded name, a GIN index on their
array and a table of the words in use (issue #12 part 9, decision 0029).

``dossiers.selectors.search`` finds a dossier whose folded name has, for every token typed, a
word that starts with it. On PostgreSQL each token is expanded through ``dossier_name_word``
(every word of every folded name: a few thousand rows, kept by the triggers below) into the
words it starts, and the dossier must have one of them: ``string_to_array(applicant_name_folded,
' ') && ARRAY[…]`` per token, served by the GIN index ``dossier_name_words_idx`` (one entry per
word, so ~4 per dossier against ~20 trigrams, and its statistics know how frequent each word
is). The trigram index of 0005 is dropped: it served ``LIKE '%token%'``, which is no longer the
query. SQLite keeps a scan with the same semantics; the model declares nothing, so
``makemigrations`` stays clean.

The triggers are ``ENABLE ALWAYS``: they fire under ``session_replication_role = replica`` too,
as the benchmarks' bulk loads run. Inserts are handled per statement (a transition table: one
``INSERT … SELECT DISTINCT`` for a COPY of thousands of rows), a changed name per row.

Build time of the index on a large table (bench/README.md "search after decision 0029"): on a
production table, create it first by hand with ``CREATE INDEX CONCURRENTLY`` under the same
name; this migration then finds it (IF NOT EXISTS).
"""

from django.db import migrations, models

INDEX = "dossier_name_words_idx"
TRGM = "dossier_name_trgm_idx"

FORWARDS = [
    'CREATE TABLE IF NOT EXISTS dossier_name_word (word text COLLATE "C" PRIMARY KEY)',
    "INSERT INTO dossier_name_word (word) SELECT DISTINCT w FROM dossiers_dossier, "
    "unnest(string_to_array(applicant_name_folded, ' ')) AS w ON CONFLICT DO NOTHING",
    """CREATE OR REPLACE FUNCTION dossier_name_words_inserted() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO dossier_name_word (word)
        SELECT DISTINCT w FROM new_rows, unnest(string_to_array(new_rows.applicant_name_folded, ' ')) AS w
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION dossier_name_words_renamed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO dossier_name_word (word)
        SELECT DISTINCT w FROM unnest(string_to_array(NEW.applicant_name_folded, ' ')) AS w
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END $$""",
    "CREATE TRIGGER dossier_name_words_inserted AFTER INSERT ON dossiers_dossier "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION dossier_name_words_inserted()",
    "CREATE TRIGGER dossier_name_words_renamed AFTER UPDATE OF applicant_name_folded "
    "ON dossiers_dossier FOR EACH ROW "
    "WHEN (OLD.applicant_name_folded IS DISTINCT FROM NEW.applicant_name_folded) "
    "EXECUTE FUNCTION dossier_name_words_renamed()",
    "ALTER TABLE dossiers_dossier ENABLE ALWAYS TRIGGER dossier_name_words_inserted",
    "ALTER TABLE dossiers_dossier ENABLE ALWAYS TRIGGER dossier_name_words_renamed",
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON dossiers_dossier "
    "USING gin (string_to_array(applicant_name_folded, ' '))",
    f"DROP INDEX IF EXISTS {TRGM}",
    # The planner's word frequencies (most common elements) of the new index's expression.
    "ANALYZE dossiers_dossier",
]

BACKWARDS = [
    f"CREATE INDEX IF NOT EXISTS {TRGM} ON dossiers_dossier "
    "USING gin (applicant_name_folded gin_trgm_ops)",
    f"DROP INDEX IF EXISTS {INDEX}",
    "DROP TRIGGER IF EXISTS dossier_name_words_inserted ON dossiers_dossier",
    "DROP TRIGGER IF EXISTS dossier_name_words_renamed ON dossiers_dossier",
    "DROP FUNCTION IF EXISTS dossier_name_words_inserted()",
    "DROP FUNCTION IF EXISTS dossier_name_words_renamed()",
    "DROP TABLE IF EXISTS dossier_name_word",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in FORWARDS:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in BACKWARDS:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0006_assigned_to_index")]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                fields=["due_at_current", "-submitted_at"], name="dossier_due_order_idx"
            ),
        ),
    ]
