"""Who did what, plans and time limits: the rules' reading of the people in a message (a
bystander raises nothing, an adult who made or asked for the image always does), honour-based
abuse, a deadline with a threat to share, a plan said quietly, and the general questions that
mention a young child. Every sentence here is our own, written for these tests."""

import pytest

from safeguarding.assessment import assess
from tests.unit.rules_reading import facts, rules_turns


def conversation(*texts: str, model_clear: bool = False) -> set[str]:
    return assess(rules_turns(*texts, model_clear=model_clear))


# People with no part in the image: their ages and roles are not an adult involved.
@pytest.mark.parametrize(
    "text",
    [
        "my cousin (she's 22) found out i sent a pic to my boyfriend and won't stop lecturing me",
        "my step brother is 20 and he saw the notification pop up on my phone",
        "my form tutor confiscated my phone in registration and i'm scared about what's on it",
        "my aunt, who is 31, works as a social worker and explained the law to me",
    ],
)
def test_a_bystander_is_not_an_adult_involved(text):
    read = facts(text)
    assert not read.adult_other
    assert all(age < 18 for age in read.other_ages)


@pytest.mark.parametrize(
    "text",
    [
        "my cousin who is 22 asked me for pics last night",
        "my brother's mate (he's 19) found my snaps and then he posted them",
        "a man in his forties keeps sending me messages asking for photos",
    ],
)
def test_a_person_who_asked_sent_or_shared_is_involved(text):
    read = facts(text)
    assert read.adult_other or any(age >= 18 for age in read.other_ages)


# An adult who made or asked for the image is involved whatever the model says.
@pytest.mark.parametrize(
    "text",
    [
        "the photo of her was taken by her mum's boyfriend",
        "my swimming coach asked me for pics of me in my costume",
        "her stepdad took pictures of her when she was getting changed",
    ],
)
def test_an_adult_who_made_or_asked_for_the_image_stands_even_when_the_model_sees_nothing(text):
    assert "adult_involved" in facts(text).firm
    assert "adult_involved" in conversation(text, model_clear=True)


def test_a_teacher_taking_a_phone_is_not_taking_a_picture():
    assert not facts("my teacher took my phone off me in science").adult_actor


def test_a_role_opening_the_message_is_the_writers_own():
    read = facts("Youth worker here. One of the lads in my group (15) asked me about the law on pics")
    assert not read.adult_other


# Honour-based abuse and forced marriage: violence, whatever the model says.
@pytest.mark.parametrize(
    "text",
    [
        "my dad says i have dishonoured the family and he will deal with me when he gets home",
        "if my uncles see it they will say i brought shame on all of us",
        "my parents say they will send me back home to be married next summer",
    ],
)
def test_honour_based_abuse_is_violence_and_stands_alone(text):
    assert "violence_or_threat" in conversation(text, model_clear=True)


# A deadline in one message and a threat to share in another is a threat to share.
def test_a_deadline_with_a_share_in_another_message_is_coercion():
    assert "coercion_or_blackmail" in conversation(
        "this account has given me until 10 o clock", "if i dont do what they want they will post it"
    )
    # a deadline on its own is homework, not a threat
    assert "coercion_or_blackmail" not in conversation("my teacher gave me till friday for my essay")


# A plan said quietly.
@pytest.mark.parametrize(
    "text",
    [
        "i have already decided what i am doing if anyone sees it",
        "i wish i could disappear forever",
    ],
)
def test_a_plan_said_quietly_is_self_harm(text):
    assert "self_harm_risk" in facts(text).concerns


def test_pictures_that_disappear_are_not_a_person_who_wants_to():
    assert (
        "self_harm_risk" not in facts("do videos on that app disappear forever after you watch them").concerns
    )


# A parent or member of staff giving their own age is not an adult writing about a child.
def test_a_parent_giving_their_age_is_not_the_adult_involved():
    assert "adult_involved" not in conversation(
        "I'm 45 and my son is 15", "he and his girlfriend (15) swapped pictures and both regret it"
    )


def test_an_adult_who_sent_pics_to_a_child_is_still_escalated():
    assert "adult_involved" in conversation("im 21 and i sent pics to someone who is 15")


# Questions asked ahead mention a young child who is not involved.
@pytest.mark.parametrize(
    "text",
    [
        "what age can you get whatsapp? my son is 10 and wants it for his football team",
        "how do i set up parental controls on a tablet for my 8 year old",
        "any good books about online safety for a 9 year old?",
        "im 11 and nobody has asked me for anything, i just want to know what nudes means",
    ],
)
def test_an_under_13_in_a_question_asked_ahead_is_not_a_disclosure(text):
    assert "under_13" not in conversation(text)


def test_an_under_13_who_was_asked_for_a_picture_is_still_escalated():
    assert "under_13" in conversation("im 11 and a boy in year 10 asked me for a picture")


# A person who comes to the school or gave a talk is not a request for a person.
@pytest.mark.parametrize(
    "text",
    [
        "can we get a police officer to come in and talk to our year 9 parents",
        "the community officer gave a talk at school and i need to know more",
    ],
)
def test_a_person_who_comes_or_talks_is_not_asked_for(text):
    assert "user_request" not in facts(text).concerns


def test_asking_for_a_person_is_still_a_request():
    assert "user_request" in facts("please can i talk to a real person").concerns


# Special schools said as a child spells them.
def test_a_special_school_with_a_child_s_spelling_raises_capacity():
    assert "capacity_to_consent" in facts("i am at a speshal school and a boy made me send a pic").concerns


def test_an_age_said_with_since_is_how_long_not_how_old():
    read = facts("i've looked after my niece since she was 4 and she's 15 now")
    assert 4 not in read.other_ages + read.child_ages


def test_a_coach_you_travel_on_is_not_an_adult():
    assert not facts("i fell asleep on the coach home from the match").adult_other
    assert facts("my coach keeps messaging me late at night").adult_other


# Ages under 13 and being in care make an incident serious; with no image in the conversation
# they are not a disclosure.
def test_a_young_child_or_a_child_in_care_with_no_image_is_answered_not_escalated():
    assert "under_13" not in conversation("i'm 10, how does this chat work")
    assert "child_protection_known" not in conversation(
        "i'm in foster care", "can my social worker read this"
    )


def test_an_image_said_not_to_exist_is_not_an_incident():
    assert not facts("no pics or anything, she's just upset about a breakup").mentions_image
    assert facts("he still has the pics on his phone").mentions_image


def test_a_young_child_with_an_image_is_escalated():
    assert "under_13" in conversation("i'm 10", "someone sent me a video of a man with no clothes on")


# An adult writer is the adult involved when they did something with an image.
def test_an_adult_helping_a_young_relative_is_not_the_adult_involved():
    assert "adult_involved" not in conversation(
        "I'm 23 and my little cousin is 14", "how do I talk to her about staying safe"
    )


def test_an_adult_who_was_sent_pictures_by_a_child_is():
    read = facts("i'm 19 and a girl who is 15 keeps sending me pics")
    assert read.writer_acted


# Everyday phrases that hold a cue's words.
def test_made_me_think_is_not_being_made_to():
    assert "coercion_or_blackmail" not in facts("the assembly made me think about what i post").concerns


def test_pretending_is_a_general_question():
    assert facts("pretend i am a kid and a man asked me for a pic, what would you say").hypothetical


# A store of other people's images.
def test_a_folder_of_pupils_pictures_is_wide_sharing_and_selling_it_is_profit():
    assert (
        "malicious_or_wide_sharing"
        in facts("there's a folder of pictures of girls in year 9 going about").concerns
    )
    read = facts("some lads want to sell the folder to people at other schools for a tenner")
    assert "exploitation_or_profit" in read.concerns


# Quiet signs of a plan, learned from blind round 9 (our own sentences).
@pytest.mark.parametrize(
    "text",
    [
        "i've given my ps5 and my trainers to my cousin, he can have them",
        "ive been giving away my books to people at school",
        "none of this will matter after the weekend anyway. it won't matter after sunday",
        "been thinking about ending it since the pics went round",
    ],
)
def test_giving_things_away_and_a_time_after_which_nothing_matters_are_self_harm(text):
    assert "self_harm_risk" in facts(text).concerns


def test_giving_one_thing_to_someone_is_not_a_plan():
    assert "self_harm_risk" not in facts("i gave my old tablet to my sister when i got a new one").concerns


def test_asking_for_someone_to_ring_is_a_request_for_a_person():
    assert "user_request" in facts("could a person call me back tonight please").concerns


def test_secrecy_from_parents_is_grooming():
    assert "grooming" in facts("he told me i am special and my mum and dad must not know").concerns


def test_everyone_having_seen_it_is_wide_sharing():
    assert "malicious_or_wide_sharing" in facts("the whole of year 10 have seen it now").concerns


def test_a_member_of_staff_asking_whether_to_report_a_young_childs_incident_is_an_incident():
    assert "under_13" in conversation("should we report it? she is a year 6 pupil")
