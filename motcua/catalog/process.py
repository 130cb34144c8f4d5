"""Internal process steps and result documents of a procedure version (issue #4 point 1,
R-CAT-01, R-TIME-02, R-TIME-03).

A province publishes its internal process (quy trình nội bộ) per procedure: steps in 0.5
working-day units (R-TIME-02), each performed by a role. The seed catalogue has none (the portal
crawl publishes the legal time only), so until the province enters its own steps (admin:
Catalogue › Procedure versions, "Các bước xử lý nội bộ") a default process is derived from the
time limit: receive → appraise → approve → return, summing to the limit, in half working days,
and shown as "default, to be confirmed by the province". Durations are stored and computed in
working hours, 8 hours = 1 working day (R-TIME-03).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from django.utils.translation import gettext as _

from motcua.catalog.models import ProcedureVersion, ProcessStep, TimeUnit

HOURS_PER_DAY = Decimal(8)  # R-TIME-03
HALF_DAY = Decimal(4)  # R-TIME-02: the step granularity, in working hours
HALF_HOUR = Decimal("0.5")


@dataclass(frozen=True)
class Step:
    order: int
    name: str
    hours: Decimal
    performer: str  # ProcessStep.Performer

    @property
    def performer_label(self) -> str:
        return str(ProcessStep.Performer(self.performer).label)

    @property
    def duration_text(self) -> str:
        """ "0,5 ngày làm việc", "2 ngày làm việc", or working hours below half a day."""
        if self.hours % HALF_DAY == 0:
            days = self.hours / HOURS_PER_DAY
            return _("{n} ngày làm việc").format(n=_number(days))
        return _("{n} giờ làm việc").format(n=_number(self.hours))


@dataclass(frozen=True)
class Process:
    steps: list[Step]
    is_default: bool  # derived from the time limit, to be confirmed by the province
    total_hours: Decimal


def _number(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def limit_hours(unit: str, value: Decimal | None) -> Decimal | None:
    """The time limit in working hours, or None when there is none to split (unknown unit).

    Calendar days are counted as the working days they contain on a five-day week (5/7, rounded
    down to half a day): a default only, which the province confirms or corrects."""
    if unit == TimeUnit.SAME_DAY:
        return HOURS_PER_DAY
    if value is None or value <= 0:
        return None
    if unit == TimeUnit.WORKING_DAYS:
        return value * HOURS_PER_DAY
    if unit == TimeUnit.WORKING_HOURS:
        return value
    if unit == TimeUnit.DAYS:
        half_days = (value * 5 / 7 * 2).to_integral_value(rounding=ROUND_FLOOR)
        return max(half_days, Decimal(1)) * HALF_DAY
    return None


def default_steps(total_hours: Decimal) -> list[Step]:
    """Receive → appraise → approve → return, summing to ``total_hours`` (R-TIME-02).

    From two working days up: receipt and transfer 0.5 day, the leader's approval 0.5 day and the
    return 0.5 day (as the desk's step deadlines, dossiers.actions.processing.step_plan), the
    appraisal the rest, rounded down to half a day (the remainder of an odd limit in hours goes
    to the appraisal too, so the sum is always the limit). Below two working days half-day steps
    cannot hold four steps: a quarter each, in half hours, the appraisal taking the remainder."""
    names = [
        _("Tiếp nhận và chuyển hồ sơ"),
        _("Thẩm định, xử lý hồ sơ"),
        _("Phê duyệt, ký kết quả"),
        _("Trả kết quả"),
    ]
    roles = [
        ProcessStep.Performer.ONE_STOP_OFFICER,
        ProcessStep.Performer.SPECIALIST,
        ProcessStep.Performer.UNIT_LEADER,
        ProcessStep.Performer.ONE_STOP_OFFICER,
    ]
    if total_hours >= 4 * HALF_DAY:
        short = [HALF_DAY, HALF_DAY, HALF_DAY]
    else:
        quarter = (total_hours / 4 / HALF_HOUR).to_integral_value(rounding=ROUND_FLOOR) * HALF_HOUR
        short = [quarter, quarter, quarter]
    appraisal = total_hours - sum(short)
    hours = [short[0], appraisal, short[1], short[2]]
    return [
        Step(order=i + 1, name=name, hours=h, performer=role)
        for i, (name, h, role) in enumerate(zip(names, hours, roles, strict=True))
    ]


def process_for(version: ProcedureVersion) -> Process | None:
    """The province's own steps when entered; otherwise the default derived from the limit;
    None when the limit is unknown (nothing to split)."""
    stored = list(version.steps.all())
    if stored:
        steps = [
            Step(order=s.order, name=s.name, hours=s.duration_hours, performer=s.performer)
            for s in stored
        ]
        return Process(
            steps=steps, is_default=False, total_hours=sum((s.hours for s in steps), Decimal(0))
        )
    total = limit_hours(version.time_limit_unit, version.time_limit_value)
    if total is None:
        return None
    return Process(steps=default_steps(total), is_default=True, total_hours=total)


@dataclass(frozen=True)
class Result:
    name: str
    result_code: str
    is_default: bool  # a generic line, to be confirmed by the province
    legal_basis: str = ""


# The results the law names for the procedures a counter handles every day (the same set as
# catalog/data/curated_checklists.csv), shown until the province enters its own.
CURATED_RESULTS: dict[str, tuple[tuple[str, str], ...]] = {
    "1.001193": (("Giấy khai sinh (bản chính)", "Luật Hộ tịch 2014 Điều 16(2)"),),
    "1.000894": (("Giấy chứng nhận kết hôn", "Luật Hộ tịch 2014 Điều 18(2)"),),
    "1.000656": (("Trích lục khai tử", "Luật Hộ tịch 2014 Điều 34(2)"),),
    "2.000815": (("Bản sao được chứng thực từ bản chính", "Nghị định 23/2015/NĐ-CP"),),
    "2.000884": (("Giấy tờ, văn bản đã được chứng thực chữ ký", "Nghị định 23/2015/NĐ-CP"),),
    "2.000913": (
        (
            "Hợp đồng, giao dịch sửa đổi, bổ sung, hủy bỏ đã được chứng thực",
            "Nghị định 23/2015/NĐ-CP",
        ),
    ),
    "2.001035": (("Hợp đồng, giao dịch đã được chứng thực", "Nghị định 23/2015/NĐ-CP"),),
    "3.000333": (("Phiếu lý lịch tư pháp", "Luật Lý lịch tư pháp 2009"),),
}


def results_for(version: ProcedureVersion) -> list[Result]:
    """The result documents (R-CAT-01): the province's when entered; else the result the law
    names for a daily procedure; else one generic line the province is to confirm."""
    stored = [Result(r.name, r.result_code, False) for r in version.results.all()]
    if stored:
        return stored
    curated = CURATED_RESULTS.get(version.procedure.code_national)
    if curated:
        return [Result(name, "", False, basis) for name, basis in curated]
    return [
        Result(
            _("Văn bản giải quyết thủ tục “{name}” theo căn cứ pháp lý của thủ tục").format(
                name=version.name
            ),
            "",
            True,
        )
    ]
