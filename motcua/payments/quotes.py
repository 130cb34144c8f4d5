"""The fee of a dossier, from its procedure version's catalogue rules (R-PAY-03, R-CAT-01)."""

from __future__ import annotations

from dataclasses import dataclass

from motcua.catalog.fees import (
    FeeError,
    FeeInput,
    FeeLine,
    FeeQuote,
    FeeRule,
    compute_fee,
    format_vnd,
)
from motcua.dossiers.errors import RuleViolation
from motcua.dossiers.models import Dossier

__all__ = ["FeeNotice", "fee_notice", "financial_obligation", "quote_for_dossier"]


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


@dataclass(frozen=True)
class FeeNotice:
    """What the citizen is asked to pay and why, on their dossier's page where they decide to
    pay (issue #14 item 4, R-PAY-02/03): the total, the officer's reason (or the catalogue
    rule's name), the lines and the legal basis."""

    total: str
    reason: str
    lines: tuple[tuple[str, str], ...]
    legal_basis: str


def fee_notice(dossier: Dossier) -> FeeNotice | None:
    """The fee notice of a dossier awaiting payment; ``None`` otherwise, or when no amount can
    be stated (the counter then says it)."""
    if dossier.state != "awaiting_payment":
        return None
    try:
        quote = quote_for_dossier(dossier)
    except RuleViolation:
        return None
    event = dossier.events.filter(kind="dossier:state:awaiting_payment").order_by("-seq").first()
    rules = []
    for data in dossier.procedure_version.fee_rules or []:
        try:
            rules.append(FeeRule.from_dict(data))
        except FeeError:
            continue
    reason = (event.reason if event else "") or "; ".join(r.label_vi for r in rules if r.label_vi)
    legal = "; ".join(dict.fromkeys(r.legal_basis for r in rules if r.legal_basis))
    return FeeNotice(
        total=format_vnd(quote.total),
        reason=reason,
        lines=tuple((line.description, format_vnd(line.amount)) for line in quote.lines),
        legal_basis=legal,
    )
