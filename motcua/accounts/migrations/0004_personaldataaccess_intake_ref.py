"""The counter intake a population lookup served before its dossier existed (issue #14):
rows logged against an intake reference (TQ-…) keep it in ``intake_ref``."""

from django.db import migrations, models


def keep_intakes(apps, schema_editor):  # type: ignore[no-untyped-def]
    access = apps.get_model("accounts", "PersonalDataAccess")
    for row in access.objects.filter(dossier_ref__startswith="TQ-").only("pk", "dossier_ref"):
        access.objects.filter(pk=row.pk).update(intake_ref=row.dossier_ref)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_alter_roleassignment_role"),
    ]

    operations = [
        migrations.AddField(
            model_name="personaldataaccess",
            name="intake_ref",
            field=models.CharField(blank=True, db_index=True, max_length=60),
        ),
        migrations.RunPython(keep_intakes, migrations.RunPython.noop),
    ]
