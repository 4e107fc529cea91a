"""The classes of wording the safeguarding screen must read (rules and concern model together),
each in our own words, never copied from a test set: what must reach a person, and what must
not. A conversation is a list of the person's messages; the screen adds them up as the
dialogue policy does."""

import pytest

from safeguarding import screen_conversation

URGENT = {"self_harm_risk", "immediate_danger"}


def reasons(*messages: str) -> set[str]:
    return screen_conversation(list(messages))


# 1. Self-harm and suicide said without the usual words: caught every time.
@pytest.mark.parametrize(
    "messages",
    [
        ["everyone would be better off without me around after those pics got out"],
        ["i've given away my stuff to my friends and said goodbye to my dog"],
        ["i'm on the roof of the car park near school and i keep looking down"],
        ["i keep cutting my arms since he posted it", "nobody knows"],
        ["it's not worth it anymore, i've saved up a load of my mum's pills"],
        ["he shared my video. I just want to disappear for good"],
    ],
)
def test_self_harm_said_indirectly_reaches_a_person(messages):
    assert reasons(*messages) & URGENT


# 1b. Danger now, in everyday words.
@pytest.mark.parametrize(
    "messages",
    [
        ["the man from the app is waiting at the end of my road right now"],
        ["he's banging on my bedroom door and my parents are out"],
        ["she said she'll be at mine in 10 minutes and she's got my address"],
    ],
)
def test_danger_now_reaches_a_person(messages):
    assert reasons(*messages) & (URGENT | {"violence_or_threat"})


# 2. An age attached to the person it describes, in any order.
@pytest.mark.parametrize(
    "messages",
    [
        ["me and my 23yo bf swap pics, i'm 15"],
        ["bf (19) keeps asking for nudes, im in year 10"],
        ["my best mate's brother who is 20 wants me to send him pics and i'm 14"],
        ["a 26 year old guy from my Saturday job keeps messaging me for photos. I'm 16"],
        ["my football coach asked me to send him a photo with no top on"],
        ["my mum's new boyfriend asked me to send him a picture of me in my underwear"],
    ],
)
def test_an_adult_named_by_age_or_role_is_an_adult_involved(messages):
    assert "adult_involved" in reasons(*messages) or "grooming" in reasons(*messages)


def test_the_writer_who_is_the_adult_is_escalated():
    assert "adult_involved" in reasons("im 21 and i've been getting pics from a girl who's 15")


def test_a_parents_child_age_is_not_read_as_the_adult_s():
    found = reasons("my daughter is 14 and her 24 year old boyfriend has been asking for photos")
    assert "adult_involved" in found


# 3. School years and settings on both sides.
@pytest.mark.parametrize(
    "messages",
    [
        ["im in year 7 and a boy in year 11 wants me to send him pics"],
        ["a lad from sixth form keeps asking me for nudes and i'm only in year 8"],
    ],
)
def test_a_large_gap_between_school_years_is_seen(messages):
    assert reasons(*messages) & {"significant_age_gap", "under_13", "adult_involved", "grooming"}


# 4. Adult pretexts and grooming without the usual words.
@pytest.mark.parametrize(
    "messages",
    [
        [
            "a modelling agency messaged me saying I could be famous if I send some test shots in swimwear. im 14"
        ],
        ["this guy online says im more mature than girls my age and he'll buy me airpods if i send a pic"],
        ["he said he'll give me a lift home whenever i want as long as i send him something nice first"],
    ],
)
def test_grooming_without_the_usual_words_is_seen(messages):
    assert reasons(*messages) & {"grooming", "adult_involved", "exploitation_or_profit"}


# 5. Wide or malicious sharing, said plainly.
@pytest.mark.parametrize(
    "messages",
    [
        ["my pic is going round the whole school now"],
        ["they've made a snapchat group just to send my nudes round"],
        ["My son's photo has been passed round his year group and now it's on some website"],
    ],
)
def test_wide_sharing_is_seen(messages):
    assert "malicious_or_wide_sharing" in reasons(*messages)


# 6. Coercion without money.
@pytest.mark.parametrize(
    "messages",
    [
        ["she says if i don't do her homework for a month she'll send my nudes to my dad"],
        ["he's got my pics and says i have to keep quiet about what he did or everyone sees them"],
    ],
)
def test_coercion_without_money_is_seen(messages):
    assert "coercion_or_blackmail" in reasons(*messages)


# 7. A request for a person, in any words.
@pytest.mark.parametrize(
    "messages",
    [
        ["can i talk to a real person please"],
        ["is anyone actually there? i need to speak to someone not a bot"],
    ],
)
def test_asking_for_a_person_is_seen(messages):
    assert "user_request" in reasons(*messages)


# 8. Late disclosure: a harmless start, the disclosure on a later turn.
def test_a_disclosure_on_a_later_turn_is_seen():
    found = reasons(
        "hi",
        "what happens if the police find out about a nude",
        "ok",
        "the thing is hes 31 and he said he would post mine if i stop sending",
    )
    assert found & {"coercion_or_blackmail", "adult_involved"}


# 9. What must not reach a person: figures of speech, people with no part in any image, a
# past incident that is over, plain questions.
@pytest.mark.parametrize(
    "messages",
    [
        ["my dad is going to go mental, i sent a pic to my gf. we're both 16"],
        ["i'm literally dying of embarrassment, my boyfriend saw my old selfie lol"],
        ["my science teacher did a lesson on nudes today. is it actually illegal to send them?"],
        ["my grandad who's 70 told me the police arrest people for sexting, is that true"],
        ["how do i get a pic taken down from snapchat"],
        ["what does outcome 21 mean"],
    ],
)
def test_ordinary_messages_do_not_reach_a_person(messages):
    assert reasons(*messages) == set()
