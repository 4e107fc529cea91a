"""End to end in a real headless browser (Debian's chromium and chromedriver, driven by Selenium):
a young person escalates in the chat widget; an agent signs in, sees the case appear without
reloading, claims it and replies; the young person sees the reply marked as from a person, even
after leaving and coming back in the same tab; the agent hands back and the bot answers again;
the agent closes the case; a supervisor sees the closed case and its audit trail.

Screenshots of each step go to tests/output/console/ (gitignored).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.console.conftest import AGENT, SUPERVISOR
from tests.servers import CHROMEDRIVER, CHROMIUM, CHROMIUM_FLAGS, require_chromium
from tests.widget.browser import Widget

SHOTS = Path(__file__).resolve().parents[1] / "output" / "console"
XSS = "<img src=x onerror=alert(1)>"
FLAGS = CHROMIUM_FLAGS + [
    "--window-size=1400,1000",
]


@pytest.fixture(autouse=True)
def chromium():
    return require_chromium()


@pytest.fixture
def browsers():
    """Two separate browsers (own profiles, so own cookies and tabs): the young person's and staff's."""
    made, profiles = [], []

    def start():
        profile = tempfile.mkdtemp(prefix="chromium-")
        profiles.append(profile)
        options = Options()
        options.binary_location = str(CHROMIUM)
        for flag in FLAGS + [f"--user-data-dir={profile}"]:
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        made.append(driver)
        return driver

    yield start
    for driver in made:
        driver.quit()
    for profile in profiles:
        shutil.rmtree(profile, ignore_errors=True)


def wait(driver, condition, timeout=40, what="the page"):
    try:
        # live pages redraw: an element found a moment ago may be replaced; look again
        return WebDriverWait(
            driver, timeout, poll_frequency=0.2, ignored_exceptions=[StaleElementReferenceException]
        ).until(lambda d: condition(d))
    except TimeoutException:
        SHOTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(SHOTS / "failed.png"))
        raise AssertionError(f"timed out waiting for {what}; screenshot in {SHOTS / 'failed.png'}") from None


def shot(driver, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SHOTS / f"{name}.png"))


def chat_texts(driver, css=".msg") -> list[str]:
    return [m.text for m in driver.find_elements(By.CSS_SELECTOR, css)]


def sign_in(driver, base: str, person) -> None:
    driver.get(base + "/sign-in")
    driver.find_element(By.ID, "username").send_keys(person[0])
    driver.find_element(By.ID, "password").send_keys(person[3])
    driver.find_element(By.ID, "sign-in").click()
    wait(driver, lambda d: d.find_elements(By.ID, "sign-out"), what="signing in")


def test_a_young_person_is_helped_live_by_a_person_and_a_supervisor_reviews_it(stack, browsers):
    console = stack["console"].url
    (SHOTS / "failed.png").unlink(missing_ok=True)
    staff, young = browsers(), browsers()

    # an agent signs in and goes on duty, with the queue open
    sign_in(staff, console, AGENT)
    staff.find_element(By.ID, "duty-toggle").click()
    wait(staff, lambda d: d.find_element(By.ID, "duty-state").text == "On duty", what="going on duty")
    wait(staff, lambda d: d.execute_script("return document.body.dataset.page") == "queue")
    shot(staff, "01-queue-empty")
    rows_before = {
        r.get_attribute("data-case-id")
        for r in staff.find_elements(By.CSS_SELECTOR, "#queue-rows tr[data-case-id]")
    }

    # a young person escalates in the chat widget on the force's page
    young.get(stack["widget"])
    chat = Widget(young)
    chat.open()
    chat.type("a man i met online says he will share my nudes unless i pay him")
    chat.wait_text(".notice", "asked to read this chat")
    shot(young, "02-chat-escalated")

    # the case appears in the agent's queue without a reload, with an alert
    case_id = wait(
        staff,
        lambda d: next(
            (
                r.get_attribute("data-case-id")
                for r in d.find_elements(By.CSS_SELECTOR, "#queue-rows tr[data-case-id]")
                if r.get_attribute("data-case-id") not in rows_before
            ),
            None,
        ),
        what="the new case in the queue",
    )
    row_text = wait(staff, lambda d: d.find_element(By.CSS_SELECTOR, f'tr[data-case-id="{case_id}"]').text)
    assert "threats, blackmail or coercion" in row_text and "an adult is involved" in row_text
    wait(staff, lambda d: d.find_element(By.ID, "alert").is_displayed(), what="the new-case alert")
    assert case_id in staff.find_element(By.ID, "alert").text
    shot(staff, "03-queue-new-case-alert")

    # the agent opens it: reasons, what was said, procedures, the transcript
    wait(staff, lambda d: d.find_element(By.LINK_TEXT, f"Open case {case_id}").click() or True)
    wait(staff, lambda d: d.find_elements(By.ID, "claim"), what="the case page")
    page = staff.find_element(By.TAG_NAME, "main").text
    assert "share my nudes unless i pay him" in page and "Procedures (Dorset Police)" in page
    shot(staff, "04-case-before-claim")

    # claim: the young person is told a person has joined
    staff.find_element(By.ID, "claim").click()
    wait(staff, lambda d: d.find_elements(By.ID, "reply-text"), what="the reply box after claiming")
    chat.wait_text(".notice", "Alex, a person from the team, has joined this chat")

    # what they type reaches the agent's screen live, as text, never as HTML
    chat.type(XSS)
    wait(
        staff,
        lambda d: any(XSS in t for t in chat_texts(d, "#transcript .text")),
        what="the young person's message on the agent's screen",
    )
    assert not staff.find_elements(By.CSS_SELECTOR, "#transcript img")

    # the agent's reply appears in the chat, marked as from a person
    staff.find_element(By.ID, "reply-text").send_keys(
        "Hi, I'm Alex from the safeguarding team. Are you safe right now?"
    )
    staff.find_element(By.ID, "send-reply").click()
    chat.wait_text(".person", "Are you safe right now?")
    label = chat.find(".person .who-said").text
    assert "Alex" in label and "a person" in label
    assert not chat.all("img")
    shot(young, "05-chat-person-reply")
    wait(
        staff,
        lambda d: any("Are you safe right now?" in t for t in chat_texts(d, "#transcript .m-agent .text")),
        what="the reply in the agent's transcript",
    )
    shot(staff, "06-case-live-takeover")

    # they leave and come back in the same tab: the conversation and the takeover continue
    young.get("about:blank")
    staff.find_element(By.ID, "reply-text").send_keys("I'm still here whenever you're ready.")
    staff.find_element(By.ID, "send-reply").click()
    wait(
        staff,
        lambda d: any("whenever you're ready" in t for t in chat_texts(d, "#transcript .text")),
        what="the second reply on the agent's screen",
    )
    young.back()
    chat.wait_text(".person", "whenever you're ready")  # sent while they were away
    assert any(t.endswith(XSS) for t in chat.texts(".user"))

    # hand back: the bot says so and answers again
    staff.find_element(By.ID, "hand-back").click()
    chat.wait_text(".bot", "talking to the bot again")
    chat.say("what is report remove")
    shot(young, "07-chat-back-to-bot")

    # close with an outcome and a note
    wait(staff, lambda d: d.find_elements(By.ID, "close"), what="the case page after hand back")
    staff.find_element(By.ID, "outcome-advice_given").click()
    staff.find_element(By.ID, "close-note").send_keys("Sextortion advice given; they have blocked him.")
    staff.find_element(By.ID, "close").click()
    wait(
        staff,
        lambda d: d.find_elements(By.ID, "problem")
        or "No open case" in d.find_element(By.TAG_NAME, "main").text
        or not d.find_elements(By.ID, "close"),
        what="closing",
    )
    staff.find_element(By.ID, "sign-out").click()

    # a supervisor sees the closed case and its audit trail
    sign_in(staff, console, SUPERVISOR)
    staff.find_element(By.LINK_TEXT, "Closed cases").click()
    row = wait(
        staff,
        lambda d: d.find_element(By.CSS_SELECTOR, f'tr[data-case-id="{case_id}"]'),
        what="the closed case",
    )
    assert "Advice given" in row.text
    shot(staff, "08-supervisor-closed-cases")
    row.find_element(By.LINK_TEXT, "Audit trail").click()  # a static page: no redraws
    wait(staff, lambda d: d.find_elements(By.ID, "audit"))
    actions = [
        r.get_attribute("data-action") for r in staff.find_elements(By.CSS_SELECTOR, "#audit tr[data-action]")
    ]
    for action in ("view_case", "claim", "reply", "hand_back", "close"):
        assert action in actions, action
    assert "alex.agent" in staff.find_element(By.ID, "audit").text
    shot(staff, "09-supervisor-audit-trail")
    staff.find_element(By.LINK_TEXT, case_id).click()
    wait(staff, lambda d: "Closed" in d.find_element(By.TAG_NAME, "main").text, what="the closed case page")
    assert XSS in staff.find_element(By.ID, "transcript").text
    shot(staff, "10-supervisor-closed-case")
