"""Form widgets that render long lists cheaply (issue #14 item 9, speed as felt).

Django's :class:`~django.forms.Select` renders every ``<option>`` through a template include:
≈ 0.3 ms an option, so the e-form's two unit lists and the catalogue's list of fields cost
0.1–0.2 s a page on the shared machine. :class:`QuickSelect` writes the same HTML in Python
(the markup of ``django/forms/widgets/select.html``, attributes escaped the same way); it has
no option groups and no per-option attributes, which these lists never use.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


class QuickSelect(forms.Select):
    """A single-choice ``<select>`` of flat ``(value, label)`` choices."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        chosen = self.format_value(value)
        selected = chosen[0] if chosen else None
        parts = [f'<select name="{escape(name)}"{flatatt(final)}>']
        for option_value, label in self.choices:
            text = "" if option_value is None else str(option_value)
            mark = " selected" if text == selected else ""
            parts.append(f'\n  <option value="{escape(text)}"{mark}>{escape(label)}</option>')
            if mark:
                selected = None  # one selected option, as Django's Select
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 -- every value above is escaped
