"""Short notes the channel adds itself, taken from the advice content like every reply."""

from __future__ import annotations

from functools import cache


@cache
def note(answer_id: str) -> str:
    """An answer the code asks for (intents: []), in its default words."""
    from advice.content import library

    return library().answers[answer_id].render(None).text


def too_long_note() -> str:
    return note("too_long")
