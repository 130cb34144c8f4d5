"""Document events cannot be updated or deleted: enforced by the database itself (R-DOC-09,
R-DOC-15: the trail of a revoked document is kept)."""

from __future__ import annotations

from django.db import migrations

from motcua.core.events import immutable_trail


class Migration(migrations.Migration):
    dependencies = [("correspondence", "0001_initial")]
    operations = [
        immutable_trail(
            "correspondence_documentevent", "document events", stem="correspondence"
        )
    ]
