"""The schools' threshold check end to end: the real Rasa and action servers (the `assistant`
fixture), the REST channel, and the chat page server for the PDF record. What the check says is
compared with its wording as the content renders it (content/advice/school_check.yml, by path),
never with phrases copied from it."""

import re
import subprocess
import urllib.request
import uuid

import pytest

from advice.content import library
from advice.forces import current_force
from school_check.wording import fill, wording
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


def said(path: str, **fields) -> str:
    """One of the check's texts (a dotted path in school_check.yml), as the force in use says it."""
    return wording().text(path, current_force(), **fields)


def question(question_id: str) -> str:
    return fill(wording().question(question_id).text, current_force())


def label(question_id: str) -> str:
    return wording().question(question_id).label


def headline(outcome: str) -> str:
    return said(f"result.headline.{outcome}")


OUTCOMES = ("refer_now", "cautious", "manage_in_school")


def asks(conversation, question_id):
    """The latest reply asks this question, with buttons."""
    return question(question_id) in conversation.text() and conversation.buttons()


def start(url):
    conversation = Conversation(url)
    conversation.say("check the thresholds")
    assert said("intro") in conversation.text()
    assert asks(conversation, "immediate_risk")
    return conversation


def answer_all_no(conversation):
    """Answers every remaining question with "no" (the ages: 14 and 15)."""
    for _ in range(12):
        if any(headline(outcome) in conversation.text() for outcome in OUTCOMES):
            return
        if question("ages") in conversation.text():
            conversation.say("14 and 15")
        elif question("sharing") in conversation.text():
            conversation.press(said("sharing_options.none"))
        elif question("device_secured") in conversation.text():
            conversation.press(said("values.yes"))
        else:
            conversation.press(said("values.no"))
    raise AssertionError("the check did not finish: " + conversation.text())


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as resp:
        return resp.status, resp.headers.get("Content-Type"), resp.read()


def test_no_threshold_means_manage_in_school_with_a_record_link(assistant, chat_page):
    conversation = start(assistant["url"])
    answer_all_no(conversation)
    text = conversation.text()
    assert headline("manage_in_school") in text
    assert said("record.text_title") in text
    steps = wording().texts("result.steps.manage_in_school", current_force())
    assert all(step in text for step in steps)
    assert all(never in text for never in wording().texts("result.never", current_force()))
    assert conversation.handoff() is None
    [link] = conversation.links()
    assert link["url"].startswith("/records/") and link["url"].endswith(".pdf")
    status, kind, body = fetch(chat_page + link["url"])
    assert status == 200 and kind == "application/pdf" and body.startswith(b"%PDF")


def test_a_disclosure_mid_check_escalates_and_the_check_carries_on(assistant):
    conversation = start(assistant["url"])
    conversation.press(said("values.no"))
    assert asks(conversation, "adult")
    conversation.say("the other person is 19")
    handoff = conversation.handoff()
    assert handoff and "adult_involved" in handoff["reasons"]
    assert said("notes.noted", label=label("adult"), value=said("values.yes")) in conversation.text()
    assert said("notes.threshold_met", number=1, label=label("adult")) in conversation.text()
    assert asks(conversation, "coercion")  # the next question, at once
    assert said("buttons.result_now") in [b["title"] for b in conversation.buttons()]
    conversation.press(said("buttons.result_now"))
    assert headline("refer_now") in conversation.text()
    assert f"{said('result.refer_to_label')}: {said('result.refer_to.adult')}." in conversation.text()


def test_a_question_mid_check_is_answered_then_the_question_is_asked_again(assistant):
    conversation = start(assistant["url"])
    conversation.say("should I look at the photo?")
    # asking for the check said who they are: the staff answer
    assert library().answers["school_image_handling"].render("school").text in conversation.text()
    assert asks(conversation, "immediate_risk")


def test_stop_ends_the_check(assistant):
    conversation = start(assistant["url"])
    conversation.press(said("values.no"))
    conversation.say("stop")
    assert said("notes.stopped") in conversation.text()
    conversation.say("no")
    assert question("adult") not in conversation.text()


def test_a_changed_answer_after_the_result_changes_the_result(assistant):
    conversation = start(assistant["url"])
    answer_all_no(conversation)
    assert headline("manage_in_school") in conversation.text()
    conversation.press(said("buttons.change_an_answer"))
    assert said("review_question") in conversation.text()
    conversation.press(label("capacity"))
    assert asks(conversation, "capacity")
    conversation.press(said("values.yes"))
    assert headline("refer_now") in conversation.text()
    assert said("result.threshold_line", number=2, label=label("capacity")) in conversation.text()


def test_the_pdf_record_holds_the_answers_and_decision_and_nothing_typed(assistant, chat_page):
    conversation = start(assistant["url"])
    conversation.say("No")  # immediate risk, typed
    conversation.say(f"no adult. The pupil is called {MADE_UP_NAME} and she's in year 7")
    assert said("notes.ages_noted", ages="11") in conversation.text()
    conversation.say("not sure")  # coerced, blackmailed or groomed
    answer_all_no(conversation)
    text = conversation.text()
    assert headline("cautious") in text
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
    assert f"{said('record.decision_title')}: {said('result.decision.cautious')}" in flat
    assert f"{label('coercion')} {said('values.unknown')}" in flat
    assert "11, 14, 15" in flat  # Year 7 and the ages typed later
    assert current_force().name in flat
    assert all(field in flat for field in wording().texts("record.blank_fields", current_force()))
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
    text = conversation.text()
    staff_advice = library().reason_text("under_13", "school").splitlines()
    parent_advice = library().reason_text("under_13", "parent").splitlines()
    assert all(line in text for line in staff_advice)
    assert not all(line in text for line in parent_advice)
    conversation.say("check the thresholds")
    assert asks(conversation, "immediate_risk")


def test_an_unknown_record_token_is_not_found(chat_page):
    with pytest.raises(urllib.error.HTTPError) as err:
        fetch(chat_page + "/records/" + "A" * 43 + ".pdf")
    assert err.value.code == 404
