"""The force procedures the case page shows: every force has sourced steps for every reason."""

import pytest

from advice.forces import ForceConfigError, available_forces, current_force, load_force
from console.reasons import PLAIN_WORDS, REASON_CODES, RISK_LEVELS, risk_rank


@pytest.mark.parametrize("force_id", available_forces())
def test_every_reason_has_sourced_procedures_in_every_force(force_id):
    force = current_force(force_id)
    table = force.raw["safeguarding_procedures"]
    assert set(table) == {"every_case", *REASON_CODES}
    for key, steps in force.procedures(list(REASON_CODES)):
        assert steps, key
        for step in steps:
            assert step["text"].strip() and step["source"].strip()
            # a source names a seed, facts.md, domain-research or design.md: nothing unsourced
            assert any(s in step["source"] for s in ("seed", "facts.md", "domain-research", "design.md")), (
                step
            )


def test_procedures_come_for_every_case_first_then_each_reason_in_the_order_given():
    keys = [key for key, _ in current_force("dorset").procedures(["self_harm_risk", "adult_involved"])]
    assert keys == ["every_case", "self_harm_risk", "adult_involved"]


def test_each_force_names_its_own_outcome_code_and_team():
    devon = " ".join(s["text"] for _, steps in current_force("devon_cornwall").procedures([]) for s in steps)
    dorset = " ".join(s["text"] for _, steps in current_force("dorset").procedures([]) for s in steps)
    assert "Outcome 27" in devon and "Youth Intervention Officers" in devon
    assert "Outcome 27" not in dorset and "Safe Schools and Communities Team" in dorset


def test_a_step_without_a_source_is_refused_when_the_force_loads(tmp_path):
    raw = current_force("dorset").raw | {"safeguarding_procedures": {"grooming": [{"text": "Do a thing."}]}}
    import yaml

    path = tmp_path / "bad.yml"
    path.write_text(yaml.safe_dump(raw))
    with pytest.raises(ForceConfigError):
        load_force(path)


def test_every_reason_has_its_own_plain_words_and_the_risk_order_is_most_urgent_first():
    from console.reasons import plain

    words = [plain(code) for code in REASON_CODES]
    assert all(w and "_" not in w for w in words) and len(set(words)) == len(REASON_CODES)
    assert set(PLAIN_WORDS) == set(REASON_CODES)
    assert plain("not_a_code") == "not a code"
    assert [risk_rank(level) for level in ("critical", "high", "medium", "low")] == [0, 1, 2, 3]
    assert risk_rank("unknown") == len(RISK_LEVELS)
