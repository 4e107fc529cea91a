"""The safeguarding rules on single messages and across turns (no Rasa needed). The rules are
tested alone here; tests/unit/test_screen_classes.py tests them with the concern model."""

import pytest

from safeguarding import Turn, assess
from safeguarding.facts import extract
from safeguarding.nlp import pipeline


def screen(text: str):
    """The rules' reading of one message, without the concern model."""
    return extract(pipeline()(text.lower()))


def reasons(*messages: str) -> set[str]:
    return assess([Turn(screen(m)) for m in messages])


@pytest.mark.parametrize(
    "text,expected",
    [
        ("im 12", [12]),
        ("i'm only 12", [12]),
        ("I am twelve", [12]),
        ("im in year 7", [11]),
        ("me 13", [13]),
        ("14 btw", [14]),
        ("i was 12 when i sent it", [12]),
    ],
)
def test_the_writers_age_is_read_however_it_is_written(text, expected):
    assert screen(text).self_ages == expected


@pytest.mark.parametrize(
    "text,age",
    [
        ("he's 30", 30),
        ("hes like 25", 25),
        ("a 25 year old man", 25),
        ("a man in his thirties", 30),
        ("she's in year 9", 13),
        ("my bf is 19", 19),
    ],
)
def test_other_peoples_ages(text, age):
    assert age in screen(text).other_ages


def test_a_parents_child_is_the_child_not_another_person():
    facts = screen("My 15 year old has been sending pictures to a man in his thirties")
    assert facts.child_ages == [15] and 30 in facts.other_ages and facts.audience == "parent"


def test_ages_given_in_different_turns_add_up_to_an_adult_involved():
    assert "adult_involved" in reasons("im 14", "i sent him a pic", "hes 30")
    assert "adult_involved" not in reasons("im 14", "i sent him a pic", "hes 15")


def test_school_years_in_different_turns_make_an_age_gap():
    assert "significant_age_gap" in reasons("she's in year 9", "he's in year 13")
    assert "significant_age_gap" not in reasons("she's in year 10", "he's in year 11")


def test_under_13():
    assert "under_13" in reasons("hello", "i sent a pic to someone", "im 12")
    assert "under_13" not in reasons("im 13 and sent a pic")


@pytest.mark.parametrize("role", ["a man", "my teacher", "my step dad", "my mums boyfriend", "my coach"])
def test_adult_roles(role):
    assert "adult_involved" in reasons(f"{role} keeps asking me for pics")


@pytest.mark.parametrize(
    "text",
    [
        "I'm a teacher and a pupil told me she sent a nude",
        "i told my teacher about the pic",
        "he wants to be a teacher when he's older",
    ],
)
def test_roles_that_are_not_the_other_person(text):
    assert "adult_involved" not in reasons(text)


def test_negations_are_respected():
    assert "adult_involved" not in reasons("he's not an adult he's in my year")
    assert "coercion_or_blackmail" not in reasons("no one threatened me i just want advice")
    assert "immediate_danger" not in reasons("im not in danger i just want to know what to do")


@pytest.mark.parametrize(
    "text,code",
    [
        ("he says he'll post my pics unless i send another", "coercion_or_blackmail"),
        ("a girl i met online wants £300 or she'll send my video to my friends", "exploitation_or_profit"),
        ("my nudes got leaked and i don't want to be alive anymore", "self_harm_risk"),
        ("he knows where i live and says he is coming round tonight to hurt me", "immediate_danger"),
        ("he knows where i live and says he is coming round tonight to hurt me", "violence_or_threat"),
        ("someone put my pics on a website for everyone to see", "malicious_or_wide_sharing"),
        ("he's done this to other girls too, he keeps sharing them", "repeat_behaviour"),
        ("she has special educational needs and was sending videos", "capacity_to_consent"),
        ("the video shows her tied up", "atypical_or_violent_imagery"),
        ("the boy who sent the photo is in care and on a child protection plan", "child_protection_known"),
        ("he told me to keep it our secret and buys me stuff", "grooming"),
        ("can i talk to a real person please", "user_request"),
        ("I'm being forced to have sex and I'm only 12", "under_13"),
    ],
)
def test_each_reason_code_has_a_rule(text, code):
    assert code in reasons(text)


def test_a_threat_split_over_turns_still_counts():
    assert {"coercion_or_blackmail", "exploitation_or_profit"} <= reasons(
        "someone has my pics and says they will share them unless i pay", "they want gift cards"
    )
    assert "malicious_or_wide_sharing" in reasons("someone made a fake account", "its posting my pics")


@pytest.mark.parametrize(
    "text",
    [
        "what happens if an adult asks for pics?",
        "what is sextortion",
        "is it illegal if me and my gf are both 16 and swap pics",
        "my mum is going to kill me if she finds out",
        "are you a real person",
        "me and my bf are both 15 and we sent each other pics",
    ],
)
def test_questions_and_ordinary_situations_do_not_escalate(text):
    assert reasons(text) == set()


def test_a_question_that_turns_out_to_be_real_escalates():
    assert "coercion_or_blackmail" in reasons(
        "what should you do if someone threatens to share your nudes unless you pay",
        "its actually happening to me",
    )


@pytest.mark.parametrize(
    "text,code",
    [
        ("he says his life is over and he doesn't want to be here anymore", "self_harm_risk"),
        ("she's told me she's written a note", "self_harm_risk"),
        ("my son has paid them twice already and now they want £300", "coercion_or_blackmail"),
        ("theres an exposing account for our school and my pic is on it", "malicious_or_wide_sharing"),
        ("pay up or its on insta tonight", "coercion_or_blackmail"),
        ("i live with carers, the council put me here, and i sent a pic to a boy", "child_protection_known"),
    ],
)
def test_disclosures_without_the_obvious_words(text, code):
    assert code in reasons(text)


@pytest.mark.parametrize(
    "text",
    [
        "My 11 year old wants Snapchat. Before she gets it, what should I tell her about pictures?",
        "not being blackmailed or anything, just want to know how sextortion works",
        "my mate said hes gonna kill me if i dont send him the homework 😂",
        "When I was 15 I got Outcome 21 for a photo, I'm applying for nursing at uni now",
        "pics of me from when i was 13 that i never sent, im 16 now",
        "Can a member of staff confiscate a phone?",
    ],
)
def test_preventive_general_and_everyday_messages_stay_calm(text):
    assert reasons(text) == set()


def test_the_pipeline_build_refuses_a_label_the_facts_read_but_no_pattern_defines():
    from safeguarding.nlp import check_labels, labels_used_by_facts, ruler_patterns

    patterns = ruler_patterns()
    check_labels(patterns)  # as built
    assert {"SELF_HARM", "AGE_PERSON", "WIDE_STRONG"} <= labels_used_by_facts()
    without = [p for p in patterns if p["label"] != "SELF_HARM"]
    with pytest.raises(ValueError, match="SELF_HARM"):
        check_labels(without)
