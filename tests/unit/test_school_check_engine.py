"""The threshold check's engine: answers in any order and in free text, changes, the decision."""

import json

import pytest

from advice.forces import current_force
from safeguarding import screen
from school_check import engine
from school_check.decision_record import refer_to
from school_check.engine import (
    CAUTIOUS,
    MANAGE_IN_SCHOOL,
    REFER_NOW,
    REVIEW,
    CheckState,
    Utterance,
    apply,
    complete,
    decide,
    next_question,
    resolved,
)
from school_check.reading import Answer
from school_check.wording import QUESTION_THRESHOLDS, wording

THRESHOLDS = [q for q, t in QUESTION_THRESHOLDS.items() if t is not None]


def all_no(**overrides) -> CheckState:
    """Every question answered "no" (ages 14 and 15), with some answers replaced."""
    answers = {q: Answer("no") for q in QUESTION_THRESHOLDS}
    answers.update(ages=Answer([14, 15]), sharing=Answer("none"), device_secured=Answer("yes"))
    answers.update({q: Answer(v) for q, v in overrides.items()})
    return CheckState(answers)


def typed(state: CheckState, text: str, intent: str | None = None) -> engine.Step:
    return apply(state, Utterance(text, intent, screen(text)))


def pressed(state: CheckState, option: str) -> engine.Step:
    return apply(state, Utterance("/check_choice", "check_choice", option=option))


def test_no_threshold_means_manage_in_school():
    decision = decide(all_no())
    assert decision == engine.Decision(MANAGE_IN_SCHOOL, (), ())
    assert complete(all_no())


@pytest.mark.parametrize("question", THRESHOLDS)
def test_every_threshold_alone_means_refer_now_to_the_right_agency(question):
    state = all_no(**{question: "yes"})
    if question == "under_13_sexual_acts":
        state.answers["ages"] = Answer([12, 14])
    decision = decide(state)
    assert decision.outcome == REFER_NOW and decision.met == (question,)
    [agency] = refer_to(decision, wording(), current_force())
    expected = {
        "adult": "the police, urgently",
        "under_13_sexual_acts": "the police: imagery of sexual activity",
    }
    assert agency.startswith(expected.get(question, "the police and/or children's social care"))


def test_dont_know_is_the_cautious_path_and_names_what_is_unknown():
    decision = decide(all_no(coercion="unknown", capacity="unknown"))
    assert decision.outcome == CAUTIOUS and decision.unknown == ("coercion", "capacity")
    assert refer_to(decision, wording(), current_force()) == [
        "the police and/or children's social care, through your MASH or local equivalent"
    ]


def test_a_yes_outweighs_a_dont_know():
    assert decide(all_no(adult="yes", coercion="unknown")).outcome == REFER_NOW


def test_questions_come_in_order_and_the_first_is_immediate_risk():
    assert next_question(CheckState()).id == "immediate_risk"
    state = CheckState({"immediate_risk": Answer("no")})
    assert next_question(state).id == "adult"


def test_free_text_answers_fill_the_right_questions_in_any_order():
    state = CheckState(asked="immediate_risk")
    step = typed(state, "she has SEN and the other person is 19")
    answers = resolved(step.state)
    assert answers["capacity"].value == "yes" and answers["adult"].value == "yes"
    assert "immediate_risk" not in answers  # the question asked is still open
    assert next_question(step.state).id == "immediate_risk"
    assert step.first_referral


def test_a_school_year_is_an_age_noted_in_passing_and_the_ages_are_still_asked():
    step = typed(CheckState(asked="adult"), "no, she's in year 7")
    assert step.state.answers["adult"].value == "no"
    assert step.state.answers["ages"] == Answer([11], "words", partial=True)
    assert "ages" not in resolved(step.state)
    step = typed(replace_asked(step.state, "ages"), "14")
    assert step.state.answers["ages"] == Answer([11, 14], "words")


def replace_asked(state: CheckState, asked: str) -> CheckState:
    return CheckState(dict(state.answers), set(state.factors), asked)


@pytest.mark.parametrize(
    "text, ages",
    [
        ("14 and 15", [14, 15]),
        ("both year 9", [13]),
        ("Year 8 and year 10", [12, 14]),
        ("fourteen and sixteen", [14, 16]),
        ("she's 13, he's 15", [13, 15]),
    ],
)
def test_the_ages_question_reads_numbers_words_and_school_years(text, ages):
    assert typed(CheckState(asked="ages"), text).state.answers["ages"].value == ages


@pytest.mark.parametrize(
    "text, ages",
    [
        ("two Year 10 pupils, both 15", [15]),
        ("year 10, 14 and 15", [14, 15]),
        ("a year 7 and a 16 year old", [11, 16]),
    ],
)
def test_a_stated_age_wins_over_one_inferred_from_a_school_year(text, ages):
    assert typed(CheckState(asked="ages"), text).state.answers["ages"].value == ages


def test_a_stated_age_wins_over_a_year_in_passing_too():
    step = typed(CheckState(asked="adult"), "no, two Year 10 pupils, both 15")
    assert step.state.answers["ages"].value == [15]


@pytest.mark.parametrize("text, intent", [("no", "deny"), ("yes", "affirm"), ("nope", None), ("ok", None)])
def test_a_reply_that_does_not_say_how_widely_is_asked_again_never_read_as_an_option(text, intent):
    step = typed(CheckState(asked="sharing"), text, intent=intent)
    assert not step.understood and "sharing" not in step.state.answers  # so it is asked again


def test_ages_settle_the_under_13_question_only_when_nobody_is_under_13():
    assert resolved(typed(CheckState(asked="ages"), "14 and 15").state)["under_13_sexual_acts"] == Answer(
        "no", "ages"
    )
    under = typed(CheckState(asked="ages"), "12 and 14").state
    assert "under_13_sexual_acts" not in resolved(under)
    unknown = typed(CheckState(asked="ages"), "don't know").state
    assert unknown.answers["ages"].value == "unknown" and "under_13_sexual_acts" not in resolved(unknown)


def test_an_age_of_18_or_over_means_an_adult_and_cannot_be_answered_away():
    state = typed(CheckState(asked="ages"), "16 and 18").state
    assert resolved(state)["adult"] == Answer("yes", "ages")
    step = typed(state, "change the adult answer to no")
    assert step.adult_kept_by_ages and resolved(step.state)["adult"].value == "yes"
    step = typed(step.state, "change the ages to 16 and 17")
    assert step.state.answers["ages"].value == [16, 17]
    assert resolved(step.state)["adult"].value == "no"


def test_a_change_of_answer_changes_the_result():
    state = all_no()
    assert decide(state).outcome == MANAGE_IN_SCHOOL
    step = typed(state, "change the coercion answer to yes")
    assert [(c.question, c.old.value, c.new.value) for c in step.changes] == [("coercion", "no", "yes")]
    assert decide(step.state).outcome == REFER_NOW
    step = typed(step.state, "actually, sorry, change the coercion answer to don't know")
    assert decide(step.state).outcome == CAUTIOUS
    assert decide(typed(step.state, "actually he is 19").state).met == ("adult",)


def test_an_earlier_questions_button_answers_that_question_not_the_current_one():
    step = pressed(CheckState({"adult": Answer("no")}, asked="capacity"), "answer:adult:yes")
    assert step.state.answers["adult"] == Answer("yes") and "capacity" not in step.state.answers


def test_naming_a_question_without_a_value_asks_it_again():
    step = typed(all_no(), "I need to change the viewed answer")
    assert step.reopened == "viewed" and next_question(step.state).id == "viewed"


def test_change_an_answer_asks_which_then_asks_that_question_again():
    step = pressed(all_no(), "review")
    assert step.state.reviewing and next_question(step.state) == REVIEW and not complete(step.state)
    step = pressed(step.state, "change:capacity")
    assert next_question(step.state).id == "capacity"
    step = pressed(step.state, "answer:capacity:yes")
    assert complete(step.state) and decide(step.state).met == ("capacity",)


def test_the_result_can_come_early_once_a_referral_is_certain_never_before():
    state = pressed(CheckState(asked="immediate_risk"), "finish").state
    assert not complete(state)  # nothing decided yet: keep asking
    state = pressed(CheckState(asked="immediate_risk"), "answer:immediate_risk:yes").state
    assert not complete(state)
    state = pressed(state, "finish").state
    assert complete(state) and decide(state).outcome == REFER_NOW


@pytest.mark.parametrize(
    "asked, text, question, value",
    [
        ("immediate_risk", "no", "immediate_risk", "no"),
        ("coercion", "not sure", "coercion", "unknown"),
        ("coercion", "I don't think so", "coercion", "no"),
        ("capacity", "not that I know of", "capacity", "no"),
        ("device_secured", "nobody has seen it", "viewed", "no"),
        ("viewed", "a teacher saw it", "viewed", "yes"),
        ("sharing", "it was shared in a group chat", "sharing", "wide"),
        ("sharing", "just a couple of her friends", "sharing", "few"),
        ("sharing", "it hasn't been shared", "sharing", "none"),
        ("adult", "she's self harming", "immediate_risk", "yes"),
        ("adult", "he was blackmailed", "coercion", "yes"),
        ("adult", "no adult is involved", "adult", "no"),
    ],
)
def test_typed_answers(asked, text, question, value):
    assert typed(CheckState(asked=asked), text).state.answers[question].value == value


def test_the_yes_no_intents_answer_the_question_asked():
    step = typed(CheckState(asked="unusual_acts"), "there's nothing like that in it", intent="deny")
    assert step.state.answers["unusual_acts"].value == "no"


def test_staff_who_saw_the_imagery_are_not_an_adult_involved():
    step = typed(CheckState(asked="viewed"), "a teacher saw it")
    assert "adult" not in step.state.answers


@pytest.mark.parametrize("text", ["is that an adult?", "yes let's run the check", "hello"])
def test_questions_and_chat_answer_nothing(text):
    step = typed(CheckState(), text)
    assert not step.understood and step.state.answers == {}


def test_a_yes_from_the_screen_is_not_undone_by_a_no_in_the_same_message():
    step = typed(CheckState(asked="immediate_risk"), "no, she's self harming")
    assert step.state.answers["immediate_risk"].value == "yes"


def test_aggravating_factors_are_noted_but_are_not_thresholds():
    state = typed(all_no(), "he has done this before and keeps sharing pics").state
    state = typed(state, "change the ages to 12 and 16").state
    assert decide(state).outcome == MANAGE_IN_SCHOOL
    assert {"repeat_behaviour", "significant_age_gap"} <= set(engine.factors(state))


def test_the_state_round_trips_through_the_slot_as_json():
    state = typed(typed(CheckState(asked="adult"), "no, she's in year 7").state, "actually he is 19").state
    state.reviewing, state.result_now = True, True
    slot = json.loads(json.dumps(state.to_slot()))
    assert CheckState.from_slot(slot) == state
    assert CheckState.from_slot(None) == CheckState()


def test_while_choosing_what_to_change_naming_a_question_asks_it_and_no_means_no_change():
    reviewing = pressed(all_no(), "review").state
    reviewing.asked = REVIEW
    step = typed(reviewing, "the adult one")
    assert step.reopened == "adult" and "adult" not in step.state.answers
    step = typed(reviewing, "no, it's all fine", intent="deny")
    assert not step.state.reviewing and complete(step.state)
