"""The province's open datasets (issue #17): what each one holds, where its rows come from, and
its metadata (licence, publisher, frequency, coverage). Every table is built from aggregates or
public registers only; statistics come from the insights rollups (DESIGN §6), never from a scan
of the dossier table, and pass the small-count rule of ``privacy`` (R-PDP-04).

A builder returns plain rows (dicts keyed by field id); ``publish`` hashes, versions and stores
them. Builders only read.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import RECEIVING_KINDS, Unit, UnitKind
from motcua.catalog.models import (
    CompetentLevel,
    Component,
    DataSource,
    OnlineLevel,
    Procedure,
    ProcedureVersion,
)
from motcua.catalog.selectors import time_limit_text
from motcua.insights import selectors as insights
from motcua.insights.formulas import FORMULA_VERSION, INDICATORS
from motcua.insights.models import DossierFact, Rollup
from motcua.insights.periods import Kind, Period, current
from motcua.opendata.privacy import percent, suppress
from motcua.petitions import selectors as petitions
from motcua.worktime.models import DAY_OFF_KINDS, EntryKind, WorkingCalendar

Row = dict[str, Any]


@dataclass(frozen=True)
class Column:
    id: str
    type: str  # CKAN datastore types: text, int, numeric, date, bool
    label: Promise | str
    count: bool = False  # counts people or their dossiers: the small-count rule applies


@dataclass(frozen=True)
class Table:
    slug: str
    title: Promise | str
    columns: tuple[Column, ...]
    build: Callable[[Context], Iterator[Row]]
    xlsx: bool = False

    @property
    def count_fields(self) -> list[str]:
        return [c.id for c in self.columns if c.count]

    @property
    def all_columns(self) -> tuple[Column, ...]:
        if not self.count_fields:
            return self.columns
        return (*self.columns, Column("suppressed", "bool", _("Có số liệu bị ẩn (số nhỏ)")))


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: Promise | str
    description: Promise | str
    tags: tuple[str, ...]
    frequency: str  # EU frequency authority code: DAILY, WEEKLY, MONTHLY, ...
    tables: tuple[Table, ...]
    temporal: Callable[[Context], tuple[date | None, date | None]] = lambda ctx: (None, None)
    chart: str = ""  # field id charted on the dataset page, "" for none
    group: str = ""


@dataclass
class Context:
    """What the builders share in one publication: the province, today, the threshold."""

    province_id: int
    today: date
    threshold: int
    months: int
    quarters: int
    scale: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def default(cls, today: date) -> Context:
        return cls(
            province_id=settings.MOTCUA_PROVINCE_CODE,
            today=today,
            threshold=settings.MOTCUA_OPENDATA_MIN_COUNT,
            months=settings.MOTCUA_OPENDATA_MONTHS,
            quarters=settings.MOTCUA_OPENDATA_QUARTERS,
        )

    def month_list(self) -> list[date]:
        m = self.today.replace(day=1)
        out = []
        for _i in range(self.months):
            out.append(m)
            m = (m - timedelta(days=1)).replace(day=1)
        return sorted(out)

    def quarter_list(self) -> list[Period]:
        p = current(Kind.QUARTER, self.today)
        out = []
        for _i in range(self.quarters):
            out.append(p)
            p = p.previous()
        return sorted(out, key=lambda q: q.start)


def _d(value: date | None) -> str | None:
    return value.isoformat() if value else None


# --------------------------------------------------------------------------- catalogue


def _current_ids(ctx: Context) -> list[Any]:
    return list(
        Procedure.objects.filter(province_id=ctx.province_id, current__isnull=False).values_list(
            "current_id", flat=True
        )
    )


def _procedures(ctx: Context) -> Iterator[Row]:
    ids = _current_ids(ctx)
    through = ProcedureVersion.implementing_units.through
    units: dict[str, list[str]] = defaultdict(list)
    for procedure, code in through.objects.filter(procedureversion_id__in=ids).values_list(
        "procedureversion__procedure__code_national", "unit__eid_code"
    ):
        units[procedure].append(code)
    levels = {k: str(v) for k, v in CompetentLevel.choices}
    online = {k: str(v) for k, v in OnlineLevel.choices}
    components = Counter(
        Component.objects.filter(version_id__in=ids, is_note=False).values_list(
            "version_id", flat=True
        )
    )
    versions = (
        ProcedureVersion.objects.filter(pk__in=ids)
        .select_related("procedure", "field")
        .order_by("procedure__code_national")
    )
    for v in versions:
        yield {
            "procedure_code": v.procedure.code_national,
            "name": v.name,
            "field": v.field.name,
            "competent_level": levels.get(v.competent_level, v.competent_level),
            "online_level": online.get(v.online_level, v.online_level),
            "time_limit": str(time_limit_text(v)),
            "fee": v.fee_text,
            "legal_basis": v.legal_basis,
            "boundary_free": v.boundary_free,
            "implementing_units": "; ".join(sorted(units.get(v.procedure.code_national, []))),
            "components": components.get(v.pk, 0),
            "version": v.version,
            "effective_from": _d(v.effective_from),
        }


def _components(ctx: Context) -> Iterator[Row]:
    ids = _current_ids(ctx)
    codes = dict(
        ProcedureVersion.objects.filter(pk__in=ids).values_list("pk", "procedure__code_national")
    )
    requirement = dict(Component.Requirement.choices)
    sources = dict(DataSource.choices)
    rows = Component.objects.filter(version_id__in=ids, is_note=False).values_list(
        "version_id",
        "order",
        "name",
        "requirement",
        "quantity",
        "conditional",
        "legal_basis",
        "replaceable_by",
    )
    out = []
    for version_id, order, name, req, quantity, conditional, basis, source in rows:
        out.append(
            {
                "procedure_code": codes[version_id],
                "order": order,
                "name": name,
                "requirement": str(requirement.get(req, req)),
                "quantity": quantity,
                "conditional": conditional,
                "legal_basis": basis,
                "replaceable_by": str(sources.get(source, source)) if source else "",
            }
        )
    out.sort(key=lambda r: (r["procedure_code"], r["order"]))
    yield from out


# --------------------------------------------------------------------------- units, centres


def _units(ctx: Context) -> Iterator[Row]:
    for u in (
        Unit.objects.filter(province_id=ctx.province_id)
        .select_related("parent", "commune")
        .order_by("eid_code")
    ):
        yield {
            "eid_code": u.eid_code,
            "eid_format": u.eid_format,
            "name": u.name,
            "kind": u.get_kind_display(),
            "level": u.level,
            "parent_eid_code": u.parent.eid_code if u.parent else "",
            "commune_code": u.commune_id,
            "commune": u.commune.name if u.commune else "",
            "address": u.address,
            "valid_from": _d(u.valid_from),
            "valid_to": _d(u.valid_to),
        }


def _hours(ctx: Context) -> str:
    cal = WorkingCalendar.objects.filter(province_id=ctx.province_id).first()
    if cal is None:
        return ""
    return (
        f"Thứ Hai–Thứ Sáu {cal.morning_start:%H:%M}–{cal.morning_end:%H:%M}, "
        f"{cal.afternoon_start:%H:%M}–{cal.afternoon_end:%H:%M}"
    )


def _boundary_free_versions(ctx: Context) -> Any:
    return ProcedureVersion.objects.filter(pk__in=_current_ids(ctx), boundary_free=True)


def _centres(ctx: Context) -> Iterator[Row]:
    hours = _hours(ctx)
    boundary_free = _boundary_free_versions(ctx).count()
    for u in (
        Unit.objects.filter(province_id=ctx.province_id, kind__in=RECEIVING_KINDS)
        .select_related("commune")
        .order_by("eid_code")
    ):
        yield {
            "eid_code": u.eid_code,
            "name": u.name,
            "kind": u.get_kind_display(),
            "commune": u.commune.name if u.commune else "",
            "address": u.address,
            "phone": u.phone,
            "email": u.email,
            "hours": hours,
            # R-ORG-02: any centre of the province receives every boundary-free procedure.
            "boundary_free_procedures": boundary_free,
        }


def _boundary_free(ctx: Context) -> Iterator[Row]:
    for v in (
        _boundary_free_versions(ctx)
        .select_related("procedure", "field")
        .order_by("procedure__code_national")
    ):
        yield {
            "procedure_code": v.procedure.code_national,
            "name": v.name,
            "field": v.field.name,
            "basis": v.boundary_free_basis,
        }


# --------------------------------------------------------------------------- calendar


def _calendar(ctx: Context) -> Iterator[Row]:
    cal = WorkingCalendar.objects.filter(province_id=ctx.province_id).first()
    if cal is None:
        return
    for e in cal.entries.order_by("day"):
        yield {
            "day": _d(e.day),
            "kind": e.kind,
            "kind_label": e.get_kind_display(),
            "name": e.name,
            "working_day": e.kind == EntryKind.SWAPPED_WORKING_DAY,
            "day_off": e.kind in DAY_OFF_KINDS,
            "legal_basis": e.legal_basis,
            "verified": e.verified,
        }


def _calendar_span(ctx: Context) -> tuple[date | None, date | None]:
    cal = WorkingCalendar.objects.filter(province_id=ctx.province_id).first()
    if cal is None:
        return None, None
    days = list(cal.entries.order_by("day").values_list("day", flat=True))
    return (days[0], days[-1]) if days else (None, None)


# --------------------------------------------------------------------------- statistics


def _unit_names(ctx: Context) -> dict[uuid.UUID, tuple[str, str]]:
    return {
        pk: (code, name)
        for pk, code, name in Unit.objects.filter(province_id=ctx.province_id).values_list(
            "pk", "eid_code", "name"
        )
    }


def _indicators(ctx: Context) -> Iterator[Row]:
    """R-IDX-05: every indicator per unit (province, communes, departments) and quarter, with
    numerator, denominator, ratio, points and the formula version."""
    scopes = [
        insights.province_scope(ctx.province_id),
        *insights.commune_scopes(ctx.province_id),
        *insights.department_scopes(ctx.province_id),
    ]
    names = _unit_names(ctx)
    for period in ctx.quarter_list():
        for s in insights.ranking(scopes, period, ctx.today, ctx.province_id):
            if s.scope.level == "department":
                code = names[next(iter(s.scope.unit_ids))][0]
            elif s.scope.level == "commune":
                code = str(s.scope.commune_code)
            else:
                code = str(ctx.province_id)
            for ind in INDICATORS:
                fig = s.figures[ind.code]
                if fig.numerator is None or not fig.denominator:
                    continue  # not computed, or nothing to count in the period
                row, _n = suppress(
                    {"numerator": fig.numerator, "denominator": fig.denominator},
                    ["numerator", "denominator"],
                    ctx.threshold,
                )
                row["percent"] = percent(row["numerator"], row["denominator"])
                points = fig.points if row["percent"] is not None else None
                yield {
                    "period": period.key,
                    "scope": s.scope.level,
                    "unit_code": code,
                    "unit": s.scope.name,
                    "indicator": ind.code,
                    "indicator_name": ind.name_vi,
                    "numerator": row["numerator"],
                    "denominator": row["denominator"],
                    "percent": row["percent"],
                    "points": float(points) if points is not None else None,
                    "max_points": float(ind.max_points) if ind.max_points is not None else None,
                    "formula_version": FORMULA_VERSION,
                    "suppressed": row["suppressed"],
                }


STAT_METRICS = (
    "received",
    "ch_online",
    "early",
    "on_time",
    "late",
    "withdrawn",
    "stopped",
    "resolved",
    "reused",
    "digitized",
)


def _dossier_counts(received: int, c: Counter[str] | dict[str, int]) -> Row:
    return {
        "received": received,
        "online": c.get("ch_online", 0),
        "early": c.get("early", 0),
        "on_time": c.get("on_time", 0),
        "late": c.get("late", 0),
        "resolved": c.get("resolved", 0),
        "returned": c.get("withdrawn", 0) + c.get("stopped", 0),
        "reused": c.get("reused", 0),
    }


DOSSIER_COUNTS = (
    "received",
    "online",
    "early",
    "on_time",
    "late",
    "resolved",
    "returned",
    "reused",
)


def _with_shares(row: Row) -> Row:
    row["online_share"] = percent(row["online"], row["received"])
    row["reuse_share"] = percent(row["reused"], row["received"])
    return row


def _dossiers_by_unit(ctx: Context) -> Iterator[Row]:
    """Per competent unit and cohort month, from the rollups (``insights.Rollup``)."""
    months = ctx.month_list()
    names = _unit_names(ctx)
    by: dict[tuple[uuid.UUID, date], Counter[str]] = defaultdict(Counter)
    rows = (
        Rollup.objects.filter(month__in=months, metric__in=STAT_METRICS)
        .values_list("unit_id", "month", "metric")
        .annotate(v=Sum("value"))
    )
    for unit_id, month, metric, value in rows:
        by[(unit_id, month)][metric] += int(value)
    for (unit_id, month), c in sorted(by.items(), key=lambda kv: (kv[0][1], names[kv[0][0]][0])):
        if not c.get("received"):
            continue
        code, name = names[unit_id]
        row, _n = suppress(_dossier_counts(c["received"], c), DOSSIER_COUNTS, ctx.threshold)
        yield _with_shares({"month": f"{month:%Y-%m}", "unit_code": code, "unit": name, **row})


def _dossiers_by_procedure(ctx: Context) -> Iterator[Row]:
    """Per procedure and cohort month over the province: grouped from the insights facts (one row
    per received dossier, kept by the rollups), restricted to the published months."""
    months = ctx.month_list()
    outcome = {
        m: Count("pk", filter=Q(outcome=m)) for m in ("early", "on_time", "late", "withdrawn")
    }
    rows = (
        DossierFact.objects.filter(month__gte=months[0], month__lte=months[-1])
        .values("procedure_code", "month")
        .annotate(
            received=Count("pk"),
            ch_online=Count("pk", filter=Q(channel="online")),
            stopped=Count("pk", filter=Q(outcome="stopped")),
            resolved=Count("pk", filter=Q(outcome__in=("early", "on_time", "late"))),
            reused=Count("pk", filter=Q(reused=True)),
            **outcome,
        )
        .order_by("month", "procedure_code")
    )
    for r in rows:
        row, _n = suppress(_dossier_counts(r["received"], r), DOSSIER_COUNTS, ctx.threshold)
        yield _with_shares(
            {"month": f"{r['month']:%Y-%m}", "procedure_code": r["procedure_code"], **row}
        )


FEEDBACK_COUNTS = (
    "petitions",
    "petitions_in_time",
    "petitions_satisfied",
    "ratings",
    "ratings_unsatisfied",
)


def _feedback(ctx: Context) -> Iterator[Row]:
    """Petitions (R-IDX-02/03) and ratings (R-SAT-01) per unit and quarter."""
    names = _unit_names(ctx)
    for period in ctx.quarter_list():
        tallies = petitions.tallies(period.start, period.end, period.evaluation_day(ctx.today))
        ratings: dict[uuid.UUID, Counter[str]] = defaultdict(Counter)
        for unit_id, metric, value in (
            Rollup.objects.filter(month__in=period.months, metric__in=("rated", "unsatisfied"))
            .values_list("unit_id", "metric")
            .annotate(v=Sum("value"))
        ):
            ratings[unit_id][metric] += int(value)
        for unit_id in sorted(set(tallies) | set(ratings), key=lambda u: names[u][0]):
            t = tallies.get(unit_id)
            r = ratings.get(unit_id, Counter())
            counts = {
                "petitions": t.competent if t else 0,
                "petitions_in_time": t.in_time if t else 0,
                "petitions_satisfied": t.satisfied if t else 0,
                "ratings": r.get("rated", 0),
                "ratings_unsatisfied": r.get("unsatisfied", 0),
            }
            if not any(counts.values()):
                continue
            row, _n = suppress(counts, FEEDBACK_COUNTS, ctx.threshold)
            code, name = names[unit_id]
            row["petitions_in_time_share"] = percent(row["petitions_in_time"], row["petitions"])
            row["ratings_satisfied_share"] = (
                percent(row["ratings"] - row["ratings_unsatisfied"], row["ratings"])
                if row["ratings"] is not None and row["ratings_unsatisfied"] is not None
                else None
            )
            yield {"period": period.key, "unit_code": code, "unit": name, **row}


def _stat_span(ctx: Context) -> tuple[date | None, date | None]:
    months = ctx.month_list()
    return months[0], ctx.today


def _quarter_span(ctx: Context) -> tuple[date | None, date | None]:
    quarters = ctx.quarter_list()
    return quarters[0].start, min(quarters[-1].end, ctx.today)


# --------------------------------------------------------------------------- the registry

C = Column
DOSSIER_COLUMNS = (
    C("received", "int", _("Hồ sơ tiếp nhận"), count=True),
    C("online", "int", _("Hồ sơ nộp trực tuyến"), count=True),
    C("online_share", "numeric", _("Tỷ lệ nộp trực tuyến (%)")),
    C("early", "int", _("Giải quyết trước hạn"), count=True),
    C("on_time", "int", _("Giải quyết đúng hạn"), count=True),
    C("late", "int", _("Giải quyết quá hạn"), count=True),
    C("resolved", "int", _("Đã giải quyết"), count=True),
    C("returned", "int", _("Rút hồ sơ hoặc dừng xử lý"), count=True),
    C("reused", "int", _("Hồ sơ tái sử dụng dữ liệu số"), count=True),
    C("reuse_share", "numeric", _("Tỷ lệ tái sử dụng dữ liệu (%)")),
)

DATASETS: tuple[Dataset, ...] = (
    Dataset(
        "danh-muc-thu-tuc-hanh-chinh",
        _("Danh mục thủ tục hành chính"),
        _(
            "Các thủ tục hành chính đang có hiệu lực của tỉnh: phiên bản, lĩnh vực, cấp thực "
            "hiện, mức độ trực tuyến, thời hạn giải quyết, phí, lệ phí, căn cứ pháp lý và thành "
            "phần hồ sơ."
        ),
        ("thủ tục hành chính", "danh mục", "phí lệ phí"),
        "WEEKLY",
        (
            Table(
                "thu-tuc",
                _("Thủ tục hành chính"),
                (
                    C("procedure_code", "text", _("Mã thủ tục")),
                    C("name", "text", _("Tên thủ tục")),
                    C("field", "text", _("Lĩnh vực")),
                    C("competent_level", "text", _("Cấp thực hiện")),
                    C("online_level", "text", _("Mức độ trực tuyến")),
                    C("time_limit", "text", _("Thời hạn giải quyết")),
                    C("fee", "text", _("Phí, lệ phí")),
                    C("legal_basis", "text", _("Căn cứ pháp lý")),
                    C("boundary_free", "bool", _("Không phụ thuộc địa giới hành chính")),
                    C("implementing_units", "text", _("Mã định danh cơ quan thực hiện")),
                    C("components", "int", _("Số thành phần hồ sơ")),
                    C("version", "int", _("Phiên bản")),
                    C("effective_from", "date", _("Hiệu lực từ")),
                ),
                _procedures,
                xlsx=True,
            ),
            Table(
                "thanh-phan-ho-so",
                _("Thành phần hồ sơ"),
                (
                    C("procedure_code", "text", _("Mã thủ tục")),
                    C("order", "int", _("Thứ tự")),
                    C("name", "text", _("Tên giấy tờ")),
                    C("requirement", "text", _("Yêu cầu")),
                    C("quantity", "int", _("Số lượng")),
                    C("conditional", "bool", _("Theo trường hợp")),
                    C("legal_basis", "text", _("Căn cứ pháp lý")),
                    C("replaceable_by", "text", _("Có thể thay bằng dữ liệu của")),
                ),
                _components,
            ),
        ),
        group="thu-tuc-hanh-chinh",
    ),
    Dataset(
        "trung-tam-phuc-vu-hanh-chinh-cong",
        _("Trung tâm phục vụ hành chính công"),
        _(
            "Các điểm tiếp nhận hồ sơ của tỉnh: địa chỉ, giờ làm việc và các thủ tục được "
            "tiếp nhận không phụ thuộc địa giới hành chính."
        ),
        ("trung tâm phục vụ hành chính công", "một cửa", "địa giới hành chính"),
        "MONTHLY",
        (
            Table(
                "diem-tiep-nhan",
                _("Điểm tiếp nhận hồ sơ"),
                (
                    C("eid_code", "text", _("Mã định danh")),
                    C("name", "text", _("Tên")),
                    C("kind", "text", _("Loại")),
                    C("commune", "text", _("Xã, phường")),
                    C("address", "text", _("Địa chỉ")),
                    C("phone", "text", _("Điện thoại")),
                    C("email", "text", _("Thư điện tử")),
                    C("hours", "text", _("Giờ làm việc")),
                    C("boundary_free_procedures", "int", _("Số thủ tục không phụ thuộc địa giới")),
                ),
                _centres,
                xlsx=True,
            ),
            Table(
                "thu-tuc-khong-phu-thuoc-dia-gioi",
                _("Thủ tục tiếp nhận không phụ thuộc địa giới hành chính"),
                (
                    C("procedure_code", "text", _("Mã thủ tục")),
                    C("name", "text", _("Tên thủ tục")),
                    C("field", "text", _("Lĩnh vực")),
                    C("basis", "text", _("Căn cứ")),
                ),
                _boundary_free,
            ),
        ),
        group="co-quan-don-vi",
    ),
    Dataset(
        "lich-lam-viec",
        _("Lịch làm việc"),
        _(
            "Ngày nghỉ lễ, Tết, nghỉ bù và ngày làm việc hoán đổi của tỉnh, kèm căn cứ pháp lý; "
            "dùng để tính thời hạn giải quyết hồ sơ. Có thể đăng ký theo dõi bằng lịch iCalendar."
        ),
        ("lịch làm việc", "ngày nghỉ", "iCalendar"),
        "MONTHLY",
        (
            Table(
                "ngay-dac-biet",
                _("Ngày nghỉ và ngày làm việc hoán đổi"),
                (
                    C("day", "date", _("Ngày")),
                    C("kind", "text", _("Mã loại")),
                    C("kind_label", "text", _("Loại")),
                    C("name", "text", _("Tên")),
                    C("working_day", "bool", _("Ngày làm việc")),
                    C("day_off", "bool", _("Ngày nghỉ")),
                    C("legal_basis", "text", _("Căn cứ pháp lý")),
                    C("verified", "bool", _("Đã đối chiếu văn bản")),
                ),
                _calendar,
            ),
        ),
        temporal=_calendar_span,
        group="co-quan-don-vi",
    ),
    Dataset(
        "chi-so-766",
        _("Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766)"),
        _(
            "Các chỉ số của Bộ chỉ số 766 theo đơn vị (tỉnh, xã, phường, sở ngành) và theo quý: "
            "tử số, mẫu số, tỷ lệ, điểm và phiên bản công thức."
        ),
        ("Quyết định 766", "chỉ số", "chất lượng phục vụ"),
        "DAILY",
        (
            Table(
                "chi-so-theo-don-vi-quy",
                _("Chỉ số theo đơn vị và quý"),
                (
                    C("period", "text", _("Kỳ")),
                    C("scope", "text", _("Cấp")),
                    C("unit_code", "text", _("Mã đơn vị")),
                    C("unit", "text", _("Đơn vị")),
                    C("indicator", "text", _("Mã chỉ số")),
                    C("indicator_name", "text", _("Chỉ số")),
                    C("numerator", "int", _("Tử số"), count=True),
                    C("denominator", "int", _("Mẫu số"), count=True),
                    C("percent", "numeric", _("Tỷ lệ (%)")),
                    C("points", "numeric", _("Điểm")),
                    C("max_points", "numeric", _("Điểm tối đa")),
                    C("formula_version", "text", _("Phiên bản công thức")),
                ),
                _indicators,
                xlsx=True,
            ),
        ),
        temporal=_quarter_span,
        chart="percent",
        group="thong-ke",
    ),
    Dataset(
        "thong-ke-ho-so",
        _("Thống kê hồ sơ thủ tục hành chính"),
        _(
            "Số hồ sơ tiếp nhận theo tháng, theo đơn vị có thẩm quyền và theo thủ tục: nộp trực "
            "tuyến, giải quyết trước hạn, đúng hạn, quá hạn, rút hoặc dừng xử lý, tái sử dụng dữ "
            "liệu số. Chỉ số liệu tổng hợp; số nhỏ được ẩn."
        ),
        ("hồ sơ", "thống kê", "trực tuyến", "đúng hạn"),
        "DAILY",
        (
            Table(
                "theo-don-vi-thang",
                _("Theo đơn vị và tháng"),
                (
                    C("month", "text", _("Tháng")),
                    C("unit_code", "text", _("Mã đơn vị")),
                    C("unit", "text", _("Đơn vị")),
                    *DOSSIER_COLUMNS,
                ),
                _dossiers_by_unit,
                xlsx=True,
            ),
            Table(
                "theo-thu-tuc-thang",
                _("Theo thủ tục và tháng"),
                (
                    C("month", "text", _("Tháng")),
                    C("procedure_code", "text", _("Mã thủ tục")),
                    *DOSSIER_COLUMNS,
                ),
                _dossiers_by_procedure,
            ),
        ),
        temporal=_stat_span,
        chart="received",
        group="thong-ke",
    ),
    Dataset(
        "thong-ke-phan-anh-danh-gia",
        _("Thống kê phản ánh, kiến nghị và đánh giá hài lòng"),
        _(
            "Số phản ánh, kiến nghị thuộc thẩm quyền, số xử lý đúng hạn, số hài lòng, và số lượt "
            "đánh giá mức độ hài lòng theo đơn vị và quý. Chỉ số liệu tổng hợp; số nhỏ được ẩn."
        ),
        ("phản ánh kiến nghị", "hài lòng", "thống kê"),
        "DAILY",
        (
            Table(
                "theo-don-vi-quy",
                _("Theo đơn vị và quý"),
                (
                    C("period", "text", _("Kỳ")),
                    C("unit_code", "text", _("Mã đơn vị")),
                    C("unit", "text", _("Đơn vị")),
                    C("petitions", "int", _("Phản ánh, kiến nghị thuộc thẩm quyền"), count=True),
                    C("petitions_in_time", "int", _("Xử lý đúng hạn"), count=True),
                    C("petitions_in_time_share", "numeric", _("Tỷ lệ xử lý đúng hạn (%)")),
                    C("petitions_satisfied", "int", _("Hài lòng với kết quả"), count=True),
                    C("ratings", "int", _("Lượt đánh giá hồ sơ"), count=True),
                    C("ratings_unsatisfied", "int", _("Lượt không hài lòng"), count=True),
                    C("ratings_satisfied_share", "numeric", _("Tỷ lệ hài lòng (%)")),
                ),
                _feedback,
            ),
        ),
        temporal=_quarter_span,
        group="thong-ke",
    ),
    Dataset(
        "danh-sach-co-quan-don-vi",
        _("Danh sách cơ quan, đơn vị và mã định danh"),
        _(
            "Các cơ quan, đơn vị của tỉnh với mã định danh điện tử (QCVN 102 hoặc Quyết định "
            "20/2020/QĐ-TTg), cấp, đơn vị cha và địa chỉ."
        ),
        ("mã định danh", "cơ quan", "đơn vị"),
        "MONTHLY",
        (
            Table(
                "don-vi",
                _("Cơ quan, đơn vị"),
                (
                    C("eid_code", "text", _("Mã định danh")),
                    C("eid_format", "text", _("Chuẩn mã")),
                    C("name", "text", _("Tên")),
                    C("kind", "text", _("Loại")),
                    C("level", "text", _("Cấp")),
                    C("parent_eid_code", "text", _("Mã đơn vị cha")),
                    C("commune_code", "int", _("Mã xã, phường")),
                    C("commune", "text", _("Xã, phường")),
                    C("address", "text", _("Địa chỉ")),
                    C("valid_from", "date", _("Hiệu lực từ")),
                    C("valid_to", "date", _("Hiệu lực đến")),
                ),
                _units,
                xlsx=True,
            ),
        ),
        group="co-quan-don-vi",
    ),
)

BY_SLUG: dict[str, Dataset] = {d.slug: d for d in DATASETS}

GROUPS: dict[str, Promise | str] = {
    "thu-tuc-hanh-chinh": _("Thủ tục hành chính"),
    "co-quan-don-vi": _("Cơ quan, đơn vị"),
    "thong-ke": _("Thống kê"),
}

#: EU frequency authority (http://publications.europa.eu/resource/authority/frequency/).
FREQUENCY_VI: dict[str, Promise | str] = {
    "DAILY": _("Hằng ngày"),
    "WEEKLY": _("Hằng tuần"),
    "MONTHLY": _("Hằng tháng"),
}


def table(dataset: str, resource: str) -> Table | None:
    ds = BY_SLUG.get(dataset)
    if ds is None:
        return None
    return next((t for t in ds.tables if t.slug == resource), None)


def publisher_unit(province_id: int) -> Unit | None:
    """The publisher: the provincial People's Committee, with its agency code (R-ID-01)."""
    return Unit.objects.filter(province_id=province_id, kind=UnitKind.PROVINCIAL_PC).first()
