"""One writer of a case's messages (handoff/case_transcript.py) and its rules: a message is
one message whoever copies it; a copy as typed replaces a redacted one, never the reverse; a
closed case gets nothing more. Real SQLite files."""

import re
from datetime import datetime, timezone
from itertools import permutations

import pytest

from handoff.case_transcript import CaseTranscripts, message_key
from handoff.db import PROJECT_ROOT
from handoff.store import CaseStore
from privacy import redact

TYPED = "his number is 07700 900 456"
STORED = redact(TYPED)[0]  # as the tracker store keeps it


def at(second: int) -> datetime:
    return datetime(2026, 1, 1, 12, 0, second, tzinfo=timezone.utc)


def msg(sender: str, text: str, second: int) -> dict:
    return {"sender": sender, "text": text, "sent_at": at(second)}


@pytest.fixture
def cases(tmp_path) -> CaseStore:
    return CaseStore(f"sqlite:///{tmp_path / 'cases.db'}")


def open_case(cases: CaseStore, messages=()) -> str:
    return cases.escalate("web-1", ["grooming"], "high", "queued", None, "dorset", [], list(messages)).id


def texts(cases: CaseStore, case_id: str) -> list[str]:
    return [m["text"] for m in cases.get(case_id).messages]


def test_the_redacted_copy_and_the_typed_copy_are_one_message():
    assert STORED != TYPED
    assert message_key("user", TYPED, at(1)) == message_key("user", STORED, at(1))
    assert message_key("user", TYPED, at(1)) != message_key("user", TYPED, at(2))
    assert message_key("user", TYPED, at(1)) != message_key("bot", TYPED, at(1))


@pytest.mark.parametrize("order", list(permutations(("action_server", "console", "tracker_store"))))
def test_three_writers_in_any_order_leave_one_copy_of_each_message_as_typed(cases, order):
    """The action server copies the chat with the originals, the console from the tracker store
    (redacted), the tracker store the originals of later messages: whatever order they come in."""
    case_id = open_case(cases)
    copies = {
        "action_server": [msg("user", "hi", 0), msg("user", TYPED, 1)],
        "console": [msg("user", "hi", 0), msg("user", STORED, 1), msg("bot", "Thank you.", 2)],
        "tracker_store": [msg("user", TYPED, 1)],
    }
    for writer in order:
        cases.transcripts.add(case_id, copies[writer])
    assert texts(cases, case_id) == ["hi", TYPED, "Thank you."]


def test_a_copy_adds_only_what_the_case_does_not_have(cases):
    case_id = open_case(cases, [msg("user", "hi", 0)])
    assert cases.transcripts.add(case_id, [msg("user", "hi", 0), msg("bot", "Hello.", 1)]) == 1
    assert cases.transcripts.add(case_id, [msg("user", "hi", 0), msg("bot", "Hello.", 1)]) == 0
    assert cases.transcripts.add(case_id, [msg("user", "hi", 5)]) == 1  # the same words later: new
    assert texts(cases, case_id) == ["hi", "Hello.", "hi"]


def test_a_redacted_copy_never_replaces_the_message_as_typed(cases):
    case_id = open_case(cases, [msg("user", TYPED, 1)])
    assert cases.transcripts.add(case_id, [msg("user", STORED, 1)]) == 0
    assert texts(cases, case_id) == [TYPED]


def test_twice_in_one_copy_the_message_is_kept_once_as_typed(cases):
    case_id = open_case(cases)
    assert cases.transcripts.add(case_id, [msg("user", STORED, 1), msg("user", TYPED, 1)]) == 1
    assert texts(cases, case_id) == [TYPED]


def test_a_closed_case_gets_nothing_more_not_even_the_typed_copy(cases):
    case_id = open_case(cases, [msg("user", STORED, 1)])
    cases.close(case_id, 1, "Sam", "advice_given", "Advice given.")
    assert cases.transcripts.add(case_id, [msg("user", TYPED, 1), msg("user", "are you there", 3)]) == 0
    assert texts(cases, case_id) == [STORED]


def test_a_case_that_does_not_exist_gets_nothing(cases):
    assert cases.transcripts.add("nosuchcase01", [msg("user", "hi", 0)]) == 0


def test_a_writer_on_its_own_is_the_same_writer_as_the_case_stores(cases):
    """The tracker store and the console may make their own: same database, same rules."""
    case_id = open_case(cases, [msg("user", STORED, 1)])
    assert CaseTranscripts(cases.url).add(case_id, [msg("user", TYPED, 1)]) == 0
    assert texts(cases, case_id) == [TYPED]


# where a case's messages could be written from: everything but the tests and the data
SOURCE_FOLDERS = (
    "actions",
    "channels",
    "console",
    "handoff",
    "privacy",
    "rasa_sdk_plugins",
    "widget",
    "deploy",
)
WRITES_MESSAGES = re.compile(r"\b(insert|update)\(\s*case_messages\b|\bcase_messages\.(insert|update)\(")


def test_no_other_module_writes_a_cases_messages():
    writers = {
        str(path.relative_to(PROJECT_ROOT))
        for folder in SOURCE_FOLDERS
        for path in (PROJECT_ROOT / folder).rglob("*.py")
        if "node_modules" not in path.parts and WRITES_MESSAGES.search(path.read_text(encoding="utf-8"))
    }
    assert writers == {"handoff/case_transcript.py"}
