"""The learned personal-data tagger (privacy/tagger.py): its corpus, kept apart from every set it
is measured on, how it joins the rules, and floors on what it finds alone."""

from types import SimpleNamespace

import pytest

from privacy import redact
from privacy.measure import KINDS, SETS_DIR, load, score
from privacy.redaction import find, tagger_in_use
from privacy.tagger import CORPUS_DIR, load_corpus, measured_runs, plausible, tagged_spans, train, word_runs


def test_the_corpus_is_large_and_marked_with_known_kinds():
    examples = load_corpus()
    assert len(examples) >= 2000
    kinds = [label for e in examples for _, _, label in e["spans"]]
    assert min(kinds.count(kind) for kind in KINDS) >= 250, {kind: kinds.count(kind) for kind in KINDS}
    assert sum(not e["spans"] for e in examples) >= 200  # messages with nothing to redact


def test_no_corpus_text_shares_text_with_a_set_it_is_measured_on():
    measured = measured_runs()
    for path in sorted(CORPUS_DIR.glob("*.jsonl")):
        for number, example in enumerate(load(path), 1):
            shared = word_runs(example["text"]) & measured
            assert not shared, f"{path.name}:{number} shares text with a set in tests/privacy"


def test_a_run_of_words_is_how_shared_text_is_found():
    assert word_runs("ok") == set()
    assert word_runs("im 14 and scared") == {"im 14 and scared"}
    long = "one two three four five six seven eight nine ten eleven"
    assert word_runs(long) == {
        "one two three four five six seven eight nine ten",
        "two three four five six seven eight nine ten eleven",
    }


class StandIn:
    """Stands in for a trained tagger with fixed finds: (text found, kind)."""

    def __init__(self, *finds: tuple[str, str]):
        self.finds = finds

    def __call__(self, text: str):
        ents = []
        for found, kind in self.finds:
            start = text.find(found)
            if start >= 0:
                ents.append(SimpleNamespace(start_char=start, end_char=start + len(found), label_=kind))
        return SimpleNamespace(ents=ents)


def kinds_found(text: str, pipeline) -> list[tuple[str, str]]:
    return [(text[f.start : f.end], f.kind) for f in find(text, tagger=True, pipeline=pipeline)]


def test_the_tagger_adds_what_the_rules_missed():
    text = "ring 07700 900123, quilliam picks up"
    assert kinds_found(text, StandIn(("quilliam", "name"))) == [
        ("07700 900123", "phone"),
        ("quilliam", "name"),
    ]
    assert kinds_found(text, StandIn()) == [("07700 900123", "phone")]


def test_where_the_tagger_and_the_rules_overlap_the_rules_keep_their_kind():
    # the tagger reads the number as a name and runs on: the rules' phone takes in what it adds
    text = "text 07700 900123 x9 ok"
    assert kinds_found(text, StandIn(("07700 900123 x9", "handle"))) == [("07700 900123 x9", "phone")]


def test_what_the_tagger_proposes_must_look_like_its_kind():
    assert looks("phone", "ring 07700 900 123", "07700 900 123")
    assert not looks("phone", "Papyrus is 0800 068 4141", "0800 068 4141")  # a helpline
    assert not looks("phone", "call 999", "999")
    assert not looks("name", "I'm Fine now", "Fine")  # an everyday word
    assert not looks("name", "we broke up on 2 Jan", "2 Jan")
    assert not looks("name", "my dad works for Morgan", "Morgan")  # an employer
    assert not looks("name", "a link, bit.ly something", "bit.ly")
    assert looks("name", "ask for Tegwen", "Tegwen")
    assert not looks("handle", "raise TRACKER_CACHE_MAX_EVENTS", "TRACKER_CACHE_MAX_EVENTS")
    assert not looks("handle", "run action_escalate now", "action_escalate")
    assert looks("handle", "his snap is jaymx", "jaymx")
    assert not looks("address", "The Revenge Porn Helpline", "The Revenge Porn Helpline")
    assert looks("address", "we're at Ty Newydd Farm", "Ty Newydd Farm")
    assert not looks(
        "handle", "his snap is dot one and he told me to go on a call", "dot one and he told me to go"
    )


def looks(kind, text, piece):
    start = text.index(piece)
    return plausible(kind, text, start, start + len(piece))


def test_the_tagger_adds_no_place_holiday_or_contact_label():
    assert not looks("name", "we moved from Ebbw Vale in May", "Ebbw Vale")
    assert not looks("name", "his school is in Thornton Heath", "Heath")
    assert not looks("name", "Middlesbrough - dad here", "Middlesbrough")
    assert not looks("name", "we saw them over Christmas", "Christmas")
    assert looks("name", "we saw Ashley over the summer", "Ashley")  # a village, and a first name
    assert not looks("handle", "tel-07700 900 203", "tel")
    # a time, an age or a reference is no phone number; the rest of a number found is
    assert not looks("phone", "ring me after 6pm", "after 6pm")
    assert not looks("phone", "text my sister, shes 19", "shes 19")
    assert not looks("phone", "ref 4471-2209 from the site", "4471-2209")
    assert looks("phone", "ring 07831 440 297 now", "297")
    assert looks("phone", "its oh seven seven double oh nine", "oh seven seven double oh nine")
    assert not looks("address", "or ext 231 at school", "ext 231")
    assert not looks("name", "he only plays FIFA", "FIFA")  # a game, its money
    assert not looks("name", "he offered 800 V-bucks", "V-bucks")
    # an address's number is a house's, not any digit near a street's type
    assert not looks("address", "we're from Kings Green, there's 6 of us", "Kings Green, there's 6")
    assert looks("address", "we're at 6 Kings Green now", "6 Kings Green")


def test_the_tagger_adds_no_school_greeting_or_reference_as_personal_data():
    """Round 11's lessons for what the tagger adds: a school after a school year, greetings and
    "I am" in the families' languages, digits that go on from a number that is no phone's, how a
    username is said."""
    assert not looks("name", "shes in Year 8 at Thornbury Grange", "Thornbury Grange")
    assert not looks("name", "hes in my daughters year at Ashgrove", "Ashgrove")
    assert looks("name", "my friend at school is Tamsin", "Tamsin")
    assert not looks("name", "Buna, I write for my son", "Buna")
    assert not looks("name", "Szia, im 14 and scared", "Szia")
    assert not looks("name", "Kindly call me back", "Kindly")
    assert not looks("phone", "parcel number 318-5566720 came", "5566720")
    assert looks("phone", "my mob 07700 900-457 thanks", "457")
    assert not looks("handle", "her tiktok is spelt like this: rosie b", "spelt like this")


def test_a_piece_beside_a_find_of_its_kind_is_judged_with_it():
    """The tagger reads the text with the rules' finds standing in ("1 High Street")."""
    text = "we're at Flat three, 12 Oak Road now"
    assert kinds_found(text, StandIn(("Flat three, 1 High Street", "address"))) == [
        ("Flat three, 12 Oak Road", "address")
    ]
    # not a street named to say where the address is, nor across a sentence's end
    text = "we're at 9 Elm Close off Mill Road now"
    assert kinds_found(text, StandIn(("1 High Street off Mill Road", "address"))) == [
        ("9 Elm Close", "address")
    ]
    text = "we're at 7 Oak Street. Ring 07700 900123"
    assert kinds_found(text, StandIn(("1 High Street Ring", "address"))) == [
        ("7 Oak Street.", "address"),
        ("07700 900123", "phone"),
    ]
    # a contact line's label is not added to its number
    text = "tel-07700 900123 anytime"
    assert kinds_found(text, StandIn(("tel-07700 900000", "phone"))) == [("07700 900123", "phone")]


def test_the_tagger_is_on_unless_set_off(monkeypatch):
    monkeypatch.delenv("REDACTION_TAGGER", raising=False)
    assert tagger_in_use()
    monkeypatch.setenv("REDACTION_TAGGER", "off")
    assert not tagger_in_use()
    assert redact("im Jo", tagger=False) == ("im [name]", ("name",))


@pytest.mark.parametrize("path", sorted(SETS_DIR.glob("*.jsonl")), ids=lambda p: p.name)
def test_redacting_a_redacted_message_changes_nothing(path):
    """The console redacts what the tracker store kept to know a case's messages by: it must
    find nothing more (privacy/redaction.py, find)."""
    for example in load(path):
        once = redact(example["text"])[0]
        assert redact(once) == (once, ()), once


def test_the_built_tagger_alone_finds_most_of_each_kind_on_sets_it_never_saw():
    """Floors, not targets (the rules and the tagger together are held to the targets): a worse
    corpus or build falls below them. Measured 2026-12-01 on all seven sets, tagger alone: see
    docs/privacy.md (round 7 was read before the corpus's fourth file was written)."""
    examples = [e for path in sorted(SETS_DIR.glob("*.jsonl")) for e in load(path)]
    alone = score(examples, lambda text: [(s, e) for s, e, _ in tagged_spans(text)])
    floors = {"email": 0.9, "handle": 0.75, "phone": 0.9, "postcode": 0.9, "address": 0.8, "name": 0.8}
    recall = {kind: round(alone.recall(kind), 3) for kind in floors}
    assert all(recall[kind] >= floor for kind, floor in floors.items()), recall
    assert alone.ordinary_share <= 0.02


def test_training_is_the_same_every_time():
    examples = load_corpus()[:40]
    first, second = (train(examples, epochs=1, log=lambda _: None) for _ in range(2))
    assert first.get_pipe("ner").to_bytes() == second.get_pipe("ner").to_bytes()
