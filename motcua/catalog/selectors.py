"""Reads of the public catalogue: the current version of each procedure of a province (R-VER-01).

The pages (``motcua.portal.catalogue``), the checklist PDF and the API (``motcua.catalog.api``)
make the same calls, so a citizen sees the same answer everywhere.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import overload

from django.db.models import Count, Max, Prefetch, QuerySet, Subquery
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from motcua.agencies.models import Unit
from motcua.catalog.fees import FeeError, FeeInput, FeeKind, FeeRule, compute_fee
from motcua.catalog.models import (
    Component,
    Field,
    OnlineLevel,
    Procedure,
    ProcedureVersion,
    TimeUnit,
)
from motcua.catalog.search import Document, IndexCache, SearchIndex, code_in_query
from motcua.core.errors import NotFound
from motcua.core.text import fold_tokens
from motcua.geo.models import Province
from motcua.worktime.calc import cutoff_words
from motcua.worktime.calendars import calendar_for

_INDEXES: IndexCache[uuid.UUID] = IndexCache()


def current_versions(province: Province | int) -> QuerySet[ProcedureVersion]:
    """The version in force of every procedure of ``province``."""
    return ProcedureVersion.objects.filter(
        pk__in=Procedure.objects.filter(province=province).values("current_id")
    )


def _province_pk(province: Province | int) -> int:
    return province if isinstance(province, int) else province.pk


def _catalogue_key(province: Province | int) -> tuple[object, ...]:
    """Cheap fingerprint of the catalogue: one aggregate query per search. A new version bumps
    the procedure's ``updated_at`` (and the count or the latest version time)."""
    row = Procedure.objects.filter(province=province).aggregate(
        n=Count("current"), changed=Max("current__updated_at"), moved=Max("updated_at")
    )
    return (row["n"], row["changed"], row["moved"])


def _documents(province: Province | int) -> list[Document[uuid.UUID]]:
    versions = list(
        current_versions(province)
        .select_related("procedure", "field")
        .only("id", "name", "procedure__code_national", "field__name")
    )
    bodies: dict[uuid.UUID, list[str]] = {}
    # Every component, notes included: the whole published wording of the procedure is
    # evidence of what it is about (curated checklists only add to it).
    for version_id, name in Component.objects.filter(
        version__in=[v.pk for v in versions]
    ).values_list("version_id", "name"):
        bodies.setdefault(version_id, []).append(name)
    return [
        Document(
            key=v.pk,
            code=v.procedure.code_national,
            name=v.name,
            field=v.field.name,
            body="\n".join(bodies.get(v.pk, [])),
        )
        for v in versions
    ]


def search_index(province: Province | int) -> SearchIndex[uuid.UUID]:
    """The province's index, built once per process and rebuilt when the catalogue changes."""
    return _INDEXES.get(
        _province_pk(province), _catalogue_key(province), lambda: _documents(province)
    )


class RankedVersions:
    """Current versions in a fixed order, fetched only a slice at a time (a page shows 25)."""

    def __init__(self, ids: list[uuid.UUID], fields: tuple[str, ...] = ()) -> None:
        self.ids = ids
        self.fields = fields  # only these columns (``QuerySet.only``); all when empty

    def __len__(self) -> int:
        return len(self.ids)

    def count(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[ProcedureVersion]:
        return iter(self[:])

    @overload
    def __getitem__(self, index: int) -> ProcedureVersion: ...
    @overload
    def __getitem__(self, index: slice) -> list[ProcedureVersion]: ...
    def __getitem__(self, index: int | slice) -> ProcedureVersion | list[ProcedureVersion]:
        if isinstance(index, int):
            return self[index : index + 1 or None][0]
        ids = self.ids[index]
        if not ids:
            return []
        rows = ProcedureVersion.objects.filter(pk__in=ids).select_related("procedure", "field")
        if self.fields:
            rows = rows.only(*self.fields)
        by_id = {v.pk: v for v in rows}
        return [by_id[i] for i in ids if i in by_id]


def procedures_for(
    province: Province | int,
    *,
    q: str = "",
    field: str = "",
    level: str = "",
    online: str = "",
    boundary_free: bool | None = None,
) -> RankedVersions:
    """Current versions matching the filters, ranked by :mod:`motcua.catalog.search` when ``q``
    is given, else by national code. ``field`` is a :class:`Field` code, ``level`` a
    ``CompetentLevel``, ``online`` an ``OnlineLevel`` (``"any"``: full or partial)."""
    qs = filtered_versions(
        province, field=field, level=level, online=online, boundary_free=boundary_free
    )
    query = q.strip()[:200]
    if not fold_tokens(query) and code_in_query(query) is None:
        by_code = qs.order_by("procedure__code_national").values_list("pk", flat=True)
        return RankedVersions(list(by_code))
    filtered = bool(field or level or online or boundary_free is not None)
    allowed = set(qs.values_list("pk", flat=True)) if filtered else None
    hits = search_index(province).search(query, allowed=allowed)
    return RankedVersions([h.key for h in hits])


def filtered_versions(
    province: Province | int,
    *,
    field: str = "",
    level: str = "",
    online: str = "",
    boundary_free: bool | None = None,
) -> QuerySet[ProcedureVersion]:
    """The current versions matching the filters of :func:`procedures_for`, unordered: a page of
    them by national code costs a count and the page's rows, not every id (issue #12 item 9)."""
    qs = current_versions(province)
    if field:
        qs = qs.filter(field__code=field)
    if level:
        qs = qs.filter(competent_level=level)
    if online == "any":
        qs = qs.filter(online_level__in=[OnlineLevel.FULL, OnlineLevel.PARTIAL])
    elif online:
        qs = qs.filter(online_level=online)
    if boundary_free is not None:
        qs = qs.filter(boundary_free=boundary_free)
    return qs


def procedure_detail(
    province: Province | int,
    code: str,
    *,
    related: bool = True,
    unit_fields: tuple[str, ...] = (),
) -> ProcedureVersion:
    """The current version of the procedure ``code`` ("1.001193" or "1001193"), with its
    components and implementing units (and their communes) unless ``related`` is false (a page
    that needs only the version, issue #14 item 9); :class:`NotFound` otherwise.
    ``unit_fields``: only these columns of the units, without their communes (the procedure
    page lists ~100 units of a commune-level procedure, issue #12 item 9)."""
    normal = code_in_query(code.strip())
    # The procedure by its (indexed) code, then its current version: ≈ 5 times cheaper than
    # filtering every current version of the province by code (issue #14 item 9).
    current = Procedure.objects.filter(province=province, code_national=normal or "")
    qs = ProcedureVersion.objects.filter(
        pk=Subquery(current.values("current_id")[:1])
    ).select_related("procedure", "procedure__province", "field")
    if related:
        units = (
            Unit.objects.only(*unit_fields)
            if unit_fields
            else Unit.objects.select_related("commune")
        ).order_by("name")
        qs = qs.prefetch_related(
            Prefetch("components", queryset=Component.objects.order_by("order")),
            Prefetch("implementing_units", queryset=units),
        )
    version = qs.first()
    if version is None:
        raise NotFound("Không tìm thấy thủ tục", "Procedure not found")
    return version


@dataclass(frozen=True)
class OnlineOffer:
    """What the procedure page says about applying online, and whether it offers the button:
    one answer per online level, so the page never contradicts itself (issue #14 item 4,
    R-ONL-01/02). The e-form's start page asks the same question."""

    accepts: bool
    level: str
    text: str


def online_offer(version: ProcedureVersion) -> OnlineOffer:
    level = OnlineLevel(version.online_level)
    texts = {
        OnlineLevel.FULL: _(
            "Toàn trình: nộp hồ sơ, theo dõi, nộp phí và nhận kết quả hoàn toàn trực tuyến."
        ),
        OnlineLevel.PARTIAL: _(
            "Một phần: nộp hồ sơ trực tuyến; một số bước (xuất trình bản chính, nhận kết quả) "
            "thực hiện tại bộ phận một cửa."
        ),
        OnlineLevel.UNKNOWN: _(
            "Nộp hồ sơ trực tuyến được; mức độ (toàn trình hay một phần) chưa được công bố."
        ),
        OnlineLevel.NONE: _(
            "Thủ tục chưa cung cấp dịch vụ công trực tuyến: nộp hồ sơ trực tiếp hoặc qua bưu "
            "chính tại bộ phận một cửa."
        ),
    }
    if level == OnlineLevel.NONE and "online_level" in (version.inferred_fields or []):
        # Decision 0027: "none" inferred from the national record's channels (no online
        # channel listed) is national, not the province's word: the form stays open, as for an
        # unknown level, and the page says what the record shows.
        return OnlineOffer(
            accepts=True,
            level=str(level.label),
            text=str(
                _(
                    "Hồ sơ của thủ tục này trên Cổng Dịch vụ công quốc gia không ghi kênh nộp "
                    "trực tuyến (mức độ suy ra từ dữ liệu của Cổng, chưa được tỉnh xác nhận); "
                    "bạn vẫn có thể nộp hồ sơ trực tuyến tại đây."
                )
            ),
        )
    return OnlineOffer(
        accepts=level != OnlineLevel.NONE, level=str(level.label), text=str(texts[level])
    )


def fields_in_use(province: Province | int) -> QuerySet[Field]:
    """The fields that have at least one current procedure, for the filter list."""
    return Field.objects.filter(versions__in=current_versions(province)).distinct().order_by("name")


# --------------------------------------------------------------------------- wording


def _number(value: Decimal) -> str:
    text = format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    return text.replace(".", ",")


def cutoff_text(version: ProcedureVersion) -> str:
    """The cut-off time of the province that runs ``version``, in words (R-TIME-05): read from
    its working calendar, never written as a constant. "15 giờ" in Vietnamese, "15:00" else."""
    cutoff = calendar_for(version.procedure.province_id).cutoff
    return cutoff_words(cutoff) if (get_language() or "vi").startswith("vi") else f"{cutoff:%H:%M}"


def time_limit_text(version: ProcedureVersion) -> str:
    """The time limit in words (R-TIME-01, R-TIME-05): "3 ngày làm việc", "15 ngày", "Trong
    ngày (tiếp nhận sau 15 giờ trả ngày làm việc tiếp theo)" or "Chưa công bố"."""
    unit = version.time_limit_unit
    if unit == TimeUnit.SAME_DAY:
        if version.cutoff_1500:
            return _("Trong ngày (tiếp nhận sau %(cutoff)s trả ngày làm việc tiếp theo)") % {
                "cutoff": cutoff_text(version)
            }
        return _("Trong ngày")
    value = version.time_limit_value
    if unit == TimeUnit.UNKNOWN or value is None or value <= 0:
        return _("Chưa công bố")
    number = _number(Decimal(value))
    if unit == TimeUnit.WORKING_DAYS:
        return _("{n} ngày làm việc").format(n=number)
    if unit == TimeUnit.WORKING_HOURS:
        return _("{n} giờ làm việc").format(n=number)
    return _("{n} ngày").format(n=number)


@dataclass(frozen=True)
class FeeSummary:
    """One fee rule explained: what it is, a worked example and its legal basis."""

    label: str
    example: str
    lines: tuple[str, ...]
    total: str
    legal_basis: str
    note: str = ""


_EXAMPLES: dict[FeeKind, tuple[FeeInput, str]] = {
    FeeKind.PER_COPY_TIERED_PAGES: (FeeInput(pages=10, copies=1), "bản chính 10 trang, 1 bản sao"),
    FeeKind.PER_PAGE: (FeeInput(pages=10, copies=1), "10 trang, 1 bản"),
    FeeKind.PER_TRANSACTION: (FeeInput(transactions=1), "1 hợp đồng, giao dịch"),
    FeeKind.PER_ITEM: (FeeInput(items=1), "1 trường hợp"),
}


def fee_summaries(version: ProcedureVersion) -> list[FeeSummary]:
    """The catalogue's fee rules (R-CAT-01) with a small computed example each; empty when the
    version has none, and the page then shows the published ``fee_text``."""
    out: list[FeeSummary] = []
    for data in version.fee_rules or []:
        try:
            rule = FeeRule.from_dict(data)
        except FeeError:
            continue
        inp, example = _EXAMPLES.get(rule.kind, (FeeInput(), ""))
        try:
            quote = compute_fee(rule, inp)
        except FeeError:
            continue
        note = ""
        if rule.on_time_only:
            note = _(
                "Miễn lệ phí khi đăng ký đúng hạn; đăng ký quá hạn nộp lệ phí theo nghị quyết "
                "của HĐND cấp tỉnh."
            )
        out.append(
            FeeSummary(
                label=rule.label_vi or _("Phí, lệ phí"),
                example=_("Ví dụ: {case}").format(case=example) if example else "",
                lines=tuple(line.description for line in quote.lines),
                total=quote.total_vi,
                legal_basis=rule.legal_basis,
                note=note,
            )
        )
    return out
