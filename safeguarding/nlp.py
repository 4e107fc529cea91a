"""Builds the blank English spaCy pipeline the NLU uses, with the safeguarding rules in it.

Official spaCy models cannot be downloaded here, so the project builds its own pipeline:
spaCy's English tokenizer plus a `span_ruler` holding the cue phrases (patterns/cues.yml)
and the age patterns (patterns/ages.yml). Rasa's SpacyNLP loads it from disk, and every
message's Doc then carries the matched spans in `doc.spans[SPANS_KEY]`.

    python -m safeguarding.nlp build/spacy_en      # writes the pipeline (make does this)
"""

from __future__ import annotations

import copy
import re
import sys
from functools import lru_cache
from pathlib import Path

import spacy
import yaml
from spacy.symbols import NORM, ORTH

PATTERNS_DIR = Path(__file__).resolve().parent / "patterns"
SPANS_KEY = "sg"

_NUMBER_WORDS = (
    "six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|"
    "eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
)
# An age: "14", "14yo", "14yrs", "14y/o", or a number word.
NUM_REGEX = rf"^(\d{{1,2}}(yo|y/o|yrs?|years?|yr)?|{_NUMBER_WORDS})$"
_YEAR_NUMBER = r"^(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen)$"
_YEAR_TOKEN = r"^(year|yr|y)\d{1,2}$"

# Someone who could be involved in the images; never the writer's own child (AGE_CHILD).
PERSON_WORDS = [
    "bf",
    "boyfriend",
    "gf",
    "girlfriend",
    "partner",
    "ex",
    "cousin",
    "mate",
    "mates",
    "friend",
    "bestie",
    "bff",
    "guy",
    "man",
    "bloke",
    "lad",
    "boy",
    "girl",
    "woman",
    "fella",
    "dude",
    "stranger",
    "someone",
    "somebody",
    "person",
    "coach",
    "teacher",
    "tutor",
    "instructor",
    "leader",
    "neighbour",
    "uncle",
    "auntie",
    "aunt",
    "stepdad",
    "stepmum",
    "stepbrother",
    "stepsister",
    "brother",
    "sister",
    "bro",
    "sis",
    "colleague",
    "manager",
    "boss",
    "supervisor",
    "photographer",
    "agent",
    "scout",
    "driver",
    "lodger",
    # spelt as said ("my litle bruther is 11")
    "bruther",
    "brotha",
    "sista",
]
_AGED = r"^\d{1,2}(yo|y/o|yrs?|years?|yr)$"
# Informal contractions spaCy's English tokenizer leaves whole: (piece, what it stands for)
_CONTRACTIONS = {
    "wanna": (("wan", "want"), ("na", "to")),
    "tryna": (("try", "trying"), ("na", "to")),
    "lemme": (("lem", "let"), ("me", "me")),
    "gimme": (("gim", "give"), ("me", "me")),
}

_MACROS = {
    "NUM": [[{"LOWER": {"REGEX": NUM_REGEX}}]],
    "PERSON": [[{"LOWER": {"IN": PERSON_WORDS}}]],
    "AGED": [
        [{"LOWER": {"REGEX": _AGED}}],
        [
            {"LOWER": {"REGEX": NUM_REGEX}},
            {"LOWER": "-", "OP": "?"},
            {"LOWER": {"IN": ["year", "yr", "years", "yrs"]}},
            {"LOWER": "-", "OP": "?"},
            {"LOWER": "old"},
        ],
    ],
    "YEARNUM": [
        [{"LOWER": {"IN": ["year", "yr", "yrs", "y", "years"]}}, {"LOWER": {"REGEX": _YEAR_NUMBER}}],
        [{"LOWER": {"REGEX": _YEAR_TOKEN}}],
    ],
}


def _expand(pattern: list) -> list[list]:
    """Expands macro names (strings) in a token pattern into every alternative."""
    results: list[list] = [[]]
    for token in pattern:
        if isinstance(token, str):
            results = [done + copy.deepcopy(alt) for done in results for alt in _MACROS[token]]
        else:
            results = [done + [token] for done in results]
    return results


def ruler_patterns() -> list[dict]:
    """All span_ruler patterns: phrases (matched on NORM) and token patterns."""
    cues = yaml.safe_load((PATTERNS_DIR / "cues.yml").read_text())
    ages = yaml.safe_load((PATTERNS_DIR / "ages.yml").read_text())
    patterns: list[dict] = []
    for label, phrases in cues.items():
        patterns.extend({"label": label, "pattern": phrase} for phrase in phrases)
    for label, token_patterns in ages.items():
        for pattern in token_patterns:
            patterns.extend({"label": label, "pattern": p} for p in _expand(pattern))
    return patterns


# How facts.py asks for a label's spans: its Cues' has("X"), live("X"), said("X") and tokens("X"),
# and ("X", ...) pairs of a label with a marker or the facts' list it fills.
_LABEL_USE = re.compile(r"""(?:has|live|said|tokens)\(\s*"([A-Z_]+)"|\(\s*"([A-Z_]+)",\s*(?:"|facts\.)""")


def labels_used_by_facts() -> set[str]:
    source = (Path(__file__).resolve().parent / "facts.py").read_text()
    return {a or b for a, b in _LABEL_USE.findall(source)}


def check_labels(patterns: list[dict]) -> None:
    """Every label facts.py reads has patterns: a renamed or deleted label would otherwise make
    a rule silently match nothing."""
    missing = labels_used_by_facts() - {p["label"] for p in patterns}
    if missing:
        raise ValueError(f"facts.py reads labels no pattern file defines: {sorted(missing)}")


def build() -> spacy.language.Language:
    patterns = ruler_patterns()
    check_labels(patterns)
    nlp = spacy.blank("en")
    # spaCy splits "gonna" into "going to" but not these: a cue written "want to" must match
    # "wanna" ("dont wanna be here anymore")
    for written, pieces in _CONTRACTIONS.items():
        for form in (written, written.capitalize()):
            orths = [form[: len(pieces[0][0])]] + [piece for piece, _ in pieces[1:]]
            nlp.tokenizer.add_special_case(
                form, [{ORTH: orth, NORM: norm} for orth, (_, norm) in zip(orths, pieces, strict=True)]
            )
    ruler = nlp.add_pipe(
        "span_ruler",
        name="safeguarding_rules",
        config={"spans_key": SPANS_KEY, "phrase_matcher_attr": "NORM", "validate": True, "overwrite": False},
    )
    ruler.add_patterns(patterns)
    nlp.meta["name"] = "safeguarding_blank_en"
    nlp.meta["description"] = "Blank English tokenizer plus the safeguarding screen's rules."
    return nlp


@lru_cache(maxsize=1)
def pipeline() -> spacy.language.Language:
    """The pipeline built in memory (tests and the action server use this)."""
    return build()


def main(argv: list[str]) -> int:
    target = Path(argv[1] if len(argv) > 1 else "build/spacy_en")
    nlp = build()
    target.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(target)
    print(f"spaCy pipeline with {len(ruler_patterns())} safeguarding patterns written to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
