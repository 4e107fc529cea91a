"""The schools' threshold check end to end: the real Rasa and action servers (the `assistant`
fixture), the REST channel, and the chat page server for the PDF record."""

import re
import subprocess
import urllib.request
import uuid

import pytest

from tests.e2e.conftest import post
from tests.servers import ROOT, VENV, Service, free_port, load_env

OUTPUT = ROOT / "tests" / "output"
MADE_UP_NAME = "Zephyrine Quillfeather"


@pytest.fixture(scope="module")
def chat_page(assistant):
    """widget/serve.py on the same cases database as the assistant's action server."""
    port = free_port()
    env = dict(load_env(), HANDOFF_DB_URL=f"sqlite:///{assistant['handoff_db']}")
    url = f"http://127.0.0.1:{port}"
    page = Service(
        "widget", [str(VENV / "python"), "-m", "widget.serve", "--port", str(port)], env, assistant["work"]
    ).start(ready_url=url + "/", timeout=90)
    yield url
    page.stop()


class Conversation:
    def __init__(self, url):
        self.url, self.sender, self.last = url, f"check-{uuid.uuid4().hex[:10]}", []

    def say(self, text):
        status, self.last = post(self.url, {"sender": self.sender, "message": text})
        assert status == 200, self.last
        return self.last

    def text(self):
        return "\n".join(m.get("text") or "" for m in self.last)

    def buttons(self):
        return [b for m in self.last for b in m.get("buttons") or []]

    def press(self, title):
        """Presses the button with this title in the latest reply, as the chat page does."""
        payload = next(b["payload"] for b in self.buttons() if b["title"] == title)
        return self.say(payload)

    def handoff(self):
        return next(
            (m["custom"]["handoff"] for m in self.last if (m.get("custom") or {}).get("handoff")), None
        )

    def links(self):
        return [link for m in self.last for link in (m.get("custom") or {}).get("links") or []]


def asks(conversation, words):
    """The latest reply asks the question containing these words, with buttons."""
    return words.lower() in conversation.text().lower() and conversation.buttons()


def start(url):
    conversation = Conversation(url)
    conversation.say("check the thresholds")
    assert "Don't view the imagery" in conversation.text()
    assert asks(conversation, "immediate risk of harm")
    return conversation


def answer_all_no(conversation):
    """Answers every remaining question with "no" (the ages: 14 and 15)."""
    for _ in range(12):
        if "Result:" in conversation.text():
            return
        if "How old" in conversation.text():
            conversation.say("14 and 15")
        elif "how widely" in conversation.text().lower():
            conversation.press("Only between those involved")
        elif "devices holding" in conversation.text():
            conversation.press("Yes")
        else:
            conversation.press("No")
    raise AssertionError("the check did not finish: " + conversation.text())


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as resp:
        return resp.status, resp.headers.get("Content-Type"), resp.read()


def test_no_threshold_means_manage_in_school_with_a_record_link(assistant, chat_page):
    conversation = start(assistant["url"])
    answer_all_no(conversation)
    text = conversation.text()
    assert "none of the thresholds applies" in text
    assert "Incident decision record (plain text, to copy)" in text
    assert "initial review meeting" in text and "Never view, copy, print, share, store or save" in text
    assert conversation.handoff() is None
    [link] = conversation.links()
    assert link["url"].startswith("/records/") and link["url"].endswith(".pdf")
    status, kind, body = fetch(chat_page + link["url"])
    assert status == 200 and kind == "application/pdf" and body.startswith(b"%PDF")


def test_a_disclosure_mid_check_escalates_and_the_check_carries_on(assistant):
    conversation = start(assistant["url"])
    conversation.press("No")
    assert asks(conversation, "Is an adult")
    conversation.say("the other person is 19")
    handoff = conversation.handoff()
    assert handoff and "adult_involved" in handoff["reasons"]
    assert "Noted: An adult (18 or over) involved: Yes" in conversation.text()
    assert "meets threshold 1" in conversation.text()
    assert asks(conversation, "coerced, blackmailed or groomed")  # the next question, at once
    assert "Show the result now" in [b["title"] for b in conversation.buttons()]
    conversation.press("Show the result now")
    assert "Result: refer now." in conversation.text()
    assert "the police, urgently" in conversation.text()


def test_a_question_mid_check_is_answered_then_the_question_is_asked_again(assistant):
    conversation = start(assistant["url"])
    conversation.say("should I look at the photo?")
    assert "never view" in conversation.text().lower()
    assert asks(conversation, "immediate risk of harm")


def test_stop_ends_the_check(assistant):
    conversation = start(assistant["url"])
    conversation.press("No")
    conversation.say("stop")
    assert "stopped the check" in conversation.text()
    conversation.say("no")
    assert "Is an adult" not in conversation.text()


def test_a_changed_answer_after_the_result_changes_the_result(assistant):
    conversation = start(assistant["url"])
    answer_all_no(conversation)
    assert "none of the thresholds applies" in conversation.text()
    conversation.press("Change an answer")
    assert "Which answer do you want to change?" in conversation.text()
    conversation.press("Concerns about capacity to consent (e.g. special educational needs)")
    assert asks(conversation, "capacity to consent")
    conversation.press("Yes")
    assert "Result: refer now." in conversation.text()
    assert "Threshold 2: Concerns about capacity to consent" in conversation.text()


def test_the_pdf_record_holds_the_answers_and_decision_and_nothing_typed(assistant, chat_page):
    conversation = start(assistant["url"])
    conversation.say("No")  # immediate risk, typed
    conversation.say(f"no adult. The pupil is called {MADE_UP_NAME} and she's in year 7")
    assert "Noted: ages 11" in conversation.text()
    conversation.say("not sure")  # coerced, blackmailed or groomed
    answer_all_no(conversation)
    text = conversation.text()
    assert "Result: refer, unless you can quickly rule out" in text
    assert MADE_UP_NAME.split()[1] not in text

    [link] = conversation.links()
    status, _, body = fetch(chat_page + link["url"])
    assert status == 200
    OUTPUT.mkdir(exist_ok=True)
    pdf = OUTPUT / "school_check_record.pdf"
    pdf.write_bytes(body)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M)
    pdf_text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(pdf_text.split())
    assert "Decision: Refer, unless you can quickly rule out the thresholds not known" in flat
    assert "Coerced, blackmailed or groomed Don't know" in flat
    assert "11, 14, 15" in flat  # Year 7 and the ages typed later
    assert "Dorset Police" in flat and "DSL (name)" in flat
    for word in MADE_UP_NAME.split():
        assert word.lower() not in flat.lower()
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "110",
            "-singlefile",
            "-f",
            "1",
            "-l",
            "1",
            str(pdf),
            str(OUTPUT / "school_check_record"),
        ],
        check=True,
    )
    assert (OUTPUT / "school_check_record.png").stat().st_size > 10_000


def test_asking_for_the_check_with_a_disclosure_gets_the_staff_advice(assistant):
    """The escalation answers first (and the check starts on the next ask: SafeguardingPolicy
    waits for the user after an escalation outside a form); asking for the check says the
    writer is staff, so the advice is the school's, not a parent's."""
    conversation = Conversation(assistant["url"])
    conversation.say("do we have to report this? it's a year 7 girl")
    assert conversation.handoff() and "under_13" in conversation.handoff()["reasons"]
    assert "designated safeguarding lead" in conversation.text() and "your child" not in conversation.text()
    conversation.say("check the thresholds")
    assert asks(conversation, "immediate risk of harm")


def test_an_unknown_record_token_is_not_found(chat_page):
    with pytest.raises(urllib.error.HTTPError) as err:
        fetch(chat_page + "/records/" + "A" * 43 + ".pdf")
    assert err.value.code == 404
