"""Petition events cannot be updated or deleted: enforced by the database itself, as for dossier
events (R-STATE-04)."""

from __future__ import annotations

from django.db import migrations

from motcua.core.events import immutable_trail


class Migration(migrations.Migration):
    dependencies = [("petitions", "0001_initial")]
    operations = [immutable_trail("petitions_petitionevent", "petition events", stem="petitions")]
