"""Document events cannot be updated or deleted: enforced by the database itself.

To be replaced by ``motcua.core.events.immutable_trail("correspondence_documentevent")`` once
the shared pipeline lands (same triggers, same names pattern)."""

from __future__ import annotations

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

TABLE = "correspondence_documentevent"
PG_FUNCTION = """
CREATE OR REPLACE FUNCTION correspondence_event_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'document events are immutable (%% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""
PG_TRIGGER = f"""
CREATE TRIGGER correspondence_event_no_change BEFORE UPDATE OR DELETE ON {TABLE}
FOR EACH ROW EXECUTE FUNCTION correspondence_event_immutable();
"""
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER correspondence_event_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'document events are immutable (UPDATE refused)'); END;""",
    f"""CREATE TRIGGER correspondence_event_no_delete BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'document events are immutable (DELETE refused)'); END;""",
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
        schema_editor.execute(f"DROP TRIGGER IF EXISTS correspondence_event_no_change ON {TABLE}")
        schema_editor.execute("DROP FUNCTION IF EXISTS correspondence_event_immutable()")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS correspondence_event_no_update")
        schema_editor.execute("DROP TRIGGER IF EXISTS correspondence_event_no_delete")


class Migration(migrations.Migration):
    dependencies = [("correspondence", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
