"""WCAG 2.2 AA in Debian's Chromium: axe-core (from npm, pinned) on both forces' demo pages with
the widget closed, open and after several messages (the report is printed; no serious or critical
violation); keyboard only, visible focus, focus into the panel and back, a polite live region
for messages only, 320 px wide, text at 200%, reduced motion."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

FORCES = ["dorset", "devon_cornwall"]


@pytest.mark.parametrize("force", FORCES)
def test_axe_finds_nothing_serious_closed_open_and_after_messages(stack, browser, widget, force):
    browser.driver.get(f"{stack['widget']}/demo/{force}/")
    serious = browser.axe(f"{force}'s demo page, widget closed")
    widget.open()
    widget.wait_for(lambda: "on duty" in widget.find(".intro").get_attribute("textContent"), "the intro")
    serious += browser.axe(f"{force}'s demo page, widget open")
    widget.say("i got sent a nude what do i do")
    widget.say("is it illegal")
    widget.press(widget.all(".replies button")[0].text)
    browser.shot(f"axe-{force}-after-messages-1280x800")
    serious += browser.axe(f"{force}'s demo page, after several messages")
    browser.viewport(360, 740)
    browser.shot(f"axe-{force}-after-messages-360x740")
    serious += browser.axe(f"{force}'s demo page, after several messages, 360x740")
    assert not serious, serious


def tab_until(browser, widget, prefix: str, limit: int = 40) -> None:
    for _ in range(limit):
        ActionChains(browser.driver).send_keys(Keys.TAB).perform()
        if widget.focused().startswith(prefix):
            return
    raise AssertionError(f"Tab never reached {prefix}")


def focus_ring(browser) -> str:
    return browser.driver.execute_script(
        "const a = document.getElementById('advice-chat-widget').shadowRoot.activeElement;"
        "const s = getComputedStyle(a); return s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.boxShadow"
    )


def test_keyboard_only_with_visible_focus_and_a_polite_live_region(stack, browser, widget):
    driver = browser.driver
    driver.get(stack["widget"] + "/")
    tab_until(browser, widget, "button.launcher")
    assert focus_ring(browser).startswith("solid 3px"), focus_ring(browser)
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    browser.wait(lambda d: widget.is_open(), what="the panel opening from the keyboard")
    assert widget.focused().startswith("textarea"), "focus moves into the panel"

    before = len(widget.all(".msg.bot"))
    ActionChains(driver).send_keys("is it illegal to send nudes", Keys.ENTER).perform()
    widget.wait_for(lambda: len(widget.all(".msg.bot")) > before, "the reply")
    live = widget.wait_for(
        lambda: widget.find("[role=status]").get_attribute("textContent"), "an announcement"
    )
    titles = [b.text for b in widget.all(".replies button")]
    assert titles and not any(t in live for t in titles), "buttons are not announced"
    assert live.split()[0] in widget.texts(".msg.bot")[-1], live

    # a quick reply, from the keyboard
    for _ in range(40):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        if driver.execute_script(
            "const a = document.getElementById('advice-chat-widget').shadowRoot.activeElement;"
            "return !!(a && a.closest('.replies'))"
        ):
            break
    else:
        raise AssertionError("Tab never reached the quick replies")
    assert focus_ring(browser).startswith("solid 3px")
    before = len(widget.all(".msg.bot"))
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    widget.wait_for(lambda: len(widget.all(".msg.bot")) > before, "the button's reply")
    assert widget.focused().startswith("textarea"), "focus is not lost when the buttons go"

    # Escape once closes the panel and focus goes back to the launcher
    ActionChains(driver).send_keys(Keys.ESCAPE).perform()
    browser.wait(lambda d: not widget.is_open(), what="the panel closing")
    assert widget.focused().startswith("button.launcher")


def overflow(browser) -> list[str]:
    """Widget elements that stick out of the viewport, or a panel that scrolls sideways."""
    return browser.driver.execute_script(
        """const r = document.getElementById('advice-chat-widget').shadowRoot;
        const w = document.documentElement.clientWidth, out = [];
        for (const e of r.querySelectorAll('.panel *')) {
          const b = e.getBoundingClientRect();
          if (b.width && (b.right > w + 0.5 || b.left < -0.5)) out.push(e.className || e.tagName);
        }
        const log = r.querySelector('.log');
        if (log.scrollWidth > log.clientWidth) out.push('the log scrolls sideways');
        return out;"""
    )


def test_usable_at_320px_with_text_at_200_percent_and_reduced_motion(stack, browser, widget):
    driver = browser.driver
    browser.viewport(320, 640)
    driver.get(stack["widget"] + "/")
    widget.open()
    widget.say("someone sent me a nude what do i do")
    assert widget.find(".panel").size["width"] == 320 and not overflow(browser), overflow(browser)
    browser.shot("320px")

    # the reader's text size doubled (the browser's font setting, which em sizes follow)
    driver.execute_cdp_cmd("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
    driver.refresh()
    widget.wait_for(lambda: widget.texts(".msg.bot"), "the conversation again")
    assert widget.find("textarea").value_of_css_property("font-size") == "32px"
    assert not overflow(browser), overflow(browser)
    browser.shot("320px-text-200-percent")
    browser.viewport(1280, 800)
    assert not overflow(browser), overflow(browser)
    browser.shot("1280x800-text-200-percent")

    # reduced motion: the panel appears without animating
    driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia", {"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]}
    )
    widget.find(".close").click()
    widget.open()
    assert widget.find(".panel").value_of_css_property("animation-name") == "none"
