"""The check's wording and vocabulary, from content/advice/school_check.yml.

Everything the check says is data: this module loads it, checks it (every question the engine
knows is there, with the same threshold; no unknown placeholder anywhere), and fills in the
force's placeholders ({safeguarding_lead_short}, {schools_guidance} ...) plus a text's own
named fields ({label}, {value} ...).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

from advice.content import ADVICE_DIR, ContentError
from advice.forces import Force, current_force

WORDING_FILE = ADVICE_DIR / "school_check.yml"

# The questions the engine asks, in the order it asks them (immediate risk first: it may need
# 999 now; ages before the under-13 question, which they can settle), with the threshold each
# answers (None: a next-step question). The wording file must word exactly these.
QUESTION_THRESHOLDS: dict[str, int | None] = {
    "immediate_risk": 5,
    "adult": 1,
    "coercion": 2,
    "capacity": 2,
    "unusual_acts": 3,
    "ages": None,
    "under_13_sexual_acts": 4,
    "sharing": None,
    "device_secured": None,
    "viewed": None,
}

# Named fields a text may use besides the force placeholders, by the text's key.
FIELDS = {
    "noted": {"label", "value"},
    "changed": {"label", "old", "value"},
    "reopened": {"label"},
    "ages_noted": {"ages"},
    "so_far": {"ages"},
    "threshold_met": {"number", "label"},
    "threshold_line": {"number", "label"},
    "produced": {"when"},
}
_FORMATTER = string.Formatter()


@dataclass(frozen=True)
class Question:
    id: str
    threshold: int | None
    label: str
    text: str
    refers_to: tuple[re.Pattern, ...]
    extra: dict[str, str]  # other texts of the question (so_far, text_when_under_13)

    def mentioned_in(self, text: str) -> bool:
        return any(p.search(text) for p in self.refers_to)


def word_pattern(phrase: str) -> re.Pattern:
    """A phrase as a whole-word pattern; a trailing * matches any ending ("groom*")."""
    stem = phrase.lower().rstrip("*")
    ending = r"\w*" if phrase.endswith("*") else ""
    lead = r"\b" if stem[:1].isalnum() else ""
    tail = r"\b" if ending or stem[-1:].isalnum() else ""
    return re.compile(lead + re.escape(stem).replace(r"\ ", r"\s+") + ending + tail)


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in _FORMATTER.parse(text) if name}


def walk_texts(node: Any, path: str = ""):
    """Every string in the block, with where it is and the key it sits under."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk_texts(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk_texts(value, f"{path}[{i}]")
    elif isinstance(node, str):
        yield path, node


@dataclass(frozen=True)
class Wording:
    raw: dict
    questions: tuple[Question, ...]

    def question(self, question_id: str) -> Question:
        return next(q for q in self.questions if q.id == question_id)

    def words(self, kind: str) -> tuple[re.Pattern, ...]:
        """Patterns of one list of answer_words or sharing_words, longest phrase first."""
        return _patterns(self, kind)

    def text(self, path: str, force: Force | None = None, **fields: Any) -> str:
        """One text by its dotted path ("notes.noted"), with placeholders filled in."""
        node: Any = self.raw
        for key in path.split("."):
            node = node[key]
        return fill(node, force, **fields)

    def texts(self, path: str, force: Force | None = None) -> list[str]:
        node: Any = self.raw
        for key in path.split("."):
            node = node[key]
        return [fill(item, force) for item in node]


def fill(text: str, force: Force | None = None, **fields: Any) -> str:
    values = dict((force or current_force()).placeholders())
    values.update({k: str(v) for k, v in fields.items()})
    return text.strip().format_map(values)


@cache
def _compiled(words: tuple[str, ...]) -> tuple[re.Pattern, ...]:
    return tuple(word_pattern(w) for w in sorted(words, key=len, reverse=True))


def _patterns(wording: Wording, kind: str) -> tuple[re.Pattern, ...]:
    block = (
        wording.raw["answer_words"] if kind in wording.raw["answer_words"] else wording.raw["sharing_words"]
    )
    return _compiled(tuple(block[kind]))


def load_wording(path: Path = WORDING_FILE) -> Wording:
    data = yaml.safe_load(path.read_text()) or {}
    block = data.get("school_check")
    if not block:
        raise ContentError(f"{path.name}: no school_check block")
    if not block.get("sources"):
        raise ContentError(f"{path.name}: school_check has no sources")
    force_fields = set(current_force().placeholders())
    for where, text in walk_texts(block):
        if where.startswith(("sources", "answer_words", "sharing_words")) or ".refers_to" in where:
            continue
        key = re.sub(r"\[\d+\]$", "", where).split(".")[-1]
        unknown = _placeholders(text) - force_fields - FIELDS.get(key, set())
        if unknown:
            raise ContentError(f"{path.name}: school_check.{where}: unknown placeholder(s) {sorted(unknown)}")
    questions = []
    for raw in block["questions"]:
        extra = {k: v for k, v in raw.items() if k not in ("id", "threshold", "label", "text", "refers_to")}
        questions.append(
            Question(
                raw["id"],
                raw.get("threshold"),
                raw["label"],
                raw["text"],
                tuple(word_pattern(w) for w in raw.get("refers_to") or ()),
                extra,
            )
        )
    found = {q.id: q.threshold for q in questions}
    if found != QUESTION_THRESHOLDS:
        raise ContentError(
            f"{path.name}: school_check.questions must word exactly these questions "
            f"and thresholds: {QUESTION_THRESHOLDS} (found {found})"
        )
    by_id = {q.id: q for q in questions}
    return Wording(block, tuple(by_id[qid] for qid in QUESTION_THRESHOLDS))


@lru_cache(maxsize=1)
def wording() -> Wording:
    return load_wording()
