"""The load test's figures and checks, from the turns Locust recorded (tests/load/locustfile.py)
and what the databases hold at the end: the user turns in the tracker store and the cases.

A turn failed if it got no HTTP answer, an HTTP error, an empty reply, the service's safety reply
(a part failed or was too slow) or the limits' "wait a moment", or if a button the script presses
was not offered. A turn is lost if it was still waiting when the load stopped, or if what the
tracker store holds for its conversation is not what was sent (a turn missing, or stored twice;
compared for the conversations with no failed turn).
An escalation is right if the conversation's scripted disclosure brought the handoff signal (with
one of the scripted reasons), no earlier turn did, every signal in the conversation named the same
case, and the cases database holds exactly that one case for it. No other conversation may have a
signal or a case.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path


def read_records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def percentile(values: list[float], p: float) -> float | None:
    """The nearest-rank percentile (the smallest value with p% of the values at or below it)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))  # ceil without floats
    return ordered[int(rank) - 1]


@dataclass
class Figures:
    turns_sent: int
    turns_answered: int
    turns_failed: Counter
    turns_lost: int
    latency_ms: dict
    seconds: float
    throughput: float
    conversations: dict
    escalations: dict
    storage: dict

    @property
    def failures(self) -> list[str]:
        """Every check that did not hold, in words (empty: the run passed)."""
        out = [f"{count} turns failed: {problem}" for problem, count in sorted(self.turns_failed.items())]
        if self.turns_lost:
            out.append(f"{self.turns_lost} turns lost")
        e = self.escalations
        for key in (
            "not_signalled",
            "signalled_early",
            "wrong_reasons",
            "several_case_ids",
            "no_case",
            "cases_twice",
            "case_id_differs",
            "unexpected_signals",
            "unexpected_cases",
        ):
            if e[key]:
                out.append(f"escalations {key.replace('_', ' ')}: {len(e[key])} ({', '.join(e[key][:5])})")
        s = self.storage
        if s["conversations_differing"]:
            out.append(
                f"the tracker store differs from what was sent in {len(s['conversations_differing'])} "
                f"conversations ({', '.join(s['conversations_differing'][:5])})"
            )
        return out

    def as_dict(self) -> dict:
        return {
            "turns": {
                "sent": self.turns_sent,
                "answered": self.turns_answered,
                "failed": sum(self.turns_failed.values()),
                "failed_by_problem": dict(self.turns_failed),
                "lost": self.turns_lost,
            },
            "latency_ms": self.latency_ms,
            "seconds": round(self.seconds, 1),
            "throughput_turns_per_second": round(self.throughput, 2),
            "conversations": self.conversations,
            "escalations": {k: (len(v) if isinstance(v, list) else v) for k, v in self.escalations.items()},
            "storage": {k: (len(v) if isinstance(v, list) else v) for k, v in self.storage.items()},
            "failures": self.failures,
        }


def figures(records: list[dict], stored_turns: dict[str, int], cases: dict[str, list[str]]) -> Figures:
    """`stored_turns`: conversation id -> user turns in the tracker store; `cases`: conversation id
    -> the ids of its cases in the cases database (both only for this run's conversations)."""
    sent = [r for r in records if not str(r.get("problem") or "").startswith("no button")]
    failed = Counter(r["problem"].split(":")[0] for r in records if r.get("problem"))
    lost = failed.pop("lost", 0)
    answered = [r for r in records if r.get("ms") is not None and not r.get("problem")]
    with_answer = [r["ms"] for r in sent if r.get("ms") is not None]
    start = min((r["sent"] for r in records), default=0.0)
    end = max((r["sent"] + (r.get("ms") or 0) / 1000 for r in records), default=0.0)
    seconds = max(end - start, 1e-9)

    by_conversation: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        by_conversation[r["conversation"]].append(r)
    scripts = Counter(turns[0]["script"] for turns in by_conversation.values())

    escalations = _escalations(by_conversation, cases)
    # Only conversations whose every turn was answered are compared: a limited turn is never
    # stored, by design, and one given the safety reply may or may not have been (it is counted
    # as failed already).
    clean = {c for c, turns in by_conversation.items() if not any(r.get("problem") for r in turns)}
    sent_per_conversation = Counter(r["conversation"] for r in sent if r["conversation"] in clean)
    differing = sorted(c for c, n in sent_per_conversation.items() if stored_turns.get(c, 0) != n)
    differing += sorted(c for c in stored_turns if c not in by_conversation)

    return Figures(
        turns_sent=len(sent),
        turns_answered=len(answered),
        turns_failed=failed,
        turns_lost=lost,
        latency_ms={
            "p50": _ms(percentile(with_answer, 50)),
            "p95": _ms(percentile(with_answer, 95)),
            "p99": _ms(percentile(with_answer, 99)),
            "max": _ms(max(with_answer, default=None)),
        },
        seconds=seconds,
        throughput=len(answered) / seconds,
        conversations={"started": len(by_conversation), "by_script": dict(sorted(scripts.items()))},
        escalations=escalations,
        storage={
            "turns_stored": sum(stored_turns.values()),
            "conversations_compared": len(clean),
            "conversations_differing": differing,
        },
    )


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _escalations(by_conversation: dict[str, list[dict]], cases: dict[str, list[str]]) -> dict:
    out = {
        "expected": 0,
        "recorded_once": 0,
        "not_signalled": [],
        "signalled_early": [],
        "wrong_reasons": [],
        "several_case_ids": [],
        "no_case": [],
        "cases_twice": [],
        "case_id_differs": [],
        "unexpected_signals": [],
        "unexpected_cases": [],
    }
    for conversation, turns in by_conversation.items():
        turns = sorted(turns, key=lambda r: r["step"])
        disclosure = next((r for r in turns if r.get("escalates")), None)
        signals = [r for r in turns if r.get("handoff")]
        if disclosure is None or disclosure.get("ms") is None:
            # not an escalating script, or the load ended before its disclosure was answered
            if signals:
                out["unexpected_signals"].append(conversation)
            if cases.get(conversation) and disclosure is None:
                out["unexpected_cases"].append(conversation)
            continue
        out["expected"] += 1
        if any(r["step"] < disclosure["step"] for r in signals):
            out["signalled_early"].append(conversation)
        if not disclosure.get("handoff"):
            out["not_signalled"].append(conversation)
            continue
        if not set(disclosure["escalates"]) & set(disclosure["handoff"].get("reasons") or []):
            out["wrong_reasons"].append(conversation)
        case_ids = {r["handoff"]["case_id"] for r in signals}
        if len(case_ids) > 1:
            out["several_case_ids"].append(conversation)
        stored = cases.get(conversation, [])
        if not stored:
            out["no_case"].append(conversation)
        elif len(stored) > 1:
            out["cases_twice"].append(conversation)
        elif stored[0] != disclosure["handoff"]["case_id"]:
            out["case_id_differs"].append(conversation)
        else:
            out["recorded_once"] += 1
    out["cases_in_database"] = sum(len(ids) for ids in cases.values())
    return out
