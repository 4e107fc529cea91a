"""Time and setting: an incident that is over and was dealt with, ages the writer will be, a
birthday that made someone an adult, the writer's own job and workplace, someone being with the
writer now, rumours checked, and parents setting up an app. Every sentence here is our own,
written for these tests."""

import pytest

from safeguarding.assessment import assess, over
from tests.unit.rules_reading import facts
from tests.unit.rules_reading import rules_turns as turns_of


# An incident that is over and was dealt with is answered, not escalated...
@pytest.mark.parametrize(
    "messages",
    [
        (
            "two years ago a man online got me to send a pic and then wanted money",
            "my mum and me went to the police, he was arrested and it all stopped",
            "can i ask how long the police keep things on file",
        ),
        (
            "a boy in year 11 posted a pic of my daughter on a group chat in the autumn",
            "the school dealt with it, he was excluded and the chat was deleted",
        ),
    ],
)
def test_an_incident_dealt_with_and_over_is_not_escalated(messages):
    turns = turns_of(*messages)
    assert over(turns)
    assert not assess(turns)


# ...unless something is still going on or started again...
@pytest.mark.parametrize(
    "messages",
    [
        (
            "a man online got me to send a pic and then wanted money, we reported it and it stopped",
            "but last night a new account messaged me saying he still has it",
        ),
        (
            "the girl who shared my son's photo got excluded in march",
            "now there's another page with it on and people are tagging him again",
        ),
    ],
)
def test_an_incident_dealt_with_that_is_going_on_again_is_escalated(messages):
    turns = turns_of(*messages)
    assert not over(turns)
    assert assess(turns)


# ...and self-harm, danger and asking for a person escalate whatever is over.
def test_self_harm_after_an_incident_that_is_over_is_escalated():
    turns = turns_of(
        "the police dealt with the man who had my pics, he got charged",
        "but i cant cope with any of it and i want to hurt myself",
    )
    assert over(turns)
    assert "self_harm_risk" in assess(turns)


# An age the writer will be is not the writer's age; an age they were still is.
def test_an_age_the_writer_will_be_is_not_their_age():
    assert 18 not in facts("once i'm 18 could i get in trouble for asking him for one").self_ages
    assert 18 not in facts("when im 18 will the rules be different").self_ages


def test_an_age_the_writer_was_is_kept():
    assert 15 in facts("when i was 15 i sent a photo to my ex").self_ages


def test_never_having_sent_anything_is_not_having_acted():
    assert not facts("we've never sent each other anything like that").writer_acted
    assert facts("we've sent each other a few pics").writer_acted


# A birthday that made someone an adult: the age is theirs.
@pytest.mark.parametrize(
    "text, age",
    [
        ("my daughter's boyfriend turned 18 last month and she sent him a photo", 18),
        ("he just turned 20 and he keeps asking me for pics", 20),
    ],
)
def test_an_age_someone_turned_is_theirs(text, age):
    assert age in facts(text).other_ages


def test_a_daughter_of_15_and_a_boyfriend_who_turned_18_is_an_adult_involved():
    turns = turns_of("my daughter is 15 and her boyfriend turned 18 in the summer, she sent him a photo")
    assert "adult_involved" in assess(turns)


# The writer's own job and workplace are not someone involved or a doubt about consent.
@pytest.mark.parametrize(
    "text",
    [
        "Year 6 teacher. A girl in my class says an older pupil sent a picture round",
        "Primary school teacher here, a parent has asked me about a photo",
    ],
)
def test_a_role_opening_the_message_is_the_writers(text):
    assert not facts(text).adult_other


def test_where_the_writer_works_is_not_a_doubt_about_capacity():
    assert "capacity_to_consent" not in facts("i'm a TA at a special school in leeds").concerns
    assert "capacity_to_consent" not in facts("i work in a special school and need a policy").concerns


def test_a_pupil_at_a_special_school_still_raises_capacity():
    text = "my son is at a special school and a lad there made him send a pic"
    assert "capacity_to_consent" in facts(text).concerns


# Someone being with the writer now, said of a person; "weird with me now" is not danger.
def test_someone_with_the_writer_now_is_danger():
    assert "immediate_danger" in facts("he's with me now and he won't give my phone back").concerns


@pytest.mark.parametrize(
    "text",
    [
        "she's being really off with me now, is she allowed to tell my mum",
        "i left my phone at his house and he saw a message",
    ],
)
def test_words_about_now_and_a_house_are_not_danger(text):
    assert "immediate_danger" not in facts(text).concerns


def test_being_at_his_house_now_is_danger():
    assert "immediate_danger" in facts("im at his house and he's saying i can't go").concerns


# A rumour checked or an app set up ahead: a general question, not a disclosure.
def test_checking_a_rumour_is_a_general_question():
    text = "people at the school gate say a man is blackmailing kids with photos, is that a real thing"
    assert facts(text).hypothetical


def test_setting_up_an_app_for_a_young_child_is_asking_ahead():
    read = facts("my son is 11 and he want instagram, what do i need to set up so nobody sends him pics")
    assert not read.child_ages and not read.concerns


def test_filming_is_an_image():
    assert facts("two children were found filming each other in the toilets").mentions_image
