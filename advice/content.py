"""Advice content: loads content/advice/*.yml and renders an answer for an audience and force.

python -m advice.content            # every answer with its sources (make answers)
"""

from __future__ import annotations

import string
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from advice.forces import Force, current_force

ADVICE_DIR = Path(__file__).resolve().parent.parent / "content" / "advice"
# Files whose answers are the service talking about itself, not advice on a topic.
SERVICE_FILES = ("service.yml", "service_problems.yml", "follow_up.yml", "school_check.yml")
AUDIENCES = ("young_person", "parent", "school")
HOURS_UNCONFIRMED = "hours_unconfirmed"  # a handoff text's wording while the force's hours are unconfirmed
_FORMATTER = string.Formatter()


class ContentError(ValueError):
    pass


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: list[dict]
    links: list[dict]
    more: str = ""  # the rest of a long answer, sent when they press "Tell me more"


# A long answer is sent as its first part and a button for the rest (a phone-sized screen).
MORE_TITLE = "Tell me more"
MORE_INTENT = "more_advice"
MORE_TOPIC_ENTITY = "more_topic"


def more_payload(answer_id: str) -> str:
    return f'/{MORE_INTENT}{{"{MORE_TOPIC_ENTITY}":"{answer_id}"}}'


@dataclass(frozen=True)
class Answer:
    id: str
    intents: tuple[str, ...]
    needs_audience: bool
    variants: dict
    sources: tuple[str, ...]
    file: str

    after_concern: dict | None = None  # {"reasons": [...], "variants": {...}} (docs/content.md)

    def variant(self, audience: str | None, reasons: Iterable[str] = ()) -> dict:
        variants = self.variants
        if self.after_concern and set(reasons) & set(self.after_concern["reasons"]):
            # the conversation has raised one of these concerns: the answer that fits it
            variants = self.after_concern["variants"]
        return variants.get(audience or "default") or variants["default"]

    def render(self, audience: str | None, force: Force | None = None, reasons: Iterable[str] = ()) -> Reply:
        values = (force or current_force()).placeholders()
        chosen = self.variant(audience, reasons)
        links = [
            {"title": link["title"], "url": link["url"].format_map(values)}
            for link in chosen.get("links") or []
        ]
        more = str(chosen.get("more") or "").strip().format_map(values)
        buttons = [dict(b) for b in chosen.get("buttons") or []]
        return Reply(
            text=chosen["text"].strip().format_map(values),
            buttons=([{"title": MORE_TITLE, "payload": more_payload(self.id)}] if more else []) + buttons,
            # a force page the sources do not give is empty: its link is left out
            links=[link for link in links if link["url"]],
            more=more,
        )


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in _FORMATTER.parse(text) if name}


def _check_variant(where: str, variant: dict, allowed: set[str]) -> None:
    if not isinstance(variant, dict) or not str(variant.get("text", "")).strip():
        raise ContentError(f"{where}: a variant needs text")
    pieces = [variant["text"], str(variant.get("more") or "")]
    for piece in pieces + [link.get("url", "") for link in variant.get("links") or []]:
        unknown = _placeholders(piece) - allowed
        if unknown:
            raise ContentError(f"{where}: unknown placeholder(s) {sorted(unknown)}")


@dataclass(frozen=True)
class Library:
    answers: dict[str, Answer]
    by_intent: dict[str, str]
    reason_advice: dict[str, dict]
    handoff: dict[str, dict]

    @cached_property
    def button_titles(self) -> dict[str, str]:
        """Button titles the content already uses for each payload ("/take_down" -> ...)."""
        titles: dict[str, str] = {}
        for answer in self.answers.values():
            for variant in answer.variants.values():
                for button in variant.get("buttons") or []:
                    titles.setdefault(button["payload"], button["title"])
        return titles

    @cached_property
    def topics(self) -> dict[str, Answer]:
        """The advice a person asks for, by answer id: every answer to an intent except the
        service's own conversation (greetings, follow-up questions, problems, the guided check's
        replies). The statistics page counts these as topics."""
        return {
            answer.id: answer
            for answer in self.answers.values()
            if answer.intents and answer.file not in SERVICE_FILES
        }

    def for_intent(self, intent: str | None) -> Answer | None:
        answer_id = self.by_intent.get(intent or "")
        return self.answers.get(answer_id) if answer_id else None

    def reason_text(self, reason: str, audience: str | None, force: Force | None = None) -> str:
        block = self.reason_advice[reason]["variants"]
        chosen = block.get(audience or "default") or block["default"]
        return chosen["text"].strip().format_map((force or current_force()).placeholders())

    def handoff_text(self, key: str, force: Force | None = None, audience: str | None = None) -> str:
        force = force or current_force()
        block = self.handoff[key]
        if not force.hours_confirmed and HOURS_UNCONFIRMED in block:
            # hours the force has not confirmed are never shown as fact: no days or times, no
            # "soon", and the 24/7 routes first
            block = block[HOURS_UNCONFIRMED]
        chosen = (block.get("variants") or {}).get(audience or "") or block
        return chosen["text"].strip().format_map(force.placeholders())


def load_library(directory: Path = ADVICE_DIR) -> Library:
    allowed = set(current_force().placeholders())
    answers: dict[str, Answer] = {}
    by_intent: dict[str, str] = {}
    reason_advice: dict[str, dict] = {}
    handoff: dict[str, dict] = {}
    for path in sorted(directory.glob("*.yml")):
        data = yaml.safe_load(path.read_text()) or {}
        for raw in data.get("answers") or []:
            if raw["id"] in answers:
                raise ContentError(f"{path.name}: answer id {raw['id']} is used twice")
            if not raw.get("sources"):
                raise ContentError(f"{path.name}: {raw['id']} has no sources")
            if "default" not in (raw.get("variants") or {}):
                raise ContentError(f"{path.name}: {raw['id']} has no default variant")
            for name, variant in raw["variants"].items():
                _check_variant(f"{path.name}: {raw['id']}.{name}", variant, allowed)
            after = raw.get("after_concern")
            if after is not None:
                if not after.get("reasons") or "default" not in (after.get("variants") or {}):
                    raise ContentError(f"{path.name}: {raw['id']}.after_concern needs reasons and a default")
                for name, variant in after["variants"].items():
                    _check_variant(f"{path.name}: {raw['id']}.after_concern.{name}", variant, allowed)
            answer = Answer(
                raw["id"],
                tuple(raw.get("intents") or ()),
                bool(raw.get("needs_audience")),
                raw["variants"],
                tuple(raw["sources"]),
                path.name,
                after,
            )
            answers[answer.id] = answer
            for intent in answer.intents:
                if intent in by_intent:
                    raise ContentError(f"{path.name}: intent {intent} has two answers")
                by_intent[intent] = answer.id
        for code, block in (data.get("reason_advice") or {}).items():
            if not block.get("sources"):
                raise ContentError(f"{path.name}: reason {code} has no sources")
            for name, variant in block["variants"].items():
                _check_variant(f"{path.name}: reason {code}.{name}", variant, allowed)
            reason_advice[code] = block
        for key, block in (data.get("handoff") or {}).items():
            if key != "sources":
                for where, text_block in (
                    (key, block),
                    (f"{key}.{HOURS_UNCONFIRMED}", block.get(HOURS_UNCONFIRMED)),
                ):
                    if text_block is None:
                        continue
                    _check_variant(f"{path.name}: handoff {where}", text_block, allowed)
                    for name, variant in (text_block.get("variants") or {}).items():
                        _check_variant(f"{path.name}: handoff {where}.{name}", variant, allowed)
                handoff[key] = block
    return Library(answers, by_intent, reason_advice, handoff)


@lru_cache(maxsize=1)
def library() -> Library:
    return load_library()


def main() -> int:
    """Prints every answer, variant and source, for a reviewer."""
    lib = library()
    for answer in sorted(lib.answers.values(), key=lambda a: (a.file, a.id)):
        print(f"## {answer.id}  ({answer.file}; intents: {', '.join(answer.intents) or '-'})")
        print("   sources: " + "; ".join(answer.sources))
        after = (answer.after_concern or {}).get("variants") or {}
        shown = list(answer.variants.items()) + [(f"after concern: {n}", v) for n, v in after.items()]
        for name, variant in shown:
            extra = "; ".join(variant.get("sources") or [])
            print(
                f"   [{name}] "
                + " ".join(variant["text"].split())[:160]
                + ("..." if len(variant["text"]) > 160 else "")
                + (f"\n      + sources: {extra}" if extra else "")
            )
    for code, block in lib.reason_advice.items():
        print(f"## reason {code}  (safeguarding.yml)\n   sources: " + "; ".join(block["sources"]))
    force = current_force()
    print(
        f"\n{len(lib.answers)} answers, {len(lib.reason_advice)} reason advice blocks, "
        f"{len(lib.handoff)} handoff texts; force: {force.name}"
    )
    print("   force delete_advice sources: " + " ".join(force.raw["delete_advice"]["source"].split()))
    print(f"   staffed hours confirmed by the force: {'yes' if force.hours_confirmed else 'no'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
