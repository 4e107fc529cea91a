"""Advice content: loads content/advice/*.yml and renders an answer for an audience and force.

python -m actions.content            # every answer with its sources (make answers)
"""

from __future__ import annotations

import string
import sys
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from actions.forces import Force, current_force

ADVICE_DIR = Path(__file__).resolve().parent.parent / "content" / "advice"
AUDIENCES = ("young_person", "parent", "school")
_FORMATTER = string.Formatter()


class ContentError(ValueError):
    pass


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: list[dict]
    links: list[dict]


@dataclass(frozen=True)
class Answer:
    id: str
    intents: tuple[str, ...]
    needs_audience: bool
    variants: dict
    sources: tuple[str, ...]
    file: str

    def variant(self, audience: str | None) -> dict:
        return self.variants.get(audience or "default") or self.variants["default"]

    def render(self, audience: str | None, force: Force | None = None) -> Reply:
        values = (force or current_force()).placeholders()
        chosen = self.variant(audience)
        return Reply(
            text=chosen["text"].strip().format_map(values),
            buttons=[dict(b) for b in chosen.get("buttons") or []],
            links=[
                {"title": link["title"], "url": link["url"].format_map(values)}
                for link in chosen.get("links") or []
            ],
        )


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in _FORMATTER.parse(text) if name}


def _check_variant(where: str, variant: dict, allowed: set[str]) -> None:
    if not isinstance(variant, dict) or not str(variant.get("text", "")).strip():
        raise ContentError(f"{where}: a variant needs text")
    for piece in [variant["text"]] + [link.get("url", "") for link in variant.get("links") or []]:
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

    def for_intent(self, intent: str | None) -> Answer | None:
        answer_id = self.by_intent.get(intent or "")
        return self.answers.get(answer_id) if answer_id else None

    def reason_text(self, reason: str, audience: str | None, force: Force | None = None) -> str:
        block = self.reason_advice[reason]["variants"]
        chosen = block.get(audience or "default") or block["default"]
        return chosen["text"].strip().format_map((force or current_force()).placeholders())

    def handoff_text(self, key: str, force: Force | None = None, audience: str | None = None) -> str:
        block = self.handoff[key]
        chosen = (block.get("variants") or {}).get(audience or "") or block
        return chosen["text"].strip().format_map((force or current_force()).placeholders())


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
            answer = Answer(
                raw["id"],
                tuple(raw.get("intents") or ()),
                bool(raw.get("needs_audience")),
                raw["variants"],
                tuple(raw["sources"]),
                path.name,
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
                _check_variant(f"{path.name}: handoff {key}", block, allowed)
                for name, variant in (block.get("variants") or {}).items():
                    _check_variant(f"{path.name}: handoff {key}.{name}", variant, allowed)
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
        for name, variant in answer.variants.items():
            extra = "; ".join(variant.get("sources") or [])
            print(
                f"   [{name}] "
                + " ".join(variant["text"].split())[:160]
                + ("..." if len(variant["text"]) > 160 else "")
                + (f"\n      + sources: {extra}" if extra else "")
            )
    for code, block in lib.reason_advice.items():
        print(f"## reason {code}  (safeguarding.yml)\n   sources: " + "; ".join(block["sources"]))
    print(
        f"\n{len(lib.answers)} answers, {len(lib.reason_advice)} reason advice blocks, "
        f"{len(lib.handoff)} handoff texts; force: {current_force().name}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
