"""The check's record, its PDF, the 24-hour store behind the download link, and its wording."""

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from pypdf import PdfReader

from advice.content import ContentError
from advice.forces import Force, available_forces, current_force
from handoff.clock import FixedClock
from handoff.db import check_records
from safeguarding import screen
from school_check.decision_record import build_record, result_summary
from school_check.engine import CheckState, Utterance, apply
from school_check.pdf import render
from school_check.reading import Answer
from school_check.record_store import KEEP_FOR, RecordStore, pdf_for
from school_check.wording import WORDING_FILE, load_wording, walk_texts, wording

WHEN = datetime(2026, 11, 22, 9, 30, tzinfo=timezone.utc)
MADE_UP_NAME = "Zephyrine Quillfeather"


def wales() -> Force:
    raw = dict(current_force("dorset").raw, id="gwent", name="Gwent Police", country="wales")
    return Force(raw)


def finished_check() -> CheckState:
    """A whole check answered in words, with a made-up name typed along the way."""
    state = CheckState(asked="immediate_risk")
    for asked, text in [
        ("immediate_risk", "no"),
        ("adult", f"no adult. The girl is {MADE_UP_NAME} and she's in year 7"),
        ("coercion", "not sure"),
        ("capacity", "no"),
        ("unusual_acts", "no"),
        ("ages", "and the boy is 14"),
        ("under_13_sexual_acts", "no"),
        ("sharing", "a couple of friends"),
        ("device_secured", "yes"),
        ("viewed", "no"),
    ]:
        state.asked = asked
        state = apply(state, Utterance(text, None, screen(text))).state
    return state


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "record.pdf"
    path.write_bytes(pdf)
    reader = PdfReader(path)
    assert len(reader.pages) == 1
    return " ".join(reader.pages[0].extract_text(extraction_mode="layout").split())


def test_the_record_holds_every_answer_the_decision_and_what_drove_it():
    record = build_record(finished_check(), WHEN)
    text = record.as_text()
    assert "Decision: Refer, unless you can quickly rule out the thresholds not known" in text
    assert "Driven by: Threshold 2: Coerced, blackmailed or groomed (Don't know)" in text
    assert "- Coerced, blackmailed or groomed (threshold 2): Don't know" in text
    assert "- Ages of the young people: 11, 14" in text
    assert "- How widely it has been shared: A few others" in text
    assert "22 November 2026 at 09:30 (UK time)" in text  # UK time, not UTC
    assert "Never view, copy, print, share, store or save the imagery" in text
    assert "Completed by (name and role): ____________" in text


def test_nothing_typed_reaches_the_record_or_its_pdf(tmp_path):
    state = finished_check()
    text = build_record(state, WHEN).as_text() + result_summary(state)
    flat = pdf_text(render(build_record(state, WHEN)), tmp_path)
    for word in MADE_UP_NAME.split():
        assert word not in text and word.lower() not in flat.lower()
    assert "Coerced, blackmailed or groomed Don't know" in flat
    assert "Decision: Refer, unless you can quickly rule out" in flat


@pytest.mark.parametrize("force_id", available_forces())
def test_every_outcome_renders_for_every_force_on_one_page(force_id, tmp_path):
    force = current_force(force_id)
    for state in (CheckState({q: Answer("no") for q in ("immediate_risk", "adult")}), finished_check()):
        record = build_record(state, WHEN, force=force)
        assert "{" not in record.as_text()
        assert force.name in pdf_text(render(record), tmp_path)


def test_the_longest_record_still_fits_on_one_page(tmp_path):
    """Every threshold met, every extra step and every factor: the type shrinks to fit."""
    answers = {
        q: Answer("yes")
        for q in (
            "immediate_risk",
            "adult",
            "coercion",
            "capacity",
            "unusual_acts",
            "under_13_sexual_acts",
            "viewed",
        )
    }
    answers.update(ages=Answer([11, 12, 16, 19]), sharing=Answer("wide"), device_secured=Answer("no"))
    state = CheckState(answers, {"violence_or_threat", "exploitation_or_profit", "repeat_behaviour"})
    flat = pdf_text(render(build_record(state, WHEN)), tmp_path)
    assert "Decision: Refer now" in flat and "Signature and date" in flat


def test_wales_says_dsp_and_the_welsh_guidance():
    record = build_record(finished_check(), WHEN, force=wales())
    text = record.as_text()
    assert "DSP (name)" in text and "Welsh Government guidance" in text
    assert "DSL" not in text and "UKCIS" not in text


def test_the_result_names_the_thresholds_and_who_to_refer_to():
    state = CheckState({"adult": Answer("yes"), "immediate_risk": Answer("yes")})
    summary = result_summary(state)
    assert summary.startswith("Result: refer now.")
    assert "Threshold 1: An adult (18 or over) involved" in summary
    assert "Refer to: the police, urgently" in summary
    assert "call 999 now" in summary


def test_manage_in_school_gives_the_guidance_steps(tmp_path):
    answers = {
        q: Answer("no")
        for q in (
            "immediate_risk",
            "adult",
            "coercion",
            "capacity",
            "unusual_acts",
            "under_13_sexual_acts",
            "viewed",
        )
    }
    answers.update(ages=Answer([14, 15]), sharing=Answer("none"), device_secured=Answer("yes"))
    record = build_record(CheckState(answers), WHEN)
    steps = " ".join(record.steps)
    for step in (
        "initial review meeting",
        "Talk to the young people",
        "Tell parents or carers early, unless",
        "delete it from their devices",
        "education and support",
        "Record everything",
    ):
        assert step in steps
    assert record.headline.startswith("Manage in school") and not record.refer_to


# --- the store behind the download link ---------------------------------------------------


@pytest.fixture
def store(tmp_path):
    return RecordStore(f"sqlite:///{tmp_path / 'cases.db'}", clock=FixedClock(WHEN))


def test_a_record_is_kept_under_an_unguessable_token_for_24_hours(store):
    token = store.save(finished_check().to_slot(), "dorset", WHEN)
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token) and token != store.save({}, "dorset", WHEN)
    assert store.load(token, now=WHEN + KEEP_FOR - timedelta(minutes=1)).answers == finished_check().to_slot()
    assert store.load(token, now=WHEN + KEEP_FOR) is None
    assert store.load("not-a-token") is None and store.load("A" * 43) is None


def test_the_table_keeps_no_conversation_or_text(store):
    columns = {c["name"] for c in sa.inspect(store.engine).get_columns("check_records")}
    assert columns == {"token", "force_id", "answers", "decided_at", "expires_at"}


def test_expired_records_are_deleted_when_the_next_is_saved(store):
    old = store.save({}, "dorset", WHEN - KEEP_FOR - timedelta(hours=1))
    store.save({}, "dorset")
    with store.engine.connect() as db:
        tokens = {row.token for row in db.execute(sa.select(check_records.c.token))}
    assert old not in tokens and len(tokens) == 1


def test_the_download_is_the_pdf_of_the_stored_answers(store, tmp_path):
    token = store.save(finished_check().to_slot(), "dorset")
    pdf = pdf_for(f"{token}.pdf", store)
    assert pdf.startswith(b"%PDF") and "Don't know" in pdf_text(pdf, tmp_path)
    assert pdf_for(token, store) is None and pdf_for("../etc/passwd.pdf", store) is None
    store.delete(token)
    assert pdf_for(f"{token}.pdf", store) is None


# --- the wording file ---------------------------------------------------------------------


def test_the_wording_has_sources_and_every_question():
    words = wording()
    assert len(words.raw["sources"]) >= 5
    assert [q.threshold for q in words.questions if q.threshold] == [5, 1, 2, 2, 3, 4]


def test_a_wording_file_with_an_unknown_placeholder_or_a_missing_question_is_rejected(tmp_path):
    raw = yaml.safe_load(WORDING_FILE.read_text())
    broken = tmp_path / "school_check.yml"
    raw["school_check"]["notes"]["noted"] = "Noted: {nobody}"
    broken.write_text(yaml.safe_dump(raw))
    with pytest.raises(ContentError, match="unknown placeholder"):
        load_wording(broken)
    raw = yaml.safe_load(WORDING_FILE.read_text())
    raw["school_check"]["questions"] = raw["school_check"]["questions"][:-1]
    broken.write_text(yaml.safe_dump(raw))
    with pytest.raises(ContentError, match="exactly these questions"):
        load_wording(broken)


def test_no_check_text_tells_anyone_to_copy_save_or_forward_the_imagery():
    words = wording()
    texts = [text for _, text in walk_texts(words.raw)]
    risky = re.compile(
        r"\b(screenshot|forward|save|copy|print|download)\b[^.]*\b(image|imagery|pic|photo)", re.I
    )
    for text in texts:
        if risky.search(text):
            assert re.search(r"\b(never|don't|do not)\b", text, re.I), text
