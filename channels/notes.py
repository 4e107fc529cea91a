"""Short notes the channel adds itself, taken from the advice content like every reply."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def too_long_note() -> str:
    from actions.content import library

    return library().answers["too_long"].render(None).text
