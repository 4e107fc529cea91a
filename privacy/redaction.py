"""redact(text) -> (text, kinds): personal data replaced by typed placeholders.

    redact("text me on 07958 443 210, im Ellie")
    -> ("text me on [phone], im [name]", ("phone", "name"))

Kinds, and the rules that find them: phone (privacy/phones.py, libphonenumber), email and handle
(privacy/online.py), postcode and address (privacy/places.py), name (privacy/names.py). Where
two finds overlap, the kind earlier in KINDS wins (an email is not also a handle); pieces of the
same kind with only spaces or commas between them become one placeholder. The learned tagger
(privacy/tagger.py) then adds what the rules missed (find, below; docs/privacy.md).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from privacy.names import name_spans
from privacy.online import email_spans, handle_spans
from privacy.phones import phone_spans
from privacy.places import address_spans, postcode_spans
from privacy.tagger import plausible, plausible_extension, tagged_spans

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


def _rule_finds(text: str) -> list[Found]:
    taken: list[Found] = []
    for kind, spans in _finders(text):
        for start, end in sorted(set(spans()), key=lambda s: (s[0], -s[1])):
            if end > start and not any(start < f.end and f.start < end for f in taken):
                taken.append(Found(start, end, kind))
    return taken


def _joined(text: str, finds: list[Found]) -> list[Found]:
    """In order; pieces of one kind with only spaces or commas between them made one."""
    merged: list[Found] = []
    for found in sorted(finds, key=lambda f: f.start):
        last = merged[-1] if merged else None
        if last and last.kind == found.kind and _JOINABLE.fullmatch(text[last.end : found.start]):
            merged[-1] = Found(last.start, found.end, found.kind)
        else:
            merged.append(found)
    return merged


# a placeholder already in the text (a stored message redacted again): never found again
_PLACEHOLDER = re.compile(r"\[(" + "|".join(KINDS) + r")\]")
_EDGE = " \t\n,;:()[]\"'“”‘’-–"


def _beyond(text: str, candidates: list[Found], taken: list[Found], tagger: bool = False) -> list[Found]:
    """The parts of the candidates that nothing taken covers (trimmed of spaces and brackets).
    A part left over from a candidate that overlapped a taken find takes that find's kind (the
    finds before keep their kind); any other keeps its own. The `tagger`'s parts must look like
    their kind (tagger.plausible), alone or, beside a taken find of their kind, with it
    (tagger.plausible_extension)."""
    added: list[Found] = []
    for candidate in candidates:
        overlapped = sorted(
            (f for f in taken if f.start < candidate.end and candidate.start < f.end), key=lambda f: f.start
        )
        at, pieces = candidate.start, []
        for f in overlapped:
            pieces.append((at, f.start))
            at = max(at, f.end)
        pieces.append((at, candidate.end))
        for start, end in pieces:
            piece = text[start:end]
            if not re.search(r"\w", _PLACEHOLDER.sub("", piece)):
                continue
            start += len(piece) - len(piece.lstrip(_EDGE))
            end -= len(piece) - len(piece.rstrip(_EDGE))
            nearest = min(overlapped, key=lambda f: max(start - f.end, f.start - end), default=None)
            if tagger and not plausible(candidate.kind, text, start, end):
                beside = nearest if nearest and nearest.kind == candidate.kind else None
                if not (
                    beside
                    and plausible_extension(candidate.kind, text, start, end, (beside.start, beside.end))
                ):
                    continue
            added.append(Found(start, end, nearest.kind if nearest else candidate.kind))
    return added


MAX_PASSES = 3
# What a placeholder stands for when a text with placeholders is read: a typical piece of its
# kind, so the words around it read as they did ("our address is 1 High Street, Ely" as "our
# address is 7 Church Lane, Ely"; "[address], Ely" alone would make Ely a name)
STAND_INS = {
    "email": "jo@example.com",
    "handle": "@jo_x",
    "phone": "07700 900000",
    "postcode": "SW1A 1AA",
    "address": "1 High Street",
    "name": "Jo",
}


def find(text: str, tagger: bool | None = None, pipeline=None) -> list[Found]:
    """The personal data in `text`, in order, not overlapping. `tagger`: whether the learned
    tagger (privacy/tagger.py) adds what the rules missed (None: as set, tagger_in_use);
    `pipeline`: a trained tagger to use instead of the built one (cross-validation).

    The rules read the text; then the rules and the tagger read it with each find standing in as
    a typical piece of its kind (STAND_INS), until nothing new is found. So the tagger reads each
    message once unless it adds something, and redacting a redacted message, whose placeholders
    stand in the same way, changes nothing (a case's messages are known by their redacted text,
    handoff/case_transcript.py, and the console redacts what the tracker store kept)."""
    use_tagger = tagger_in_use() if tagger is None else tagger
    given = [Found(m.start(), m.end(), m.group(1)) for m in _PLACEHOLDER.finditer(text)]
    found = given or _joined(text, _rule_finds(text))
    rules_read = not found  # the rules have read the text as it is shown next
    for _ in range(MAX_PASSES):
        if not (found or use_tagger):
            break
        shown, places = _with_stand_ins(text, found)
        by_rules = [] if rules_read else [_in_original(f, places) for f in _rule_finds(shown)]
        more = _beyond(text, by_rules, found)
        if use_tagger:
            tagged = [_in_original(Found(s, e, kind), places) for s, e, kind in tagged_spans(shown, pipeline)]
            more += _beyond(text, tagged, found + more, tagger=True)
        if not more:
            break
        found, rules_read = _joined(text, found + more), False
    return [f for f in found if f not in given]


# (start in the text read, end there, start in the original, end there, a stand-in?)
_Place = tuple[int, int, int, int, bool]


def _with_stand_ins(text: str, found: list[Found]) -> tuple[str, list[_Place]]:
    pieces, places, at, shown_at = [], [], 0, 0
    for f in found:
        for piece, start, end, stand_in in (
            (text[at : f.start], at, f.start, False),
            (STAND_INS[f.kind], f.start, f.end, True),
        ):
            places.append((shown_at, shown_at + len(piece), start, end, stand_in))
            pieces.append(piece)
            shown_at += len(piece)
        at = f.end
    places.append((shown_at, shown_at + len(text) - at, at, len(text), False))
    pieces.append(text[at:])
    return "".join(pieces), places


def _in_original(f: Found, places: list[_Place]) -> Found:
    """A find in the text read, where it is in the original (a stand-in it takes in, whole)."""

    def original(at: int, is_end: bool) -> int:
        for shown_start, shown_end, start, end, stand_in in places:
            if shown_start <= at - is_end < shown_end:
                return (end if is_end else start) if stand_in else start + at - shown_start
        return places[-1][3]

    return Found(original(f.start, False), original(f.end, True), f.kind)


def tagger_in_use() -> bool:
    """The learned tagger joins the rules unless REDACTION_TAGGER is "off" (deploy/local.env).
    Every process that redacts must agree: a case's messages are known by their redacted text."""
    return os.environ.get("REDACTION_TAGGER", "on").strip().lower() != "off"


def redact(text: str, tagger: bool | None = None) -> tuple[str, tuple[str, ...]]:
    """The text with each piece of personal data replaced by its placeholder ("[phone]"), and
    the kinds found, in KINDS order. `tagger`: as for find."""
    if not text:
        return text, ()
    found = find(text, tagger)
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
    """Loads the name lists and phone metadata (about a second), and the tagger when it is in use
    (spaCy: a few seconds), before the first message needs them."""
    redact("warm up: im Jo, 07700 900 000")
