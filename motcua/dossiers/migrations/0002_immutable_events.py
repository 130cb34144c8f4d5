"""Dossier events cannot be updated or deleted: enforced by the database itself (R-STATE-04)."""

from __future__ import annotations

from django.db import migrations

from motcua.core.events import immutable_trail


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0001_initial")]
    operations = [immutable_trail("dossiers_dossierevent", "dossier events", stem="dossiers")]
