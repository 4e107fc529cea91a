import pytest

from channels.input_cleaning import MAX_MESSAGE_CHARS, BadRequest, check_request


@pytest.mark.parametrize(
    "body",
    [
        None,
        [],
        "hi",
        {"message": "hi"},
        {"sender": "", "message": "hi"},
        {"sender": "a b", "message": "hi"},
        {"sender": "x"},
        {"sender": "x", "message": 5},
    ],
)
def test_malformed_requests_are_refused_with_a_reason(body):
    with pytest.raises(BadRequest):
        check_request(body)


def test_empty_and_whitespace_messages_become_the_empty_intent():
    assert check_request({"sender": "x", "message": "   \n\t"}).text == "/empty_message"


def test_attachments_are_dropped_before_anything_is_stored():
    assert check_request({"sender": "x", "message": "hi", "image": "AAAA"}).text == "/attachment_refused"
    assert (
        check_request({"sender": "x", "message": "data:image/png;base64,iVBOR"}).text == "/attachment_refused"
    )
    assert (
        check_request({"sender": "x", "message": "look https://x.test/me.jpg"}).text == "/attachment_refused"
    )


def test_control_characters_are_removed_and_long_messages_cut():
    assert check_request({"sender": "x", "message": "he\x00llo\x07 there\n"}).text == "hello there"
    long = check_request({"sender": "x", "message": "a" * 12000})
    assert long.truncated and len(long.text) == MAX_MESSAGE_CHARS


def test_only_button_payloads_may_start_with_a_slash():
    assert check_request({"sender": "x", "message": "/take_down"}).text == "/take_down"
    assert check_request({"sender": "x", "message": "/etc/passwd is funny"}).text == "etc/passwd is funny"


def test_text_is_cut_to_the_limit_before_anything_else_looks_at_it():
    # an image link after the limit is cut away with the rest, never looked at nor stored
    long = check_request({"sender": "x", "message": "a " * 3000 + "https://x.test/me.jpg"})
    assert long.truncated and long.text.startswith("a a") and "x.test" not in long.text
    assert len(long.text) <= MAX_MESSAGE_CHARS


def test_what_the_channel_chose_itself_is_told_apart_from_what_looks_like_a_payload():
    assert check_request({"sender": "x", "message": ""}).from_channel
    assert check_request({"sender": "x", "message": "hi", "image": "A"}).from_channel
    assert check_request({"sender": "x", "message": "/restart"}).looks_like_payload
    assert not check_request({"sender": "x", "message": "restart"}).looks_like_payload
    assert check_request({"sender": "x", "message": "/"}).text == "/empty_message"


def test_the_console_returns_only_to_its_own_pages():
    from console.cases import LOCAL_PATH

    assert LOCAL_PATH.match("/cases/abc") and LOCAL_PATH.match("/")
    assert not LOCAL_PATH.match("//evil.example") and not LOCAL_PATH.match("https://evil.example")
