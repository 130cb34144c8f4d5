"""The communes' 16-criteria checklist (R-IDX-09): reads and the one writer."""

from __future__ import annotations

from dataclasses import dataclass

from motcua.accounts.models import User
from motcua.core.actions import action
from motcua.core.errors import NotFound, ValidationFailed
from motcua.core.text import nfc
from motcua.geo.models import Commune
from motcua.insights.models import Criterion, CriterionStatus


@dataclass(frozen=True)
class Line:
    criterion: Criterion
    status: str
    status_label: str
    evidence: str


def for_commune(commune_code: int) -> list[Line]:
    statuses = {s.criterion_id: s for s in CriterionStatus.objects.filter(commune_id=commune_code)}
    labels = dict(CriterionStatus.Status.choices)
    lines = []
    for criterion in Criterion.objects.all():
        found = statuses.get(criterion.pk)
        status = found.status if found else CriterionStatus.Status.NOT_ASSESSED
        lines.append(Line(criterion, status, str(labels[status]), found.evidence if found else ""))
    return lines


@action
def do_set_criterion_status(
    commune_code: int, criterion_code: str, *, status: str, evidence: str, acting_user: User
) -> CriterionStatus:
    criterion = Criterion.objects.filter(code=criterion_code).first()
    commune = Commune.objects.filter(pk=commune_code).first()
    if criterion is None or commune is None:
        raise NotFound("Không tìm thấy tiêu chí", "Criterion not found")
    if status not in CriterionStatus.Status.values:
        raise ValidationFailed("Trạng thái không hợp lệ.", "Unknown status.", field="status")
    if status == CriterionStatus.Status.MET and not evidence.strip():
        raise ValidationFailed(
            "Hãy ghi minh chứng khi đánh giá “Đạt” (R-IDX-09).",
            "Evidence is required for “met” (R-IDX-09).",
            field="evidence",
        )
    row, _ = CriterionStatus.objects.update_or_create(
        criterion=criterion,
        commune=commune,
        defaults={"status": status, "evidence": nfc(evidence)[:4000], "updated_by": acting_user},
    )
    return row
