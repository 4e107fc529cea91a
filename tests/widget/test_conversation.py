"""End to end in Debian's Chromium: a force's demo page with the widget embedded by its script
tag; a whole conversation by typing and buttons; an escalation and a person joining through the
real staff console; the conversation kept across a reload and a new page of the same site; the
quick exit by button and by Escape, after which Back shows nothing; no request leaves 127.0.0.1.

Screenshots (1280x800 and 360x740) go to tests/output/widget/ (gitignored).
"""

from __future__ import annotations

import re

from selenium.webdriver.common.keys import Keys

from tests.widget.browser import Browser, Widget

BLACKMAIL = "a man i met online says he will share my nudes unless i pay him"
NO_KEY = None


def assert_stayed_local(browser: Browser) -> None:
    outside = browser.left_the_machine()
    assert not outside, f"requests left 127.0.0.1: {outside}"
    print(f"\n{len(browser.requests)} requests, all to 127.0.0.1")


def assert_forgotten(browser: Browser, widget: Widget) -> None:
    """Back on the force's page after a quick exit: nothing of the conversation anywhere."""
    assert widget.stored() is NO_KEY
    assert not widget.is_open()
    assert widget.texts(".msg") == []
    browser.driver.refresh()  # and a reload of it
    assert widget.stored() is NO_KEY and widget.texts(".msg") == []
    widget.open()  # opening the chat starts a new, empty conversation
    widget.wait_for(lambda: widget.stored() and "web-" in widget.stored(), "a new conversation id")
    assert widget.texts(".msg") == [], "the conversation came back"


def colour(widget: Widget, css: str) -> str:
    return widget.find(css).value_of_css_property("background-color")


def test_a_whole_conversation_with_a_person_joining_then_quick_exit(
    stack, neutral_site, browser, widget, agent
):
    driver = browser.driver
    demo = stack["widget"] + "/"
    driver.get(neutral_site + "/start")  # the page they came from
    driver.get(demo)
    assert "Dorset Police" in driver.find_element("css selector", "header").text
    browser.shot("01-demo-closed-1280x800")
    assert widget.find(".exit").is_displayed(), "the quick exit shows while the chat is closed"

    # open: focus moves into the panel; the intro says what this is, before any message
    widget.open()
    assert widget.focused().startswith("textarea"), widget.focused()
    intro = widget.wait_for(
        lambda: (t := widget.find(".intro").get_attribute("textContent")) and "on duty" in t and t,
        "the intro's availability line",
    )
    assert "automated assistant" in intro and "999" in intro and "names, addresses or photos" in intro
    assert "isn't secret" in intro and "Nobody from Dorset Police is on duty right now" in intro
    browser.shot("02-demo-open-1280x800")

    # typing: a long answer comes as a short first bubble and steps to open
    widget.say("i sent a nude to my boyfriend and now i regret it")
    toggle = widget.wait_for(lambda: widget.all(".msg.bot .steps-toggle"), "the steps toggle")[-1]
    steps = widget.all(".msg.bot .steps")[-1]
    assert not steps.is_displayed() and toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert steps.is_displayed() and toggle.get_attribute("aria-expanded") == "true"
    assert len(steps.find_elements("css selector", "li")) >= 3

    # a button: its title shows as what they said; the bot answers it
    widget.press("Am I in trouble?")
    assert widget.texts(".msg.user")[-1].endswith("Am I in trouble?")
    links = widget.all(".links a")
    assert links and all(
        a.get_attribute("target") == "_blank" and a.get_attribute("href").startswith("https://")
        for a in links
    )

    # a person goes on duty; the next escalation is queued for them
    agent.post("/duty", {"csrf_token": agent.token, "on_duty": "yes"})
    widget.type(BLACKMAIL)
    widget.wait_text(".msg.notice", "A person has been asked to read this chat")
    case_id = next(
        r
        for r in re.findall(r'data-case-id="([^"]+)"', agent.get("/").body)
        if BLACKMAIL in agent.get(f"/cases/{r}").body
    )

    # the person joins (their first name), and writes: their messages look different
    assert agent.post(f"/cases/{case_id}/claim", {"csrf_token": agent.token}).status == 303
    widget.wait_text(".msg.notice", "Alex, a person from the team, has joined this chat")
    assert "Alex" in widget.find(".who").text
    agent.post(
        f"/cases/{case_id}/reply",
        {"csrf_token": agent.token, "text": "Hi, I'm Alex. Are you safe right now?"},
        {"Accept": "application/json"},
    )
    said = widget.wait_text(".msg.person", "Are you safe right now?")
    assert "Alex" in said and "a person" in said
    assert colour(widget, ".msg.person .bubble") != colour(widget, ".msg.bot .bubble")
    assert not widget.all("img"), "nothing from the conversation is ever an image"
    browser.shot("03-person-joined-1280x800")
    assert not browser.axe("the Dorset demo page after several messages (1280x800)")

    # a reload keeps the conversation, and the person's message
    driver.refresh()
    widget.wait_text(".msg.person", "Are you safe right now?")
    assert widget.is_open() and "Alex" in widget.find(".who").text
    widget.say("yes i'm ok", reply_css=".msg.user")

    # a new page of the same site keeps it too
    driver.find_element("link text", "Advice for parents and carers").click()
    browser.wait(lambda d: d.current_url.endswith("/parents"), what="the parents' page")
    widget.wait_text(".msg.person", "Are you safe right now?")
    assert any("yes i'm ok" in t for t in widget.texts(".msg.user"))
    browser.viewport(360, 740)
    browser.shot("04-conversation-phone-360x740")
    assert widget.find(".panel").size["width"] == 360, "full screen on a phone"
    browser.viewport(1280, 800)

    # back to the assistant
    agent.post(f"/cases/{case_id}/hand-back", {"csrf_token": agent.token})
    widget.wait_text(".msg.notice", "You're back with the automated assistant")
    assert "Automated assistant" in widget.find(".who").text

    # quick exit by its button: the neutral page replaces this one; Back shows nothing
    widget.find(".bar .exit").click()
    browser.wait(lambda d: d.current_url == neutral_site + "/", what="the neutral page")
    driver.back()
    browser.wait(lambda d: d.current_url == demo, what="Back: the page before the one they left")
    assert_forgotten(browser, widget)
    assert_stayed_local(browser)


def test_escape_twice_leaves_and_back_shows_nothing(stack, neutral_site, browser, widget):
    driver = browser.driver
    demo = stack["widget"] + "/demo/dorset/"
    driver.get(neutral_site + "/start")
    driver.get(demo)
    widget.open()
    widget.say("hello")
    driver.get(demo + "parents")  # a second page of the site, with the conversation
    widget.wait_for(lambda: widget.texts(".msg.bot"), "the conversation on the second page")

    # once: the panel closes (the conversation is hidden at once) and focus goes back
    widget.find("textarea").send_keys(Keys.ESCAPE)
    browser.wait(lambda d: not widget.is_open(), what="the panel closing")
    assert widget.focused().startswith("button.launcher")
    assert driver.current_url == demo + "parents"
    # twice: gone, and the page they left is no longer in the history
    widget.find(".launcher").send_keys(Keys.ESCAPE)
    browser.wait(lambda d: d.current_url == neutral_site + "/", what="the neutral page")
    driver.back()
    browser.wait(lambda d: d.current_url == demo, what="Back: the page before the one they left")
    assert_forgotten(browser, widget)
    driver.back()
    browser.wait(lambda d: d.current_url == neutral_site + "/start", what="Back again")
    driver.forward()
    driver.forward()
    browser.wait(
        lambda d: d.current_url == neutral_site + "/", what="Forward: the neutral page, not the chat"
    )
    assert_stayed_local(browser)
