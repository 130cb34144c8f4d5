"""Demo official documents (issue #16 item 9): a few hundred letters, decisions, reports and
invitations exchanged between the demo province's bodies over the last months — released and
received, in handling, overdue, completed on time and late, revoked — several linked to demo
dossiers (R-DOC-17), plus drafts waiting at each step for the demo personas of commune A.

Written set-based in a few statements (seconds, not minutes): the rows as the actions would
leave them, the trail appended through ``core.events.record_many`` (so the reactions — the
linked dossiers' trails — see them), and each series' counter set to its last number so that
the next real release continues the series without a gap (R-DOC-05, R-DOC-06). No PDF is
rendered for the history (the letters received from the axis in a real run carry theirs).
Synthetic content only. Idempotent: nothing is added once any document exists."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction

from motcua.accounts.demo import DEMO_PASSWORD
from motcua.accounts.models import Role, RoleAssignment, User
from motcua.agencies.models import Unit, UnitKind
from motcua.core import events
from motcua.core.clock import local_today
from motcua.correspondence.models import (
    BodyProfile,
    Direction,
    Document,
    DocumentDossier,
    DocumentEvent,
    NumberSeries,
    Recipient,
    Urgency,
)
from motcua.correspondence.numbering import series_owner
from motcua.correspondence.states import State
from motcua.correspondence.types import MAIN_SERIES, doc_type, symbol
from motcua.dossiers.models import Consultation, Dossier
from motcua.worktime.calc import TZ, next_working_day
from motcua.worktime.calendars import calendar_for

#: (type, summary) of the demo letters; công văn take the drafting unit "VP".
SUBJECTS = [
    ("cong_van", "V/v phối hợp xác minh thông tin hộ tịch"),
    ("cong_van", "V/v cung cấp số liệu giải quyết thủ tục hành chính quý"),
    ("cong_van", "V/v lấy ý kiến về hồ sơ đất đai"),
    ("cong_van", "V/v đôn đốc giải quyết hồ sơ quá hạn"),
    ("cong_van", "V/v triển khai dịch vụ công trực tuyến toàn trình"),
    ("giay_moi", "Mời dự họp giao ban công tác cải cách hành chính"),
    ("bao_cao", "Báo cáo kết quả số hóa hồ sơ, kết quả giải quyết thủ tục hành chính"),
    ("ke_hoach", "Kế hoạch kiểm tra công tác văn thư, lưu trữ năm 2026"),
    ("thong_bao", "Thông báo lịch tiếp công dân của lãnh đạo"),
    ("quyet_dinh", "Quyết định kiện toàn Tổ công tác một cửa"),
]
#: The demo personas' drafts at each outgoing step (commune A).
WAITING = [
    (State.DRAFT, "V/v đề nghị hướng dẫn nghiệp vụ chứng thực"),
    (State.IN_REVIEW, "V/v báo cáo tình hình tiếp nhận phản ánh, kiến nghị"),
    (State.APPROVED, "V/v cử cán bộ tham dự tập huấn chữ ký số"),
]


@dataclass
class _Body:
    unit: Unit
    abbreviation: str
    signer: User | None
    handlers: list[User]
    clerk: User


def _abbreviation(unit: Unit) -> str:
    if unit.kind == UnitKind.COMMUNE_PC:
        return "UBND"
    words = [w for w in unit.name.split() if w[:1].isupper()]
    return "".join(w[0] for w in words).upper()[:10] or "CQ"


def _clerk(unit: Unit, index: int) -> User:
    """The body's clerk (văn thư); commune A's is the demo persona ``vanthu.ninhkieu``."""
    username = "vanthu.ninhkieu" if index == 0 else f"vanthu.{index:02d}"
    user, made = User.objects.get_or_create(
        username=username,
        defaults={"kind": User.Kind.OFFICER, "full_name": f"Văn thư {unit.name}"},
    )
    if made:
        user.set_password(DEMO_PASSWORD)
        user.email = f"{username}@demo.motcua.invalid"
        user.save()
    RoleAssignment.objects.get_or_create(user=user, unit=unit, role=Role.CLERK)
    return user


def _bodies() -> list[_Body]:
    pc_a = Unit.objects.get(kind=UnitKind.COMMUNE_PC, commune__name="Phường Ninh Kiều")
    others = (
        list(
            Unit.objects.filter(
                province_id=pc_a.province_id, kind=UnitKind.COMMUNE_PC, eid_code__gt=""
            )
            .exclude(pk=pc_a.pk)
            .order_by("name")[:4]
        )
        + sorted(  # the Department of Justice first: the demo's consulted department
            Unit.objects.filter(
                province_id=pc_a.province_id, kind=UnitKind.DEPARTMENT, eid_code__gt=""
            ).order_by("name"),
            key=lambda u: u.name != "Sở Tư pháp",
        )[:3]
    )
    bodies = []
    for index, unit in enumerate([pc_a, *others]):
        profile, _ = BodyProfile.objects.get_or_create(
            unit=unit,
            defaults={"abbreviation": _abbreviation(unit), "place": "Thành phố Cần Thơ"},
        )
        roles = RoleAssignment.objects.filter(unit=unit).select_related("user")
        leaders = [r.user for r in roles if r.role == Role.UNIT_LEADER]
        handlers = [r.user for r in roles if r.role in (Role.SPECIALIST, Role.UNIT_LEADER)]
        clerk = _clerk(unit, index)
        bodies.append(_Body(unit, profile.abbreviation, leaders[0] if leaders else None,
                            handlers or [clerk], clerk))  # fmt: skip
    return bodies


def _moment(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randint(8, 15), rng.randint(0, 59)), tzinfo=TZ)


class _Trail:
    def __init__(self) -> None:
        self.rows: list[DocumentEvent] = []
        self.seq: dict[uuid.UUID, int] = {}

    def add(  # noqa: PLR0917 - one trail row: subject, kind, time, actor, state
        self, document: Document, kind: str, at: datetime, actor: User | None = None,
        to_state: str = "", reason: str = "", **payload: object,
    ) -> None:  # fmt: skip
        self.seq[document.pk] = self.seq.get(document.pk, 0) + 1
        self.rows.append(
            DocumentEvent(
                document=document,
                seq=self.seq[document.pk],
                kind=kind,
                to_state=to_state,
                at=at,
                actor=actor,
                actor_name=(actor.full_name or actor.username) if actor else "",
                reason=reason,
                payload=payload,
            )
        )


@transaction.atomic
def seed_demo_documents(  # noqa: PLR0915 - one pass writes each letter and its copy
    count: int = 160, seed: int = 2026
) -> int:
    """About ``2 × count`` documents (each released letter and its received copy). Returns the
    number of documents made; 0 when documents exist already."""
    if Document.objects.exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic demo data, not secrets
    bodies = _bodies()
    today = local_today()
    calendar = calendar_for(bodies[0].unit.province_id)
    start = max(date(today.year, 1, 2), today - timedelta(days=75))
    days = [start + timedelta(days=n) for n in range((today - start).days + 1)]
    days = [d for d in days if calendar.is_working_day(d)] or [today]
    numbers: dict[str, int] = {}
    documents: list[Document] = []
    recipients: list[Recipient] = []
    trail = _Trail()
    dossiers = list(
        Dossier.objects.filter(competent_unit=bodies[0].unit).order_by("created_at")[:6]
    )
    links: list[DocumentDossier] = []
    for n in range(count):
        sender, receiver = rng.sample(bodies, 2)
        if n < len(dossiers) * 2:
            sender = bodies[0]  # consultation letters of commune A's dossiers and the answers
            receiver = rng.choice(bodies[1:])
        signer = sender.signer
        type_code, summary = SUBJECTS[n % len(SUBJECTS)]
        kind = doc_type(type_code)
        day = days[min(len(days) - 1, int(len(days) * n / count))]
        released_at = _moment(day, rng)
        year_key = series_owner(sender.unit.pk, "out", MAIN_SERIES)
        numbers[year_key] = numbers.get(year_key, 0) + 1
        number = numbers[year_key]
        urgency = Urgency.URGENT if n % 17 == 0 else Urgency.NORMAL
        revoked = n % 41 == 40
        out = Document(
            id=uuid.uuid4(), direction=Direction.OUTGOING,
            state=State.REVOKED if revoked else State.RELEASED, owner_unit=sender.unit,
            type_code=kind.code, series=MAIN_SERIES, number=number, year=day.year,
            symbol=symbol(kind, sender.abbreviation, "VP"),
            drafting_unit_abbreviation="" if kind.abbreviation else "VP", issued_on=day,
            summary=summary, content="Nội dung văn bản mẫu (dữ liệu trình diễn).",
            issuing_body_code=sender.unit.eid_code, issuing_body_name=sender.unit.name,
            place="Thành phố Cần Thơ", signer=signer,
            signer_name=(signer.full_name if signer else "Nguyễn Văn Lãnh Đạo"),
            signer_position="Chủ tịch", urgency=urgency, signed_at=released_at,
            released_at=released_at, created_by=signer,
        )  # fmt: skip
        out.exchange_id = str(out.pk)
        documents.append(out)
        recipients += [
            Recipient(document=out, name=receiver.unit.name, agency_code=receiver.unit.eid_code,
                      unit=receiver.unit, status_code="06" if n % 3 == 0 else "03",
                      status_at=released_at),
            Recipient(document=out, name="VP", for_filing=True),
        ]  # fmt: skip
        trail.add(out, "document:created", released_at - timedelta(days=1), signer, State.DRAFT)
        trail.add(out, "document:state:signed", released_at - timedelta(hours=2), signer,
                  State.SIGNED)  # fmt: skip
        trail.add(out, "document:state:released", released_at, sender.clerk, State.RELEASED,
                  number=number, symbol=out.symbol, sent_to=[receiver.unit.eid_code])  # fmt: skip
        # the received copy at the receiver
        arrival_key = series_owner(receiver.unit.pk, "in", "arrival")
        arrived_at = released_at + timedelta(minutes=rng.randint(1, 40))
        recent = n >= count - 9  # the latest letters: still arriving or just registered
        state = _incoming_state(n, recent, revoked)
        numbered = state not in (State.ARRIVED,)
        arrival = None
        if numbered:
            numbers[arrival_key] = numbers.get(arrival_key, 0) + 1
            arrival = numbers[arrival_key]
        handler = rng.choice(receiver.handlers)
        deadline = day
        for _ in range(rng.choice((3, 5, 7, 10))):
            deadline = next_working_day(deadline, calendar)
        assigned = state in (State.ASSIGNED, State.HANDLING, State.COMPLETED) or (
            revoked and n % 2 == 0
        )
        inc = Document(
            id=uuid.uuid4(), direction=Direction.INCOMING, state=state, owner_unit=receiver.unit,
            type_code=kind.code, number=number, symbol=out.symbol, issued_on=day,
            summary=summary, content=out.content, issuing_body_code=sender.unit.eid_code,
            issuing_body_name=sender.unit.name, urgency=urgency,
            arrival_number=arrival, arrival_year=day.year if arrival else None,
            arrived_at=arrived_at, exchange_id=out.exchange_id,
            handler=handler if assigned else None,
            handling_deadline=deadline if assigned else None,
        )  # fmt: skip
        documents.append(inc)
        trail.add(inc, "document:state:arrived", arrived_at, None, State.ARRIVED,
                  signatures=2, valid=True, addressed=True, duplicates=[])  # fmt: skip
        if numbered:
            trail.add(inc, "document:state:registered", arrived_at + timedelta(hours=1),
                      receiver.clerk, State.REGISTERED, arrival_number=arrival)  # fmt: skip
        if assigned:
            trail.add(inc, "document:state:assigned", arrived_at + timedelta(hours=3),
                      receiver.signer, State.ASSIGNED, deadline=deadline.isoformat())  # fmt: skip
        if state in (State.HANDLING, State.COMPLETED):
            trail.add(inc, "document:state:handling", arrived_at + timedelta(days=1), handler,
                      State.HANDLING)  # fmt: skip
        if state == State.COMPLETED:
            late = n % 5 == 0  # some completed after their deadline
            done = deadline + timedelta(days=2) if late else deadline - timedelta(days=1)
            done_at = _moment(min(max(done, day), today), rng)
            trail.add(inc, "document:state:completed", done_at, handler, State.COMPLETED)
        if revoked:
            trail.add(
                out,
                "document:state:revoked",
                released_at + timedelta(days=1),
                sender.signer,
                State.REVOKED,
                reason="Sai sót nội dung, ban hành lại",
            )
            trail.add(inc, "document:state:revoked", released_at + timedelta(days=1), None,
                      State.REVOKED, reason="Sai sót nội dung, ban hành lại")  # fmt: skip
        if n < len(dossiers) * 2:
            dossier = dossiers[n // 2]
            consultation = Consultation.objects.filter(dossier=dossier).first()
            links.append(DocumentDossier(document=out, dossier=dossier, role="consultation",
                                         consultation=consultation))  # fmt: skip
    for document in documents:  # bulk_create skips save(): the folded search text by hand
        document.search_folded = document.search_text()
    Document.objects.bulk_create(documents)
    Recipient.objects.bulk_create(recipients)
    DocumentDossier.objects.bulk_create(links)
    made = len(documents) + _waiting(bodies[0], trail, days[-1])
    # The trail through the shared pipeline: the reactions (the dossiers' trails) see it.
    events.record_many(trail.rows)
    NumberSeries.objects.bulk_create(
        [NumberSeries(owner=owner, day=date(today.year, 1, 1), last=last)
         for owner, last in numbers.items()]
    )  # fmt: skip
    return made


def _incoming_state(n: int, recent: bool, revoked: bool) -> State:
    if revoked:
        return State.REVOKED
    if recent:
        return (State.ARRIVED, State.REGISTERED, State.ASSIGNED)[n % 3]
    return (
        State.COMPLETED, State.COMPLETED, State.COMPLETED, State.HANDLING, State.ASSIGNED,
        State.COMPLETED, State.REGISTERED, State.HANDLING,
    )[n % 8]  # fmt: skip


def _waiting(body: _Body, trail: _Trail, day: date) -> int:
    """Drafts of commune A at each step, for the demo personas (chuyenvien, lanhdao, vanthu)."""
    drafter = User.objects.filter(username="chuyenvien.ninhkieu").first()
    signer = body.signer
    if drafter is None or signer is None:
        return 0
    kind = doc_type("cong_van")
    rows = []
    for state, summary in WAITING:
        at = datetime.combine(day, time(8, 30), tzinfo=TZ)
        document = Document(
            id=uuid.uuid4(), direction=Direction.OUTGOING, state=state, owner_unit=body.unit,
            type_code=kind.code, series=MAIN_SERIES, symbol=symbol(kind, body.abbreviation, "VP"),
            drafting_unit_abbreviation="VP", summary=summary,
            content="Nội dung dự thảo (dữ liệu trình diễn).",
            issuing_body_code=body.unit.eid_code, issuing_body_name=body.unit.name,
            place="Thành phố Cần Thơ", signer=signer, signer_name=signer.full_name,
            signer_position="Chủ tịch", created_by=drafter,
        )  # fmt: skip
        rows.append(document)
        trail.add(document, "document:created", at, drafter, State.DRAFT)
    for document in rows:
        document.search_folded = document.search_text()
    Document.objects.bulk_create(rows)
    Recipient.objects.bulk_create(
        [Recipient(document=d, name="Sở Tư pháp", agency_code="000.00.12.H13") for d in rows]
    )
    return len(rows)
