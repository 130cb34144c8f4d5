"""SMS gateway adapter (contracts/sms.py): notifications to applicants."""

from __future__ import annotations

from contracts import sms as c
from motcua.exchange.errors import ExchangeRejected
from motcua.exchange.http import call

SYSTEM = "sms"


class HttpSmsClient:
    def send(self, phone: str, text: str, *, idempotency_key: str) -> c.SendResponse:
        """One SMS; the key goes in the header and the body, so a retry sends nothing twice.
        An invalid number or an over-long text is refused for good (permanent)."""
        request = c.SendRequest(phone=phone, text=text, idempotency_key=idempotency_key)
        body = call(
            SYSTEM,
            "POST",
            c.SEND_PATH,
            body=request.model_dump(exclude_none=True),
            idempotency_key=idempotency_key,
        )
        reply = c.SendResponse.model_validate(body)
        if reply.error_code != c.ERR_OK:
            raise ExchangeRejected(SYSTEM, reply.message, error_code=reply.error_code)
        return reply
