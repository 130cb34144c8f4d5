"""Errors of the dossier workflow: Vietnamese first, English second; nothing is changed."""

from __future__ import annotations

from motcua.core.errors import Conflict, MotcuaError, PermissionDenied, ValidationFailed
from motcua.dossiers.states import LABEL_EN, LABEL_VI, State


class IllegalTransitionError(Conflict):
    code = "illegal_transition"

    def __init__(self, source: State, target: State) -> None:
        super().__init__(
            f"Không thể chuyển hồ sơ từ trạng thái “{LABEL_VI[source]}” sang “{LABEL_VI[target]}”.",
            f"A dossier cannot go from “{LABEL_EN[source]}” to “{LABEL_EN[target]}”.",
            source=source.value,
            target=target.value,
        )


class AlreadyHandled(Conflict):
    code = "already_handled"

    def __init__(self, code: str) -> None:
        super().__init__(
            f"Hồ sơ {code} vừa được người khác xử lý. Hãy tải lại để xem trạng thái mới; "
            "thao tác của bạn chưa được ghi.",
            f"Dossier {code} was just handled by someone else. Reload to see its new state; "
            "your action was not recorded.",
        )


class RoleRequired(PermissionDenied):
    code = "role_required"

    def __init__(self, role_vi: str, role_en: str) -> None:
        super().__init__(
            f"Thao tác này cần vai trò “{role_vi}” tại đơn vị xử lý hồ sơ.",
            f"This action needs the role “{role_en}” at the unit handling the dossier.",
        )


class RuleViolation(ValidationFailed):
    """A legal rule forbids the action (the message cites the rule)."""

    code = "rule"


__all__ = [
    "AlreadyHandled",
    "IllegalTransitionError",
    "MotcuaError",
    "RoleRequired",
    "RuleViolation",
]
