"""``motcua check_integrity``: the properties a database must keep, checked from the data alone
(issue #12 part 8). Run after a restore (the backup drill in docs/operations.md), after a crash,
or any time: it only reads.

* **codes** — every dossier code is canonical R-ID-09/R-ID-11 (``{eid}-{YYMMDD}-{seq ≥ 4
  digits}``), its date is the dossier's local receipt date (R-ID-12), and no dossier that was
  received lacks a code.
* **sequences** — for every counter row (unit, day, last) the codes of that unit and day are
  exactly 1..last: no gap, no number beyond the counter (the next receipt would collide), and no
  code whose unit and day have no counter (R-ID-11).
* **trails** — every dossier has events, numbered 1..n without a gap, and its state events form
  a chain (each starts where the previous one ended) that ends in the dossier's state.
* **outbox** — no message still pending after ``MOTCUA_OUTBOX_MAX_ATTEMPTS`` attempts (it should
  be a dead letter), no delivered message without its delivery time. Dead letters are counted
  (an operator replays them), not failures.
* **signatures** — every signed document's file exists, has the recorded size and SHA-256, and
  its signature verifies with pyHanko against the province's root certificate.

Each finding names the check, the object and what is wrong, in Vietnamese then English.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings

from motcua.core.models import OutboxMessage
from motcua.documents.models import SignedDocument
from motcua.dossiers.codes import CodeError, DossierCode, format_unit_code
from motcua.dossiers.models import Dossier, DossierEvent, DossierSequence
from motcua.dossiers.states import State

CHUNK = 5000


@dataclass(frozen=True)
class Finding:
    check: str
    subject: str
    message_vi: str
    message_en: str

    def __str__(self) -> str:
        return f"[{self.check}] {self.subject}: {self.message_vi} / {self.message_en}"


def _numbers(seqs: list[int]) -> str:
    shown = ", ".join(f"{n:04d}" for n in seqs[:20])
    return shown + (f" (+{len(seqs) - 20})" if len(seqs) > 20 else "")


def check_codes() -> Iterator[Finding]:
    rows = Dossier.objects.values_list("id", "code", "received_on").order_by("id")
    for pk, code, received_on in rows.iterator(chunk_size=CHUNK):
        if not code:
            if received_on is not None:
                yield Finding(
                    "codes",
                    f"dossier {pk}",
                    f"đã tiếp nhận ngày {received_on} nhưng không có mã hồ sơ (R-ID-09)",
                    f"received on {received_on} but has no dossier code (R-ID-09)",
                )
            continue
        try:
            parsed = DossierCode.parse(code)
        except CodeError as exc:
            yield Finding("codes", code, f"sai định dạng: {exc.message_vi}", f"bad format: {exc}")
            continue
        if str(parsed) != code:
            yield Finding(
                "codes",
                code,
                f"không ở dạng chuẩn (dạng chuẩn: {parsed})",
                f"not canonical (canonical form: {parsed})",
            )
        if received_on is not None and parsed.received_on != received_on:
            yield Finding(
                "codes",
                code,
                f"ngày trong mã khác ngày tiếp nhận {received_on} (R-ID-12)",
                f"the date in the code differs from the receipt date {received_on} (R-ID-12)",
            )


def check_sequences() -> Iterator[Finding]:
    used: dict[tuple[str, date], list[int]] = defaultdict(list)
    codes = Dossier.objects.exclude(code=None).exclude(code="").values_list("code", flat=True)
    for code in codes.iterator(chunk_size=CHUNK):
        if not code:
            continue
        try:
            parsed = DossierCode.parse(code)
        except CodeError:
            continue  # reported by check_codes
        used[(parsed.agency, parsed.received_on)].append(parsed.seq)
    counters = DossierSequence.objects.select_related("unit").order_by("unit__eid_code", "day")
    for counter in counters.iterator(chunk_size=CHUNK):
        agency = DossierCode.parse(format_unit_code(counter.unit.eid_code, counter.day, 1)).agency
        seqs = sorted(used.pop((agency, counter.day), []))
        subject = f"{counter.unit.eid_code} {counter.day.isoformat()}"
        missing = sorted(set(range(1, counter.last + 1)) - set(seqs))
        beyond = [n for n in seqs if n > counter.last]
        if missing:
            yield Finding(
                "sequences",
                subject,
                f"thiếu số {_numbers(missing)} (bộ đếm: {counter.last}) (R-ID-11)",
                f"missing numbers {_numbers(missing)} (counter: {counter.last}) (R-ID-11)",
            )
        if beyond:
            yield Finding(
                "sequences",
                subject,
                f"số {_numbers(beyond)} vượt bộ đếm {counter.last}: lần tiếp nhận sau sẽ trùng mã",
                f"numbers {_numbers(beyond)} beyond the counter {counter.last}: the next "
                "receipt would reuse a code",
            )
    for (agency, day), seqs in sorted(used.items()):
        yield Finding(
            "sequences",
            f"{agency} {day.isoformat()}",
            f"{len(seqs)} mã hồ sơ không có bộ đếm của đơn vị và ngày này (R-ID-11)",
            f"{len(seqs)} dossier codes without a counter for this unit and day (R-ID-11)",
        )


def check_trails() -> Iterator[Finding]:
    dossiers = Dossier.objects.values_list("id", "code", "state").order_by("id")
    events = (
        DossierEvent.objects.values_list("dossier_id", "seq", "from_state", "to_state")
        .order_by("dossier_id", "seq")
        .iterator(chunk_size=CHUNK)
    )
    pending = next(events, None)
    for pk, code, state in dossiers.iterator(chunk_size=CHUNK):
        subject = code or f"dossier {pk}"
        trail: list[tuple[int, str, str]] = []
        while pending is not None and pending[0] < pk:
            pending = next(events, None)  # events of a dossier that no longer exists: cascade
        while pending is not None and pending[0] == pk:
            trail.append(pending[1:])
            pending = next(events, None)
        yield from _check_trail(subject, state, trail)


def _check_trail(subject: str, state: str, trail: list[tuple[int, str, str]]) -> Iterator[Finding]:
    if not trail:
        yield Finding("trails", subject, "không có sự kiện nào", "has no events")
        return
    numbers = [seq for seq, _, _ in trail]
    if numbers != list(range(1, len(trail) + 1)):
        missing = sorted(set(range(1, max(numbers) + 1)) - set(numbers))
        yield Finding(
            "trails",
            subject,
            f"số thứ tự sự kiện không liên tục (thiếu {missing})",
            f"event numbers are not consecutive (missing {missing})",
        )
    current = ""
    for seq, from_state, to_state in trail:
        if not to_state:
            continue  # not a state change (deadline, note, …)
        if from_state != current:
            yield Finding(
                "trails",
                subject,
                f"sự kiện {seq} đi từ {from_state or '(không)'} nhưng hồ sơ đang ở "
                f"{current or '(không)'}",
                f"event {seq} starts from {from_state or '(none)'} but the dossier was in "
                f"{current or '(none)'}",
            )
        current = to_state
    if current != state:
        yield Finding(
            "trails",
            subject,
            f"trạng thái {state} không khớp với sự kiện cuối ({current or 'không có'})",
            f"state {state} does not match the last state event ({current or 'none'})",
        )
    if state not in {s.value for s in State}:
        yield Finding("trails", subject, f"trạng thái lạ {state!r}", f"unknown state {state!r}")


def check_outbox() -> Iterator[Finding]:
    limit = settings.MOTCUA_OUTBOX_MAX_ATTEMPTS
    stuck = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING, attempts__gte=limit)
    for message in stuck.order_by("id").iterator(chunk_size=CHUNK):
        yield Finding(
            "outbox",
            f"message {message.pk} ({message.topic} {message.key})",
            f"vẫn chờ gửi sau {message.attempts} lần thử (tối đa {limit}) mà không vào hàng "
            "thư chết",
            f"still pending after {message.attempts} attempts (limit {limit}) and not "
            "dead-lettered",
        )
    undated = OutboxMessage.objects.filter(
        status=OutboxMessage.Status.DELIVERED, delivered_at__isnull=True
    )
    for message in undated.order_by("id").iterator(chunk_size=CHUNK):
        yield Finding(
            "outbox",
            f"message {message.pk} ({message.topic} {message.key})",
            "đã gửi nhưng không có thời điểm gửi",
            "delivered without a delivery time",
        )


def root_certificate() -> Path:
    return Path(settings.MOTCUA_PKI_DIR) / "root-ca.pem"


def check_signatures() -> Iterator[Finding]:
    from motcua.documents import signing  # noqa: PLC0415 - pyHanko loads only when signatures are checked

    root = root_certificate()
    documents = SignedDocument.objects.order_by("created_at", "pk")
    if not root.exists():
        if documents.exists():
            yield Finding(
                "signatures",
                str(root),
                "thiếu chứng thư gốc: không kiểm tra được chữ ký (sao lưu cả MOTCUA_PKI_DIR)",
                "root certificate missing: signatures cannot be verified (back up "
                "MOTCUA_PKI_DIR too)",
            )
        return
    for document in documents.iterator(chunk_size=200):
        subject = f"{document.kind} {document.reference} ({document.file.name})"
        try:
            with document.file.open("rb") as handle:
                pdf = handle.read()
        except OSError:
            yield Finding("signatures", subject, "thiếu tệp", "file missing")
            continue
        if len(pdf) != document.size or hashlib.sha256(pdf).hexdigest() != document.sha256:
            yield Finding(
                "signatures",
                subject,
                "kích thước hoặc SHA-256 của tệp khác giá trị đã ghi",
                "the file's size or SHA-256 differs from the recorded one",
            )
        check = signing.validate_pdf(pdf, root)
        if not check.ok:
            yield Finding(
                "signatures",
                subject,
                f"chữ ký không hợp lệ (có: {check.present}, nguyên vẹn: {check.intact}, "
                f"đúng: {check.valid}, tin cậy: {check.trusted}, không sửa: {check.unmodified})",
                f"signature does not verify (present={check.present}, intact={check.intact}, "
                f"valid={check.valid}, trusted={check.trusted}, unmodified={check.unmodified})",
            )


CHECKS: dict[str, Callable[[], Iterator[Finding]]] = {
    "codes": check_codes,
    "sequences": check_sequences,
    "trails": check_trails,
    "outbox": check_outbox,
    "signatures": check_signatures,
}


def summary() -> dict[str, int]:
    """What was looked at (printed with the result, so an empty database is not a pass)."""
    return {
        "dossiers": Dossier.objects.count(),
        "events": DossierEvent.objects.count(),
        "counters": DossierSequence.objects.count(),
        "outbox": OutboxMessage.objects.count(),
        "dead_letters": OutboxMessage.objects.filter(status=OutboxMessage.Status.DEAD).count(),
        "signed_documents": SignedDocument.objects.count(),
    }
