"""The desk's name search on PostgreSQL: an index of the name's word pairs (issue #12 part 9,
decision 0037).

``dossier_name_pairs(applicant_name_folded)`` is every unordered pair of two words of the folded
name, each pair the two words in byte order with one space between ("nguyen van an" → "an
nguyen", "an van", "nguyen van"): 3 pairs for a name of three words, 6 for four. A GIN index on it
(``dossier_name_pairs_idx``) lets ``dossiers.selectors.search`` filter two typed tokens at once
(``selectors.name_pairs``): the posting list of "hung van" is far shorter than those of "van"
and "hung", and ANALYZE gives the planner each pair's frequency where the words' frequencies are
correlated. Unordered, so tokens still match in any order (decision 0029). No model field; SQLite
keeps its scan; ``makemigrations`` stays clean.

Build time on a large table (bench/README.md "search after decision 0037"): on a production
table create the function with this migration's first statement, then the index by hand with
``CREATE INDEX CONCURRENTLY dossier_name_pairs_idx ON dossiers_dossier USING gin
(dossier_name_pairs(applicant_name_folded))`` and ``ANALYZE dossiers_dossier``; this migration
then finds both (OR REPLACE, IF NOT EXISTS).
"""

from django.db import migrations

INDEX = "dossier_name_pairs_idx"

# plpgsql: ~6 µs per name here, against ~15 µs for the same pairs as one SQL query
# (unnest, self-join, array_agg). A repeated word gives a repeated pair: harmless in an array
# that GIN indexes and ``&&`` reads as a set.
FUNCTION = """CREATE OR REPLACE FUNCTION dossier_name_pairs(name text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL RESTRICTED AS $$
DECLARE
    w text[] := string_to_array(name, ' ');
    n int := cardinality(w);
    pairs text[] := '{}';
BEGIN
    FOR i IN 1 .. n - 1 LOOP
        FOR j IN i + 1 .. n LOOP
            IF w[i] COLLATE "C" <= w[j] COLLATE "C" THEN
                pairs := pairs || (w[i] || ' ' || w[j]);
            ELSE
                pairs := pairs || (w[j] || ' ' || w[i]);
            END IF;
        END LOOP;
    END LOOP;
    RETURN pairs;
END $$"""

FORWARDS = [
    FUNCTION,
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON dossiers_dossier "
    "USING gin (dossier_name_pairs(applicant_name_folded))",
    # The planner's pair frequencies (most common elements) of the new index's expression.
    "ANALYZE dossiers_dossier",
]

BACKWARDS = [
    f"DROP INDEX IF EXISTS {INDEX}",
    "DROP FUNCTION IF EXISTS dossier_name_pairs(text)",
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
    dependencies = [("dossiers", "0007_applicant_name_words")]

    operations = [migrations.RunPython(forwards, backwards)]
