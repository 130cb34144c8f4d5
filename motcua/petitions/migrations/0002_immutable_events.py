"""Petition events cannot be updated or deleted: enforced by the database itself, as for dossier
events (R-STATE-04)."""

from __future__ import annotations

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION petitions_event_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'petition events are immutable (%% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""
PG_TRIGGER = """
CREATE TRIGGER petitions_event_no_change BEFORE UPDATE OR DELETE ON petitions_petitionevent
FOR EACH ROW EXECUTE FUNCTION petitions_event_immutable();
"""
SQLITE_TRIGGERS = [
    """CREATE TRIGGER petitions_event_no_update BEFORE UPDATE ON petitions_petitionevent
    BEGIN SELECT RAISE(ABORT, 'petition events are immutable (UPDATE refused)'); END;""",
    """CREATE TRIGGER petitions_event_no_delete BEFORE DELETE ON petitions_petitionevent
    BEGIN SELECT RAISE(ABORT, 'petition events are immutable (DELETE refused)'); END;""",
]


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION)
        schema_editor.execute(PG_TRIGGER)
    elif vendor == "sqlite":
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)
    else:
        raise RuntimeError(f"no immutability trigger for database vendor {vendor}")


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS petitions_event_no_change ON petitions_petitionevent"
        )
        schema_editor.execute("DROP FUNCTION IF EXISTS petitions_event_immutable()")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS petitions_event_no_update")
        schema_editor.execute("DROP TRIGGER IF EXISTS petitions_event_no_delete")


class Migration(migrations.Migration):
    dependencies = [("petitions", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
