"""Public links to a dossier (what the applicant's messages and printed slips point to)."""

from __future__ import annotations

from django.conf import settings

from motcua.dossiers.models import Dossier


def tracking_url(dossier: Dossier) -> str:
    return f"{settings.MOTCUA_PUBLIC_URL.rstrip('/')}/tra-cuu/?ma={dossier.code}"
