"""Messages in other languages: which messages look English, and that a disclosure in Welsh or
another language is read by the model trained on other languages. Every sentence here is our
own, written for these tests (the Welsh checked against a dictionary, not taken from the corpus)."""

import pytest

from safeguarding.concern_model import concern_model
from safeguarding.language import looks_english, may_be_other_language


@pytest.mark.parametrize(
    "text",
    [
        "wat do i do if sum1 has my pics",
        "my son is 14 and a man online asked him for photos",
        "hi",
        "Diolch",  # too short to tell: read as English, answered as any short message
    ],
)
def test_english_and_short_messages_look_english(text):
    assert looks_english(text)


@pytest.mark.parametrize(
    "text",
    [
        "Mae bachgen o'r ysgol wedi rhannu fy lluniau gyda pawb",
        "Prosze pomoz mi, ktos ma moje zdjecia i chce pieniedzy",
        "Ajutor, cineva are pozele mele si vrea bani",
    ],
)
def test_messages_in_other_languages_are_read_as_maybe_another_language(text):
    assert may_be_other_language(text)


@pytest.mark.parametrize(
    "text",
    [
        "Mae bachgen o'r ysgol wedi rhannu fy lluniau gyda pawb",
        "Prosze pomoz mi, ktos ma moje zdjecia i chce pieniedzy",
    ],
)
def test_messages_with_no_english_words_are_answered_as_not_english(text):
    assert not looks_english(text)


@pytest.mark.parametrize(
    "text",
    [
        "my son is 14 and a man online asked him for photos",
        "can the police take my phone if they find out about the photo",
    ],
)
def test_english_sentences_are_not_read_as_another_language(text):
    assert not may_be_other_language(text)


def test_english_read_as_maybe_another_language_keeps_the_english_reading():
    # few English words of two letters or more: read by both models, and either can escalate
    text = "i need a real person i dont trust bots"
    assert may_be_other_language(text)
    concerns, _, _ = concern_model().read(text)
    assert "user_request" in concerns


def test_the_screen_has_a_model_for_other_languages():
    model = concern_model()
    assert model.other_languages is not None
    assert model.other_languages.thresholds and model.report.get("other_languages")


@pytest.mark.parametrize(
    "text",
    [
        # "A man online says he will send my pictures to everyone unless I pay him tonight"
        "Mae dyn ar-lein yn dweud y bydd e'n anfon fy lluniau at bawb os na fydda i'n talu heno",
        # "I don't want to live any more, everyone has seen the picture"
        "Dw i ddim eisiau byw rhagor, mae pawb wedi gweld y llun",
        # Polish: "a man from the internet wants more photos and says he'll show them to my parents"
        "facet z internetu chce wiecej zdjec i mowi ze pokaze je moim rodzicom",
    ],
)
def test_a_disclosure_in_another_language_is_read_as_a_concern(text):
    concerns, clear, _ = concern_model().read(text)
    assert concerns and not clear


@pytest.mark.parametrize(
    "text",
    [
        # "Good morning, can you tell me what the law says about pictures between teenagers?"
        "Bore da, allwch chi ddweud wrtha i beth mae'r gyfraith yn ei ddweud am luniau rhwng pobl ifanc?",
    ],
)
def test_an_ordinary_question_in_another_language_is_not_a_concern(text):
    concerns, _, _ = concern_model().read(text)
    assert not concerns
