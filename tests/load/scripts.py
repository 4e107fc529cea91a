"""The load test's simulated conversations (tests/load/conversations.yml), and what counts as an
answered turn. Imported by the Locust file (in .venv-load) and by the run that checks the results
(in .venv), so it needs only the standard library and PyYAML."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import yaml

SCRIPTS_FILE = Path(__file__).with_name("conversations.yml")

# Replies that are not an answer to the turn: the service's own safety reply when a part failed or
# was too slow (content/advice/service_problems.yml, channels/resilience.py's last resort) and the
# limits' "wait a moment" (content/advice/limits.yml, which the REST channel marks with Retry-After).
SAFETY_REPLY_WORDS = "something has gone wrong on our side"


@dataclass(frozen=True)
class Step:
    say: str | None = None  # typed text
    press: str | None = None  # the title of a button in the previous reply
    escalates: tuple[str, ...] = ()  # this turn must open the conversation's case, with these reasons


@dataclass(frozen=True)
class Script:
    name: str
    audience: str
    weight: int
    steps: tuple[Step, ...]

    @property
    def escalates(self) -> bool:
        return any(step.escalates for step in self.steps)


@dataclass(frozen=True)
class Scripts:
    think_seconds: tuple[float, float]
    scripts: tuple[Script, ...]

    def for_conversation(self, user: int, number: int, rng: random.Random) -> Script:
        """A user's first conversation is dealt in turn (so any run with at least as many users as
        scripts holds every kind), the later ones drawn by weight."""
        if number == 0:
            return self.scripts[user % len(self.scripts)]
        return rng.choices(self.scripts, weights=[s.weight for s in self.scripts])[0]


def _step(item) -> Step:
    if isinstance(item, str):
        return Step(say=item)
    unknown = set(item) - {"say", "press", "escalates"}
    if unknown or ("say" in item) == ("press" in item):
        raise ValueError(f"a step is a text, or say: or press: (with escalates: [...]): {item!r}")
    return Step(say=item.get("say"), press=item.get("press"), escalates=tuple(item.get("escalates") or ()))


def load(path: Path = SCRIPTS_FILE) -> Scripts:
    data = yaml.safe_load(path.read_text())
    scripts = tuple(
        Script(
            name=s["name"],
            audience=s["audience"],
            weight=int(s["weight"]),
            steps=tuple(_step(item) for item in s["turns"]),
        )
        for s in data["conversations"]
    )
    for script in scripts:
        if sum(bool(step.escalates) for step in script.steps) > 1:
            raise ValueError(f"{script.name}: one turn opens the case; later reasons join it")
    low, high = data["think_seconds"]
    return Scripts(think_seconds=(float(low), float(high)), scripts=scripts)


def button_payload(reply: list, title: str) -> str | None:
    """What the chat page sends when this button of the previous reply is pressed."""
    for message in reply or []:
        for button in message.get("buttons") or []:
            if button.get("title") == title:
                return button.get("payload")
    return None


def handoff_signal(reply: list) -> dict | None:
    """The handoff signal of design.md's contract 2, if the reply carries one."""
    for message in reply or []:
        custom = message.get("custom")
        if isinstance(custom, dict) and isinstance(custom.get("handoff"), dict):
            return custom["handoff"]
    return None


def problem(status: int, retry_after: str | None, reply) -> str | None:
    """Why a turn's reply is not an answer, or None when it is one."""
    if status != 200:
        return f"HTTP {status}"
    if retry_after is not None:
        return "limited"
    if not isinstance(reply, list) or not reply:
        return "empty reply"
    if not any(m.get("text") or m.get("buttons") or m.get("custom") for m in reply if isinstance(m, dict)):
        return "empty reply"
    if any(SAFETY_REPLY_WORDS in (m.get("text") or "").lower() for m in reply if isinstance(m, dict)):
        return "safety reply"
    return None
