"""Checks and cleans what a person sends, before Rasa stores any of it.

Images and files are never accepted: anything that looks like one is dropped here and the
message becomes the `attachment_refused` intent, so the tracker never holds it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_MESSAGE_CHARS = 5000  # longer messages are cut (and screened) to this length
MAX_SENDER_CHARS = 128
ATTACHMENT_KEYS = {
    "attachment",
    "attachments",
    "image",
    "images",
    "file",
    "files",
    "media",
    "photo",
    "photos",
    "video",
    "videos",
    "blob",
    "data",
}
_DATA_URI = re.compile(r"data:[a-z]+/[a-z0-9.+-]+;base64,", re.I)
_IMAGE_LINK = re.compile(r"https?://\S+\.(jpe?g|png|gif|webp|heic|mp4|mov|avi)\b", re.I)
_SENDER = re.compile(rf"^[A-Za-z0-9_.:@-]{{1,{MAX_SENDER_CHARS}}}$")


class BadRequest(ValueError):
    """The request itself is malformed: answered with a 400 and a plain explanation."""


@dataclass
class CleanMessage:
    sender: str
    text: str
    truncated: bool = False
    from_channel: bool = False  # an intent the channel chose itself (empty, attachment refused)

    @property
    def looks_like_payload(self) -> bool:
        """Shaped like a button payload (/intent or /intent{...}): channels/buttons.py decides
        whether the bot really offered it; typed by a person, it is plain text."""
        return not self.from_channel and self.text.startswith("/")


def clean_text(text: str) -> str:
    """Drops control characters (keeping new lines and tabs) and unpaired surrogates."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    return "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co")
    )


def check_request(body: object) -> CleanMessage:
    if not isinstance(body, dict):
        raise BadRequest('Send a JSON object like {"sender": "abc123", "message": "hello"}.')
    sender = body.get("sender")
    if not isinstance(sender, str) or not _SENDER.match(sender):
        raise BadRequest(
            f'"sender" must be a conversation id: 1-{MAX_SENDER_CHARS} letters, digits or _ . : @ -'
        )
    message = body.get("message")
    attached = any(key in body for key in ATTACHMENT_KEYS)
    if message is None and not attached:
        raise BadRequest('"message" is missing: send the text the person typed.')
    if message is not None and not isinstance(message, str):
        raise BadRequest('"message" must be text.')
    text = message or ""
    # cut first: nothing below (nor Rasa) ever works on more than the limit
    truncated = len(text) > MAX_MESSAGE_CHARS
    text = text[:MAX_MESSAGE_CHARS]
    if attached or _DATA_URI.search(text) or _IMAGE_LINK.search(text):
        return CleanMessage(sender, "/attachment_refused", from_channel=True)
    text = clean_text(text).strip()
    if not text:
        return CleanMessage(sender, "/empty_message", from_channel=True)
    if text.startswith("/") and not re.match(r"^/[a-z_]+(\{.*\})?$", text, re.S):
        text = as_typed(text)  # only button payloads may start with a slash
    if not text:
        return CleanMessage(sender, "/empty_message", from_channel=True)
    return CleanMessage(sender, text, truncated=truncated)


def as_typed(text: str) -> str:
    """Text a person typed that starts with a slash, made plain text: Rasa reads a leading "/" as
    an intent (and what follows as entities), so it goes."""
    return text.lstrip("/").strip()
