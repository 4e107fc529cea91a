"""redact(text) -> (text, kinds): personal data replaced by typed placeholders.

    redact("text me on 07958 443 210, im Ellie")
    -> ("text me on [phone], im [name]", ("phone", "name"))

Kinds, and what finds them: phone (privacy/phones.py, libphonenumber), email and handle
(privacy/online.py), postcode and address (privacy/places.py), name (privacy/names.py). Where
two finds overlap, the kind earlier in KINDS wins (an email is not also a handle); pieces of the
same kind with only spaces or commas between them become one placeholder.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from privacy.names import name_spans
from privacy.online import email_spans, handle_spans
from privacy.phones import phone_spans
from privacy.places import address_spans, postcode_spans

KINDS = ("email", "handle", "phone", "postcode", "address", "name")
PLACEHOLDERS = {kind: f"[{kind}]" for kind in KINDS}
_JOINABLE = re.compile(r"[\s,]*")


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    kind: str


def _finders(text: str) -> Iterable[tuple[str, Callable[[], Iterable[tuple[int, int]]]]]:
    postcodes: list[tuple[int, int]] = []

    def postcode() -> Iterable[tuple[int, int]]:
        postcodes.extend(postcode_spans(text))
        return postcodes

    return (
        ("email", lambda: email_spans(text)),
        ("handle", lambda: handle_spans(text)),
        ("phone", lambda: phone_spans(text)),
        ("postcode", postcode),
        ("address", lambda: address_spans(text, postcodes)),
        ("name", lambda: name_spans(text)),
    )


def find(text: str) -> list[Found]:
    """The personal data in `text`, in order, not overlapping."""
    taken: list[Found] = []
    for kind, spans in _finders(text):
        for start, end in sorted(set(spans()), key=lambda s: (s[0], -s[1])):
            if end > start and not any(start < f.end and f.start < end for f in taken):
                taken.append(Found(start, end, kind))
    merged: list[Found] = []
    for found in sorted(taken, key=lambda f: f.start):
        last = merged[-1] if merged else None
        if last and last.kind == found.kind and _JOINABLE.fullmatch(text[last.end : found.start]):
            merged[-1] = Found(last.start, found.end, found.kind)
        else:
            merged.append(found)
    return merged


def redact(text: str) -> tuple[str, tuple[str, ...]]:
    """The text with each piece of personal data replaced by its placeholder ("[phone]"), and
    the kinds found, in KINDS order."""
    if not text:
        return text, ()
    found = find(text)
    if not found:
        return text, ()
    pieces, at = [], 0
    for f in found:
        pieces += [text[at : f.start], PLACEHOLDERS[f.kind]]
        at = f.end
    pieces.append(text[at:])
    kinds = {f.kind for f in found}
    return "".join(pieces), tuple(k for k in KINDS if k in kinds)


def warm_up() -> None:
    """Loads the name lists and phone metadata (about a second) before the first message needs them."""
    redact("warm up: im Jo, 07700 900 000")
