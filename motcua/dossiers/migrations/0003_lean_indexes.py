"""Only the indexes something queries (bench/README.md, "Where the re-dating time goes").

On SQLite, altering a column rebuilds the table and drops its triggers: the immutability
triggers of dossier events (0002, R-STATE-04) are created again at the end."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

SQLITE_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS dossiers_event_no_update BEFORE UPDATE
    ON dossiers_dossierevent
    BEGIN SELECT RAISE(ABORT, 'dossier events are immutable (UPDATE refused)'); END;""",
    """CREATE TRIGGER IF NOT EXISTS dossiers_event_no_delete BEFORE DELETE
    ON dossiers_dossierevent
    BEGIN SELECT RAISE(ABORT, 'dossier events are immutable (DELETE refused)'); END;""",
]


def restore_sqlite_triggers(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0001_initial"),
        ("catalog", "0002_curated_components"),
        ("dossiers", "0002_immutable_events"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Unapplying rebuilds the tables again after the last operation's reverse: restore then.
        migrations.RunPython(migrations.RunPython.noop, restore_sqlite_triggers),
        migrations.AlterField(
            model_name="dossier",
            name="applicant_id_number",
            field=models.CharField(max_length=20),
        ),
        migrations.AlterField(
            model_name="dossier",
            name="applicant_name_folded",
            field=models.CharField(max_length=200),
        ),
        migrations.AlterField(
            model_name="dossier",
            name="assigned_to",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="assigned_dossiers",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="dossier",
            name="code",
            field=models.CharField(blank=True, max_length=60, null=True),
        ),
        migrations.AlterField(
            model_name="dossier",
            name="competent_unit",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="agencies.unit",
            ),
        ),
        migrations.AlterField(
            model_name="dossier",
            name="procedure_code",
            field=models.CharField(max_length=8),
        ),
        migrations.AlterField(
            model_name="dossier",
            name="procedure_version",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="dossiers",
                to="catalog.procedureversion",
            ),
        ),
        migrations.AlterField(
            model_name="dossier",
            name="receiving_unit",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="agencies.unit",
            ),
        ),
        migrations.AlterField(
            model_name="dossierevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="dossierevent",
            name="dossier",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="events",
                to="dossiers.dossier",
            ),
        ),
        migrations.AlterField(
            model_name="dossierevent",
            name="unit",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="agencies.unit",
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(fields=["applicant_id_number"], name="dossier_applicant_id_idx"),
        ),
        migrations.AddConstraint(
            model_name="dossier",
            constraint=models.UniqueConstraint(fields=("code",), name="uniq_dossier_code"),
        ),
        migrations.RunPython(restore_sqlite_triggers, migrations.RunPython.noop),
    ]
