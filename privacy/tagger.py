"""The learned half of redaction: a spaCy token tagger (`ner`) for the personal data the rules
(phones.py, online.py, places.py, names.py) miss.

It is trained at build time on `privacy/corpus/*.jsonl`, marked messages written by helpers who
never saw the rules, in the measured sets' format ({"text", "spans": [{"kind", "text"}]}); it
never sees a set in tests/privacy, so those are blind for it. Other people's names are tagged as
names (one placeholder). No model can be downloaded here, so the pipeline is spaCy's blank
English tokenizer plus an `ner` whose tok2vec reads each token's NORM, first letter, last three
letters and SHAPE ("Xxxxx", "dddd", "x.xxxx_dd"): shapes and word endings reach names and
handles no list holds.

    python -m privacy.tagger build build/pii_tagger    # train and write it (make setup does)
    python -m privacy.tagger cross-validate            # rules alone vs rules + tagger, out of fold
    python -m privacy.tagger add-corpus FILE...        # copy marked files into privacy/corpus/,
                                                       # leaving out lines that share text with a
                                                       # measured set

redaction.py joins it with the rules: the tagger adds what they missed, and where the two
overlap the rules' kind is kept (see redaction.find).
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
from functools import lru_cache
from pathlib import Path

from privacy.gazetteer import names_a_place
from privacy.names import is_everyday_word
from privacy.online import is_username
from privacy.phones import PUBLIC_PREFIX, SHORT_CODES
from privacy.places import BUILDING_TYPES, LANDMARK, STREET_TYPES, WELSH_STREET_TYPES
from privacy.words import NUMBER_WORDS, first_names, word_set

HERE = Path(__file__).resolve().parent
CORPUS_DIR = HERE / "corpus"
DEFAULT_PATH = HERE.parent / "build" / "pii_tagger"
LABELS = ("email", "handle", "phone", "postcode", "address", "name")
AS_LABEL = {"other_name": "name"}  # other people's names take the same placeholder
SEED = 11
EPOCHS = 12
DROPOUT = 0.2
BATCH = 16
WIDTH = 96


def _model_config() -> dict:
    """spaCy's default `ner` model, narrowed for speed: hashed NORM, PREFIX, SUFFIX and SHAPE
    embeddings, a convolutional window encoder, and the transition-based parser."""
    return {
        "@architectures": "spacy.TransitionBasedParser.v2",
        "state_type": "ner",
        "extra_state_tokens": False,
        "hidden_width": 64,
        "maxout_pieces": 2,
        "use_upper": True,
        "tok2vec": {
            "@architectures": "spacy.Tok2Vec.v2",
            "embed": {
                "@architectures": "spacy.MultiHashEmbed.v2",
                "width": WIDTH,
                "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE"],
                "rows": [5000, 1000, 2500, 2500],
                "include_static_vectors": False,
            },
            "encode": {
                "@architectures": "spacy.MaxoutWindowEncoder.v2",
                "width": WIDTH,
                "depth": 4,
                "window_size": 1,
                "maxout_pieces": 3,
            },
        },
    }


# A corpus line that shares a run of this many words with a measured set (or is one of its
# texts) is left out: the measured sets must stay unseen by the tagger.
OVERLAP_WORDS = 10


def word_runs(text: str) -> set[str]:
    """The text's runs of OVERLAP_WORDS words (lower case, words only); a shorter text of four
    words or more is one run ("ok", "im 14" recur everywhere)."""
    words = re.findall(r"\w+", text.lower())
    if len(words) < OVERLAP_WORDS:
        return {" ".join(words)} if len(words) >= 4 else set()
    return {" ".join(words[i : i + OVERLAP_WORDS]) for i in range(len(words) - OVERLAP_WORDS + 1)}


def measured_runs() -> set[str]:
    from privacy.measure import SETS_DIR, load

    return {
        run for path in SETS_DIR.glob("*.jsonl") for item in load(path) for run in word_runs(item["text"])
    }


def add_corpus(files: list[Path], directory: Path = CORPUS_DIR) -> str:
    """Copies marked files into the corpus, without the lines that share text with a measured set."""
    runs = measured_runs()
    directory.mkdir(parents=True, exist_ok=True)
    report = []
    for path in files:
        kept, dropped = [], 0
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            if word_runs(json.loads(line)["text"]) & runs:
                dropped += 1
            else:
                kept.append(line)
        (directory / path.name).write_text("\n".join(kept) + "\n", encoding="utf-8")
        report.append(
            f"{path.name}: {len(kept)} lines kept, {dropped} left out (text shared with a measured set)"
        )
    return "\n".join(report)


def load_corpus(directory: Path = CORPUS_DIR) -> list[dict]:
    """Every marked message of the corpus files, once each: {"text", "spans": [(start, end, label)],
    "marked": its spans as written, "source"}."""
    from privacy.measure import locate

    examples, seen = [], set()
    for path in sorted(directory.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            item = json.loads(line)
            kinds = {span["kind"] for span in item["spans"]}
            unknown = kinds - set(LABELS) - set(AS_LABEL)
            if unknown:
                raise ValueError(f"{path.name}:{number}: unknown kinds {sorted(unknown)}")
            key = " ".join(item["text"].lower().split())
            if key in seen:
                continue
            seen.add(key)
            spans = [(s, e, AS_LABEL.get(k, k)) for s, e, k in locate(item["text"], item["spans"])]
            examples.append(
                {
                    "text": item["text"],
                    "spans": spans,
                    "marked": item["spans"],
                    "source": f"{path.name}:{number}",
                }
            )
    return examples


def blank_pipeline():
    import spacy

    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner", config={"model": _model_config()})
    for label in LABELS:
        ner.add_label(label)
    return nlp


def _example(nlp, item: dict):
    """A training example: the marked spans as entities on spaCy's tokens (a span that ends or
    starts inside a token takes the whole token; of two that then overlap, the first)."""
    from spacy.training import Example

    doc = nlp.make_doc(item["text"])
    entities, taken = [], set()
    for start, end, label in sorted(item["spans"]):
        span = doc.char_span(start, end, alignment_mode="expand")
        tokens = set(range(span.start, span.end)) if span is not None else set()
        if tokens and not tokens & taken:
            taken |= tokens
            entities.append((span.start_char, span.end_char, label))
    return Example.from_dict(doc, {"entities": entities})


def train(examples: list[dict], epochs: int | None = None, seed: int = SEED, log=print):
    """The pipeline trained on `examples`, the same every time for the same examples and seed."""
    import spacy
    from spacy.util import minibatch

    epochs = epochs or EPOCHS
    spacy.util.fix_random_seed(seed)
    nlp = blank_pipeline()
    data = [_example(nlp, item) for item in examples]
    optimizer = nlp.initialize(lambda: data)
    order = random.Random(seed)
    for epoch in range(epochs):
        started = time.monotonic()
        order.shuffle(data)
        losses: dict = {}
        for batch in minibatch(data, size=BATCH):
            nlp.update(batch, drop=DROPOUT, sgd=optimizer, losses=losses)
        log(
            f"epoch {epoch + 1}/{epochs}: loss {losses.get('ner', 0):.1f} ({time.monotonic() - started:.1f} s)"
        )
    return nlp


def build(path: Path = DEFAULT_PATH, directory: Path = CORPUS_DIR):
    examples = load_corpus(directory)
    nlp = train(examples)
    nlp.meta["name"] = "personal_data_tagger"
    nlp.meta["description"] = "Blank English tokenizer plus an ner for personal data (privacy/tagger.py)."
    nlp.meta["corpus_examples"] = len(examples)
    path.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(path)
    return nlp


@lru_cache(maxsize=1)
def tagger(path: str = str(DEFAULT_PATH)):
    """The trained pipeline, loaded once; RuntimeError when it was never built."""
    import spacy

    if not (Path(path) / "meta.json").exists():
        raise RuntimeError(f"no personal-data tagger at {path}: `make setup` trains it")
    return spacy.load(path)


_HAS_WORD = re.compile(r"\w")


def tagged_spans(text: str, pipeline=None) -> list[tuple[int, int, str]]:
    """(start, end, kind) of each piece of personal data the tagger (the built one, or
    `pipeline`) finds in `text`."""
    if not text or not _HAS_WORD.search(text):
        return []
    doc = (pipeline or tagger())(text)
    return [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]


_DIGIT_OR_NUMBER_WORD = re.compile(r"\d|\b(?:" + "|".join(sorted(NUMBER_WORDS)) + r")\b", re.I)
# what makes a place a home: a street's type ("Lane", "Heol"), a building's ("Farm", "House")
_HOME_WORD = re.compile(
    r"\b(?:"
    + "|".join(sorted({*STREET_TYPES, *(t.lower() for t in (*BUILDING_TYPES, *WELSH_STREET_TYPES))}))
    + r")\b",
    re.I,
)
# letters, with apostrophes, hyphens and an initial's full stop ("J. O'Neill-Shaw"): a name's
_NAME_LETTERS = re.compile(r"(?:[^\W\d_]|['’\-\s]|(?<=\b[^\W\d_])\.)+")
# before a capitalised word: an employer or a saint, not a person ("works for Morgan", "St Helens")
# (and a school after a school year: "in Year 11 at Wyke Manor", "in my sons year at Priory")
_EMPLOYER_BEFORE = re.compile(
    r"\b(?:works?|worked|working|plays?|played|signed)\s+for\s+$|\b(?:St|Saint)\.?\s+$"
    r"|\b(?:year|yr)(?:\s?\d{1,2})?\s+at\s+(?:the\s+)?$",
    re.I,
)
_MOST_WORDS = {"name": 4, "handle": 5, "address": 8}
_CONTRACTION = re.compile(r"['’](?:s|re|ll|ve|d|m|t)$", re.I)
# a house's number: first ("12 ..."), before a street's name and type ("Flat three, 12 Oak
# Road"), or after "number", "flat"... ("Oak Road, number 12"); not any digit ("Bethnal Green,
# there's 6 of us")
_HOUSE_NUMBER = re.compile(
    rf"^\W*\d|\b\d{{1,4}}[a-z]?,?\s+(?:[^\W\d_]+\s+){{1,3}}{_HOME_WORD.pattern}"
    r"|\b(?:number|no\.?|num|rhif|flat|apartment|apt|unit|plot|pitch|caravan|house)\s*\d",
    re.I,
)
# a contact line's labels, which tell nothing by themselves: "tel-07700 ...", "ext 231"
CONTACT_LABELS = word_set("tel telephone mob mobile ph phone landline fax ext extension email e-mail")


# "+44", "(0)7...", "07...", "O7..." typed with a letter, "oh seven ...", "zero", "plus four four"
_NUMBER_STARTS = re.compile(r"[^\w+]*(?:\+|\(?0|[oO](?=\d)|(?:oh|zero|nought|double|plus)\b)", re.I)
_A_TIME = re.compile(r"\d[:.]\d\d\b|\d\s*(?:am|pm)\b", re.I)


# a compound of words in lower case, joined by hyphens
_EVERYDAY_COMPOUND = re.compile(r"[a-z]+(?:-[a-z]+)+")
# numbers listed with commas, one of them a digit or two: "scores were 0, 12, 15, 20"
_A_LIST_OF_NUMBERS = re.compile(r"(?<!\d)\d{1,2},\s+\d|\d,\s+\d{1,2}(?!\d)")


def _could_be_a_phone_number(piece: str, before: str) -> bool:
    digits = re.sub(r"\D", "", piece)
    if digits in SHORT_CODES or PUBLIC_PREFIX.match(digits) or _A_TIME.search(piece):
        return False
    if digits.startswith("000"):
        return False  # "ref no. 0000 1234 5678": no country's code starts with 0
    if _A_LIST_OF_NUMBERS.search(piece):
        return False
    if len(_DIGIT_OR_NUMBER_WORD.findall(piece)) < 3:
        return False
    # the rest of a number already found ("07831 440" "297"), when the whole starts as a phone
    # number does ("order number 204-7788123" does not)
    goes_on = re.search(r"(?<![\w+])\+?\d[\d \t-]*$", before)
    return bool(_NUMBER_STARTS.match(goes_on.group(0) + piece if goes_on else piece))


# words that say how a username is said or written, never a part of it
_HOW_SAID = re.compile(r"\b(?:spelt|spelled|spelling|spell it|written|typed)(?:\s|$)", re.I)


def plausible(kind: str, text: str, start: int, end: int) -> bool:
    """What the tagger adds at text[start:end] must look like its kind, as the rules' own
    exclusions say:
    - a phone number has digits and is no public helpline or short code ("0800 068 4141"): at
      least three, and one that starts a number is a 0 or follows a + (as the rules ask), so a
      time, an age or a reference ("after 6pm", "shes 19", "Ref 4471-2209") is none; digits
      that go on from a number ("07831 440" "297") need not start with 0;
    - an email has an "at"; a postcode a digit;
    - a handle is no setting's name, the service's own name, a link or code ("bit.ly",
      "CHAT_TRUSTED_PROXIES", "action_escalate", "website(UNKNOWN");
    - a name is letters only, follows no employer or saint ("works for Morgan") and is no UK
      place ("Ebbw Vale", "Thornton Heath": privacy/gazetteer.py);
    - an address has a number, or a street's or building's type ("The Revenge Porn Helpline" is not);
      with both, it is one when the number is a house's ("12 Oak Road", "Oak Road, number 12");
    - a name, handle or address is a few words, at least half of them not everyday words,
      months, places or greetings ("Fine", "27 June", "Berlin", "Sat Sri Akal")."""
    piece = text[start:end]
    if kind == "phone":
        return _could_be_a_phone_number(piece, text[:start])
    if kind == "postcode":
        return bool(_DIGIT_OR_NUMBER_WORD.search(piece))
    if kind == "email":
        return "@" in piece or bool(re.search(r"\bat\b", piece, re.I))
    if kind == "handle" and (
        not is_username(piece) or re.search(r"[(){}<>\[\]=]", piece) or _HOW_SAID.search(piece)
    ):
        return False  # nor how it is said: "spelled like ..."
    if kind == "name" and (
        not _NAME_LETTERS.fullmatch(piece)
        or _EMPLOYER_BEFORE.search(text[:start])
        or names_a_place(text, start, end)
    ):
        return False
    if kind == "address" and not (re.search(r"\d", piece) or _HOME_WORD.search(piece)):
        return False
    if kind in ("name", "handle") and is_everyday_word(piece.strip()):
        return False  # as a whole: "V-bucks", "FIFA"
    if kind == "name" and _EVERYDAY_COMPOUND.fullmatch(piece.strip()):
        first = piece.strip().split("-")[0]
        if is_everyday_word(first) and first not in first_names():
            return False  # a compound in lower case led by a word: "well-known", "so-called", "half-term"
    words = re.findall(r"[^\W_]+(?:['’][^\W_]+)?", piece)
    if len(words) > _MOST_WORDS[kind]:
        return False  # run on past what it found: "... dot one and he told me to go on a call"
    if kind == "address" and _HOME_WORD.search(piece) and _HOUSE_NUMBER.search(piece):
        return True
    telling = [
        word
        for word in words
        if not word.isdigit()
        and not is_everyday_word(_CONTRACTION.sub("", word))  # "there's", "we'll"
        and word.lower() not in CONTACT_LABELS
    ]
    return bool(telling) and 2 * len(telling) >= len(words)


# kinds whose pieces read as one with a find of the same kind beside them
_EXTENDABLE = ("address", "name", "handle")


def plausible_extension(kind: str, text: str, start: int, end: int, beside: tuple[int, int]) -> bool:
    """A piece the tagger adds to a find of its own kind just beside it is judged with it: "5"
    before "Rose Cottages, Back Lane", "Flat 3," before "12 Oak Road", ", number 19" after
    "Holyhead Road". Not across a sentence's end ("7 Oak Street. Ring 01..."), nor a street
    named after an address to say where it is ("9 Elm Close off Mill Road": places.LANDMARK);
    and the piece must still hold a digit or a word that tells ("Flat", "the", "tel" do not)."""
    if kind not in _EXTENDABLE or not plausible(kind, text, min(start, beside[0]), max(end, beside[1])):
        return False
    after = start >= beside[1]
    gap = text[beside[1] - 1 : start] if after else text[end : beside[0]]
    if re.search(r"[.!?]", gap) or (after and LANDMARK.match(text, beside[1])):
        return False
    words = re.findall(r"[^\W_]+", text[start:end])
    return any(
        _DIGIT_OR_NUMBER_WORD.search(word)
        or (not is_everyday_word(word) and word.lower() not in CONTACT_LABELS)
        for word in words
    )


def cross_validate(folds: int = 4, directory: Path = CORPUS_DIR) -> str:
    """Out of fold on the corpus: each message redacted by the rules alone and by the rules with a
    tagger that never saw it. The corpus's writers never saw the rules either, so for both this is
    new writing (tests/privacy has been read to write the rules)."""
    from privacy.measure import KINDS, MEASURED_ONLY, score
    from privacy.redaction import find

    examples = load_corpus(directory)
    random.Random(SEED).shuffle(examples)
    marked = [{"text": e["text"], "spans": e["marked"]} for e in examples]
    rules = score(marked, lambda t: [(f.start, f.end) for f in find(t, tagger=False)])
    both_found: dict = {}
    both_ordinary = [0, 0]
    for fold in range(folds):
        held = [i for i in range(len(examples)) if i % folds == fold]
        nlp = train([e for i, e in enumerate(examples) if i % folds != fold], log=lambda _: None)
        part = score(
            [marked[i] for i in held],
            lambda t, nlp=nlp: [(f.start, f.end) for f in find(t, tagger=True, pipeline=nlp)],
        )
        for kind in part.found:
            both_found[kind] = both_found.get(kind, 0) + part.found[kind]
        both_ordinary[0] += part.ordinary_redacted
        both_ordinary[1] += part.ordinary
    lines = [f"{len(examples)} corpus messages, {folds} folds: rules alone -> rules + tagger (out of fold)"]
    for kind in (*KINDS, *MEASURED_ONLY):
        total = rules.total[kind]
        if total:
            lines.append(
                f"  {kind:<10} {rules.found[kind] / total:6.1%} -> {both_found.get(kind, 0) / total:6.1%}"
                f"  ({rules.found[kind]} -> {both_found.get(kind, 0)} of {total})"
            )
    lines.append(
        f"  ordinary words redacted {rules.ordinary_share:.2%} -> {both_ordinary[0] / both_ordinary[1]:.2%}"
        f"  ({rules.ordinary_redacted} -> {both_ordinary[0]} of {rules.ordinary})"
    )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="The personal-data tagger (privacy/tagger.py)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("build").add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)
    commands.add_parser("cross-validate").add_argument("--folds", type=int, default=4)
    commands.add_parser("add-corpus").add_argument("files", nargs="+", type=Path)
    args = parser.parse_args(argv)
    if args.command == "add-corpus":
        print(add_corpus(args.files))
    elif args.command == "cross-validate":
        print(cross_validate(args.folds))
    else:
        started = time.monotonic()
        nlp = build(args.path)
        print(
            f"personal-data tagger trained on {nlp.meta['corpus_examples']} messages in"
            f" {time.monotonic() - started:.0f} s, written to {args.path}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
