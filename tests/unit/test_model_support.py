"""The rules' weaker readings need the concern model's support somewhere in the conversation
(safeguarding/assessment.py NEEDS_SUPPORT); self-harm, danger, ages under 13, a request for a
person and an adult writing about a child stand on the rules alone, and so does everything
when the model could not read a message."""

from safeguarding.assessment import NEEDS_SUPPORT, Turn, assess
from safeguarding.concern_model import SUPPORT, supported
from safeguarding.facts import MessageFacts
from safeguarding.reasons import REASON_CODES


def read(concerns=(), support=(), model_read=True, **ages):
    facts = MessageFacts(concerns=set(concerns), model_read=model_read, model_support=set(support))
    for key, value in ages.items():
        setattr(facts, key, list(value))
    return Turn(facts)


def test_a_rule_reading_the_model_does_not_support_is_set_aside():
    assert assess([read({"malicious_or_wide_sharing"})]) == set()
    assert assess([read(), read(other_ages=[19])]) == set()  # "my brother (he's 19)", no image


def test_support_in_any_message_of_the_conversation_keeps_it():
    turns = [read(support={"adult_involved"}), read(self_ages=[14]), read(other_ages=[30])]
    # the gap between 14 and 30 is a rule's reading too, and has no support of its own
    assert "significant_age_gap" in NEEDS_SUPPORT
    assert assess(turns) == {"adult_involved"}


def test_urgent_reasons_ages_under_13_and_an_adult_writer_stand_on_the_rules_alone():
    assert assess([read({"self_harm_risk"})]) == {"self_harm_risk"}
    assert assess([read({"immediate_danger"})]) == {"immediate_danger"}
    twelve = read(self_ages=[12])
    twelve.facts.mentions_image = True  # an image in it: under 13 is a concern, not only a fact
    assert "under_13" in assess([twelve])
    adult = read(self_ages=[20], other_ages=[16])
    adult.facts.writer_acted = True  # "I'm 20 and I sent pics to a 16 year old"
    assert "adult_involved" in assess([adult])


def test_without_the_model_every_rule_reading_stands():
    assert assess([read({"malicious_or_wide_sharing"}, model_read=False)]) == {"malicious_or_wide_sharing"}
    # one message the model could not read is enough: it cannot have said "no support"
    turns = [read(), read({"coercion_or_blackmail"}, model_read=False)]
    assert assess(turns) == {"coercion_or_blackmail"}


def test_support_is_the_reason_and_any_concern_together_against_the_threshold():
    scores = {code: 0.0 for code in REASON_CODES} | {"any_concern": SUPPORT / 2}
    assert supported(scores) == set()
    scores["grooming"] = SUPPORT / 2
    assert supported(scores) == {"grooming"}


def test_facts_keep_what_the_model_read_through_the_tracker():
    facts = MessageFacts(model_read=True, model_support={"grooming", "adult_involved"})
    again = MessageFacts.from_entities(facts.as_entities())
    assert again.model_read and again.model_support == {"grooming", "adult_involved"}
