"""The optional language model, driven against a tiny OpenAI-compatible server on loopback."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from pytest_django.fixtures import Settings

from motcua.assistant.answer import ask

pytestmark = pytest.mark.django_db


class FakeModel:
    """Answers every /chat/completions with ``content``; records the requests."""

    def __init__(self) -> None:
        self.content = ""
        self.requests: list[dict[str, Any]] = []
        model = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                model.requests.append(
                    {"path": self.path, "body": json.loads(self.rfile.read(length))}
                )
                payload = json.dumps(
                    {"choices": [{"message": {"role": "assistant", "content": model.content}}]}
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"


@pytest.fixture
def model(settings: Settings) -> Iterator[FakeModel]:
    fake = FakeModel()
    thread = threading.Thread(target=fake.server.serve_forever, daemon=True)
    thread.start()
    settings.MOTCUA_ASSISTANT_LLM_URL = fake.url
    settings.MOTCUA_ASSISTANT_LLM_MODEL = "tiny"
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


def test_a_rephrasing_that_cites_the_records_is_kept(model: FakeModel) -> None:
    model.content = (
        "Để đăng ký kết hôn (thủ tục 1.000894), hai bạn mang tờ khai và giấy tờ tùy thân."
    )
    reply = ask("dang ky ket hon", province=92)
    assert reply.rephrased
    assert reply.text == model.content
    sent = model.requests[0]
    assert sent["path"] == "/v1/chat/completions"
    assert sent["body"]["model"] == "tiny"
    assert "1.000894" in sent["body"]["messages"][1]["content"]  # the grounded answer is sent


@pytest.mark.parametrize(
    "content",
    [
        "Bạn nên làm thủ tục 1.001193 ở phường.",  # another procedure
        "Thủ tục 1.000894 theo Nghị định 99/2099/NĐ-CP.",  # a legal basis not in the record
        "Bạn mang tờ khai là được.",  # cites nothing
    ],
)
def test_a_rephrasing_citing_anything_else_is_discarded(model: FakeModel, content: str) -> None:
    model.content = content
    reply = ask("dang ky ket hon", province=92)
    assert not reply.rephrased
    assert reply.text.startswith("Thủ tục phù hợp nhất: Thủ tục đăng ký kết hôn (mã 1.000894)")


def test_an_unreachable_model_falls_back_to_the_grounded_answer(
    model: FakeModel, settings: Settings
) -> None:
    model.server.shutdown()
    model.server.server_close()
    settings.MOTCUA_ASSISTANT_LLM_URL = model.url
    reply = ask("dang ky ket hon", province=92)
    assert not reply.rephrased
    assert "1.000894" in reply.text
