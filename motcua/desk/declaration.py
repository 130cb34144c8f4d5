"""The declaration (tờ khai) at the counter and on the dossier page (issue #14 item 2).

The counter asks the same fields as the e-form, checked by the same validator
(``catalog.declaration.clean_values``). A field the State holds about the applicant
(``identity:<claim>``) left empty takes the value the officer entered for the applicant, whose
identity document the officer has checked (R-REUSE-01)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from motcua.catalog.declaration import (
    Declaration,
    FieldType,
    clean_values,
    declaration_of,
    identity_prefill,
)
from motcua.catalog.models import DataSource, ProcedureVersion
from motcua.core.clock import local_today

PREFIX = "decl_"


@dataclass(frozen=True)
class Row:
    """One field of the counter's declaration block, as the template draws it."""

    section: str
    name: str
    label: str
    type: str
    choices: tuple[tuple[str, str], ...]
    value: str
    error: str
    required: bool
    hint: str

    @property
    def input_type(self) -> str:
        return "date" if self.type == FieldType.DATE else "text"


def _claims(post: Mapping[str, str]) -> dict[str, str]:
    return {
        "full_name": post.get("applicant_name", ""),
        "id_number": post.get("applicant_id_number", ""),
        "address": post.get("applicant_address", ""),
        "phone": post.get("applicant_phone", ""),
        "email": post.get("applicant_email", ""),
    }


def _raw(form: Declaration, post: Mapping[str, str]) -> dict[str, str]:
    typed = {f.name: post.get(PREFIX + f.name, "").strip() for f in form.fields}
    prefill = identity_prefill(form, _claims(post))
    return {name: typed[name] or prefill.get(name, "") for name in typed}


def counter_values(
    version: ProcedureVersion, post: Mapping[str, str]
) -> tuple[dict[str, str] | None, dict[str, str]]:
    """(values for the action, or None without a declaration; errors by field name)."""
    form = declaration_of(version.declaration)
    if form is None:
        return None, {}
    return clean_values(form, _raw(form, post), today=local_today())


def counter_rows(
    version: ProcedureVersion, post: Mapping[str, str] | None, errors: Mapping[str, str]
) -> list[Row]:
    form = declaration_of(version.declaration)
    if form is None:
        return []
    rows = []
    for f in form.fields:
        hint = f.help()
        if f.database:
            lookup = _("Có thể để trống: tra cứu từ {source}.").format(
                source=DataSource(f.database).label
            )
            hint = f"{hint} {lookup}".strip()
        elif f.identity_claim:
            hint = f"{hint} {_('Để trống: lấy theo thông tin người nộp.')}".strip()
        rows.append(
            Row(
                section=f.section(),
                name=PREFIX + f.name,
                label=f.label(),
                type=f.type,
                choices=tuple((c.value, c.label_vi) for c in f.choices),
                value=(post or {}).get(PREFIX + f.name, ""),
                error=errors.get(f.name, ""),
                required=f.required and not f.database and not f.identity_claim,
                hint=hint,
            )
        )
    return rows
