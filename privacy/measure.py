"""How well redaction works on sets of chat messages with their personal data marked.

    python -m privacy.measure                 # every tests/privacy/*.jsonl, each file's figures,
                                              # the rules and tagger together and the rules alone
    python -m privacy.measure --compare       # also: the libraries and hand-written patterns per kind
    python -m privacy.measure FILE --misses   # the spans missed and words wrongly redacted (dev sets only)
    python -m privacy.measure --speed         # time a message takes, rules alone and with the tagger

Each line of a set: {"text": ..., "spans": [{"kind": ..., "text": ...}, ...]}; kinds are those of
privacy.redaction plus other_name (other people's names: measured, with no target).

- A marked span is found when every character of it is inside a redacted region.
- Ordinary words are the words (runs of letters and digits) that are in no marked span; one is
  wrongly redacted when any character of it is inside a redacted region, except a title (Mr,
  Mrs, Miss, Ms, Dr...) just before a marked name, which goes with the name.

Targets (the privacy issue): recall of at least 98% for each kind, and at most 2% of ordinary
words redacted. Exits 1 when a set misses one, so `make unit` fails. Texts are printed only with
--misses, which is for development sets: a held-out set is scored without reading it.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from privacy.redaction import KINDS, find

SETS_DIR = Path(__file__).resolve().parent.parent / "tests" / "privacy"
RECALL_TARGET = 0.98
ORDINARY_REDACTED_LIMIT = 0.02
MEASURED_ONLY = ("other_name",)  # reported, no target
_WORD = re.compile(r"\w+")
_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "prof", "professor"}

Regions = list[tuple[int, int]]


@dataclass
class Score:
    found: Counter = field(default_factory=Counter)
    total: Counter = field(default_factory=Counter)
    ordinary: int = 0
    ordinary_redacted: int = 0
    misses: list[str] = field(default_factory=list)
    wrongly_redacted: list[str] = field(default_factory=list)

    def recall(self, kind: str) -> float:
        return self.found[kind] / self.total[kind] if self.total[kind] else 1.0

    @property
    def ordinary_share(self) -> float:
        return self.ordinary_redacted / self.ordinary if self.ordinary else 0.0

    def failures(self, kinds: Iterable[str] = KINDS) -> list[str]:
        out = [
            f"{kind} recall {self.recall(kind):.3f} < {RECALL_TARGET}"
            for kind in kinds
            if self.total[kind] and self.recall(kind) < RECALL_TARGET
        ]
        if self.ordinary_share > ORDINARY_REDACTED_LIMIT:
            out.append(f"ordinary words redacted {self.ordinary_share:.2%} > {ORDINARY_REDACTED_LIMIT:.0%}")
        return out


def load(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def locate(text: str, spans: list[dict]) -> list[tuple[int, int, str]]:
    """Each marked span's place in the text (repeated spans take successive places)."""
    out, used = [], set()
    for span in spans:
        start = text.find(span["text"])
        while start in used and start >= 0:
            start = text.find(span["text"], start + 1)
        if start < 0:
            raise ValueError(f"a marked span is not in its text ({span['kind']})")
        used.add(start)
        out.append((start, start + len(span["text"]), span["kind"]))
    return out


def _inside(start: int, end: int, regions: Regions) -> bool:
    return all(any(s <= i < e for s, e in regions) for i in range(start, end))


def _touches(start: int, end: int, regions: Regions) -> bool:
    return any(start < e and s < end for s, e in regions)


def score(
    examples: list[dict], regions_of: Callable[[str], Regions], kinds: Iterable[str] | None = None
) -> Score:
    """`kinds`: only these marked kinds count as marked (None: all)."""
    result = Score()
    for example in examples:
        text = example["text"]
        marked = locate(text, example["spans"])
        regions = regions_of(text)
        for start, end, kind in marked:
            if kinds is not None and kind not in kinds:
                continue
            result.total[kind] += 1
            if _inside(start, end, regions):
                result.found[kind] += 1
            else:
                result.misses.append(f"{kind}: {text[start:end]!r} in {text!r}")
        names = [(s, e) for s, e, k in marked if k in ("name", "other_name")]
        for word in _WORD.finditer(text):
            if _touches(*word.span(), [(s, e) for s, e, _ in marked]):
                continue
            result.ordinary += 1
            if _touches(*word.span(), regions):
                title = word.group(0).lower() in _TITLES and any(0 <= s - word.end() <= 2 for s, _ in names)
                if not title:
                    result.ordinary_redacted += 1
                    result.wrongly_redacted.append(f"{word.group(0)!r} in {text!r}")
    return result


def redacted_regions(text: str) -> Regions:
    return [(f.start, f.end) for f in find(text)]


def regions_of(tagger: bool) -> Callable[[str], Regions]:
    """The rules alone (False) or the rules and the learned tagger (True)."""
    return lambda text: [(f.start, f.end) for f in find(text, tagger=tagger)]


def report(name: str, result: Score, kinds: Iterable[str], rules: Score | None = None) -> str:
    """A set's figures; with `rules`, the rules alone's beside them (the tagger's set is blind for it)."""
    lines = [
        f"{name}: {sum(result.total.values())} marked spans"
        + (" (rules + tagger | rules alone)" if rules else "")
    ]
    for kind in kinds:
        if result.total[kind]:
            target = "no target" if kind in MEASURED_ONLY else f"target {RECALL_TARGET:.0%}"
            alone = f"  | {rules.recall(kind):6.1%} ({rules.found[kind]})" if rules else ""
            lines.append(
                f"  {kind:<11} recall {result.recall(kind):6.1%}  ({result.found[kind]}/{result.total[kind]}, {target}){alone}"
            )
    alone = f"  | {rules.ordinary_share:.2%} ({rules.ordinary_redacted})" if rules else ""
    lines.append(
        f"  ordinary words redacted {result.ordinary_share:.2%} ({result.ordinary_redacted}/{result.ordinary},"
        f" limit {ORDINARY_REDACTED_LIMIT:.0%}){alone}"
    )
    return "\n".join(lines)


def speed(paths: list[Path]) -> str:
    """Time a message takes on this machine, the rules alone and with the tagger (each message
    once, after a warm-up; the median and the 95th percentile)."""
    import statistics
    import time

    from privacy.redaction import redact

    texts = [example["text"] for path in paths for example in load(path)]
    lines = [f"{len(texts)} messages, time to redact one:"]
    for name, tagger in (("rules alone", False), ("rules + tagger", True)):
        redact("warm up: im Jo, 07700 900 000", tagger=tagger)
        times = []
        for text in texts:
            started = time.perf_counter()
            redact(text, tagger=tagger)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        lines.append(
            f"  {name:<15} median {statistics.median(times):.1f} ms, 95th percentile"
            f" {times[int(0.95 * len(times))]:.1f} ms, mean {statistics.fmean(times):.1f} ms"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--misses", action="store_true", help="print missed spans and wrongly redacted words")
    parser.add_argument("--compare", action="store_true", help="compare libraries and patterns per kind")
    parser.add_argument(
        "--speed", action="store_true", help="time a message, rules alone and with the tagger"
    )
    args = parser.parse_args(argv)
    files = args.files or sorted(SETS_DIR.glob("*.jsonl"))
    if not files:
        print(f"no marked sets in {SETS_DIR}")
        return 1
    if args.speed:
        print(speed(files))
        return 0
    from privacy.redaction import tagger_in_use

    failed = False
    for path in files:
        result = score(load(path), redacted_regions)
        rules = score(load(path), regions_of(False)) if tagger_in_use() else None
        print(report(path.name, result, (*KINDS, *MEASURED_ONLY), rules))
        problems = result.failures()
        if problems:
            failed = True
            print("  BELOW TARGET: " + "; ".join(problems))
        if args.misses:
            print(
                "\n".join(["  missed:"] + result.misses + ["  wrongly redacted:"] + result.wrongly_redacted)
            )
        if args.compare:
            from privacy.comparison import compare

            print(compare(load(path)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
