from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from motcua.accounts.models import User


class CharacterClassValidator:
    """Password policy: at least one letter and one digit (beside Django's length,
    similarity, common-password and all-numeric checks)."""

    def validate(self, password: str, user: User | None = None) -> None:
        if not any(ch.isalpha() for ch in password) or not any(ch.isdigit() for ch in password):
            raise ValidationError(
                _("Mật khẩu phải có cả chữ cái và chữ số."), code="password_character_classes"
            )

    def get_help_text(self) -> str:
        return _("Mật khẩu phải có cả chữ cái và chữ số.")
