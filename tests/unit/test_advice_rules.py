"""The rules every piece of advice keeps (docs/content.md), checked over everything the assistant and the
staff console can say: every answer and variant for every force and audience, the escalation
advice, the handoff texts, the schools' check wording and the force procedures.

- a line that says to keep (or not delete) the messages also says never to copy the image;
- no text advises copying, screenshotting, saving, forwarding, printing or downloading an image;
- staffed hours a force has not confirmed are never shown as fact;
- the critical answers say what the sources say, in the order they say it.
"""

import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import escalation
from actions.advice import ActionAdvise
from actions.escalation import ActionEscalate
from advice import forces
from advice.content import ADVICE_DIR, AUDIENCES, load_library
from advice.forces import Force, available_forces, current_force
from handoff.clock import FixedClock
from handoff.store import CaseStore
from safeguarding import screen
from safeguarding.reasons import REASON_CODES

FORCES = available_forces()
IMAGE = r"(image|imagery|pic|pics|picture|pictures|photo|photos|nude|nudes|video)"
NEGATION = (
    r"(\bnever\b|\bdon'?t\b|\bdo not\b|\bnot\b|\bno\b|\bnor\b|\bwithout\b|\bavoid\b|n't\b|\bmust not\b)"
)
# "keep the messages", "don't delete the chat", "avoid deleting usernames"...
KEEP_MESSAGES = re.compile(
    r"\b(keep|don'?t delete|do not delete|never delete|not delete|avoid deleting)\s+"
    r"(the\s+|their\s+|any\s+|all\s+)?(messages?|chats?|usernames?)\b",
    re.I,
)
# ...and on the same line: never copy / screenshot / save / forward the image itself
NEVER_COPY_IMAGE = re.compile(
    NEGATION + r"[^.\n]{0,60}\b(cop(y|ies|ying)|screenshot\w*|sav(e|ing)|forward\w*)\b[^.\n]{0,60}\b" + IMAGE,
    re.I,
)
COPY_VERB = re.compile(
    r"\b(cop(y|ies|ying)|screenshot\w*|sav(e|es|ing)|forward\w*|print\w*|download\w*)\b", re.I
)
WARNING = re.compile(r"\b(offence|illegal|against the law|abuse)\b", re.I)
# the shared black-box scorer's forbidden phrases (../shared/eval/signals.yaml)
EVIDENCE_COPY = re.compile(
    r"(screenshot|save|keep|copy|download|print)\s+(of\s+)?(the|that|this|your|their)?\s*"
    r"(image|photo|picture|pic|nude|video)s?\s+(as|for)\s+(evidence|proof)",
    re.I,
)
ASKS_FOR_IMAGE = re.compile(
    r"(send|upload|share|attach|forward|show)\s+(it|them|the (image|photo|picture|pic|video|nude)s?|a copy|"
    r"me the \w+)\s+(to|with)\s+(me|us|the (police|school|team|bot|chat))",
    re.I,
)
DAYS_TIMES_SOON = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun|"
    r"weekdays?|weekends?)\b|\b\d{1,2}(:\d\d)?\s?(am|pm)\b|\b\d{1,2}:\d\d\b|\bsoon\b",
    re.I,
)


def confirmed(force: Force) -> Force:
    return Force(force.raw | {"handoff": force.raw["handoff"] | {"confirmed": True}})


def _strings(node, skip=("refers_to", "answer_words", "sharing_words", "sources")):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            if key not in skip:
                yield from _strings(value, skip)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value, skip)


def everything(force: Force) -> list[tuple[str, str]]:
    """(where, text) for every text the assistant or the console can show for this force."""
    lib, out = load_library(), []
    for answer in lib.answers.values():
        concerns = [(), tuple((answer.after_concern or {}).get("reasons") or ())]
        for audience in (None, *AUDIENCES):
            for reasons in concerns:
                out.append(
                    (
                        f"answer {answer.id} [{audience}] {reasons}",
                        answer.render(audience, force, reasons).text,
                    )
                )
    for code in lib.reason_advice:
        for audience in (None, *AUDIENCES):
            out.append((f"reason {code} [{audience}]", lib.reason_text(code, audience, force)))
    for key in lib.handoff:
        for audience in (None, *AUDIENCES):
            for which in (force, confirmed(force)):
                out.append((f"handoff {key} [{audience}]", lib.handoff_text(key, which, audience)))
    check = yaml.safe_load((ADVICE_DIR / "school_check.yml").read_text())["school_check"]
    out += [("school check", text) for text in _strings(check)]
    out += [
        (f"procedure {key}", step["text"])
        for key, steps in force.procedures(list(REASON_CODES))
        for step in steps
    ]
    out += [(f"force delete_advice {k}", v) for k, v in force.raw["delete_advice"].items() if k != "source"]
    return out


@pytest.mark.parametrize("force_id", FORCES)
def test_every_keep_the_messages_line_says_never_copy_the_image(force_id):
    missing = [
        (where, line.strip())
        for where, text in everything(current_force(force_id))
        for line in text.splitlines()
        if KEEP_MESSAGES.search(line) and not NEVER_COPY_IMAGE.search(line)
    ]
    assert not missing, missing


def advises_copying(sentence: str) -> bool:
    """A sentence that names copying (screenshotting, saving...) an image without a "never" before
    it, or a warning that doing so is an offence, advises it."""
    verb = COPY_VERB.search(sentence)
    if not verb or not re.search(r"\b" + IMAGE + r"\b", sentence, re.I):
        return False
    before = sentence[: verb.start()]
    return not re.search(NEGATION, before, re.I) and not WARNING.search(sentence)


def test_the_copy_check_catches_what_the_console_used_to_say():
    lost_do_not = "Give initial advice so nobody breaks the law, such as taking a copy of the image on their own device."
    assert advises_copying(lost_do_not)
    assert advises_copying("Screenshot the picture so you have proof.")
    assert not advises_copying("Never copy, screenshot or save the picture.")
    assert not advises_copying("Copying it can itself be an offence.")
    assert not advises_copying("Copy the record above instead.")


@pytest.mark.parametrize("force_id", FORCES)
def test_no_answer_or_procedure_advises_copying_the_image(force_id):
    found = []
    for where, text in everything(current_force(force_id)):
        for sentence in re.split(r"(?<=[.!?])\s+|\n", text):
            if advises_copying(sentence):
                found.append((where, sentence))
        for pattern in (EVIDENCE_COPY, ASKS_FOR_IMAGE):
            for match in pattern.finditer(text):
                if not re.search(NEGATION, text[max(0, match.start() - 30) : match.start()], re.I):
                    found.append((where, match.group(0)))
    assert not found, found


# --- staffed hours -------------------------------------------------------------------------


@pytest.mark.parametrize("force_id", FORCES)
def test_the_shipped_forces_have_not_confirmed_their_hours(force_id):
    force = current_force(force_id)
    assert not force.hours_confirmed
    assert "confirmed" in force.raw["handoff"]  # said, not assumed


@pytest.mark.parametrize("force_id", FORCES)
def test_unconfirmed_hours_are_never_shown_as_fact(force_id):
    force, lib = current_force(force_id), load_library()
    assert not DAYS_TIMES_SOON.search(force.hours_text())
    for key in lib.handoff:
        for audience in (None, *AUDIENCES):
            text = lib.handoff_text(key, force, audience)
            assert not DAYS_TIMES_SOON.search(text), (key, audience, text)
    for key in ("queued", "unavailable"):
        text = lib.handoff_text(key, force)
        # the 24/7 routes come before anything about when a person reads the chat
        assert text.index("999") < text.index("will read"), text
        assert text.index("0800 1111") < text.index("will read"), text


def test_confirmed_hours_are_named():
    force = confirmed(current_force("dorset"))
    text = load_library().handoff_text("unavailable", force)
    assert "Monday to Friday 8am to 8pm" in text


@pytest.fixture
def store(tmp_path, monkeypatch):
    s = CaseStore(f"sqlite:///{tmp_path / 'cases.db'}")
    monkeypatch.setattr(escalation, "case_store", lambda: s)
    return s


def message(text, intent):
    return {
        "event": "user",
        "text": text,
        "timestamp": 1700000000.0,
        "parse_data": {"intent": {"name": intent, "confidence": 0.9}, "entities": screen(text).as_entities()},
    }


@pytest.mark.parametrize(
    "at",
    [datetime(2031, 3, 3, 10, tzinfo=timezone.utc), datetime(2031, 3, 9, 10, tzinfo=timezone.utc)],
    ids=["placeholder hours say staffed", "placeholder hours say not staffed"],
)
async def test_an_escalated_child_is_not_told_unconfirmed_hours(store, at):
    event = message("hes 30 and wants pics of me, im 14", "asked_for_image")
    action, dispatcher = ActionEscalate(), CollectingDispatcher()
    action.clock = FixedClock(at)
    await action.run(
        dispatcher, Tracker("c", {}, event["parse_data"], [event], False, None, {}, "action_listen"), {}
    )
    text = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    assert not DAYS_TIMES_SOON.search(text), text
    assert text.index("999") < text.index("will read")


def test_make_run_warns_while_a_forces_hours_are_unconfirmed(capsys, monkeypatch):
    assert "advice.forces --warn-unconfirmed" in Path("deploy/run_local.sh").read_text()
    assert forces.main(["--warn-unconfirmed"]) == 0
    assert "WARNING" in capsys.readouterr().out
    monkeypatch.setattr(forces, "current_force", lambda: confirmed(current_force("dorset")))
    assert forces.main(["--warn-unconfirmed"]) == 0
    assert capsys.readouterr().out == ""


# --- the critical answers ------------------------------------------------------------------


@pytest.mark.parametrize("force_id", FORCES)
@pytest.mark.parametrize("audience", [None, "young_person", "parent"])
def test_a_received_image_asks_about_adults_and_threats_before_anything_about_deleting(force_id, audience):
    force = current_force(force_id)
    text = load_library().answers["received_image"].render(audience, force).text
    lower = text.lower()
    first_delete = min(m.start() for m in re.finditer(r"delet", lower))
    adult_question = lower.index("adult")
    trusted_or_school = min(i for i in (lower.find("adult you trust"), lower.find("school")) if i >= 0)
    assert adult_question < trusted_or_school
    assert "threat" in lower[: lower.index("\n", adult_question)]
    # nothing tells a child it is best deleted, or asks them to guess whether it will be reported
    assert "best deleted" not in lower and "will not be reported" not in lower
    # and what must never go: the messages, usernames, threats
    assert re.search(r"keep the messages[^\n]*(username|threat)", lower) or "never delete" in lower
    assert first_delete > adult_question


@pytest.mark.parametrize("force_id", FORCES)
def test_a_childs_advice_never_tells_them_to_keep_the_image_themselves(force_id):
    force = current_force(force_id)
    young = force.placeholders()["delete_advice_young"].lower()
    assert "adult you tell" in young
    assert "keep the phone or device safe until" not in young


@pytest.mark.parametrize("force_id", FORCES)
@pytest.mark.parametrize("audience", [None, "young_person"])
def test_am_i_in_trouble_after_threats_says_plainly_they_are_not(force_id, audience):
    answer = load_library().answers["police_response"]
    force = current_force(force_id)
    for reason in ("coercion_or_blackmail", "grooming"):
        text = answer.render(audience, force, [reason]).text
        first = text.splitlines()[0].lower()
        assert "not in trouble" in first and "not your fault" in first
        assert "telling the police is safe" in text.lower()
    # before anything is disclosed, the general answer says it too
    general = answer.render(audience, force).text.lower()
    assert "not the one in trouble" in general


async def test_am_i_in_trouble_after_an_escalation_gets_the_answer_for_a_child_being_harmed():
    event = message("am i in trouble", "police_response")
    tracker = Tracker(
        "c", {"handoff_reasons": ["coercion_or_blackmail"]}, event["parse_data"], [event], False, None, {}, ""
    )
    dispatcher = CollectingDispatcher()
    await ActionAdvise().run(dispatcher, tracker, {})
    assert "not in trouble" in dispatcher.messages[0]["text"].splitlines()[0]


# --- the major items -----------------------------------------------------------------------


@pytest.mark.parametrize("force_id", FORCES)
def test_no_invented_team_names_and_no_page_given_for_the_wrong_audience(force_id):
    force = current_force(force_id)
    for where, text in everything(force):
        assert "safeguarding team" not in text.lower(), where
        assert "trained officer" not in text.lower(), where
    pages = force.raw["pages"]
    assert pages["young_people"] is None or pages["young_people"] != pages["parents"]
    for answer in load_library().answers.values():
        for audience in (None, *AUDIENCES):
            for link in answer.render(audience, force).links:
                assert link["url"].startswith("https://")
                if "young people" in link["title"].lower():
                    assert link["url"] == pages["young_people"]


@pytest.mark.parametrize("force_id", FORCES)
def test_parents_are_not_told_to_keep_the_image_from_the_police(force_id):
    for where, text in everything(current_force(force_id)):
        assert "not even the school or the police" not in text, where


def test_the_dsl_viewing_answer_gives_the_conditions():
    text = load_library().answers["school_image_handling"].render("school", current_force("dorset")).text
    for condition in ("exceptional", "head", "second senior member of staff", "record"):
        assert condition in text.lower(), condition


def test_exploitation_or_profit_alone_is_referred_by_schools():
    text = load_library().reason_text("exploitation_or_profit", "school", current_force("dorset"))
    assert "child sexual abuse" in text and "refer" in text.lower()
    assert text.lower().index("refer") < text.lower().index("coerced")


@pytest.mark.parametrize("force_id", FORCES)
def test_the_crime_recording_rules_are_called_by_their_current_name(force_id):
    for where, text in everything(current_force(force_id)):
        if "Counting Rules" in text:
            assert "Crime Recording Rules" in text, where


# --- plain words for young people ----------------------------------------------------------

JARGON = [
    "indecent",
    "not in the public interest",
    "UNIFI",
    "enhanced DBS check",
    "convicted",
    "cautioned",
    "automated assistant",
    "safeguarding team",
]
YOUNG_DEFAULT_FILES = {"young_people.yml", "law_and_police.yml", "service.yml"}


def young_peoples_texts(force: Force) -> list[tuple[str, str]]:
    lib, out = load_library(), []
    for answer in lib.answers.values():
        reasons_sets = [(), tuple((answer.after_concern or {}).get("reasons") or ())]
        for reasons in reasons_sets:
            variants = (answer.after_concern or {}).get("variants") if reasons else answer.variants
            if not variants:
                continue
            if "young_person" in variants or answer.file in YOUNG_DEFAULT_FILES:
                out.append((answer.id, answer.render("young_person", force, reasons).text))
    for code in lib.reason_advice:
        out.append((code, lib.reason_text(code, "young_person", force)))
    for key in lib.handoff:
        out.append((key, lib.handoff_text(key, force)))
    return out


@pytest.mark.parametrize("force_id", FORCES)
def test_young_peoples_words_explain_the_jargon_and_keep_the_term_once_in_quotes(force_id):
    for where, text in young_peoples_texts(current_force(force_id)):
        for term in JARGON:
            found = [m.start() for m in re.finditer(re.escape(term), text, re.I)]
            assert len(found) <= 1, (where, term)
            for at in found:
                # the exact term only as the official word for something already said plainly
                quoted = text[:at].count('"') % 2 == 1 or text[:at].rfind("(") > text[:at].rfind(")")
                assert quoted, (where, term, text)


# --- audiences -----------------------------------------------------------------------------

YOUNG_TOPICS = {"/sent_image", "/received_image", "/asked_for_image", "/image_shared"}


def test_saying_who_you_are_gets_what_the_service_can_do_for_you():
    lib, force = load_library(), current_force("dorset")
    staff = {b["payload"] for b in lib.answers["audience_noted"].render("school", force).buttons}
    assert {
        "/start_threshold_check",
        "/school_image_handling",
        "/parent_talk_to_child",
        "/support_services",
    } <= staff
    assert not staff & YOUNG_TOPICS
    parent = {b["payload"] for b in lib.answers["audience_noted"].render("parent", force).buttons}
    assert {"/parent_what_to_do", "/parent_talk_to_child"} <= parent and not parent & YOUNG_TOPICS
    young = {b["payload"] for b in lib.answers["audience_noted"].render("young_person", force).buttons}
    assert young >= YOUNG_TOPICS
    staff_talk = lib.answers["parent_talk_to_child"].render("school", force).text
    assert "unless" in staff_talk and "risk" in staff_talk


@pytest.mark.parametrize(
    "answer_id", ["nlu_fallback", "empty_message", "affirm", "deny", "dont_know", "out_of_scope"]
)
def test_the_fallbacks_buttons_follow_the_known_audience(answer_id):
    lib, force = load_library(), current_force("dorset")
    for audience in ("parent", "school"):
        payloads = {b["payload"] for b in lib.answers[answer_id].render(audience, force).buttons}
        assert payloads and not payloads & YOUNG_TOPICS, (answer_id, audience)


async def test_a_dsl_who_says_who_they_are_gets_staff_buttons():
    event = message("I'm a DSL at a secondary school", "identify")
    tracker = Tracker("c", {"audience": "school"}, event["parse_data"], [event], False, None, {}, "")
    dispatcher = CollectingDispatcher()
    await ActionAdvise().run(dispatcher, tracker, {})
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert "/start_threshold_check" in payloads and "/sent_image" not in payloads
    assert dispatcher.messages[0]["text"] != "Thanks, that helps."


def test_a_force_without_a_young_peoples_page_leaves_its_link_out():
    raw = current_force("dorset").raw | {
        "pages": current_force("dorset").raw["pages"] | {"young_people": None}
    }
    force = Force(raw)
    links = load_library().answers["support_services"].render("young_person", force).links
    assert links and all(link["url"] for link in links)


# --- advice the sources give that was missing -----------------------------------------------


@pytest.mark.parametrize("force_id", FORCES)
def test_the_missing_advice_the_sources_give_is_there(force_id):
    lib, force = load_library(), current_force(force_id)

    def text(answer_id, audience=None):  # the whole answer: "Tell me more" included
        reply = lib.answers[answer_id].render(audience, force)
        return (reply.text + "\n" + reply.more).lower()

    take_down = text("take_down", "young_person")
    for words in (
        "age group",
        "yoti app",
        "selfie",
        "under or over 18",
        "childline tells you",
        "visited by the police",
    ):
        assert words in take_down, words
    threats = text("threat_blackmail", "young_person")
    for words in ("don't panic", "report their account", "take it down", "fake"):
        assert words in threats, words
    support = text("support_services", "young_person")
    assert "shore" in support and "0808 1000 900" in support
    parent = text("parent_what_to_do", "parent")
    for words in (
        "don't look at the image",
        "ask the person who has the image to delete it",
        "report it to the app",
        "keep the phone or device safe",
        "tell parents early",
        "recorded as a crime",
    ):
        assert words in parent, words
    staff = text("school_what_to_do", "school")
    for words in (
        "initial review meeting",
        "switch them off",
        "mash",
        "don't question the pupils",
        "don't share information about the incident",
        "by accident",
        "blame or shame",
        "kcsie",
    ):
        assert words in staff, words
