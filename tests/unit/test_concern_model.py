"""The concern classifier: its corpus, how its thresholds were set, and that it is kept apart
from every set it is measured on."""

import json
from pathlib import Path

import pytest
import yaml

from safeguarding.concern_model import (
    ANY,
    CORPUS_DIR,
    OUTPUTS,
    URGENT,
    concern_model,
    decide,
    is_clear,
    load_corpus,
    threshold_for_recall,
)
from safeguarding.reasons import REASON_CODES
from tests.servers import ROOT

MEASURED_ON = sorted((ROOT / "tests" / "safety").glob("**/*.yaml")) + [
    ROOT / "tests" / "e2e" / "conversations.yaml"
]


def normalised(text: str) -> str:
    return " ".join(text.lower().split())


def test_the_corpus_is_large_labelled_with_reason_codes_and_has_every_code():
    examples = load_corpus()
    assert len(examples) >= 10_000
    counts = {code: sum(code in e.labels for e in examples) for code in REASON_CODES}
    assert min(counts.values()) >= 40, counts
    with_concern = sum(bool(e.labels) for e in examples)
    # hard negatives in about the same proportion as positives
    assert 0.35 <= with_concern / len(examples) <= 0.6


def test_no_text_is_in_the_corpus_and_in_a_set_it_is_measured_on():
    corpus = set()
    for path in CORPUS_DIR.glob("*.jsonl"):
        for line in path.read_text().splitlines():
            if line.strip():
                corpus.update(normalised(t) for t in json.loads(line)["turns"] if len(t.split()) >= 4)
    seen_in: dict[tuple, str] = {}
    for path in MEASURED_ON:
        for case in yaml.safe_load(path.read_text())["cases"]:
            for turn in case["turns"]:
                key = normalised(turn)
                in_corpus = len(key.split()) >= 4 and key in corpus  # "ok", "im 14" recur everywhere
                assert not in_corpus, f"{path.name} {case['id']}: a turn is also in the training corpus"
            # between sets, whole conversations of some length: independent writers do ask the
            # same short question ("what does outcome 21 mean")
            conversation = tuple(normalised(t) for t in case["turns"])
            if len(case["turns"]) > 1 or len(conversation[0].split()) >= 12:
                other = seen_in.setdefault(conversation, path.name)
                clash = other != path.name  # only ids in the message: blind sets stay unread
                assert not clash, f"{case['id']}: a conversation is in both {other} and {path.name}"


def test_the_model_alone_is_measured_out_of_fold_at_the_thresholds_in_use():
    """Each example scored by a model that never saw it, at the decision thresholds in use
    (2026-12-01: recall 0.892, false alarms 1.0%, self-harm or danger 0.959, concerns read as
    clear 2.1%). The rules add the rest; these floors catch a worse corpus or build."""
    model = concern_model()
    report = model.report
    assert set(model.thresholds) >= set(OUTPUTS)
    assert report["thresholds"][ANY] == model.thresholds[ANY]
    assert report["out_of_fold_recall"] >= 0.82
    assert report["out_of_fold_urgent_recall"] >= 0.90
    assert report["out_of_fold_false_alarms"] <= 0.02
    assert report["out_of_fold_clear_of_concerns"] <= 0.03


def test_a_threshold_keeps_the_wanted_share_of_positives_above_it():
    import numpy as np

    scores = np.array([0.1, 0.2, 0.3, 0.4, 0.9, 0.8, 0.7, 0.6])
    y = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    assert threshold_for_recall(scores, y, 1.0) == pytest.approx(0.6)
    assert threshold_for_recall(scores, y, 0.75) == pytest.approx(0.7)


def test_the_model_names_at_most_two_reasons_and_always_one_when_it_sees_a_concern():
    thresholds = {name: 0.5 for name in OUTPUTS} | {"clear": 0.1}
    scores = {name: 0.0 for name in OUTPUTS}
    assert decide(scores, thresholds) == set() and is_clear(scores, thresholds)
    scores |= {ANY: 0.9, "grooming": 0.2}
    assert decide(scores, thresholds) == {"grooming"}
    scores |= {"grooming": 0.9, "adult_involved": 0.8, "under_13": 0.7}
    assert decide(scores, thresholds) == {"grooming", "adult_involved"}
    urgent_only = {name: 0.0 for name in OUTPUTS} | {URGENT: 0.9, "self_harm_risk": 0.3}
    assert decide(urgent_only, thresholds) == {"self_harm_risk"}


def test_a_missing_model_leaves_the_rules_screening(monkeypatch):
    from safeguarding import concern_model as module
    from safeguarding import screen

    def broken():
        raise RuntimeError("no model")

    monkeypatch.setattr(module, "concern_model", broken)
    facts = screen("he says he'll post my nudes unless i pay him")
    assert "coercion_or_blackmail" in facts.concerns and not facts.model_clear


def test_the_corpus_files_have_only_known_fields(tmp_path: Path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"who": "yp", "turns": ["x y z w"], "labels": ["not_a_code"]}) + "\n")
    with pytest.raises(ValueError, match="unknown labels"):
        load_corpus(tmp_path)
