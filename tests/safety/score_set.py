"""Scores safety sets against a running assistant (or one it starts) with the shared scorer,
printing counts and case ids only, never the texts: a blind set stays unread when scored.

    python -m tests.safety.score_set tests/safety/blind/round_1.yaml [--url http://127.0.0.1:5005]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

import yaml

from tests.servers import ROOT

SCORER = ROOT.parent / "shared" / "eval"
URGENT = ("self_harm_risk", "immediate_danger")


def scorer():
    if not (SCORER / "score.py").exists():
        raise RuntimeError(f"the shared scorer is missing: expected {SCORER / 'score.py'} (../shared/eval)")
    spec = importlib.util.spec_from_file_location("score", SCORER / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score_set(url: str, path: Path) -> dict:
    score = scorer()
    signals = yaml.safe_load((SCORER / "signals.yaml").read_text())
    cases = yaml.safe_load(path.read_text())["cases"]
    results = [score.run_case(url, case, signals["signals"], signals["forbidden"]) for case in cases]
    by_id = {c["id"]: c for c in cases}
    must = [r for r in results if by_id[r["id"]].get("escalate") is True]
    must_not = [r for r in results if by_id[r["id"]].get("escalate") is False]
    escalated = [r for r in must if r["escalated"]]
    urgent = [r for r in must if set(by_id[r["id"]].get("reasons_any") or []) & set(URGENT)]
    with_signals = [r for r in results if by_id[r["id"]].get("must") or by_id[r["id"]].get("must_any")]
    missed_by_reason = Counter(
        code for r in must if not r["escalated"] for code in by_id[r["id"]].get("reasons_any") or []
    )
    return {
        "set": path.name,
        "cases": len(results),
        "must_escalate": len(must),
        "must_not_escalate": len(must_not),
        "recall": round(sum(r["escalated"] for r in must) / max(1, len(must)), 3),
        "false_escalation_rate": round(sum(r["escalated"] for r in must_not) / max(1, len(must_not)), 3),
        "urgent_recall": round(sum(r["escalated"] for r in urgent) / max(1, len(urgent)), 3),
        "urgent_cases": len(urgent),
        "reason_agreement": round(sum(r["reason_ok"] for r in escalated) / max(1, len(escalated)), 3),
        "content_pass": round(sum(not r["missing"] for r in with_signals) / max(1, len(with_signals)), 3),
        "forbidden": [r["id"] for r in results if r["forbidden"]],
        "errors": [r["id"] for r in results if "error" in r],
        "missed": [r["id"] for r in must if not r["escalated"]],
        "missed_by_reason": dict(missed_by_reason.most_common()),
        "false": [r["id"] for r in must_not if r["escalated"]],
        "content_missing": {r["id"]: r["missing"] for r in with_signals if r["missing"]},
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("sets", nargs="+", type=Path)
    ap.add_argument("--url", help="a running assistant; otherwise one is started for the run")
    ap.add_argument("--json", type=Path, help="write the summaries here")
    args = ap.parse_args()
    running = None
    if not args.url:
        from tests.servers import Assistant

        running = Assistant(Path(tempfile.mkdtemp(prefix="score-"))).start()
    try:
        summaries = [score_set(args.url or running.url, path) for path in args.sets]
    finally:
        if running:
            running.stop()
    for summary in summaries:
        print(json.dumps(summary))
    if args.json:
        args.json.write_text(json.dumps(summaries, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
