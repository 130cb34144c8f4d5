"""The fee of a dossier, from its procedure version's catalogue rules (R-PAY-03, R-CAT-01)."""

from __future__ import annotations

from motcua.catalog.fees import FeeError, FeeInput, FeeLine, FeeQuote, FeeRule, compute_fee
from motcua.dossiers.errors import RuleViolation
from motcua.dossiers.models import Dossier

__all__ = ["financial_obligation", "quote_for_dossier"]


def financial_obligation(dossier: Dossier) -> int | None:
    """The amount an officer asked for when the dossier went to ``awaiting_payment`` (R-PAY-02),
    if it is waiting for one."""
    if dossier.state != "awaiting_payment":
        return None
    event = dossier.events.filter(kind="dossier:state:awaiting_payment").order_by("-seq").first()
    amount = (event.payload or {}).get("amount") if event else None
    return amount if isinstance(amount, int) and amount > 0 else None


def quote_for_dossier(dossier: Dossier) -> FeeQuote:
    """What the applicant pays: the financial obligation an officer set, else the catalogue fee
    of the version the dossier was received under (R-VER-02), pages counted on the documents
    provided."""
    obligation = financial_obligation(dossier)
    if obligation is not None:
        line = FeeLine("Nghĩa vụ tài chính theo thông báo của cơ quan giải quyết", obligation)
        return FeeQuote(total=obligation, lines=(line,))
    rules = dossier.procedure_version.fee_rules or []
    if not rules:
        raise RuleViolation(
            "Thủ tục này chưa có mức phí, lệ phí trong danh mục; vui lòng nộp tại bộ phận một cửa.",
            "This procedure has no fee in the catalogue; pay at the counter.",
        )
    pages = sum(c.pages * max(c.quantity, 1) for c in dossier.components.filter(provided=True))
    lines: list[FeeLine] = []
    try:
        for data in rules:
            rule = FeeRule.from_dict(data)
            quote = compute_fee(rule, FeeInput(pages=max(pages, 1)))
            label = rule.label_vi
            lines.extend(
                FeeLine(
                    line.description
                    if not label or line.description.startswith(label)
                    else f"{label}: {line.description}",
                    line.amount,
                )
                for line in quote.lines
            )
    except FeeError as exc:
        raise RuleViolation(exc.message_vi, exc.message_en or exc.message_vi) from exc
    return FeeQuote(total=sum(line.amount for line in lines), lines=tuple(lines))
