"""The incident decision record: what the check decided and why, built from the structured
answers only (never from anything typed), as content the chat and the PDF both lay out.

    record = build_record(state, when=clock.now())
    record.as_text()        # the plain-text copy for the chat
    pdf.render(record)      # the one-page PDF
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from advice.forces import Force, current_force
from school_check.engine import (
    AGES,
    CAUTIOUS,
    MANAGE_IN_SCHOOL,
    REFER_NOW,
    UNDER_13,
    UNKNOWN,
    YES,
    Answer,
    CheckState,
    Decision,
    decide,
    factors,
    known_ages,
    resolved,
)
from school_check.wording import Wording, wording


@dataclass(frozen=True)
class AnswerRow:
    threshold: int | None
    question: str
    answer: str


@dataclass(frozen=True)
class Record:
    title: str
    subtitle: str
    produced: str
    outcome: str
    headline: str
    driven_by: tuple[str, ...]  # the thresholds behind the decision
    refer_to: tuple[str, ...]
    answers_title: str
    threshold_header: str
    question_header: str
    answer_header: str
    answers: tuple[AnswerRow, ...]
    steps_title: str
    steps: tuple[str, ...]
    factors_intro: str
    factors: tuple[str, ...]
    never_title: str
    never: tuple[str, ...]
    decision_title: str
    driven_by_title: str
    refer_to_title: str
    fields_title: str
    blank_fields: tuple[str, ...]
    footer: str
    text_title: str

    def as_text(self) -> str:
        lines = [
            self.text_title,
            "",
            self.title,
            self.subtitle,
            self.produced,
            "",
            f"{self.decision_title}: {self.headline}",
        ]
        lines += [f"{self.driven_by_title}: " + "; ".join(self.driven_by)]
        if self.refer_to:
            lines += [f"{self.refer_to_title}: " + "; ".join(self.refer_to)]
        lines += ["", self.answers_title]
        lines += [
            f"- {row.question}"
            + (f" ({self.threshold_header.lower()} {row.threshold})" if row.threshold else "")
            + f": {row.answer}"
            for row in self.answers
        ]
        lines += ["", self.steps_title]
        lines += [f"{i}. {step}" for i, step in enumerate(self.steps, 1)]
        if self.factors:
            lines += ["", self.factors_intro] + [f"- {f}" for f in self.factors]
        lines += ["", self.never_title] + [f"- {n}" for n in self.never]
        lines += ["", self.fields_title] + [f"{field}: ____________" for field in self.blank_fields]
        lines += ["", self.footer]
        return "\n".join(lines)


def answer_text(state: CheckState, question: str, words: Wording, force: Force) -> str:
    return format_answer(question, resolved(state).get(question), words)


def format_answer(question: str, answer: Answer | None, words: Wording) -> str:
    values = words.raw["values"]
    if answer is None:
        return values["not_asked"]
    if question == "ages":
        return values[UNKNOWN] if answer.value == UNKNOWN else ", ".join(str(a) for a in answer.value)
    if question == "sharing":
        return words.raw["sharing_options"][answer.value]
    shown = values[answer.value]
    return f"{shown} {values['from_ages']}" if answer.how == AGES else shown


def threshold_lines(questions: tuple[str, ...], words: Wording, force: Force) -> list[str]:
    return [
        words.text(
            "result.threshold_line", force, number=words.question(q).threshold, label=words.question(q).label
        )
        for q in questions
    ]


def refer_to(decision: Decision, words: Wording, force: Force) -> list[str]:
    """Who to refer to, once per agency line, for the thresholds met (or possibly met)."""
    considered = (
        decision.met
        if decision.outcome == REFER_NOW
        else (decision.unknown if decision.outcome == CAUTIOUS else ())
    )
    texts = words.raw["result"]["refer_to"]
    out: list[str] = []
    for question in considered:
        line = words.text(f"result.refer_to.{question if question in texts else 'default'}", force)
        if line not in out:
            out.append(line)
    return out


def next_steps(state: CheckState, decision: Decision, words: Wording, force: Force) -> list[str]:
    steps = words.texts(f"result.steps.{decision.outcome}", force)
    extra = lambda key: words.text(f"result.answer_steps.{key}", force)  # noqa: E731
    answers = resolved(state)
    value = lambda q: answers[q].value if q in answers else None  # noqa: E731
    if value("sharing") == "wide":
        steps.append(extra("sharing_wide"))
    elif value("sharing") in (UNKNOWN, None):
        steps.append(extra("sharing_unknown"))
    if value("device_secured") == "no":
        steps.append(extra("device_not_secured"))
    elif value("device_secured") in (UNKNOWN, None):
        steps.append(extra("device_unknown"))
    if value("viewed") == YES:
        steps.append(extra("viewed_yes"))
    elif value("viewed") in (UNKNOWN, None):
        steps.append(extra("viewed_unknown"))
    if any(a < UNDER_13 for a in known_ages(state)) and value("under_13_sexual_acts") != YES:
        steps.append(extra("under_13_present"))
    return steps


def result_summary(state: CheckState, words: Wording | None = None, force: Force | None = None) -> str:
    """The chat's short answer: the decision, the thresholds behind it, and who to refer to."""
    words, force = words or wording(), force or current_force()
    decision = decide(state)
    lines = [
        words.text(f"result.headline.{decision.outcome}", force),
        words.text(f"result.summary.{decision.outcome}", force),
    ]
    shown = decision.met if decision.outcome == REFER_NOW else decision.unknown
    if decision.outcome != MANAGE_IN_SCHOOL:
        lines += [f"- {line}" for line in threshold_lines(shown, words, force)]
        label = words.text("result.refer_to_label", force)
        lines += [f"{label}: {line}." for line in refer_to(decision, words, force)]
    if "immediate_risk" in decision.met:
        lines.append(words.text("notes.risk_now", force))
    lines.append(words.text("result.see_record", force))
    return "\n".join(lines)


def build_record(
    state: CheckState, when: datetime, words: Wording | None = None, force: Force | None = None
) -> Record:
    words, force = words or wording(), force or current_force()
    decision = decide(state)
    local = when.astimezone(force.timezone())
    if decision.outcome == REFER_NOW:
        driven_by = threshold_lines(decision.met, words, force)
    else:  # cautious: the thresholds not known, said as such; in school: none
        unknown = words.raw["values"][UNKNOWN]
        driven_by = [f"{line} ({unknown})" for line in threshold_lines(decision.unknown, words, force)]
    driven_by = driven_by or [words.text("record.nothing_met", force)]
    result = words.raw["result"]
    return Record(
        title=words.text("record.title", force),
        subtitle=words.text("record.subtitle", force),
        produced=words.text("record.produced", force, when=local.strftime("%d %B %Y at %H:%M")),
        outcome=decision.outcome,
        headline=words.text(f"result.decision.{decision.outcome}", force),
        driven_by=tuple(driven_by),
        refer_to=tuple(refer_to(decision, words, force)),
        answers_title=words.text("record.answers_title", force),
        threshold_header=words.text("record.threshold_header", force),
        question_header=words.text("record.question_header", force),
        answer_header=words.text("record.answer_header", force),
        answers=tuple(
            AnswerRow(q.threshold, q.label, answer_text(state, q.id, words, force)) for q in words.questions
        ),
        steps_title=words.text("result.steps_title", force),
        steps=tuple(next_steps(state, decision, words, force)),
        factors_intro=words.text("result.factors_intro", force),
        factors=tuple(
            words.text(f"result.factor_labels.{f}", force)
            for f in factors(state)
            if f in result["factor_labels"]
        ),
        never_title=words.text("result.never_title", force),
        never=tuple(words.texts("result.never", force)),
        decision_title=words.text("record.decision_title", force),
        driven_by_title=words.text("record.driven_by", force),
        refer_to_title=words.text("result.refer_to_label", force),
        fields_title=words.text("record.fields_title", force),
        blank_fields=tuple(words.texts("record.blank_fields", force)),
        footer=words.text("record.footer", force),
        text_title=words.text("record.text_title", force),
    )
