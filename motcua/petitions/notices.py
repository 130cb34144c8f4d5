"""Tell the petitioner: on receipt (the reference code and the due date), on the answer (with
the signed response link) and when the petition is forwarded. SMS and e-mail leave through the
outbox in the action's transaction (a failed gateway delays, never loses, a message); a citizen
account also gets the in-app copy."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from motcua.core.clock import to_local
from motcua.core.outbox import enqueue
from motcua.core.text import unaccent
from motcua.notify.models import Notification
from motcua.petitions.models import Petition
from motcua.petitions.tokens import response_url


def lookup_url(petition: Petition) -> str:
    path = reverse("portal:petition_lookup")
    return f"{settings.MOTCUA_PUBLIC_URL.rstrip('/')}{path}?ma={petition.code}"


_lookup_url = lookup_url


def messages_for(petition: Petition, kind: str) -> tuple[str, str, str]:
    """(title, SMS without diacritics, body) of ``kind``: received, answered, not_competent."""
    code = petition.code
    due = f"{to_local(petition.due_at):%d/%m/%Y}"
    if kind == "received":
        title = f"Đã tiếp nhận phản ánh, kiến nghị {code}"
        body = (
            f"{petition.unit.name} đã tiếp nhận phản ánh, kiến nghị {code} của bạn. "
            f"Hạn trả lời: {due}. Tra cứu: {_lookup_url(petition)}"
        )
        sms = f"PAKN {code} da duoc tiep nhan. Han tra loi: {due}. Tra cuu: {_lookup_url(petition)}"
    elif kind == "answered":
        link = response_url(petition.pk)
        title = f"Phản ánh, kiến nghị {code} đã được trả lời"
        body = (
            f"{petition.unit.name} đã trả lời phản ánh, kiến nghị {code}. Xem nội dung trả lời "
            f"và cho ý kiến hài lòng hoặc không hài lòng: {link}"
        )
        sms = f"PAKN {code} da duoc tra loi. Xem va cho y kien: {link}"
    elif kind == "not_competent":
        title = f"Phản ánh, kiến nghị {code} không thuộc thẩm quyền"
        where = f" và đã chuyển đến {petition.forwarded_to}" if petition.forwarded_to else ""
        body = (
            f"Phản ánh, kiến nghị {code} không thuộc thẩm quyền của {petition.unit.name}{where}. "
            f"Lý do: {petition.not_competent_reason}"
        )
        sms = f"PAKN {code} khong thuoc tham quyen cua don vi. Chi tiet: {_lookup_url(petition)}"
    elif kind == "in_progress":
        title = f"Phản ánh, kiến nghị {code} đang được xử lý"
        body = (
            f"{petition.unit.name} đã nhận xử lý phản ánh, kiến nghị {code}. "
            f"Hạn trả lời: {due}. Tra cứu: {_lookup_url(petition)}"
        )
        sms = f"PAKN {code} dang duoc xu ly. Han tra loi: {due}. Tra cuu: {_lookup_url(petition)}"
    else:
        raise ValueError(kind)
    return title, unaccent(sms), body


def notify_petitioner(petition: Petition, kind: str) -> None:
    """Queue the notice of ``kind``; idempotent per petition and kind."""
    title, sms, body = messages_for(petition, kind)
    send_notice(petition, kind, title, sms, body)


def send_notice(petition: Petition, kind: str, title: str, sms: str, body: str) -> None:
    """Queue a notice to the petitioner by SMS, e-mail and in-app; idempotent per petition and
    ``kind``. ``sms`` is sent without diacritics."""
    sms = unaccent(sms)
    key = f"petition:{petition.pk}:{kind}"
    if petition.petitioner_phone:
        enqueue(
            topic="sms.send",
            key=petition.code,
            payload={"phone": petition.petitioner_phone, "text": sms, "kind": f"petition_{kind}"},
            idempotency_key=f"sms:{key}",
        )
    if petition.petitioner_email:
        enqueue(
            topic="email.send",
            key=petition.code,
            payload={
                "to": petition.petitioner_email,
                "subject": title,
                "body": body,
                "kind": f"petition_{kind}",
            },
            idempotency_key=f"email:{key}",
        )
    if petition.citizen_id is not None:
        Notification.objects.create(
            user_id=petition.citizen_id,
            dossier_code=petition.code,
            kind=f"petition_{kind}",
            title=title,
            body=body,
        )
