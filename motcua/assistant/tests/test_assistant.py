"""The assistant on the seed catalogue: behaviours, facts from the record, the faces (CLI, API,
chat page, the portal's search) and the question log."""

from __future__ import annotations

import io
import json
import re
import sys
import time
from collections.abc import Callable
from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from config.jobs import SCHEDULE
from conftest import logged_in
from motcua.accounts.models import User
from motcua.assistant import index
from motcua.assistant.answer import ANSWER, CLARIFY, OUT_OF_SCOPE, BadQuestion, ask
from motcua.assistant.models import AskedQuestion
from motcua.assistant.selectors import log_question, mask, most_asked, unanswered
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.selectors import current_versions
from motcua.geo.models import Province

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
PROVINCE = 92


def test_a_colloquial_question_gets_the_procedure_with_its_facts(can_tho: Province) -> None:
    """GIVEN birth registration is decided the same working day (R-TIME-10) WHEN a parent asks
    without diacritics on Monday 10:00 THEN the answer is 1.001193, due 17:00 the same day, the
    identity paper marked as held by the population database (R-REUSE-03), with its citation."""
    monday = datetime(2026, 12, 7, 10, 0, tzinfo=HCM)
    reply = ask("lam giay khai sinh cho con can gi", province=PROVINCE, now=monday)
    assert reply.behaviour == ANSWER
    assert reply.codes[0] == "1.001193"
    facts = reply.facts
    assert facts is not None
    assert facts.due_if_filed_now == datetime(2026, 12, 7, 17, 0, tzinfo=HCM)
    held = [name for name, db in facts.bring if db]
    assert held
    assert all("CSDL" in db for _name, db in facts.bring if db)
    version = current_versions(can_tho).get(procedure__code_national="1.001193")
    assert [c.as_dict() for c in reply.citations] == [
        {"code": "1.001193", "legal_basis": version.legal_basis}
    ]
    assert "1.001193" in reply.text
    assert version.legal_basis in reply.text


def test_an_ambiguous_question_offers_choices_with_the_distinguishing_words() -> None:
    reply = ask("cap the can cuoc", province=PROVINCE)
    assert reply.behaviour == CLARIFY
    assert 2 <= len(reply.choices) <= 4
    assert {"1.014061", "1.014062"} <= set(reply.codes)
    words = [c.words for c in reply.choices]
    assert len(set(words)) == len(words)
    assert [c.code for c in reply.citations] == [c.code for c in reply.choices]
    assert reply.codes[: len(reply.choices)] == [c.code for c in reply.choices]


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("muốn ly hôn thì làm sao", "court"),
        ("xin chào", "chat"),
        ("bị lừa đảo qua mạng", "police"),
        ("asdfgh qwerty", "nothing"),
        ("cho tôi hỏi", "nothing"),
        # Session 7 (data/out_of_scope.csv): a wage claim, a province's internal process.
        ("kiện công ty nợ lương", "labour"),
        ("muốn công bố danh mục và quy trình nội bộ thì làm sao", "internal"),
        ("muốn công bố danh mục và quy trnìh nội bộ thì làm sao", "internal"),  # a typo
    ],
)
def test_out_of_scope_questions_are_refused_politely(question: str, reason: str) -> None:
    reply = ask(question, province=PROVINCE)
    assert reply.behaviour == OUT_OF_SCOPE
    assert reply.reason == reason
    assert reply.codes == []
    assert reply.citations == []
    assert "/phan-anh-kien-nghi/" in reply.text
    assert "1022" in reply.text


def test_an_out_of_scope_word_inside_a_real_procedure_is_answered() -> None:
    reply = ask("ghi vào sổ hộ tịch việc ly hôn đã giải quyết ở nước ngoài", province=PROVINCE)
    assert reply.behaviour == ANSWER
    assert reply.codes[0] == "2.000554"


def test_empty_and_too_long_questions_are_refused() -> None:
    with pytest.raises(BadQuestion):
        ask("   ", province=PROVINCE)
    with pytest.raises(BadQuestion):
        ask("a" * 501, province=PROVINCE)


# --------------------------------------------------------------------------- index


def test_a_new_version_is_searchable_and_the_index_is_saved_for_a_cold_process() -> None:
    version = current_versions(PROVINCE).get(procedure__code_national="1.004873")
    ProcedureVersion.objects.filter(pk=version.pk).update(
        name="Cấp giấy xác nhận tình trạng hôn nhân zyxwvu", updated_at=timezone.now()
    )
    reply = ask("zyxwvu", province=PROVINCE, with_facts=False)
    assert reply.codes[:1] == ["1.004873"]
    assert index.index_path(PROVINCE).exists()
    built = index.retriever(PROVINCE)
    index.clear()
    loaded = index.retriever(PROVINCE)  # a cold process: read from var/, not rebuilt
    assert loaded is not built
    assert loaded.fingerprint == built.fingerprint == index.fingerprint(PROVINCE)


def test_a_catalogue_change_reaches_a_running_web_process_within_a_minute(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue #15: a new version is searchable within a minute. A web process reads the
    catalogue's fingerprint at most every CHECK_SECONDS (10 s); when it moved, the process keeps
    answering with the index it has and rebuilds in a background thread (≈ 7–20 s on this
    machine, bench/README.md), then answers with the new one. The worker saves the new index
    within 30 s too (config/jobs.py), so other processes load it instead of building it."""
    settings.MOTCUA_ASSISTANT_SYNC_REBUILD = False
    started: list[str] = []

    class AtOnce:
        """The rebuild thread, run when started, so that it sees this test's transaction."""

        def __init__(self, target: Callable[[], None], name: str, daemon: bool) -> None:
            self.target = target
            started.append(name)

        def start(self) -> None:
            self.target()

    # Only the index module's view of threads and of the clock is changed.
    clock = [1000.0]
    monkeypatch.setattr(index, "threading", SimpleNamespace(Thread=AtOnce))
    monkeypatch.setattr(
        index, "time", SimpleNamespace(monotonic=lambda: clock[0], perf_counter=time.perf_counter)
    )
    monkeypatch.setattr(index, "connection", SimpleNamespace(close=lambda: None))
    monkeypatch.setattr(index, "_CHECKED", {})  # a fresh process: no check on this clock yet
    index.clear()
    old = index.retriever(PROVINCE)
    version = current_versions(PROVINCE).get(procedure__code_national="1.004873")
    ProcedureVersion.objects.filter(pk=version.pk).update(
        name="Cấp giấy xác nhận tình trạng hôn nhân qwzvyx", updated_at=timezone.now()
    )
    clock[0] += index.CHECK_SECONDS - 1
    assert index.retriever(PROVINCE) is old  # within CHECK_SECONDS: no query, the same index
    assert started == []
    clock[0] += 2
    stale = index.retriever(PROVINCE)  # the fingerprint moved: rebuilt off the request
    assert started == ["assistant-index"]
    assert stale is old
    fresh = index.retriever(PROVINCE)
    assert fresh is not old
    assert fresh.fingerprint == index.fingerprint(PROVINCE)
    assert ask("qwzvyx", province=PROVINCE, with_facts=False).codes[:1] == ["1.004873"]
    assert index.CHECK_SECONDS <= 10
    assert ("motcua.assistant.jobs.refresh_index", 30) in SCHEDULE


# --------------------------------------------------------------------------- faces


def test_the_cli_prints_an_answer(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("assistant", "ask", "đăng ký kết hôn")
    out = capsys.readouterr().out
    assert out.startswith("[answer] 1.000894")


def test_the_cli_reads_json_lines(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("cccd het han\nxin chào\n"))
    call_command("assistant", "ask", "--jsonl")
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["behaviour"] for r in rows] == [ANSWER, OUT_OF_SCOPE]
    assert set(rows[0]) == {"question", "behaviour", "codes", "answer", "citations", "ms"}
    assert rows[0]["codes"][0] == "1.014063"
    assert len(rows[0]["codes"]) <= 5
    assert rows[0]["citations"][0]["code"] == "1.014063"
    assert isinstance(rows[0]["ms"], float)


def test_the_cli_exits_2_on_bad_input(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(CommandError) as missing:
        call_command("assistant", "ask")
    assert missing.value.returncode == 2
    monkeypatch.setattr(sys, "stdin", io.StringIO("cccd\n\n"))
    with pytest.raises(CommandError) as empty:
        call_command("assistant", "ask", "--jsonl")
    assert empty.value.returncode == 2
    assert "Dòng 2" in str(empty.value)


def test_the_api_answers_and_logs_without_personal_data(client: Client) -> None:
    response = client.get(
        "/api/v1/assistant/ask", {"q": "số cccd 079123456789 hết hạn, gọi 0901 234 567"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["behaviour"] == ANSWER
    assert body["codes"][0] == "1.014063"
    assert body["facts"]["code"] == "1.014063"
    logged = AskedQuestion.objects.get()
    assert "079123456789" not in logged.text
    assert "234 567" not in logged.text
    assert logged.channel == "api"
    assert logged.codes[0] == "1.014063"


def test_the_api_refuses_an_empty_question_in_vietnamese(client: Client) -> None:
    response = client.get("/api/v1/assistant/ask", {"q": "  "})
    assert response.status_code == 422
    assert response.json()["message"] == "Hãy nhập câu hỏi."
    assert not AskedQuestion.objects.exists()


def test_the_api_is_documented(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/assistant/ask" in schema["paths"]


def test_the_chat_page_works_as_a_plain_form_and_with_htmx(client: Client) -> None:
    page = client.get("/tro-ly/").content.decode()
    assert 'action="/tro-ly/"' in page
    assert 'name="q"' in page
    html = client.get("/tro-ly/", {"q": "dang ky ket hon"}).content.decode()
    assert "<html" in html
    assert "1.000894" in html
    fragment = client.get("/tro-ly/", {"q": "cap the can cuoc"}, HTTP_HX_REQUEST="true")
    text = fragment.content.decode()
    assert "<html" not in text
    assert "1.014062" in text
    assert AskedQuestion.objects.filter(channel="portal").count() == 2


def test_the_portal_search_lists_the_relevant_procedures_first(client: Client) -> None:
    html = client.get("/thu-tuc/", {"q": "dang ky khai sinh"}).content.decode()
    first = html.index('class="procedure-name"')
    assert "/thu-tuc/1.001193/" in html[first : first + 200]
    # A few dozen at most, not 1,066 (the count is printed; one page has no pagination).
    count = re.search(r'id="result-count">(\d+) thủ tục phù hợp', html)
    assert count is not None
    assert 1 <= int(count.group(1)) <= 50


# --------------------------------------------------------------------------- log


def test_numbers_like_ids_and_phones_are_masked_and_short_ones_kept() -> None:
    text = mask("CCCD 079123456789, sđt +84 90.123.4567, a.b@mail.vn, con 14 tuổi, mã 1.001193")
    assert "079123456789" not in text
    assert "4567" not in text
    assert "mail.vn" not in text
    assert "14 tuổi" in text
    assert "1.001193" in text
    assert text.count("***") == 3


def test_most_asked_and_unanswered_questions() -> None:
    for question in ("cccd het han", "CCCD hết hạn", "xin chào", "asdfgh qwerty"):
        log_question(ask(question, province=PROVINCE), province_code=PROVINCE, channel="portal")
    top = most_asked(PROVINCE)
    assert top[0].count == 2
    assert top[0].text.lower().startswith("cccd")
    assert [q.text for q in unanswered(PROVINCE)] == ["asdfgh qwerty"]  # chit-chat is not


def test_the_worker_job_rebuilds_only_when_the_catalogue_changed() -> None:
    index.retriever(PROVINCE)
    assert index.refresh(PROVINCE) is False  # nothing changed
    version = current_versions(PROVINCE).get(procedure__code_national="1.000894")
    ProcedureVersion.objects.filter(pk=version.pk).update(updated_at=timezone.now())
    assert index.refresh(PROVINCE) is True
    assert index.index_path(PROVINCE).exists()
    assert index.refresh(PROVINCE) is False


def test_the_operations_centre_shows_the_most_asked_and_unanswered_questions(
    ioc_viewer: User,
) -> None:

    for question in ("cccd het han", "asdfgh qwerty"):
        log_question(ask(question, province=PROVINCE), province_code=PROVINCE, channel="portal")
    client = logged_in(ioc_viewer)
    assert "/ioc/tro-ly/" in client.get("/ioc/").content.decode()
    html = client.get("/ioc/tro-ly/").content.decode()
    most = html[html.index('id="most-title"') : html.index('id="unanswered-title"')]
    assert "cccd het han" in most
    assert "asdfgh qwerty" in html[html.index('id="unanswered-title"') :]


# --------------------------------------------------------------------------- facts ahead


@pytest.mark.parametrize("code", ["1.001193", "1.000894", "1.014063", "1.012786", "2.000815"])
def test_the_facts_composed_with_the_index_equal_the_record_read_now(code: str) -> None:
    """The answer's fast path (facts composed when the index was built) says exactly what
    reading the record now says: in Vietnamese and English, with and without the citizen's
    commune (its units and service centre first, R-ORG-02/03), with the same due date."""
    from django.utils import translation

    from motcua.assistant.facts import facts_from_table, facts_of
    from motcua.geo.models import Commune

    table = index.retriever(PROVINCE).facts
    assert table is not None
    version = (
        current_versions(PROVINCE)
        .select_related("procedure", "field")
        .get(procedure__code_national=code)
    )
    unit = version.implementing_units.exclude(commune=None).first()
    communes = [None, unit.commune if unit else Commune.objects.filter(province=PROVINCE).first()]
    monday = datetime(2026, 12, 7, 16, 30, tzinfo=HCM)
    for language in ("vi", "en"):
        with translation.override(language):
            for commune in communes:
                fast = facts_from_table(table, code, commune=commune, now=monday)  # type: ignore[arg-type]
                read = facts_of(version, commune=commune, now=monday)
                assert fast == read, (language, commune)


def test_the_online_sentence_is_the_procedure_pages_at_every_level() -> None:
    """R-ONL-01/02, decision 0027: the assistant says of each online level, read or inferred,
    the very sentence the procedure page shows (``catalog.selectors.online_offer``), in
    Vietnamese and English."""
    from django.utils import translation

    from motcua.assistant.facts import facts_of
    from motcua.catalog.models import OnlineLevel
    from motcua.catalog.selectors import online_offer

    version = (
        current_versions(PROVINCE)
        .select_related("procedure", "field")
        .get(procedure__code_national="1.001193")
    )
    for language in ("vi", "en"):
        with translation.override(language):
            told = set()
            for level in OnlineLevel:
                for inferred in ([], ["online_level"]):
                    version.online_level = level
                    version.inferred_fields = inferred
                    online = facts_of(version).online
                    assert online == online_offer(version).text, (language, level, inferred)
                    told.add(online)
            assert len(told) == len(OnlineLevel) + 1, told  # an inferred "none" has its own


def test_an_answer_reads_at_most_the_calendar(
    django_assert_max_num_queries: object, settings: Settings
) -> None:
    """With the index in memory, a full answer (facts included) does one query at most: the
    calendar's freshness check for the due date (the catalogue's fingerprint is read at most
    every 10 s, as in the web processes)."""
    settings.MOTCUA_ASSISTANT_SYNC_REBUILD = False
    index.retriever(PROVINCE)
    ask("dang ky ket hon", province=PROVINCE)  # the fingerprint has just been checked
    with django_assert_max_num_queries(1):  # type: ignore[operator]
        reply = ask("lam giay khai sinh cho con can gi", province=PROVINCE)
    assert reply.facts is not None
    assert reply.facts.code == "1.001193"


def test_an_inferred_none_online_level_is_told_as_the_procedure_page_tells_it() -> None:
    """Decision 0027: the certified copy (2.000815) has "none" inferred from the national
    record's channels; the assistant says what the procedure page says (the form stays open),
    not "cannot be filed online"."""
    reply = ask("chung thuc ban sao tu ban chinh", province=PROVINCE)
    assert reply.behaviour == ANSWER
    assert reply.codes[0] == "2.000815"
    assert reply.facts is not None
    assert "không ghi kênh nộp trực tuyến" in reply.facts.online
    assert "Chưa nộp trực tuyến được" not in reply.facts.online
