"""The threshold check as plain Python: the state of one check, what a message changes in it,
which question comes next, and the decision. Nothing here knows about Rasa.

    state = CheckState()
    step = apply(state, Utterance("she's in year 7", facts=screen("she's in year 7")))
    next_question(step.state)          # the next unanswered question, or None
    decide(step.state).outcome         # refer_now | cautious | manage_in_school

Answers are stored as given. Two are also worked out from the ages, and recomputed whenever
the ages change: anyone 18 or over means an adult is involved (threshold 1), and a complete
list of ages with nobody under 13 settles threshold 4 (sexual acts with anyone under 13).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from safeguarding.assessment import ADULT_AGE, SIGNIFICANT_GAP_YEARS
from school_check.reading import (
    AGES,
    BUTTON,
    NO,
    REVIEW,
    UNKNOWN,
    WORDS,
    YES,
    Answer,
    Reading,
    Utterance,
    read,
)
from school_check.wording import QUESTION_THRESHOLDS, Question, Wording, wording

REFER_NOW, CAUTIOUS, MANAGE_IN_SCHOOL = "refer_now", "cautious", "manage_in_school"
THRESHOLD_QUESTIONS = tuple(q for q, t in QUESTION_THRESHOLDS.items() if t is not None)
UNDER_13 = 13


@dataclass
class CheckState:
    answers: dict[str, Answer] = field(default_factory=dict)
    factors: set[str] = field(default_factory=set)  # aggravating factors the screen noted
    asked: str | None = None  # the question the person is answering now
    reviewing: bool = False  # asking which answer to change
    result_now: bool = False  # they chose the result as soon as a referral was certain

    def to_slot(self) -> dict[str, Any]:
        return {
            "answers": {q: a.to_dict() for q, a in self.answers.items()},
            "factors": sorted(self.factors),
            "asked": self.asked,
            "reviewing": self.reviewing,
            "result_now": self.result_now,
        }

    @classmethod
    def from_slot(cls, value: dict | None) -> CheckState:
        value = value or {}
        answers = {
            q: Answer.from_dict(a)
            for q, a in (value.get("answers") or {}).items()
            if q in QUESTION_THRESHOLDS
        }
        return cls(
            answers,
            set(value.get("factors") or ()),
            value.get("asked"),
            bool(value.get("reviewing")),
            bool(value.get("result_now")),
        )


@dataclass(frozen=True)
class Decision:
    outcome: str
    met: tuple[str, ...]  # threshold questions answered yes, in threshold order
    unknown: tuple[str, ...]  # threshold questions answered "don't know" or not asked


@dataclass(frozen=True)
class Change:
    question: str
    old: Answer | None
    new: Answer | None


@dataclass(frozen=True)
class Step:
    """What one message did to the check."""

    state: CheckState
    changes: tuple[Change, ...]
    understood: bool  # the message answered, changed or chose something
    first_referral: bool  # this message made the result "refer now"
    adult_kept_by_ages: bool  # they said no adult, but an age given is 18 or over
    reopened: str | None


def known_ages(state: CheckState) -> list[int]:
    ages = state.answers.get("ages")
    return list(ages.value) if ages and isinstance(ages.value, list) else []


def resolved(state: CheckState) -> dict[str, Answer]:
    """The answers in force: as given, plus what the ages settle."""
    out = {q: a for q, a in state.answers.items() if not (q == "ages" and a.partial)}
    ages = known_ages(state)
    if any(age >= ADULT_AGE for age in ages):
        out["adult"] = Answer(YES, AGES)
    ages_answer = out.get("ages")
    if (
        "under_13_sexual_acts" not in out
        and ages_answer
        and ages_answer.value != UNKNOWN
        and min(ages) >= UNDER_13
    ):
        out["under_13_sexual_acts"] = Answer(NO, AGES)
    return out


def decide(state: CheckState) -> Decision:
    answers = resolved(state)
    by_threshold = sorted(
        THRESHOLD_QUESTIONS, key=lambda q: (QUESTION_THRESHOLDS[q], list(QUESTION_THRESHOLDS).index(q))
    )
    met = tuple(q for q in by_threshold if q in answers and answers[q].value == YES)
    unknown = tuple(q for q in by_threshold if q not in answers or answers[q].value == UNKNOWN)
    if met:
        return Decision(REFER_NOW, met, unknown)
    if unknown:
        return Decision(CAUTIOUS, met, unknown)
    return Decision(MANAGE_IN_SCHOOL, met, unknown)


def next_question(state: CheckState, words: Wording | None = None) -> Question | str | None:
    """The question to ask next: REVIEW while choosing an answer to change, else the first
    unanswered question, else None."""
    if state.reviewing:
        return REVIEW
    answers = resolved(state)
    return next((q for q in (words or wording()).questions if q.id not in answers), None)


def complete(state: CheckState, words: Wording | None = None) -> bool:
    if state.reviewing:
        return False
    if state.result_now and decide(state).outcome == REFER_NOW:
        return True
    return next_question(state, words) is None


def factors(state: CheckState) -> list[str]:
    """Aggravating factors to note: those the screen found, plus a large age gap in the ages.
    Wide sharing is left to the sharing answer, which has its own step."""
    found = set(state.factors)
    young = [a for a in known_ages(state) if a < ADULT_AGE]
    if len(young) >= 2 and max(young) - min(young) >= SIGNIFICANT_GAP_YEARS:
        found.add("significant_age_gap")
    sharing = state.answers.get("sharing")
    if sharing and sharing.value == "wide":
        found.discard("malicious_or_wide_sharing")
    return sorted(found)


def _merge_ages(old: Answer | None, new: Answer, replace_all: bool) -> Answer:
    if new.value == UNKNOWN:
        # "don't know" the ages: keep any ages already mentioned, as a complete list
        if old and isinstance(old.value, list):
            return replace(old, partial=False)
        return new
    if replace_all or not old or not isinstance(old.value, list):
        return new
    merged = sorted(set(old.value) | set(new.value))
    return Answer(merged, new.how if not new.partial else old.how, partial=old.partial and new.partial)


def apply(state: CheckState, utterance: Utterance, words: Wording | None = None) -> Step:
    words = words or wording()
    reading: Reading = read(utterance, state.asked, words)
    before = resolved(state)
    was_referral = decide(state).outcome == REFER_NOW
    new = CheckState(dict(state.answers), set(state.factors), state.asked, state.reviewing, state.result_now)

    if reading.review and new.answers:
        new.reviewing = True
    if reading.reopen:
        new.answers.pop(reading.reopen, None)
        new.reviewing = False
    for question, answer in reading.answers.items():
        if question == "ages":
            new.answers["ages"] = _merge_ages(new.answers.get("ages"), answer, reading.ages_replace)
        else:
            new.answers[question] = answer
    if reading.answers:
        new.reviewing = False
    new.factors |= reading.factors
    new.result_now = new.result_now or reading.result_now
    if reading.result_now and new.reviewing:
        new.reviewing = False  # "No change: show the result"

    after = resolved(new)
    # ages mentioned in passing are not in force yet, but are still news to the person
    before["ages"], after["ages"] = state.answers.get("ages"), new.answers.get("ages")
    changes = tuple(
        Change(q, before.get(q), after.get(q)) for q in QUESTION_THRESHOLDS if before.get(q) != after.get(q)
    )
    wanted_no_adult = "adult" in reading.answers and reading.answers["adult"].value != YES
    return Step(
        state=new,
        changes=changes,
        understood=bool(reading.answers or reading.reopen or reading.review or reading.result_now),
        first_referral=not was_referral and decide(new).outcome == REFER_NOW,
        adult_kept_by_ages=wanted_no_adult and after.get("adult", Answer(NO)).how == AGES,
        reopened=reading.reopen,
    )


__all__ = [
    "AGES",
    "BUTTON",
    "CAUTIOUS",
    "MANAGE_IN_SCHOOL",
    "NO",
    "REFER_NOW",
    "REVIEW",
    "UNDER_13",
    "UNKNOWN",
    "WORDS",
    "YES",
    "Answer",
    "Change",
    "CheckState",
    "Decision",
    "Step",
    "Utterance",
    "apply",
    "complete",
    "decide",
    "factors",
    "known_ages",
    "next_question",
    "resolved",
]
