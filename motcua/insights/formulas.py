"""Decision 766/QĐ-TTg indicators as pure arithmetic (DOMAIN.md §10): the formula registry, the
points and the band, and the per-dossier fact that the rollups add up. No Django here; plain
values in and out, so a reviewer can check every line against the Decision.

Formula version ``766-2026.5`` (R-VER-01, R-IDX-05). Anything that changes a number changes the
version; every published figure carries it. 2026.2: R-IDX-02/03 computed from petitions
(``motcua.petitions``) instead of pending. 2026.3: "published on time" computed from the
catalogue's publication decisions (``motcua.catalog.publication``) instead of pending. 2026.4:
R-IDX-04 also deducts dossiers with a complaint (a feedback filed about the dossier and not
forwarded as outside the unit's competence), not only those rated not satisfied. 2026.5: a ratio
of 0 % earns no points (the partial points of a threshold indicator reward a rate below the
threshold, not the absence of any; issue #14 item 7) [I].

How a dossier is counted (R-IDX-05..08):

* The cohort of a period is every dossier **received** in it (the local date of receipt), under
  its **competent** unit. Received means national states 2,4,5,6,7,8,9,10 (R-IDX-06): a dossier
  only submitted (1) or refused at the counter (3) is never counted.
* Finished with a result (approval or refusal, R-STATE-03): early / on time / late by comparing
  the local DATE of the result with the date of the ORIGINAL deadline (R-TIME-14, R-LATE-07): an
  apology with a new date never makes a late dossier on time.
* Still in progress: in time while the original due date is on or after the evaluation date
  E = min(today, last day of the period) (R-TIME-15). A dossier whose clock is stopped (awaiting a
  supplement or a payment, R-TIME-13) is in time unless it was already overdue when the clock
  stopped.
* Withdrawn (7) or stopped (8): counted in the denominator (R-IDX-06); in the numerator when they
  ended on or before the original due date. [I] — the portal treats them as finished for
  timeliness (R-STATE-02); to be confirmed by the legal review.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Any, Protocol

FORMULA_VERSION = "766-2026.5"
#: "Still in time for ever": the open_until of a dossier whose clock stopped before its deadline.
FOREVER = date(9999, 12, 31)


class Outcome(StrEnum):
    OPEN = "open"
    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"
    WITHDRAWN = "withdrawn"
    STOPPED = "stopped"


OUTCOME_VI: dict[str, str] = {
    Outcome.OPEN: "Đang giải quyết",
    Outcome.EARLY: "Giải quyết trước hạn",
    Outcome.ON_TIME: "Giải quyết đúng hạn",
    Outcome.LATE: "Giải quyết quá hạn",
    Outcome.WITHDRAWN: "Công dân rút hồ sơ",
    Outcome.STOPPED: "Dừng xử lý",
}


def month_of(day: date) -> date:
    return day.replace(day=1)


def quarter_of(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def classify_dates(completed_on: date, due_on: date) -> Outcome:
    """R-TIME-14: compare DATES. ``<`` early, ``=`` on time, ``>`` late."""
    if completed_on < due_on:
        return Outcome.EARLY
    if completed_on == due_on:
        return Outcome.ON_TIME
    return Outcome.LATE


def open_until(due_on: date, paused_on: date | None) -> date:
    """The last evaluation date at which an open dossier still counts as in time (R-TIME-15):
    its original due date; or for ever if its clock stopped on or before that date (R-TIME-13)."""
    if paused_on is not None and paused_on <= due_on:
        return FOREVER
    return due_on


@dataclass(frozen=True)
class Fact:
    """What the indicators need to know about one received dossier, at its latest event."""

    competent: str  # unit ids as strings (hex or canonical, the caller's choice, consistently)
    receiving: str
    month: date  # first day of the month of receipt: the cohort
    channel: str  # counter / online / postal
    field: str  # catalogue field id, "" when unknown
    procedure: str
    online_procedure: bool  # the version in force at receipt is offered online (R-ONL-01)
    outcome: Outcome
    ended_in_time: bool  # withdrawn/stopped on or before the original due date
    until: date | None  # open only: in time while E <= until
    digitized: bool  # R-DIG-02
    reused: bool  # R-DIG-01 codes 2/3
    e_result: bool  # resolved with a valid signed electronic result or refusal (R-RES-05)
    fee_bearing: bool  # a financial obligation was requested or a fee paid (R-PAY-02)
    cross_boundary: bool  # received in another commune than the competent one (R-ORG-02)
    paid_online: bool = False  # paid through the National Portal platform, MaLoi 00 (R-PAY-04)
    rated: bool = False  # the applicant rated the service (R-SAT-01)
    unsatisfied: bool = False  # rated "not satisfied" (scores 1-2) or complained about (R-IDX-04)
    synced: bool = False  # the National Portal holds the dossier's current state (R-SYNC-04)


RollupKey = tuple[str, date, str]  # (unit, month, metric)
OpenKey = tuple[str, date, date]  # (unit, month, open_until)
FlowKey = tuple[str, str, date]  # (receiving unit, competent unit, month)
ProcKey = tuple[str, date, str]  # (unit, month, procedure code)


@dataclass
class Contributions:
    rollup: dict[RollupKey, int] = field(default_factory=dict)
    open: dict[OpenKey, int] = field(default_factory=dict)
    flow: dict[FlowKey, int] = field(default_factory=dict)
    procs: dict[ProcKey, int] = field(default_factory=dict)  # online procedures with dossiers
    paid_procs: dict[ProcKey, int] = field(default_factory=dict)  # procedures paid online
    #: The flows again by quarter (first day): the board's default period reads a quarter's
    #: top flows from an index instead of adding up ~27,000 monthly rows at 10M dossiers.
    flow_q: dict[FlowKey, int] = field(default_factory=dict)

    def add(self, other: Contributions, sign: int = 1) -> None:
        for rk, value in other.rollup.items():
            self.rollup[rk] = self.rollup.get(rk, 0) + sign * value
        for ok, value in other.open.items():
            self.open[ok] = self.open.get(ok, 0) + sign * value
        for fk, value in other.flow.items():
            self.flow[fk] = self.flow.get(fk, 0) + sign * value
        for pk, value in other.procs.items():
            self.procs[pk] = self.procs.get(pk, 0) + sign * value
        for pk, value in other.paid_procs.items():
            self.paid_procs[pk] = self.paid_procs.get(pk, 0) + sign * value
        for fk, value in other.flow_q.items():
            self.flow_q[fk] = self.flow_q.get(fk, 0) + sign * value

    def differences(self, other: Contributions) -> int:
        """How many counters differ (zero counts as absent)."""
        mine, theirs = self.nonzero(), other.nonzero()
        pairs: list[tuple[Mapping[Any, int], Mapping[Any, int]]] = [
            (mine.rollup, theirs.rollup),
            (mine.open, theirs.open),
            (mine.flow, theirs.flow),
            (mine.procs, theirs.procs),
            (mine.paid_procs, theirs.paid_procs),
            (mine.flow_q, theirs.flow_q),
        ]
        return sum(1 for a, b in pairs for k in a.keys() | b.keys() if a.get(k) != b.get(k))

    def nonzero(self) -> Contributions:
        return Contributions(
            {k: v for k, v in self.rollup.items() if v},
            {k: v for k, v in self.open.items() if v},
            {k: v for k, v in self.flow.items() if v},
            {k: v for k, v in self.procs.items() if v},
            {k: v for k, v in self.paid_procs.items() if v},
            {k: v for k, v in self.flow_q.items() if v},
        )


def contributions(fact: Fact | None) -> Contributions:
    """The counters one dossier adds to its cohort month. Incremental maintenance applies
    ``contributions(new) - contributions(old)`` at every event; the rebuild adds them up for every
    dossier. Both paths use this one function, so they agree by construction."""
    out = Contributions()
    if fact is None:
        return out
    unit, month = fact.competent, fact.month
    metrics = [
        "received",
        f"ch_{fact.channel}",
        fact.outcome.value,
    ]
    if fact.field:
        metrics.append(f"field:{fact.field}")
    if fact.outcome in (Outcome.WITHDRAWN, Outcome.STOPPED) and fact.ended_in_time:
        metrics.append("ended_in_time")
    if fact.outcome in (Outcome.EARLY, Outcome.ON_TIME, Outcome.LATE):
        metrics.append("resolved")
        if fact.e_result:
            metrics.append("e_result")
    # e_result is counted among the resolved above; every other flag is a counter of its name.
    metrics.extend(flag for flag in COUNTED_FLAGS if getattr(fact, flag))
    for metric in metrics:
        out.rollup[(unit, month, metric)] = out.rollup.get((unit, month, metric), 0) + 1
    # Receipts seen from the counter that took them (boundary-free flows, R-ORG-02).
    out.rollup[(fact.receiving, month, "rcv_received")] = (
        out.rollup.get((fact.receiving, month, "rcv_received"), 0) + 1
    )
    if fact.cross_boundary:
        out.rollup[(fact.receiving, month, "rcv_cross")] = (
            out.rollup.get((fact.receiving, month, "rcv_cross"), 0) + 1
        )
        out.flow[(fact.receiving, fact.competent, month)] = 1
        out.flow_q[(fact.receiving, fact.competent, quarter_of(month))] = 1
    if fact.online_procedure:  # "online services with dossiers" counts distinct procedures
        out.procs[(unit, month, fact.procedure)] = 1
    if fact.paid_online:  # "procedures with online payment transactions" (R-PAY-04)
        out.paid_procs[(unit, month, fact.procedure)] = 1
    if fact.outcome == Outcome.OPEN and fact.until is not None:
        out.open[(unit, month, fact.until)] = 1
    return out


# --------------------------------------------------------------------------- the registry


class Group(StrEnum):
    PUBLICITY = "publicity"
    PROGRESS = "progress"
    DIGITIZATION = "digitization"
    ONLINE = "online"
    SATISFACTION = "satisfaction"


GROUP_VI: dict[Group, str] = {
    Group.PUBLICITY: "Công khai, minh bạch",
    Group.PROGRESS: "Tiến độ, kết quả giải quyết",
    Group.DIGITIZATION: "Số hóa hồ sơ",
    Group.ONLINE: "Cung cấp dịch vụ trực tuyến",
    Group.SATISFACTION: "Mức độ hài lòng",
}
#: R-IDX-01/§10.2: five groups, 100 points. Groups 3 and 4 are [I by subtraction].
GROUP_POINTS: dict[Group, Decimal] = {
    Group.PUBLICITY: Decimal(18),
    Group.PROGRESS: Decimal(20),
    Group.DIGITIZATION: Decimal(22),
    Group.ONLINE: Decimal(22),
    Group.SATISFACTION: Decimal(18),
}


#: Whether a ratio of 0 % earns the partial points of a threshold rule. DOMAIN §10.4's points
#: are the vendor's implementation [IMPL] and say only "else 1.6"; issue #14 item 7 reports 1.60
#: points for 0 % as a falsehood of the board, so by default it earns nothing [I]. A province
#: whose reading differs sets MOTCUA_766_ZERO_EARNS_PARTIAL=1 (``configure``, from the app's
#: ``ready``).
ZERO_EARNS_PARTIAL = False


def configure(*, zero_earns_partial: bool) -> None:
    """Apply the settings that decide scoring (called once, at start-up)."""
    global ZERO_EARNS_PARTIAL  # noqa: PLW0603 - one process-wide reading of the rule
    if zero_earns_partial != ZERO_EARNS_PARTIAL:
        ZERO_EARNS_PARTIAL = zero_earns_partial
        figure.cache_clear()


@dataclass(frozen=True)
class Scoring:
    """How a ratio earns points (§10.2, §10.4): ``full`` × ratio when there is no threshold;
    otherwise ``full`` at or above ``threshold`` and, below it, ``partial`` points (or, without a
    partial figure, ``full`` × ratio / threshold [I]). A ratio of zero earns nothing unless
    ``ZERO_EARNS_PARTIAL`` (766-2026.5: the partial points reward a rate below the threshold,
    not the absence of any [I])."""

    full: Decimal
    threshold: Decimal | None = None
    partial: Decimal | None = None

    def points(self, r: Decimal) -> Decimal:
        if self.threshold is None:
            return self.full * r
        if r >= self.threshold:
            return self.full
        if r <= 0 and not ZERO_EARNS_PARTIAL:
            return Decimal(0)
        if self.partial is None:
            return self.full * r / self.threshold
        return self.partial

    def describe_vi(self) -> str:
        """The rule in words, as the board, the reports and the API show it."""
        full = _num_vi(self.full)
        if self.threshold is None:
            return f"tỷ lệ × {full} điểm"
        at = _num_vi(self.threshold * 100)
        below = (
            f"dưới ngưỡng {_num_vi(self.partial)} điểm"
            if self.partial is not None
            else f"dưới ngưỡng {full} × tỷ lệ / {at} %"
        )
        zero = "" if ZERO_EARNS_PARTIAL else "; 0 % được 0 điểm"
        return f"{full} điểm nếu tỷ lệ ≥ {at} %; {below}{zero}"


def _num_vi(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def scaled(points: str) -> Scoring:
    return Scoring(Decimal(points))


def threshold(full: str, at: str, partial: str | None = None) -> Scoring:
    return Scoring(Decimal(full), Decimal(at), Decimal(partial) if partial is not None else None)


class Tallied(Protocol):
    """The petitions' R-IDX-02/03 counters (``petitions.indicators.Tally``)."""

    @property
    def in_time(self) -> int: ...

    @property
    def competent(self) -> int: ...

    @property
    def satisfied(self) -> int: ...


class Published(Protocol):
    """The §10.4 "published on time" counters (``catalog.publication.Tally``)."""

    @property
    def numerator(self) -> int: ...

    @property
    def denominator(self) -> int: ...


@dataclass(frozen=True)
class Inputs:
    """Everything an indicator's numerator and denominator are read from, for one scope and one
    period: the summed counters of the facts (``counts``, metric names of ``contributions``),
    the open dossiers still in time at the evaluation day, the scope's catalogue and the
    petitions' and publications' tallies."""

    counts: Mapping[str, int]
    open_in_time: int = 0
    codes: frozenset[str] = frozenset()  # procedures the scope implements
    online: frozenset[str] = frozenset()  # ... offered online, fully or partly (R-ONL-01)
    fee: frozenset[str] = frozenset()  # ... fee-bearing (R-PAY-03)
    payable: frozenset[str] = frozenset()  # ... payable through the National Portal (R-PAY-05)
    online_used: int = 0  # online procedures with at least one dossier
    paid: frozenset[str] = frozenset()  # procedures with at least one dossier paid online
    petitions: Tallied | None = None
    publications: Published | None = None

    @property
    def received(self) -> int:
        return self.counts.get("received", 0)


Values = Callable[[Inputs], tuple[int | None, int | None]]


def counted(numerator: str, denominator: str = "received") -> Values:
    """A ratio of two fact counters (``contributions`` metrics)."""
    return lambda i: (i.counts.get(numerator, 0), i.counts.get(denominator, 0))


@dataclass(frozen=True)
class Drill:
    """The records behind a figure (R-IDX-05). ``kind``: dossiers (``DossierFact`` rows),
    petitions or versions (procedure versions). For dossiers, ``numerator`` is a tuple of field
    lookups on the fact, or the name of a filter in ``insights.selectors.drill.NAMED`` (one that
    needs the evaluation day); ``exclude`` takes the complement of the numerator's lookups;
    ``denominator`` narrows the cohort of received dossiers; ``unit`` is the fact's unit field
    the scope filters on."""

    kind: str = "dossiers"
    numerator: tuple[tuple[str, Any], ...] | str = ()
    denominator: tuple[tuple[str, Any], ...] = ()
    exclude: bool = False
    unit: str = "competent_unit_id"


@dataclass(frozen=True)
class Indicator:
    """ONE entry per Decision 766 indicator: its wording, its points, how its numerator and
    denominator are counted (``values``), the per-dossier flags of ``Fact`` it counts
    (``flags``: each becomes a counter of the same name), and the records behind it
    (``drill``). The selectors, the board, the reports, the API and the bench seed are derived
    from this table (docs/map.md, "Adding a Decision 766 indicator")."""

    code: str
    name_vi: str
    name_en: str
    group: Group
    numerator: str  # the Vietnamese wording of what is counted
    denominator: str
    scoring: Scoring | None  # None: published, not scored
    rule: str  # the DOMAIN rule IDs and the source grade
    values: Values = lambda _i: (None, None)
    flags: tuple[str, ...] = ()
    drill: Drill | None = None
    pending: str = ""  # the inputs that do not exist yet; the figure is not computed
    published: bool = False  # one of the figures provinces publish

    @property
    def max_points(self) -> Decimal | None:
        return self.scoring.full if self.scoring is not None else None

    @property
    def formula_vi(self) -> str:
        return f"{self.numerator} / {self.denominator}"


def _on_time(i: Inputs) -> tuple[int | None, int | None]:
    return in_time_numerator(i.counts, i.open_in_time), i.received


def _petitions(attr: str) -> Values:
    def values(i: Inputs) -> tuple[int | None, int | None]:
        if i.petitions is None:
            return None, None
        return getattr(i.petitions, attr), i.petitions.competent

    return values


def _publications(i: Inputs) -> tuple[int | None, int | None]:
    if i.publications is None:
        return None, None
    return i.publications.numerator, i.publications.denominator


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "publicity_on_time",
        "TTHC được công bố, công khai đúng hạn",
        "Procedures published on time",
        Group.PUBLICITY,
        "TTHC công bố, cập nhật đúng hạn",
        "TTHC phải công bố",
        scaled("4"),
        "§10.4 [S] 4/18 điểm; hạn công bố = ngày hiệu lực − N ngày làm việc (N cấu hình, "
        "chưa kiểm chứng) [I]",
        values=_publications,  # catalog.publication, docs/decisions/0006
        drill=Drill("versions"),
    ),
    Indicator(
        "synced",
        "Hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia",
        "Dossiers synchronized to the National Portal",
        Group.PUBLICITY,
        "Hồ sơ đã đồng bộ trạng thái hiện tại lên Cổng DVCQG",
        "Hồ sơ tiếp nhận",
        scaled("6"),
        "R-SYNC-04, §10.4 [IMPL] 6 điểm; đồng bộ = mọi bản tin portal.step đã gửi thành công [I]",
        values=counted("synced"),
        flags=("synced",),
        drill=Drill(numerator=(("synced", True),)),
    ),
    Indicator(
        "on_time",
        "Tỷ lệ hồ sơ giải quyết đúng hạn (gồm hồ sơ chưa quá hạn)",
        "On-time processing rate (open dossiers not late yet included)",
        Group.PROGRESS,
        "Đã giải quyết trước hạn, đúng hạn (kể cả rút/dừng trước hạn) + đang giải quyết chưa "
        "quá hạn",
        "Hồ sơ tiếp nhận trong kỳ (trạng thái 2,4,5,6,7,8,9,10)",
        scaled("20"),
        "R-IDX-06, R-IDX-08, R-TIME-14, R-TIME-15, R-LATE-07; 20 điểm [S]",
        values=_on_time,
        drill=Drill(numerator="in_time"),
        published=True,
    ),
    Indicator(
        "digitized",
        "Tỷ lệ số hóa hồ sơ, kết quả",
        "Digitization rate of dossiers and results",
        Group.DIGITIZATION,
        "Hồ sơ có thành phần đã số hóa (mã 1, 2, 3) hoặc kết quả điện tử đã ký số",
        "Hồ sơ tiếp nhận thuộc thẩm quyền",
        threshold("4", "0.8", "3.2"),
        "R-DIG-02, R-IDX-08; 4 điểm nếu ≥80%, còn lại 3,2 [IMPL]; 0 % được 0 điểm [I]",
        values=counted("digitized"),
        flags=("digitized",),
        drill=Drill(numerator=(("digitized", True),)),
        published=True,
    ),
    Indicator(
        "reused",
        "Tỷ lệ khai thác, tái sử dụng dữ liệu số hóa",
        "Reuse rate of digitized data",
        Group.DIGITIZATION,
        "Hồ sơ có thành phần tái sử dụng (mã 2, 3)",
        "Hồ sơ tiếp nhận thuộc thẩm quyền",
        threshold("2", "0.8", "1.6"),
        "R-DIG-01; 2 điểm nếu ≥80%, còn lại 1,6 [IMPL]; 0 % được 0 điểm [I]",
        values=counted("reused"),
        flags=("reused",),
        drill=Drill(numerator=(("reused", True),)),
        published=True,
    ),
    Indicator(
        "e_result",
        "Tỷ lệ cấp kết quả điện tử",
        "Electronic result rate",
        Group.DIGITIZATION,
        "Hồ sơ đã giải quyết có kết quả (hoặc văn bản từ chối) điện tử đã ký số còn hiệu lực",
        "Hồ sơ tiếp nhận thuộc thẩm quyền",
        scaled("6"),
        "R-RES-05, §10.4 × 6 [IMPL]",
        values=counted("e_result"),
        flags=("e_result",),
        drill=Drill(numerator=(("e_result", True),)),
        published=True,
    ),
    Indicator(
        "online_provision",
        "Tỷ lệ TTHC cung cấp trực tuyến",
        "Online service provision rate",
        Group.ONLINE,
        "TTHC trực tuyến toàn trình và một phần",
        "TTHC thuộc thẩm quyền",
        threshold("2", "0.8", "1.6"),
        "R-ONL-01; 2 điểm nếu ≥80%, còn lại 1,6 [IMPL]; 0 % được 0 điểm [I]",
        values=lambda i: (len(i.online), len(i.codes)),
    ),
    Indicator(
        "online_used",
        "Tỷ lệ TTHC trực tuyến có phát sinh hồ sơ",
        "Online services with dossiers",
        Group.ONLINE,
        "TTHC trực tuyến có ít nhất 1 hồ sơ trong kỳ",
        "TTHC trực tuyến thuộc thẩm quyền",
        scaled("4"),
        "§10.4 × 4 [IMPL]",
        values=lambda i: (min(i.online_used, len(i.online)), len(i.online)),
    ),
    Indicator(
        "online_applied",
        "Tỷ lệ hồ sơ nộp trực tuyến",
        "Online application rate",
        Group.ONLINE,
        "Hồ sơ nộp trực tuyến",
        "Hồ sơ tiếp nhận (trực tiếp, trực tuyến, bưu chính)",
        threshold("6", "0.5", "3"),
        "§10.4; 6 điểm nếu ≥50%, còn lại 3 [IMPL]; 0 % được 0 điểm [I]",
        values=counted("ch_online"),
        drill=Drill(numerator=(("channel", "online"),)),
        published=True,
    ),
    Indicator(
        "payment_procedures",
        "Tỷ lệ TTHC có giao dịch thanh toán trực tuyến",
        "Procedures with online payment transactions",
        Group.ONLINE,
        "TTHC có phí có ít nhất 1 giao dịch thanh toán trực tuyến",
        "TTHC có phí, lệ phí",
        threshold("2", "0.5", "1.6"),
        "R-PAY-04, R-PAY-03; 2 điểm nếu ≥50%, còn lại 1,6 [IMPL]; 0 % được 0 điểm [I]",
        # R-PAY-04: fee-bearing procedures of the scope with at least one online payment.
        values=lambda i: (len(i.paid & i.fee), len(i.fee)),
    ),
    Indicator(
        "payable_on_portal",
        "TTHC thanh toán được trên Cổng Dịch vụ công quốc gia",
        "Procedures payable on the National Portal",
        Group.ONLINE,
        "TTHC có phí có mức phí trong danh mục (thanh toán được qua nền tảng của Cổng DVCQG)",
        "TTHC có phí, lệ phí",
        scaled("2"),
        "R-PAY-03, R-PAY-05; §10.4 2 điểm [IMPL], công thức tỷ lệ × 2 [I]",
        values=lambda i: (len(i.payable), len(i.fee)),
    ),
    Indicator(
        "online_paid",
        "Tỷ lệ thanh toán trực tuyến",
        "Online payment rate",
        Group.ONLINE,
        "Hồ sơ có phí đã thanh toán trực tuyến",
        "Hồ sơ có yêu cầu nghĩa vụ tài chính",
        threshold("6", "0.3"),
        "R-PAY-04, R-IDX-08; 6 điểm nếu ≥30% [IMPL], dưới ngưỡng tính tỷ lệ [I]",
        values=counted("paid_online", "fee_bearing"),
        flags=("paid_online", "fee_bearing"),
        drill=Drill(numerator=(("paid_online", True),), denominator=(("fee_bearing", True),)),
        published=True,
    ),
    Indicator(
        "feedback_on_time",
        "Tỷ lệ xử lý phản ánh, kiến nghị đúng hạn",
        "Feedback handled on time",
        Group.SATISFACTION,
        "Phản ánh, kiến nghị trả lời đúng hạn, trước hạn (kể cả đang xử lý còn hạn)",
        "Phản ánh, kiến nghị thuộc thẩm quyền",
        scaled("6"),
        "R-IDX-02 [S]; theo ngày tiếp nhận; PAKN đang xử lý còn hạn tính đúng hạn [I]",
        values=_petitions("in_time"),  # motcua.petitions.indicators
        drill=Drill("petitions"),
        published=True,
    ),
    Indicator(
        "feedback_satisfaction",
        "Mức độ hài lòng trong xử lý phản ánh, kiến nghị",
        "Satisfaction in handling feedback",
        Group.SATISFACTION,
        "Tổng phản ánh − phản ánh không hài lòng hoặc khiếu nại về xử lý chậm",
        "Tổng phản ánh, kiến nghị thuộc thẩm quyền",
        scaled("6"),
        "R-IDX-03 [S]; mẫu số: PAKN thuộc thẩm quyền [I]",
        values=_petitions("satisfied"),
        drill=Drill("petitions"),
    ),
    Indicator(
        "satisfaction",
        "Mức độ hài lòng trong tiếp nhận, giải quyết TTHC",
        "Satisfaction in receiving and processing",
        Group.SATISFACTION,
        "Tổng hồ sơ − hồ sơ đánh giá không hài lòng (mức 1, 2) hoặc có khiếu nại",
        "Tổng hồ sơ thuộc thẩm quyền",
        scaled("6"),
        "R-IDX-04, R-SAT-01 [S] tối đa 6/18 điểm",
        # R-IDX-04: every dossier minus those rated not satisfied or complained about.
        values=lambda i: (i.received - i.counts.get("unsatisfied", 0), i.received),
        flags=("unsatisfied",),
        drill=Drill(numerator=(("unsatisfied", True),), exclude=True),
        published=True,
    ),
    Indicator(
        "boundary_free",
        "Hồ sơ tiếp nhận không phụ thuộc địa giới hành chính",
        "Boundary-free receipts",
        Group.PROGRESS,
        "Hồ sơ nộp tại xã khác xã có thẩm quyền (tại đơn vị tiếp nhận)",
        "Hồ sơ tiếp nhận tại đơn vị",
        None,
        "R-ORG-02, R-ORG-04 (công bố, không tính điểm)",
        values=counted("rcv_cross", "rcv_received"),
        drill=Drill(numerator=(("cross_boundary", True),), unit="receiving_unit_id"),
        published=True,
    ),
)
BY_CODE: dict[str, Indicator] = {i.code: i for i in INDICATORS}

#: Flags of ``Fact`` counted without an indicator of their own (open data publishes ratings).
EXTRA_FLAGS: tuple[str, ...] = ("rated",)
#: Every boolean of ``Fact`` that is kept per dossier (``DossierFact``) and written by the
#: seed: the indicators' flags, the extra ones and the facts' own booleans.
FACT_FLAGS: tuple[str, ...] = tuple(
    dict.fromkeys(
        (
            "online_procedure",
            "ended_in_time",
            "cross_boundary",
            *(f for i in INDICATORS for f in i.flags),
            *EXTRA_FLAGS,
        )
    )
)
#: The flags that become a counter of the same name in ``contributions`` (e_result is counted
#: only for resolved dossiers, where it can be true).
COUNTED_FLAGS: tuple[str, ...] = tuple(
    f
    for f in FACT_FLAGS
    if f not in {"online_procedure", "ended_in_time", "cross_boundary"} and f != "e_result"
)


@dataclass(frozen=True)
class Figure:
    """One indicator of one unit over one period, as published (R-IDX-05)."""

    code: str
    numerator: int | None
    denominator: int | None
    ratio: Decimal | None  # 0..1, None when not computed (pending input or nothing received)
    points: Decimal | None
    max_points: Decimal | None
    pending: str
    version: str = FORMULA_VERSION

    @property
    def percent(self) -> Decimal | None:
        if self.ratio is None:
            return None
        return (self.ratio * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def indicator(self) -> Indicator:
        return BY_CODE[self.code]


def ratio(numerator: int, denominator: int) -> Decimal | None:
    if denominator <= 0:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.000001"), ROUND_HALF_UP)


@lru_cache(maxsize=8192)  # pure: the board asks for the same few thousand figures again
def figure(code: str, numerator: int | None, denominator: int | None) -> Figure:
    """Numerator, denominator, ratio and points of one indicator; nothing is computed when its
    inputs are pending or nothing was counted (never a made-up number)."""
    ind = BY_CODE[code]
    if (ind.pending and code not in PARTIAL_INPUTS) or numerator is None or denominator is None:
        return Figure(code, None, None, None, None, ind.max_points, ind.pending)
    r = ratio(numerator, denominator)
    pts = None
    if r is not None and ind.scoring is not None:
        pts = ind.scoring.points(r).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return Figure(code, numerator, denominator, r, pts, ind.max_points, ind.pending)


#: Indicators computed from the part of their inputs that exists (the pending part is stated).
#: None since 766-2026.4.
PARTIAL_INPUTS: frozenset[str] = frozenset()


def in_time_numerator(counts: Mapping[str, int], open_in_time: int) -> int:
    """R-IDX-08 numerator: early + on time + ended in time + open and still in time."""
    return (
        counts.get(Outcome.EARLY, 0)
        + counts.get(Outcome.ON_TIME, 0)
        + counts.get("ended_in_time", 0)
        + open_in_time
    )


class Band(StrEnum):
    EXCELLENT = "xuat_sac"
    GOOD = "tot"
    FAIR = "kha"
    AVERAGE = "trung_binh"
    WEAK = "yeu"
    INCOMPLETE = "chua_du_du_lieu"


BAND_VI: dict[Band, str] = {
    Band.EXCELLENT: "Xuất sắc",
    Band.GOOD: "Tốt",
    Band.FAIR: "Khá",
    Band.AVERAGE: "Trung bình",
    Band.WEAK: "Yếu",
    Band.INCOMPLETE: "Chưa đủ dữ liệu",
}
#: R-IDX-01: ≥90 excellent and <50 weak are [S]; the bands between are configurable defaults [I].
DEFAULT_BANDS: tuple[tuple[Decimal, Band], ...] = (
    (Decimal(90), Band.EXCELLENT),
    (Decimal(80), Band.GOOD),
    (Decimal(65), Band.FAIR),
    (Decimal(50), Band.AVERAGE),
)


def band(total: Decimal, bands: tuple[tuple[Decimal, Band], ...] = DEFAULT_BANDS) -> Band:
    for floor, name in bands:
        if total >= floor:
            return name
    return Band.WEAK


@dataclass(frozen=True)
class Score:
    """Total and group points of a unit (R-IDX-07), over the indicators that can be computed."""

    total: Decimal
    possible: Decimal  # the points the computed indicators could give
    by_group: dict[Group, Decimal]
    band: Band  # INCOMPLETE while inputs are pending
    indicative_band: Band  # the band of total scaled to 100 (clearly labelled as such)

    @property
    def band_vi(self) -> str:
        return BAND_VI[self.band]

    @property
    def indicative_band_vi(self) -> str:
        return BAND_VI[self.indicative_band]


def score(figures: Mapping[str, Figure]) -> Score:
    total = Decimal(0)
    possible = Decimal(0)
    groups = dict.fromkeys(Group, Decimal(0))
    complete = True
    for ind in INDICATORS:
        if ind.max_points is None:
            continue
        fig = figures.get(ind.code)
        if fig is None or fig.points is None:
            complete = False
            continue
        total += fig.points
        possible += ind.max_points
        groups[ind.group] += fig.points
    scaled = total * 100 / possible if possible else Decimal(0)
    return Score(
        total=total,
        possible=possible,
        by_group=groups,
        band=band(total) if complete else Band.INCOMPLETE,
        indicative_band=band(scaled),
    )


def rank_key(s: Score) -> tuple[Decimal, ...]:
    """R-IDX-07: by total points, then by group points in the Decision's order."""
    return (s.total, *(s.by_group[g] for g in Group))
