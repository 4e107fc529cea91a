"""NLU quality on the held-back test set (tests/nlu/heldout.yml, written separately from the
training data): prints macro-F1 and the worst intents; exits non-zero below 0.90."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
THRESHOLD = 0.90


def main() -> int:
    out = ROOT / "results" / "nlu"
    subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "rasa"),
            "test",
            "nlu",
            "--nlu",
            "tests/nlu/heldout.yml",
            "--model",
            "models/current.tar.gz",
            "--out",
            str(out),
            "--no-plot",
        ],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    report = json.loads((out / "intent_report.json").read_text())
    macro = report["macro avg"]["f1-score"]
    intents = sorted(
        (v["f1-score"], k)
        for k, v in report.items()
        if isinstance(v, dict) and k not in ("macro avg", "weighted avg", "micro avg")
    )
    print(f"NLU held-out: macro-F1 {macro:.3f}, accuracy {report['accuracy']:.3f}, {len(intents)} intents")
    print("worst: " + ", ".join(f"{k} {f:.2f}" for f, k in intents[:5]))
    return 0 if macro >= THRESHOLD else 1


if __name__ == "__main__":
    sys.exit(main())
