"""Advice content and force files: every answer renders for every force and audience."""

import shutil
from pathlib import Path

import pytest
import yaml

from advice.content import AUDIENCES, ContentError, load_library
from advice.forces import ForceConfigError, available_forces, current_force, load_force
from safeguarding.reasons import REASON_CODES


@pytest.mark.parametrize("force_id", available_forces())
def test_every_answer_renders_for_every_force_and_audience(force_id):
    force = current_force(force_id)
    lib = load_library()
    for answer in lib.answers.values():
        for audience in (None,) + AUDIENCES:
            reply = answer.render(audience, force)
            assert reply.text and "{" not in reply.text
            assert "0844" not in reply.text
            assert all(link["url"].startswith("https://") for link in reply.links)


def test_every_reason_has_advice_and_every_handoff_status_its_words():
    # every intent's answer: tests/unit/test_intent_catalogue.py
    lib = load_library()
    assert set(REASON_CODES) == set(lib.reason_advice)
    assert {"queued", "connected", "unavailable", "what_happens"} <= set(lib.handoff)


def test_answers_differ_by_force_where_the_force_differs():
    lib = load_library()
    dorset = lib.answers["police_response"].render(None, current_force("dorset")).text
    devon = lib.answers["police_response"].render(None, current_force("devon_cornwall")).text
    assert "Outcome 27" in devon and "Outcome 27" not in dorset


def test_an_answer_without_sources_is_rejected(tmp_path):
    (tmp_path / "a.yml").write_text(
        yaml.safe_dump({"answers": [{"id": "x", "intents": ["x"], "variants": {"default": {"text": "hi"}}}]})
    )
    with pytest.raises(ContentError, match="no sources"):
        load_library(tmp_path)


def test_an_unknown_placeholder_is_rejected(tmp_path):
    (tmp_path / "a.yml").write_text(
        yaml.safe_dump(
            {
                "answers": [
                    {
                        "id": "x",
                        "intents": ["x"],
                        "sources": ["s"],
                        "variants": {"default": {"text": "call {nobody}"}},
                    }
                ]
            }
        )
    )
    with pytest.raises(ContentError, match="unknown placeholder"):
        load_library(tmp_path)


def test_adding_a_force_is_one_file(tmp_path, monkeypatch):
    raw = yaml.safe_load(Path("content/forces/dorset.yml").read_text())
    raw.update(id="gwent", name="Gwent Police", country="wales", outcome_code="21")
    forces_dir = tmp_path / "forces"
    forces_dir.mkdir()
    (forces_dir / "gwent.yml").write_text(yaml.safe_dump(raw))
    shutil.copy("content/forces/dorset.yml", forces_dir)  # the default force still loads
    monkeypatch.setattr("advice.forces.FORCES_DIR", forces_dir)
    current_force.cache_clear()
    try:
        force = current_force("gwent")
        text = load_library().answers["school_what_to_do"].render("school", force).text
        assert force.placeholders()["safeguarding_lead_short"] == "DSP"
        assert "DSP" in text or "designated safeguarding person" in text.lower()
    finally:
        current_force.cache_clear()


def test_a_broken_force_file_is_rejected(tmp_path):
    path = tmp_path / "broken.yml"
    path.write_text(yaml.safe_dump({"id": "broken", "name": "Broken"}))
    with pytest.raises(ForceConfigError, match="missing"):
        load_force(path)
