"""``{% declared_rows dossier as rows %}``: the dossier's declared values, labelled, for the
officers' dossier page (issue #14 item 2)."""

from __future__ import annotations

from django import template

from motcua.catalog.declaration import declaration_of, labelled_values
from motcua.dossiers.models import Dossier

register = template.Library()


@register.simple_tag
def declared_rows(dossier: Dossier) -> list[tuple[str, str, str]]:
    return labelled_values(
        declaration_of(dossier.procedure_version.declaration), dossier.declaration or {}
    )
