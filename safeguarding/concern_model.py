"""The learned half of the screen: a multi-label concern classifier.

One output per reason code, one for "any concern" and one for self-harm or danger (its own
high-recall detector). It is trained on the labelled corpus in `safeguarding/corpus/` (written
by people who never saw the rules) and reads wording no rule was written for. The rules and this
model each can escalate (assessment.py).

Features that reach past exact words:
- word 1-2 grams and character 2-5 grams inside words (typos, text-speak, word endings);
- WordLlama's pretrained token embeddings (MIT; the 256-dimension "l2_supercat" weights and
  tokenizer ship inside the `wordllama` wheel), average-pooled per message. Only the weights and
  tokenizer files are read: the package's own code needs numpy 2 and pydantic 2, which Rasa 3.6
  cannot have, so it is installed without its dependencies and never imported.

Messages in other languages: the corpus's other-language files (Welsh, and the first languages of
young people and parents in England and Wales) train a second model, with a quarter of the English
examples so that messages mixing English still read; a message that may not be English
(language.py) is read by both models, and either can raise a concern. The English model is trained on the English files only: trained on
everything, it made more false alarms on the English development sets at the same thresholds.

Thresholds are chosen on out-of-fold predictions (each example scored by a model that never saw
it) for a recall target per output, and stored with the model.

    python -m safeguarding.concern_model build/concern_model.joblib   # train (make setup does)
"""

from __future__ import annotations

import importlib.util
import json
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from safeguarding.language import may_be_other_language
from safeguarding.reasons import REASON_CODES

HERE = Path(__file__).resolve().parent
CORPUS_DIR = HERE / "corpus"
DEFAULT_PATH = HERE.parent / "build" / "concern_model.joblib"
ANY, URGENT = "any_concern", "self_harm_or_danger"
URGENT_CODES = ("self_harm_risk", "immediate_danger")
OUTPUTS = (ANY, URGENT, *REASON_CODES)
# Recall wanted on out-of-fold predictions: a missed disclosure is far worse than a false alarm.
RECALL_TARGET = {ANY: 0.90, URGENT: 0.97}
# Below this "any concern" score (and the urgent one's threshold) the model is sure enough that
# there is nothing to see that it vetoes the rules' weaker cues (assessment.py): set so that no
# more than 2% of real concerns out of fold fall under it.
CLEAR_RECALL = 0.98
CLEAR = "clear"
# The three decision thresholds in use: whether the model alone escalates ("any concern", and the
# self-harm-or-danger detector) and when it is sure there is nothing to see. The out-of-fold
# values above are where they start; these were then set on the development sets (never the
# corpus, never a blind round before it was scored), where they missed no disclosure with the
# fewest false alarms (tests/safety/README.md).
DECISION_THRESHOLDS = {ANY: 0.8, URGENT: 0.8, CLEAR: 0.2}
# A rule's weaker reading counts only where the model gives it some support: P(reason) + P(any
# concern) at least this, in some message of the conversation (safeguarding/assessment.py).
SUPPORT = 0.3
LABEL_RECALL_TARGET = 0.85  # naming the reason once a concern is found
MAX_NAMED = 2
FOLDS = 4
SEED = 13
# Corpus files in languages other than English: the other-languages model's (see above).
OTHER_LANGUAGE_FILES = ("i_welsh.jsonl", "j_languages.jsonl")
ENGLISH_SHARE_FOR_OTHER_LANGUAGES = 4  # every 4th English example joins them


@dataclass
class Example:
    text: str
    labels: set[str]
    who: str = "other"
    source: str = ""


def example_text(turns: list[str]) -> str:
    """A conversation's user messages as one text (the model also reads single messages)."""
    return "\n".join(t.strip() for t in turns if t and t.strip())


def load_corpus(directory: Path = CORPUS_DIR) -> list[Example]:
    examples, seen = [], set()
    for path in sorted(directory.glob("*.jsonl")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if not line.strip():
                continue
            item = json.loads(line)
            labels = set(item.get("labels") or [])
            unknown = labels - set(REASON_CODES)
            if unknown:
                raise ValueError(f"{path.name}:{number}: unknown labels {sorted(unknown)}")
            turns = item.get("turns") or ([item["text"]] if item.get("text") else [])
            text = example_text(turns)
            key = " ".join(text.lower().split())
            if not text or key in seen:
                continue
            seen.add(key)
            examples.append(Example(text, labels, item.get("who", "other"), f"{path.name}:{number}"))
    return examples


class WordVectors:
    """Average-pooled, unit-length WordLlama token embeddings of a text."""

    def __init__(self):
        spec = importlib.util.find_spec("wordllama")
        if spec is None or not spec.submodule_search_locations:
            raise RuntimeError("the wordllama package is not installed (make setup installs it)")
        root = Path(list(spec.submodule_search_locations)[0])
        from safetensors import safe_open
        from tokenizers import Tokenizer

        with safe_open(str(root / "weights" / "l2_supercat_256.safetensors"), framework="np") as f:
            self.embedding = f.get_tensor("embedding.weight").astype(np.float32)
        self.tokenizer = Tokenizer.from_file(str(root / "tokenizers" / "l2_supercat_tokenizer_config.json"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()

    def __call__(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.embedding.shape[1]), dtype=np.float32)
        for i, encoding in enumerate(self.tokenizer.encode_batch([t.lower() for t in texts])):
            ids = encoding.ids[:512]
            if ids:
                vector = self.embedding[ids].mean(axis=0)
                norm = float(np.linalg.norm(vector))
                out[i] = vector / norm if norm else vector
        return out


@lru_cache(maxsize=1)
def word_vectors() -> WordVectors:
    return WordVectors()


@dataclass
class ConcernModel:
    word_ngrams: object
    char_ngrams: object
    heads: dict[str, object]  # output -> fitted LogisticRegression
    thresholds: dict[str, float]
    report: dict = field(default_factory=dict)  # how the thresholds were chosen
    other_languages: ConcernModel | None = None  # reads messages that do not look English

    def _features(self, texts: list[str]):
        from scipy.sparse import csr_matrix, hstack

        return hstack(
            [
                self.word_ngrams.transform(texts),
                self.char_ngrams.transform(texts),
                csr_matrix(word_vectors()(texts)),
            ]
        ).tocsr()

    def scores(self, texts: list[str]) -> list[dict[str, float]]:
        # every head's weights in one matrix: one product per message instead of one call per head
        names, weights, bias = self._stacked()
        logits = np.asarray(self._features(texts) @ weights) + bias
        probabilities = 1.0 / (1.0 + np.exp(-logits))
        return [dict(zip(names, map(float, row), strict=True)) for row in probabilities]

    def _stacked(self):
        if getattr(self, "_stack", None) is None:
            names = list(self.heads)
            weights = np.column_stack([self.heads[n].coef_[0] for n in names])
            bias = np.array([self.heads[n].intercept_[0] for n in names])
            self._stack = (names, weights, bias)
        return self._stack

    def read(self, text: str) -> tuple[set[str], bool, set[str]]:
        """(the reason codes it sees, whether it is sure there is nothing to see, the reason
        codes it gives some support to)."""
        scores = self.scores([text])[0]
        concerns, clear = decide(scores, self.thresholds), is_clear(scores, self.thresholds)
        support = supported(scores)
        if self.other_languages is not None and may_be_other_language(text):
            other, other_clear, other_support = self.other_languages.read(text)
            return concerns | other, clear and other_clear, support | other_support
        return concerns, clear, support


def supported(scores: dict[str, float]) -> set[str]:
    return {code for code in REASON_CODES if scores[code] + scores[ANY] >= SUPPORT}


def is_clear(scores: dict[str, float], thresholds: dict[str, float]) -> bool:
    return scores[ANY] < thresholds[CLEAR] and scores[URGENT] < thresholds[URGENT]


def decide(scores: dict[str, float], thresholds: dict[str, float]) -> set[str]:
    """Whether there is a concern is the "any" and "self-harm or danger" outputs' call; the
    per-reason outputs only name it (at least one name, the likeliest, is always given)."""
    urgent = scores[URGENT] >= thresholds[URGENT]
    if not urgent and scores[ANY] < thresholds[ANY]:
        return set()
    # at most the two reasons it is surest of: each named reason brings its own advice
    above = sorted(
        (c for c in REASON_CODES if scores[c] >= thresholds[c]), key=lambda c: scores[c] - thresholds[c]
    )
    named = set(above[-MAX_NAMED:])
    if urgent and not named & set(URGENT_CODES):
        named.add(max(URGENT_CODES, key=lambda code: scores[code]))
    return named or {max(REASON_CODES, key=lambda code: scores[code])}


def _vectorizers():
    from sklearn.feature_extraction.text import TfidfVectorizer

    word = TfidfVectorizer(
        analyzer="word",
        ngram_range=(1, 2),
        min_df=2,
        sublinear_tf=True,
        lowercase=True,
        token_pattern=r"(?u)\b\w+\b",
    )
    char = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True, lowercase=True
    )
    return word, char


def _targets(examples: list[Example]) -> dict[str, np.ndarray]:
    out = {code: np.array([code in e.labels for e in examples], dtype=int) for code in REASON_CODES}
    out[ANY] = np.array([bool(e.labels) for e in examples], dtype=int)
    out[URGENT] = np.array([bool(e.labels & set(URGENT_CODES)) for e in examples], dtype=int)
    return out


def fit(examples: list[Example]) -> ConcernModel:
    from sklearn.linear_model import LogisticRegression

    texts = [e.text for e in examples]
    word, char = _vectorizers()
    word.fit(texts)
    char.fit(texts)
    model = ConcernModel(word, char, {}, {})
    x = model._features(texts)
    for name, y in _targets(examples).items():
        if y.sum() == 0:
            raise ValueError(f"the corpus has no example of {name}")
        head = LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000, random_state=SEED)
        model.heads[name] = head.fit(x, y)
    return model


def threshold_for_recall(scores: np.ndarray, y: np.ndarray, recall: float) -> float:
    positives = np.sort(scores[y == 1])
    if not len(positives):
        return 0.5
    # the highest threshold that keeps at least `recall` of the positives above it
    index = int(np.floor((1.0 - recall) * len(positives)))
    return float(positives[index])


def out_of_fold_scores(examples: list[Example], folds: int = FOLDS) -> dict[str, np.ndarray]:
    from sklearn.model_selection import StratifiedKFold

    y_any = _targets(examples)[ANY]
    oof = {name: np.zeros(len(examples)) for name in OUTPUTS}
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=SEED).split(examples, y_any):
        model = fit([examples[i] for i in train])
        for row, score in zip(test, model.scores([examples[i].text for i in test]), strict=True):
            for name in OUTPUTS:
                oof[name][row] = score[name]
    return oof


def choose_thresholds(examples: list[Example], oof: dict[str, np.ndarray]) -> dict[str, float]:
    """Per output, the highest threshold that keeps its recall target out of fold."""
    targets = _targets(examples)
    thresholds = {
        name: threshold_for_recall(oof[name], targets[name], RECALL_TARGET.get(name, LABEL_RECALL_TARGET))
        for name in OUTPUTS
    }
    thresholds[CLEAR] = threshold_for_recall(oof[ANY], targets[ANY], CLEAR_RECALL)
    return thresholds


def out_of_fold_report(
    examples: list[Example], oof: dict[str, np.ndarray], thresholds: dict[str, float]
) -> dict:
    """How the thresholds in use do on examples each scored by a model that never saw them."""
    targets = _targets(examples)
    rows = [{n: oof[n][i] for n in OUTPUTS} for i in range(len(examples))]
    flagged = np.array([bool(decide(row, thresholds)) for row in rows])
    clear = np.array([is_clear(row, thresholds) for row in rows])
    concern, urgent = targets[ANY] == 1, targets[URGENT] == 1
    return {
        "examples": len(examples),
        "with_concern": int(concern.sum()),
        "out_of_fold_recall": round(float(flagged[concern].mean()), 3),
        "out_of_fold_false_alarms": round(float(flagged[~concern].mean()), 3),
        "out_of_fold_urgent_recall": round(float(flagged[urgent].mean()), 3),
        "out_of_fold_clear_of_concerns": round(float(clear[concern].mean()), 3),
        "out_of_fold_clear_of_ordinary": round(float(clear[~concern].mean()), 3),
        "thresholds": {k: round(v, 4) for k, v in thresholds.items()},
    }


def is_other_language(example: Example) -> bool:
    return example.source.split(":")[0] in OTHER_LANGUAGE_FILES


def train(examples: list[Example]) -> ConcernModel:
    """A model with its thresholds chosen out of fold and its out-of-fold report."""
    oof = out_of_fold_scores(examples)
    thresholds = choose_thresholds(examples, oof) | DECISION_THRESHOLDS
    model = fit(examples)
    model.thresholds, model.report = thresholds, out_of_fold_report(examples, oof, thresholds)
    return model


def build(path: Path = DEFAULT_PATH, directory: Path = CORPUS_DIR) -> ConcernModel:
    import joblib

    examples = load_corpus(directory)
    english = [e for e in examples if not is_other_language(e)]
    others = [e for e in examples if is_other_language(e)]
    model = train(english)
    if others:
        model.other_languages = train(others + english[::ENGLISH_SHARE_FOR_OTHER_LANGUAGES])
        model.report["other_languages"] = model.other_languages.report
    path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, path)
    return model


@lru_cache(maxsize=1)
def concern_model(path: str = str(DEFAULT_PATH)) -> ConcernModel:
    import joblib

    if not Path(path).exists():
        raise RuntimeError(f"no concern model at {path}: `make setup` trains it")
    return joblib.load(path)


def main(argv: list[str]) -> int:
    # through the package, so the pickled classes are named safeguarding.concern_model.*, not __main__.*
    from safeguarding import concern_model as module

    target = Path(argv[0]) if argv else DEFAULT_PATH
    model = module.build(target)
    print(json.dumps(model.report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
