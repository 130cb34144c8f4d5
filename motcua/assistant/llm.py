"""Optional rephrasing by a language model (off by default: ``MOTCUA_ASSISTANT_LLM_URL`` empty).

An OpenAI-compatible ``POST {url}/chat/completions`` gets the question and the grounded answer
composed from the catalogue record, and may only rephrase it. Its text is kept only if every
procedure code and every legal document number it cites is one of the records' (the codes of
the reply and the numbers in their legal basis) and it cites at least one code; otherwise — or
on any error or timeout — the grounded answer is returned unchanged.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import httpx
from django.conf import settings

if TYPE_CHECKING:  # answer.py calls rephrase: no import back at run time (no cycle)
    from motcua.assistant.answer import Reply

log = logging.getLogger(__name__)

_CODE = re.compile(r"(?<![0-9.])\d\.\d{6}(?![0-9])")
# A legal document number: "123/2015/NĐ-CP", "01/2020/TT-BTP".
_DOCUMENT = re.compile(r"\b\d{1,4}/\d{4}/[A-ZĐa-zđ0-9\-]+")
SYSTEM = (
    "Bạn là trợ lý thủ tục hành chính. Viết lại câu trả lời dưới đây cho dễ hiểu, ngắn gọn, "
    "bằng tiếng Việt. Chỉ dùng thông tin có trong câu trả lời; không thêm thông tin nào khác. "
    "Giữ nguyên mã thủ tục (ví dụ 1.001193) và số văn bản căn cứ pháp lý."
)


def cited_only_records(text: str, reply: Reply) -> bool:
    """True when ``text`` cites at least one code, and only the reply's codes and documents."""
    codes = set(_CODE.findall(text))
    allowed_codes = set(reply.codes) | {c.code for c in reply.citations}
    basis = " ".join(c.legal_basis for c in reply.citations)
    documents = set(_DOCUMENT.findall(text))
    allowed_documents = set(_DOCUMENT.findall(basis))
    return bool(codes) and codes <= allowed_codes and documents <= allowed_documents


def rephrase(reply: Reply) -> Reply:
    """The grounded answer ``reply`` (``answer.ask`` calls this for answers only), rephrased."""
    url = settings.MOTCUA_ASSISTANT_LLM_URL
    if not url:
        return reply
    headers = {}
    if key := settings.MOTCUA_ASSISTANT_LLM_KEY:
        headers["Authorization"] = f"Bearer {key}"
    body: dict[str, Any] = {
        "model": settings.MOTCUA_ASSISTANT_LLM_MODEL or "default",
        "temperature": 0,
        "messages": [
            {"role": "system", "content": SYSTEM},
            {"role": "user", "content": f"Câu hỏi: {reply.question}\n\nCâu trả lời:\n{reply.text}"},
        ],
    }
    try:
        response = httpx.post(
            f"{url.rstrip('/')}/chat/completions",
            json=body,
            headers=headers,
            timeout=settings.MOTCUA_ASSISTANT_LLM_TIMEOUT,
        )
        response.raise_for_status()
        text = str(response.json()["choices"][0]["message"]["content"]).strip()
    except (httpx.HTTPError, KeyError, IndexError, TypeError, ValueError) as exc:
        log.warning("assistant language model unavailable: %s", exc)
        return reply
    if not text or not cited_only_records(text, reply):
        log.info("assistant language model answer discarded: it cites outside the records")
        return reply
    return replace(reply, text=text, rephrased=True)
