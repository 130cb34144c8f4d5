"""The e-form of an online application (R-ONL-*, Decree 45/2020 Art. 9): the applicant's
contact details, the units, the result delivery, and one upload per checklist item of the
procedure's catalogue components."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from vn_ident import is_valid_phone

from motcua.agencies.models import RECEIVING_KINDS, Unit, UnitKind
from motcua.agencies.selectors import unit_of_address
from motcua.catalog.declaration import (
    MAX_TEXT,
    Declaration,
    DeclarationField,
    FieldType,
    clean_values,
)
from motcua.catalog.models import Component, DataSource, ProcedureVersion
from motcua.core.clock import local_today
from motcua.core.widgets import QuickSelect
from motcua.dossiers.models import Delivery
from motcua.portal.uploads import ACCEPT

#: The text fields kept in a draft (files are kept as DraftFile rows).
DRAFT_FIELDS = (
    "phone",
    "email",
    "address",
    "summary",
    "competent_unit",
    "receiving_unit",
    "result_delivery",
)


@dataclass(frozen=True)
class ChecklistItem:
    """A catalogue component as the e-form asks for it."""

    component: Component
    required: bool
    why_optional: str

    @property
    def field_name(self) -> str:
        return f"file_{self.component.pk}"


def _order(component: Component) -> int:
    return component.order


def checklist(version: ProcedureVersion) -> list[ChecklistItem]:
    """Which uploads are required online: documents the citizen must hand in; not conditional
    items ("nếu có"), not items only shown at the counter (identity is proven by VNeID), not
    items the agency reads from a national database itself (R-REUSE-05)."""
    items = []
    # ``.all()``: the components procedure_detail prefetched, no second query (issue #14 item 9).
    components = sorted((c for c in version.components.all() if not c.is_note), key=_order)
    for c in components:
        why = ""
        if c.conditional:
            why = str(_("Chỉ nộp nếu trường hợp của bạn cần giấy tờ này."))
        elif c.requirement == Component.Requirement.PRESENT:
            why = str(_("Giấy tờ xuất trình: danh tính của bạn đã được xác thực qua VNeID."))
        elif c.replaceable_by:
            why = str(
                _("Không bắt buộc: cơ quan giải quyết tự tra cứu từ {source}.").format(
                    source=c.get_replaceable_by_display()
                )
            )
        items.append(ChecklistItem(component=c, required=not why, why_optional=why))
    return items


def _unit_choices(units: list[Unit]) -> list[tuple[str, str]]:
    return [("", str(_("— Chọn đơn vị —"))), *((str(u.pk), u.name) for u in units)]


def receiving_units_for(
    version: ProcedureVersion, competent: Unit | None, centres: list[Unit]
) -> list[Unit]:
    """Where the citizen may file (R-ORG-02): any centre of the province for a boundary-free
    procedure; otherwise the centre of the competent unit's commune, or the provincial centre
    and its branches for a provincial unit (R-ORG-05)."""
    if version.boundary_free or competent is None:
        return centres
    if competent.commune_id:
        local = [u for u in centres if u.commune_id == competent.commune_id]
        if local:
            return local
    return [u for u in centres if u.kind in {UnitKind.PROVINCIAL_PSC, UnitKind.PSC_BRANCH}]


def preselected_units(
    version: ProcedureVersion, address: str, competent_units: list[Unit], centres: list[Unit]
) -> dict[str, str]:
    """The competent unit and the centre of the citizen's commune, named in their address
    (issue #14 item 4); only what the address decides (nothing when it names no unit)."""
    chosen: dict[str, str] = {}
    competent = (
        competent_units[0]
        if len(competent_units) == 1
        else unit_of_address(competent_units, address)
    )
    if competent is not None:
        chosen["competent_unit"] = str(competent.pk)
    allowed = [
        u for u in receiving_units_for(version, competent, centres) if u.kind in RECEIVING_KINDS
    ]
    centre = allowed[0] if len(allowed) == 1 else unit_of_address(allowed, address)
    if centre is not None:
        chosen["receiving_unit"] = str(centre.pk)
    return chosen


def declaration_name(name: str) -> str:
    return f"decl_{name}"


def _english() -> bool:
    return (translation.get_language() or "vi").startswith("en")


def _widget(f: DeclarationField) -> forms.Widget:
    attrs = {
        FieldType.DATE: {"type": "date"},
        FieldType.ID_NUMBER: {"inputmode": "numeric", "autocomplete": "off"},
        FieldType.PHONE: {"inputmode": "tel", "autocomplete": "tel"},
        FieldType.NUMBER: {"inputmode": "decimal"},
        FieldType.ADDRESS: {"autocomplete": "street-address"},
    }.get(f.type, {})
    return forms.TextInput(attrs=attrs)


class ApplicationForm(forms.Form):
    phone = forms.CharField(
        label=_("Số điện thoại di động"),
        max_length=20,
        help_text=_("Để nhận tin nhắn về hồ sơ. Ví dụ: 0901234567"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("Thư điện tử (không bắt buộc)"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Địa chỉ thư điện tử chưa đúng. Ví dụ: ten@example.com")},
    )
    address = forms.CharField(
        label=_("Địa chỉ liên hệ (cũng là nơi nhận kết quả nếu chọn bưu chính)"),
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    summary = forms.CharField(
        label=_("Nội dung đề nghị (không bắt buộc)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ví dụ: Đăng ký khai sinh cho con Nguyễn Văn Bình, sinh ngày 01/06/2025."),
    )
    # ``data-searchable``: web/choices.js adds a filter box (typed with or without diacritics);
    # without JavaScript the list is a plain, alphabetically ordered select (issue #14 item 4).
    # QuickSelect: hundreds of units rendered without a template per option (item 9).
    competent_unit = forms.ChoiceField(
        label=_("Cơ quan giải quyết"), widget=QuickSelect(attrs={"data-searchable": "1"})
    )
    receiving_unit = forms.ChoiceField(
        label=_("Nơi tiếp nhận hồ sơ (Trung tâm Phục vụ hành chính công)"),
        widget=QuickSelect(attrs={"data-searchable": "1"}),
    )
    result_delivery = forms.ChoiceField(
        label=_("Cách nhận kết quả"),
        choices=Delivery.choices,
        widget=forms.RadioSelect,
        initial=Delivery.ONLINE,
    )
    pledge = forms.BooleanField(
        label=_("Tôi cam đoan những thông tin đã khai là đúng sự thật."),
        required=True,
        error_messages={"required": _("Hãy đánh dấu ô cam đoan trước khi nộp hồ sơ.")},
    )

    def __init__(
        self,
        *args: Any,
        version: ProcedureVersion,
        competent_units: list[Unit],
        centres: list[Unit],
        items: list[ChecklistItem],
        uploaded: set[int],
        submitting: bool,
        declaration: Declaration | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.declaration = declaration
        self.version = version
        self.competent_units = {str(u.pk): u for u in competent_units}
        self.centres = {str(u.pk): u for u in centres if u.kind in RECEIVING_KINDS}
        self.items = items
        self.uploaded = uploaded
        self.submitting = submitting
        self._field("competent_unit").choices = _unit_choices(competent_units)
        self._field("receiving_unit").choices = _unit_choices(centres)
        required_messages = {
            "phone": _("Hãy nhập số điện thoại di động để nhận tin nhắn về hồ sơ."),
            "address": _("Hãy nhập địa chỉ liên hệ."),
            "competent_unit": _("Hãy chọn cơ quan giải quyết."),
            "receiving_unit": _("Hãy chọn nơi tiếp nhận hồ sơ."),
            "result_delivery": _("Hãy chọn cách nhận kết quả."),
        }
        for name, message in required_messages.items():
            self.fields[name].error_messages["required"] = message
        for item in items:
            self.fields[item.field_name] = forms.FileField(
                label=item.component.name,
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
            )
        self.required_on_submit = {name for name, f in self.fields.items() if f.required}
        self._add_declaration_fields()
        if not submitting:  # a draft keeps whatever is there; nothing is required yet
            for field in self.fields.values():
                field.required = False

    def _add_declaration_fields(self) -> None:
        """The procedure's declaration (tờ khai) as e-form fields named ``decl_<name>``; checked
        in :meth:`clean` by the catalogue's validator, the same as at the counter."""
        if self.declaration is None:
            return
        for f in self.declaration.fields:
            hint = f.help()
            if f.database:
                optional = str(
                    _("Có thể để trống: cơ quan giải quyết tra cứu từ {source}.").format(
                        source=DataSource(f.database).label
                    )
                )
                hint = f"{hint} {optional}".strip()
            elif f.identity_claim:
                hint = f"{hint} {_('Điền sẵn từ tài khoản định danh điện tử VNeID.')}".strip()
            field: forms.Field
            if f.type == FieldType.CHOICE:
                choices = [("", str(_("— Chọn —")))]
                choices += [(c.value, c.label_en if _english() else c.label_vi) for c in f.choices]
                field = forms.ChoiceField(choices=choices, required=False)
            else:
                field = forms.CharField(required=False, max_length=MAX_TEXT, widget=_widget(f))
            field.label = f.label()
            field.help_text = hint
            self.fields[declaration_name(f.name)] = field
            if f.required and not f.database:
                self.required_on_submit.add(declaration_name(f.name))

    @property
    def declaration_names(self) -> list[str]:
        if self.declaration is None:
            return []
        return [declaration_name(f.name) for f in self.declaration.fields]

    def declaration_sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The declaration's bound fields grouped under their section headings."""
        groups: list[tuple[str, list[forms.BoundField]]] = []
        for f in self.declaration.fields if self.declaration else ():
            if f.section() or not groups:
                groups.append((f.section(), []))
            groups[-1][1].append(self[declaration_name(f.name)])
        return groups

    def _clean_declaration(self, data: dict[str, Any]) -> None:
        if self.declaration is None:
            data["declaration"] = None
            return
        raw = {f.name: self.data.get(declaration_name(f.name), "") for f in self.declaration.fields}
        values, errors = clean_values(
            self.declaration, raw, today=local_today(), require=self.submitting
        )
        for name, error in errors.items():
            self.add_error(declaration_name(name), error)
        data["declaration"] = values

    def _field(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field

    def clean_phone(self) -> str:
        phone = "".join(
            ch for ch in self.cleaned_data.get("phone", "") if ch.isdigit() or ch == "+"
        )
        if phone and not is_valid_phone(phone):
            raise forms.ValidationError(
                _(
                    "Số điện thoại “{phone}” chưa đúng. Hãy nhập số di động 10 chữ số, "
                    "ví dụ 0901234567."
                ).format(phone=phone)
            )
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        competent = self.competent_units.get(data.get("competent_unit") or "")
        receiving = self.centres.get(data.get("receiving_unit") or "")
        data["competent"] = competent
        data["receiving"] = receiving
        if competent is not None and receiving is not None:
            allowed = receiving_units_for(self.version, competent, list(self.centres.values()))
            if receiving not in allowed:
                self.add_error(
                    "receiving_unit",
                    _(
                        "Thủ tục này phải nộp tại {allowed}, nơi có cơ quan giải quyết đã chọn. "
                        "Hãy chọn lại nơi tiếp nhận."
                    ).format(allowed=", ".join(u.name for u in allowed[:3])),
                )
        self._clean_declaration(data)
        if self.submitting:
            for item in self.items:
                if (
                    item.required
                    and item.component.pk not in self.uploaded
                    and not self.files.get(item.field_name)
                ):
                    self.add_error(
                        item.field_name,
                        _("Hãy tải lên giấy tờ này (PDF, JPG hoặc PNG)."),
                    )
        return data
