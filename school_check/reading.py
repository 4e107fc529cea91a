"""Reads one message as answers to the check's questions.

A message can answer several questions, in any order, in the person's own words:
1. a button carries its answer exactly ("answer:adult:no", "change:ages", "review", "finish");
2. the safeguarding screen's facts answer what they show, and a later clause cannot undo them
   in the same message (the screen already handles negation): an other person aged 18 or over
   or an adult role answers the adult question, "she's in year 7" gives an age, a concern such
   as capacity_to_consent answers its threshold;
3. a clause that names a question ("no adult", "nobody has seen it", "change the adult answer
   to no") answers that question with the clause's yes / no / don't know;
4. what is left answers the question being asked: a short yes / no / don't know, or the intent
   (affirm, deny, dont_know).
The words for all of this are in content/advice/school_check.yml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from safeguarding.ages import ADULT_AGE, NUMBER_WORDS, YOUNGEST_AGE, is_age, year_to_age
from safeguarding.facts import MessageFacts
from school_check.wording import QUESTION_THRESHOLDS, Wording

YES, NO, UNKNOWN = "yes", "no", "unknown"
SHARING_VALUES = ("none", "few", "wide", UNKNOWN)
BUTTON, WORDS, AGES = "button", "words", "ages"  # how an answer was given
REVIEW = "review"  # the step that asks which answer to change
INTENT_VALUES = {"affirm": YES, "deny": NO, "dont_know": UNKNOWN}

# Screen concerns that answer a threshold question.
CONCERN_ANSWERS = {
    "self_harm_risk": "immediate_risk",
    "immediate_danger": "immediate_risk",
    "coercion_or_blackmail": "coercion",
    "grooming": "coercion",
    "capacity_to_consent": "capacity",
    "atypical_or_violent_imagery": "unusual_acts",
}
# Screen concerns that are police aggravating factors but not referral thresholds (seed 001 §3.5.2).
FACTOR_CONCERNS = {
    "significant_age_gap",
    "malicious_or_wide_sharing",
    "violence_or_threat",
    "exploitation_or_profit",
    "repeat_behaviour",
}
_CLAUSE_SPLIT = re.compile(r"([.,;!?\n]|\b(?:but|and|although|though|however|also)\b)")
_YEAR = re.compile(
    r"\b(?:year|yr|y)\s?(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve|thirteen)s?\b"
)
_NUMBER = re.compile(r"\b(\d{1,2})(?:\s?(?:yo|y/o|yrs?|years?))?\b")
_WORD_AGE = re.compile(r"\b(" + "|".join(w for w, n in NUMBER_WORDS.items() if n >= YOUNGEST_AGE) + r")\b")


@dataclass(frozen=True)
class Answer:
    value: Any  # yes | no | unknown; a sharing value; or a list of ages
    how: str = BUTTON  # button | words | ages (worked out from the ages)
    partial: bool = False  # ages mentioned in passing: the ages question is still asked

    def to_dict(self) -> dict:
        return {"value": self.value, "how": self.how, **({"partial": True} if self.partial else {})}

    @classmethod
    def from_dict(cls, raw: dict) -> Answer:
        return cls(raw["value"], raw.get("how", BUTTON), bool(raw.get("partial")))


@dataclass(frozen=True)
class Utterance:
    """One message, as the NLU gave it."""

    text: str
    intent: str | None = None
    facts: MessageFacts = field(default_factory=MessageFacts)
    option: str | None = None  # a button's check_option


@dataclass
class Reading:
    answers: dict[str, Answer] = field(default_factory=dict)
    factors: set[str] = field(default_factory=set)
    reopen: str | None = None  # "change the adult answer" with no new value: ask it again
    review: bool = False  # they want to change an answer, without saying which
    result_now: bool = False
    ages_replace: bool = False  # "change the ages to ...": replace, not add


def allowed_values(question: str) -> tuple:
    if question == "sharing":
        return SHARING_VALUES
    if question == "ages":
        return (UNKNOWN,)
    return (YES, NO, UNKNOWN)


def _read_option(option: str, reading: Reading) -> Reading:
    parts = option.split(":")
    if (
        parts[0] == "answer"
        and len(parts) == 3
        and parts[1] in QUESTION_THRESHOLDS
        and parts[2] in allowed_values(parts[1])
    ):
        reading.answers[parts[1]] = Answer(parts[2], BUTTON)
    elif parts[0] == "change" and len(parts) == 2 and parts[1] in QUESTION_THRESHOLDS:
        reading.reopen = parts[1]
    elif option == "review":
        reading.review = True
    elif option == "finish":
        reading.result_now = True
    return reading


def _normalise(text: str) -> str:
    return " ".join(text.lower().replace("\u2019", "'").replace("\u2018", "'").split())


def _clauses(text: str) -> list[tuple[str, bool]]:
    """The message's clauses, each with whether it is a question ("is that an adult?")."""
    pieces = _CLAUSE_SPLIT.split(text)
    out: list[tuple[str, bool]] = []
    for i in range(0, len(pieces), 2):
        clause = pieces[i].strip()
        if clause:
            asked = i + 1 < len(pieces) and pieces[i + 1] == "?"
            out.append((clause, asked))
    return out


def _has(patterns, text: str) -> bool:
    return any(p.search(text) for p in patterns)


def polarity(clause: str, words: Wording) -> str | None:
    if _has(words.words("unknown"), clause):
        return UNKNOWN
    # "change it from yes to no": the value after "to" is the one meant
    target = re.search(r"\bto\s+(.+)$", clause)
    if target and _has(words.words("change"), clause):
        found = polarity(target.group(1), words) if target.group(1) != clause else None
        if found:
            return found
    if _has(words.words("no"), clause):
        return NO
    if _has(words.words("yes"), clause):
        return YES
    return None


def _is_question(clause: str, asked: bool, words: Wording) -> bool:
    first = clause.split()[0]
    return asked or (
        first in words.raw["answer_words"]["question_starts"] and not _has(words.words("unknown"), clause)
    )


def sharing_extent(text: str, words: Wording) -> str | None:
    for value in ("none", "wide", "few"):  # "not shared" before "shared with friends"
        if _has(words.words(value), text):
            return value
    return None


def _years(text: str) -> list[int]:
    years = []
    for match in _YEAR.finditer(text):
        raw = match.group(1)
        year = int(raw) if raw.isdigit() else NUMBER_WORDS[raw]
        if year_to_age(year) is not None:
            years.append(year)
    return years


def _stated_ages(text: str) -> set[int]:
    """Ages given as numbers or number words, leaving out school years."""
    rest = _YEAR.sub(" ", text)
    return {int(m.group(1)) for m in _NUMBER.finditer(rest)} | {
        NUMBER_WORDS[m.group(1)] for m in _WORD_AGE.finditer(rest)
    }


def year_ages_covered(text: str) -> set[int]:
    """The ages inferred from school years (Year N counts as N + 4) that a stated age in the same
    message replaces: "two Year 10 pupils, both 15" is 15, not 14 and 15. A stated age covers a
    year it can belong to (Year 10 pupils are 14 or 15)."""
    stated = _stated_ages(text)
    return {year_to_age(y) for y in _years(text) if {year_to_age(y), year_to_age(y) + 1} & stated} - stated


def parse_ages(text: str) -> list[int]:
    """Every age in a message that answers the ages question: numbers, number words and school
    years (Year 7 counts as 11, the younger age in it, as the safeguarding screen does). An age
    stated outright wins over one inferred from a year it fits."""
    ages = {year_to_age(y) for y in _years(text)} | _stated_ages(text)
    ages -= year_ages_covered(text)
    return sorted(a for a in ages if is_age(a))


def read(utterance: Utterance, asked: str | None, words: Wording) -> Reading:
    reading = Reading()
    if utterance.option:
        return _read_option(utterance.option, reading)
    text = _normalise(utterance.text)
    if text.startswith("/"):
        text = ""  # a button payload without an option: only its intent counts
    clauses = _clauses(text)
    mentioned = [[q for q in words.questions if q.mentioned_in(c)] for c, _ in clauses]
    mentions = {q.id for refs in mentioned for q in refs}
    changing = _has(words.words("change"), text)
    facts = utterance.facts

    if clauses and all(_is_question(c, q, words) for c, q in clauses):
        facts = MessageFacts()  # "is a stepdad an adult?" asks; it does not answer

    # 1. The screen's facts. Staff named as having seen the imagery are not "an adult involved".
    for concern in facts.concerns:
        if concern in CONCERN_ANSWERS:
            reading.answers[CONCERN_ANSWERS[concern]] = Answer(YES, WORDS)
        if concern in FACTOR_CONCERNS:
            reading.factors.add(concern)
        if concern == "malicious_or_wide_sharing":
            reading.answers["sharing"] = Answer("wide", WORDS)
    other_ages = facts.other_ages + facts.child_ages
    if (facts.adult_other and "viewed" not in mentions) or any(a >= ADULT_AGE for a in other_ages):
        reading.answers["adult"] = Answer(YES, WORDS)
    if facts.older_other or (facts.age_gap or 0) >= 3:
        reading.factors.add("significant_age_gap")
    from_screen = set(reading.answers)

    # Ages: in answer to the ages question (or "change the ages to ...") every number counts;
    # elsewhere only the young people's ages the screen found, noted in passing.
    # the screen infers ages from school years too: a stated age wins there as well
    covered = year_ages_covered(text)
    if asked == "ages" or "ages" in mentions:
        ages = sorted((set(parse_ages(text)) | set(other_ages) | set(facts.self_ages)) - covered)
        if ages:
            reading.answers["ages"] = Answer(ages, WORDS)
            reading.ages_replace = changing and "ages" in mentions
        elif polarity(text, words) == UNKNOWN or (utterance.intent == "dont_know" and asked == "ages"):
            reading.answers["ages"] = Answer(UNKNOWN, WORDS)
    else:
        young = sorted({a for a in other_ages if a < ADULT_AGE} - covered)
        if young:
            reading.answers["ages"] = Answer(young, WORDS, partial=True)

    # 2. Clauses that name a question.
    for (clause, is_question), refs in zip(clauses, mentioned, strict=False):
        if _is_question(clause, is_question, words):
            continue
        value = polarity(clause, words)
        for question in refs:
            if question.id in from_screen or question.id == "ages":
                continue
            if question.id == "sharing":
                extent = sharing_extent(clause, words) or {NO: "none", UNKNOWN: UNKNOWN}.get(value)
                if extent:
                    reading.answers["sharing"] = Answer(extent, WORDS)
            elif value is None and (asked == REVIEW or _has(words.words("change"), clause)):
                reading.reopen = question.id  # "the adult one": ask it again
            else:
                reading.answers[question.id] = Answer(value or YES, WORDS)

    # 3. What is left answers the question being asked ("no" to "which answer?": no change).
    if asked == REVIEW and not reading.answers and not reading.reopen:
        first = clauses[0][0] if clauses else ""
        if polarity(first, words) == NO or utterance.intent == "deny":
            reading.result_now = True
    if (
        asked in QUESTION_THRESHOLDS
        and asked != "ages"
        and asked not in reading.answers
        and not reading.reopen
    ):
        value = None
        if asked == "sharing":
            value = sharing_extent(text, words)
        if value is None and clauses and not mentioned[0]:
            first, is_question = clauses[0]
            if len(first.split()) <= 6 and not _is_question(first, is_question, words):
                value = polarity(first, words)
        if value is None and not reading.answers:
            value = INTENT_VALUES.get(utterance.intent or "")
        if asked == "sharing" and value in (YES, NO):
            # a bare "yes" or "no" does not say how widely: ask again, never guess an option
            value = None
        if value is not None:
            reading.answers[asked] = Answer(value, WORDS)

    if changing and not reading.answers and not reading.reopen:
        reading.review = True
    return reading
