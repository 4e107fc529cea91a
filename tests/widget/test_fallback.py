"""When the socket cannot connect the widget uses the REST channel; when neither answers it says
so, with Childline and 999. The browser blocks the requests, as an unreachable server would."""

from __future__ import annotations


def test_the_rest_channel_when_the_socket_cannot_connect(stack, browser, widget):
    browser.block("*/socket.io/*")
    browser.driver.get(stack["widget"] + "/")
    widget.open()
    notice = widget.wait_text(".msg.notice", "back-up", timeout=20)
    assert "can't write to you here" in notice
    widget.say("what is report remove")
    widget.press(widget.all(".replies button")[0].text)
    assert (
        widget.driver.execute_script(
            "return document.getElementById('advice-chat-widget').shadowRoot.querySelector('.chat').dataset.mode"
        )
        == "rest"
    )
    shown = widget.texts(".msg")
    # a reload shows the conversation again (the REST channel has no history: the tab keeps it)
    browser.driver.refresh()
    widget.wait_for(lambda: widget.texts(".msg.bot"), "the conversation after a reload")
    assert [t for t in widget.texts(".msg") if "back-up" not in t] == [t for t in shown if "back-up" not in t]
    browser.shot("fallback-rest")


def test_both_channels_down_says_so_with_childline_and_999(stack, browser, widget):
    browser.block("*/socket.io/*", "*/webhooks/*")
    browser.driver.get(stack["widget"] + "/")
    widget.open()
    notice = widget.wait_text(".msg.notice", "isn't working", timeout=20)
    assert "0800 1111" in notice and "999" in notice
    browser.shot("fallback-both-down")
