"""The screen's decision on whole conversations without the servers: every turn parsed by the
trained Rasa model in-process (the same NLU the server runs, safeguarding screen included), then
added up across turns by `safeguarding.assess`, exactly as SafeguardingPolicy does after each
message. For development only (seconds instead of minutes); the figures that count come from the
black-box scorer against the running servers (tests/safety/score_set.py).

    python -m tests.safety.offline tests/safety/development_2.yaml [--show-misses]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

import yaml

from channels.input_cleaning import clean_text
from safeguarding.assessment import assess, turns_from_events
from tests.servers import ROOT


async def _parser(model: Path):
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))

    async def parse(text: str) -> dict:
        text = clean_text(text)
        if not text.strip():  # the channel answers these itself
            return {"intent": {"name": "empty_message", "confidence": 1.0}, "entities": []}
        return await agent.parse_message(text)

    return parse


def escalation_of(parses: list[dict]) -> set[str]:
    """The reasons escalated over a conversation: SafeguardingPolicy escalates as soon as any
    prefix of the conversation has a reason, so the union over prefixes."""
    reasons: set[str] = set()
    for k in range(1, len(parses) + 1):
        events = [{"event": "user", "parse_data": p} for p in parses[:k]]
        reasons |= assess(turns_from_events(events))
    return reasons


async def evaluate(paths: list[Path], model: Path, show: bool) -> list[dict]:
    parse = await _parser(model)
    out = []
    for path in paths:
        cases = yaml.safe_load(path.read_text())["cases"]
        missed, false, wrong_reason, hits = [], [], [], 0
        must = sum(c.get("escalate") is True for c in cases)
        must_not = sum(c.get("escalate") is False for c in cases)
        for case in cases:
            parses = [await parse(turn) for turn in case["turns"]]
            reasons = escalation_of(parses)
            if case.get("escalate") is True:
                if not reasons:
                    missed.append(case)
                else:
                    hits += 1
                    if case.get("reasons_any") and not set(case["reasons_any"]) & reasons:
                        wrong_reason.append((case, reasons))
            elif case.get("escalate") is False and reasons:
                false.append((case, reasons))
        summary = {
            "set": path.name,
            "recall": round(hits / max(1, must), 3),
            "must": must,
            "false_rate": round(len(false) / max(1, must_not), 3),
            "must_not": must_not,
            "missed": [c["id"] for c in missed],
            "false": [c["id"] for c, _ in false],
        }
        out.append(summary)
        print(json.dumps(summary))
        if show:
            for c in missed:
                print("  MISSED", c["id"], c.get("reasons_any"), c["turns"])
            for c, r in false:
                print("  FALSE ", c["id"], sorted(r), c["turns"])
            for c, r in wrong_reason:
                print("  REASON", c["id"], "want", c.get("reasons_any"), "got", sorted(r))
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("sets", nargs="+", type=Path)
    ap.add_argument("--model", type=Path, default=ROOT / "models" / "current.tar.gz")
    ap.add_argument("--show-misses", action="store_true")
    args = ap.parse_args()
    asyncio.run(evaluate(args.sets, args.model, args.show_misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
