"""Round 11's lessons, by class: a picture that is not a nude, older family whose age says
nothing about who is in an image, people who only walked in or asked what was wrong, and
feelings that are not the incident going on. Every sentence here is our own, written for these
tests."""

import pytest

from safeguarding.assessment import assess
from tests.unit.rules_reading import facts, rules_turns


def conversation(*texts: str) -> set[str]:
    return assess(rules_turns(*texts))


# A picture that is not a nude, passed round, is not wide or malicious sharing...
@pytest.mark.parametrize(
    "text",
    [
        "someone made a meme of our form tutor and it's all over the year group chat",
        "my friend drew a cartoon of me as a potato and posted it to everyone in our chat",
        "a girl took a photo of me asleep on the bus, fully clothed, and put it on her story",
        "it wasn't a nude, just a normal pic of me at the beach, but he sent it round his mates",
    ],
)
def test_a_picture_that_is_not_a_nude_shared_round_is_not_wide_sharing(text):
    read = facts(text)
    assert read.not_sexual
    assert "malicious_or_wide_sharing" not in conversation(text)


def test_a_picture_said_not_to_be_a_nude_undoes_sharing_said_in_another_message():
    assert not conversation(
        "i put a photo up on my story by mistake and took it down after a minute",
        "it was not a nude, just me in my football kit",
        "can i find out who screenshotted it",
    )


# ...but a nude passed round still is, and other concerns in the same words stand.
def test_a_nude_posted_in_the_group_chat_is_still_wide_sharing():
    assert "malicious_or_wide_sharing" in conversation(
        "my ex posted my nudes in the year 10 group chat and everyone has seen them"
    )


def test_a_man_asking_for_normal_photos_is_still_an_adult_involved():
    reasons = conversation(
        "im 12 and a 40 year old man keeps asking me for normal photos of me in my uniform"
    )
    assert {"adult_involved", "under_13"} <= reasons


# Older family: a parent, grandparent or big brother or sister is family, not the other person.
@pytest.mark.parametrize(
    "texts",
    [
        ("im 12 and my big sister is 17", "she was upset about a boy but there were no pictures in it"),
        ("my dad is 52 and says i'm not allowed a phone till year 9", "is that normal"),
        ("my older brother (20) thinks i sent something to my girlfriend but i haven't",),
    ],
)
def test_an_older_family_members_age_alone_raises_nothing(texts):
    reasons = conversation(*texts)
    assert not reasons & {"adult_involved", "significant_age_gap"}


def test_a_big_brother_who_has_the_pictures_is_an_adult_involved():
    assert "adult_involved" in conversation(
        "my big brother is 19 and he has pictures of my best mate who is 14"
    )


def test_an_older_sibling_writing_about_a_younger_one_keeps_the_childs_age():
    text = "I'm 20. My little brother (14) is being told to pay £80 or a video of him goes to his school"
    assert facts(text).other_ages == [14]
    assert "exploitation_or_profit" in conversation(text)


# People who only came in or asked a question did nothing with any image.
@pytest.mark.parametrize(
    "text",
    [
        "my little sister is 8 and she walked in while i was on facetime, nothing was happening",
        "my little brother is 7 and he was in the room when i was on my phone",
        "my cousin is 10 and she saw me upset and asked what was wrong",
        "my little brother is 11 and keeps asking what sexting means after a lesson",
    ],
)
def test_a_young_child_who_only_came_in_or_asked_a_question_is_not_involved(text):
    assert facts(text).other_ages == []


def test_asking_if_someone_would_send_a_picture_is_still_asking():
    assert 26 in facts("my neighbour is 26 and he asked me if i would send him a pic").other_ages


# Everyday exaggeration and feelings.
@pytest.mark.parametrize(
    "text",
    [
        "my nan asked if i'd sent any nudes and i want to disappear into the ground",
        "my mum is going to end me when she sees my screen time",
    ],
)
def test_embarrassment_and_a_parent_going_to_end_me_are_figures_of_speech(text):
    assert not facts(text).concerns & {"self_harm_risk", "violence_or_threat"}


def test_i_want_to_disappear_on_its_own_is_still_self_harm():
    assert "self_harm_risk" in facts("everyone has seen the picture and i just want to disappear").concerns


def test_still_thinking_about_an_incident_that_is_over_is_not_it_going_on():
    read = facts("it all got sorted last year. i still think about it sometimes but i'm fine")
    assert read.resolved and not read.live
    assert not conversation(
        "a man online asked me for pictures last year and it was reported and dealt with",
        "i still think about it sometimes but i'm fine, just wondering if he can find me",
    ) - {"self_harm_risk", "immediate_danger", "user_request"}


# Talk about the thing in general (a programme, a lesson, a project, what other people say) is a
# general question; a disclosure in the same conversation still counts.
@pytest.mark.parametrize(
    "text",
    [
        "we watched a documentary in form time about gangs who blackmail teenagers for money",
        "is selling pictures online legal once you're 18, it's for a college project",
    ],
)
def test_talk_about_it_in_general_is_a_general_question(text):
    assert facts(text).hypothetical
    assert not conversation(text)


def test_a_general_question_that_turns_out_to_be_real_is_escalated():
    reasons = conversation(
        "we watched a documentary about men who blackmail kids with pictures",
        "it's actually happening to me, someone wants £100 or he sends my pics to my school",
    )
    assert "coercion_or_blackmail" in reasons


# Round 13's misses, by class (each sentence our own).
@pytest.mark.parametrize(
    "text",
    [
        "honestly im done wiv life now, it's all over snap",
        "i've got a rope in my room and i know what it's for",
        "my daughter say she want die since the video go round",
    ],
)
def test_self_harm_in_text_speak_plain_means_and_second_language_english(text):
    assert "self_harm_risk" in facts(text).concerns


@pytest.mark.parametrize("text", ["a real person or nothing", "not a bot, a human please"])
def test_asking_for_a_person_in_few_words(text):
    assert "user_request" in facts(text).concerns


def test_flattery_about_maturity_and_deleting_messages_after_is_grooming():
    assert (
        "grooming" in facts("he says i'm way more mature than other girls and to delete these after").concerns
    )


def test_a_gentleman_asking_for_unclothed_photographs_is_an_adult():
    read = facts("a gentleman i know from a forum wants photographs of me unclothed")
    assert read.adult_other and read.mentions_image


def test_videos_of_someone_crying_and_scared_are_atypical_imagery():
    assert (
        "atypical_or_violent_imagery"
        in facts("my boyfriend wants vids of me crying and looking scared").concerns
    )


def test_asking_what_pictures_fetch_is_about_selling_them():
    assert (
        "exploitation_or_profit"
        in facts("how much do people get for pics on there? thinking of selling mine").concerns
    )


def test_pictures_on_some_website_are_wide_sharing():
    assert "malicious_or_wide_sharing" in facts("someone put my nudes on some website").concerns


# Round 14's misses, by class (each sentence our own).
def test_the_writers_own_partner_who_is_an_adult_is_involved_whatever_the_model_reads():
    read = facts("me and my boyfriend have been together a year, im 15 and my boyfriend is 20")
    assert "adult_involved" in read.firm


def test_someone_elses_partner_is_not_the_writers():
    assert "adult_involved" not in facts("my mums boyfriend is 38 and he is alright actually").firm


@pytest.mark.parametrize(
    "text",
    [
        "honestly no one would care if i just went",
        "i don't really want to be here anymore after what happened",
        "my friend said she has been cutting a bit since the pictures",
    ],
)
def test_quiet_self_harm_in_more_words(text):
    assert "self_harm_risk" in facts(text).concerns


@pytest.mark.parametrize(
    "text",
    [
        "he sent my nudes to his whole rugby team",
        "she put my pics on her close friends story",
        "Mae e wedi rhannu llun ohona i heb ddillad i bawb yn yr ysgol",  # Welsh: shared a picture to everyone at school
    ],
)
def test_wide_sharing_to_a_team_a_story_and_in_welsh(text):
    assert "malicious_or_wide_sharing" in facts(text).concerns


def test_being_told_not_to_tell_the_others_is_grooming_even_where_the_model_sees_nothing():
    turns = rules_turns(
        "our coach said we are not to tell the others about the extra sessions", model_clear=True
    )
    turns[0].facts.model_support = {"grooming"}  # sure there is nothing to see, with some doubt left
    assert "grooming" in assess(turns)


def test_an_ex_making_new_accounts_to_send_pictures_back_is_repeated():
    assert "repeat_behaviour" in facts("he keeps making new accounts and sending my old pics to me").concerns


# Round 15's lessons, by class (each sentence our own).
@pytest.mark.parametrize(
    "text",
    [
        "my family would get on so much better if i wasnt around",
        "they'd all be happier without me honestly",
        "it would be easier for everyone if i wasn't here anymore",
    ],
)
def test_the_world_without_the_writer_is_self_harm(text):
    assert "self_harm_risk" in facts(text).concerns


def test_saying_nothing_has_happened_takes_back_who_the_people_are():
    # ages and care are what make an incident serious, not an incident
    turns = rules_turns(
        "we foster a boy who is 11",
        "his social worker wants us to talk to him about nudes before he gets a phone",
        "nothing's happened at all, we just want to get it right",
    )
    assert not assess(turns)


@pytest.mark.parametrize(
    "words",
    [
        "nothing has happened yet but a boy in year 11 keeps asking me for nudes",
        "nothing's happened since i sent him the photo but he is 16",
    ],
)
def test_nothing_has_happened_yet_or_since_takes_nothing_back(words):
    assert not facts(words).no_incident
    assert assess(rules_turns("im 12", words))


def test_nothing_has_happened_does_not_undo_a_threat_told_in_another_message():
    reasons = assess(
        rules_turns(
            "im 11 and an older boy said he will send my pic to everyone unless i send more",
            "nothing has happened, i haven't sent any more",
        )
    )
    assert "under_13" in reasons and "coercion_or_blackmail" in reasons


def test_a_child_saying_only_their_own_age_and_year_is_no_age_gap():
    turns = rules_turns("im 12 and in year 8")
    turns[0].facts.model_concerns = {"significant_age_gap", "under_13"}
    assert "significant_age_gap" not in assess(turns)


def test_an_ordinary_selfie_of_a_child_is_no_incident():
    assert not conversation(
        "can i put a photo of myself as my profile pic",
        "its a normal selfie in my school jumper, im 11",
    )


@pytest.mark.parametrize(
    "text",
    [
        "my brother's football coach gave a talk about sending pics at training",
        "our form tutor did a whole lesson on nudes and the law",
        "her teacher give a lesson today about photos and the police",
    ],
)
def test_an_adult_who_gave_a_talk_or_a_lesson_is_not_involved(text):
    assert not facts(text).adult_other


@pytest.mark.parametrize(
    "text",
    [
        "Pastoral officer at a sixth form. Is there a poster we could put up about image sharing?",
        "If a pupil tells a member of staff about a nude, I want to know what the first step is",
    ],
)
def test_a_job_title_or_a_person_told_is_not_asking_for_a_person(text):
    assert "user_request" not in facts(text).concerns


@pytest.mark.parametrize(
    "text",
    [
        "can i speak to an officer please",
        "i just want to tell a real person what happened",
        "can i tell a human about this",
    ],
)
def test_asking_for_an_officer_or_to_tell_a_person_is_still_asking_for_a_person(text):
    assert "user_request" in facts(text).concerns


def test_a_story_in_the_paper_is_a_general_question():
    assert facts(
        "i read in the paper about kids being blackmailed over pictures, how common is it"
    ).hypothetical


# Round 16's misses, by class (each sentence our own).
@pytest.mark.parametrize(
    "text, age",
    [
        ("Son 14. Girlfriend 19. They swap photos.", 19),
        ("my sister's boyfriend, who is 22, has been messaging me", 22),
    ],
)
def test_ages_written_as_a_list_or_after_a_comma_are_read(text, age):
    read = facts(text)
    assert age in read.other_ages


def test_a_parents_note_with_an_adult_boyfriend_is_an_adult_involved():
    assert "adult_involved" in conversation("Daughter 14. Boyfriend 20. She sent him photos.")


@pytest.mark.parametrize("text", ["get me a real mod not the ai", "i want a human not the bot"])
def test_asking_for_a_moderator_or_not_the_ai_is_asking_for_a_person(text):
    assert "user_request" in facts(text).concerns


def test_a_care_order_is_a_child_known_to_child_protection():
    assert "child_protection_known" in facts("my nephew lives with us on a care order").concerns


def test_asking_again_and_again_after_a_no_is_repeated():
    assert "repeat_behaviour" in facts("a lad keeps asking me for pics even after i said no").concerns


def test_the_writers_own_plan_of_violence_with_a_time_is_firm_whatever_the_laughter():
    read = facts("ill batter him after school on friday lol")
    assert "violence_or_threat" in read.firm


def test_someone_else_gonna_kill_the_writer_at_a_game_tonight_is_banter():
    assert (
        "violence_or_threat" not in facts("my brother is gonna smash my face in at fifa tonight lol").concerns
    )


def test_a_goodbye_message_is_self_harm():
    assert "self_harm_risk" in facts("my friend put a goodbye message on her story").concerns


def test_pictures_being_sent_round_are_shared_widely():
    read = facts("her pics are being sent round everyone on the estate")
    assert "malicious_or_wide_sharing" in read.concerns


def test_a_picture_taken_without_the_person_knowing_is_malicious():
    assert (
        "malicious_or_wide_sharing"
        in facts("a boy took a photo of her in the toilets without her knowing").concerns
    )


def test_sharing_without_the_writer_knowing_is_not_a_picture_taken_covertly():
    assert "malicious_or_wide_sharing" not in facts("can a photo be passed on without me knowing").concerns


def test_literally_gonna_kill_me_is_a_figure_of_speech():
    assert (
        "violence_or_threat"
        not in facts("my mum is literally gonna kill me when she sees my grades").concerns
    )


# Rounds 17 and 18's lessons, by class (sentences our own).
@pytest.mark.parametrize(
    "text",
    [
        "honestly i dont wanna be here no more",
        "i just wanna disappear forever and not wake up",
        "Wanna die tbh",
    ],
)
def test_wanna_reads_as_want_to_in_self_harm(text):
    assert "self_harm_risk" in conversation(text)


def test_a_friends_message_if_anything_happens_to_me_is_self_harm():
    assert "self_harm_risk" in conversation(
        "my mate texted me last night saying if anything happens to me look after her cat"
    )


def test_a_member_of_our_staff_asking_a_pupil_for_pictures_is_an_adult_involved():
    assert "adult_involved" in conversation(
        "a year 10 boy says he was asked for photos by one of our teachers on snapchat"
    )


def test_being_told_not_to_tell_parents_about_us_is_a_grooming_cue():
    assert "grooming" in facts("he says i cant tell my parents about us and wants a photo").concerns
    assert "grooming" in facts("some guy from a game keeps buying me stuff").concerns


@pytest.mark.parametrize(
    "text", ["her cousin (about 22) has a nude of my friend", "his mate, like 19, asked me for pics"]
)
def test_an_age_guessed_in_brackets_or_after_a_comma_is_read(text):
    assert any(age >= 19 for age in facts(text).other_ages)


def test_a_nude_sent_to_everyone_a_dozen_words_after_the_sharing_is_wide():
    assert "malicious_or_wide_sharing" in conversation(
        "a lad forwarded a nude of a year 8 girl from our school to everyone in the football team chat"
    )


def test_all_the_boys_in_a_class_having_a_photo_of_a_girl_is_wide():
    assert "malicious_or_wide_sharing" in conversation(
        "my daughter says all the boys in her class have a photo of a girl with nothing on"
    )


def test_a_picture_that_is_not_quite_a_nude_but_in_underwear_is_still_one():
    read = facts("they arent nudes exactly, im in my bra in them, and hes posting one a day on his story")
    assert not read.not_sexual
    assert "malicious_or_wide_sharing" in conversation(
        "they arent nudes exactly, im in my bra in them, and hes posting one a day on his story"
    )


# An image that is only talked about is not an incident: a young child's age then escalates nothing...
@pytest.mark.parametrize(
    "texts",
    [
        ("my 10 year old came home from an assembly about nudes and online safety",),
        ("my son is 9 and asked me what sexting and nudes even are",),
        ("im 12, my cousin told me if you send a nude you get a criminal record. true?",),
    ],
)
def test_a_young_childs_age_with_nudes_only_talked_about_is_no_incident(texts):
    assert "under_13" not in conversation(*texts)


# ...but a particular image is, whatever words come before it.
def test_asking_about_her_own_nudes_is_still_an_image():
    assert "under_13" in conversation("im 11 and a boy keeps asking about my nudes that i sent")


def test_everyone_said_to_be_an_adult_is_no_childs_case():
    # an adult's image shared by another adult: the advice gives adult routes; no child's case
    assert not conversation(
        "my sister's ex (22) posted her nudes on his story. she's 19 too, they are both adults, what can she do"
    )


def test_a_pupil_who_wanted_an_adult_to_know_is_not_an_adult_involved():
    assert "adult_involved" not in conversation(
        "a year 9 girl got sent a pic by a boy in her year, she deleted it and just wanted an adult to know"
    )


# Round 19's lessons, by class (sentences our own).
def test_tablets_beside_the_writer_with_a_sorry_for_mum_is_danger_now():
    reasons = conversation("tell my mum i'm sorry for everything", "i've got the tablets next to me now")
    assert {"immediate_danger", "self_harm_risk"} <= reasons


def test_if_i_was_not_here_is_self_harm():
    assert "self_harm_risk" in conversation("would anyone even care if i wasnt here")


def test_a_grandparent_giving_their_own_age_still_writes_about_a_child():
    reasons = conversation(
        "I'm 68 and raising my grandkids, the twins are 10",
        "a man online told one of them it was our little secret and asked for a photo in her nightie",
    )
    assert {"grooming", "under_13"} <= reasons


def test_a_carer_giving_only_their_own_age_is_not_an_adult_writing_about_their_own_images():
    assert "grooming" in conversation(
        "im 70 and i look after my grandson",
        "a man on his game keeps saying it's our little secret and asking him for photos",
    )


def test_the_writers_boyfriend_named_before_his_adult_age_is_an_adult_involved():
    assert "adult_involved" in facts("me and my bf have been together 6 months and hes 21, im 15").firm


def test_a_parents_husband_is_not_a_young_persons_partner():
    assert "adult_involved" not in facts("my husband is a teacher and hes 45, our son is 14").firm


@pytest.mark.parametrize(
    "text",
    [
        "a lad from sixth form said he'd do my homework for me if i send him a pic",
        "he said he'll give me a lift to town if i send one",
    ],
)
def test_a_favour_offered_for_a_picture_is_exploitation(text):
    assert "exploitation_or_profit" in conversation(text)


def test_told_not_to_tell_our_parents_is_grooming():
    assert (
        "grooming"
        in facts("the man from the club wants photos and told us all not to tell our parents").concerns
    )


def test_a_pupils_age_in_brackets_after_the_school_year_is_read():
    assert sorted(facts("a Year 8 (12) and a Year 11 (16) have been swapping photos").other_ages) == [12, 16]


def test_learning_about_sextortion_is_a_general_question():
    assert not conversation("my son told me to learn about sextortion since the kids all have phones now")


def test_people_said_to_be_adults_with_no_age_given_are_still_an_adult_involved():
    reasons = conversation(
        "two men from a server say theyll share my nudes unless i send more, theyre both adults"
    )
    assert {"adult_involved", "coercion_or_blackmail"} <= reasons


# --- round 20's classes (tests in new words) --------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "she keeps telling everyone she was 'groomed' when really a lad in her year just lent her his hoodie",
        'my little brother says the boys "groom" their eyebrows before every photo',
        "the word 'blackmail' came up in tutor time and now he thinks asking for a pen back counts",
    ],
)
def test_the_name_of_a_harm_in_scare_quotes_is_the_word_questioned(text):
    reasons = conversation(text)
    assert not reasons & {"grooming", "coercion_or_blackmail"}


def test_a_word_in_quotes_done_to_the_writer_still_counts():
    assert "grooming" in conversation("i think the man from my gym is 'grooming' me")


def test_a_threat_in_quotes_is_reported_speech_and_still_a_threat():
    assert "coercion_or_blackmail" in conversation(
        "he messaged 'send more pics or else' and i dont know what to do"
    )


@pytest.mark.parametrize(
    "text",
    [
        "there was an assembly about grooming this morning",
        "our pshe lesson on online grooming was so awkward",
    ],
)
def test_a_harm_that_a_lesson_was_about_is_its_subject(text):
    assert "grooming" not in conversation(text)


def test_a_talk_about_what_someone_did_is_not_a_lesson_subject():
    assert "grooming" in conversation("we had a talk about how her tutor is grooming her on snap")


@pytest.mark.parametrize(
    "text",
    [
        "the school rang about a photo thing, shes 12 and asleep now so i cant ask her",
        "my son is 14 and sleeping, a letter came home about an image",
    ],
)
def test_a_child_asleep_as_the_carer_writes_is_no_doubt_about_consent(text):
    assert "capacity_to_consent" not in facts(text).concerns


def test_a_picture_taken_while_someone_was_asleep_still_is():
    assert (
        "capacity_to_consent"
        in facts("he took a photo of her while she was asleep at the sleepover").concerns
    )


def test_a_child_with_a_partner_who_is_an_adult_is_an_adult_involved():
    # English as a second language: the age straight after the word
    reasons = conversation("my girl 15 is going out with man 19 from the gym and i found photo she send him")
    assert "adult_involved" in reasons


def test_an_older_brother_beside_the_childs_partner_is_not_the_partner():
    reasons = conversation(
        "my son (16) sent a pic to his girlfriend (16) and her big brother (20) found out and told us"
    )
    assert "adult_involved" not in reasons


@pytest.mark.parametrize(
    "text",
    [
        "a lad in her form says he will post her photo on his story if she not send another one",
        "my son's ex says she'll send his pic to his football team if he does not pay her",
    ],
)
def test_a_threat_told_about_someone_else_is_coercion(text):
    assert "coercion_or_blackmail" in conversation(text)


def test_sharing_to_everyone_on_a_bus_is_wide_sharing():
    assert "malicious_or_wide_sharing" in conversation(
        "some kid airdropped a nude of a girl to the whole bus on the way home"
    )


def test_the_actual_situation_after_a_general_question_makes_it_real():
    reasons = conversation(
        "if a girl in year 6 (10) was sent a pic by an older kid would that be reported?",
        "the actual situation is my daughter got it from her cousin's friend",
    )
    assert "under_13" in reasons


def test_an_incident_handled_quietly_is_not_over():
    reasons = conversation(
        "a teaching assistant had photos of a pupil on his phone, the head sorted it out quietly"
    )
    assert "adult_involved" in reasons


# --- round 21's classes (tests in new words) --------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "sometimes i think about swallowing a whole packet of my dads painkillers",
        "how many sleeping pills would someone have to take to not wake up",
    ],
)
def test_taking_all_of_someones_tablets_or_asking_how_many_is_self_harm(text):
    assert "self_harm_risk" in conversation(text)


def test_taking_tablets_as_prescribed_is_not_self_harm():
    assert "self_harm_risk" not in conversation(
        "i take tablets for my asthma so do i have to tell the police that"
    )


def test_explaining_why_to_someone_is_a_goodbye():
    assert "self_harm_risk" in conversation("i just want someone to know why after")


def test_something_offered_for_videos_in_text_speak_is_exploitation():
    assert "exploitation_or_profit" in conversation("this guy sed he wud giv me a ps5 if i sent vids")


def test_being_told_you_owe_them_is_coercion():
    assert "coercion_or_blackmail" in conversation("i sent the pics and now they say i owe them more")


def test_a_family_word_spelt_as_said_takes_its_age():
    assert "under_13" in conversation("my sista is 10 and a boy sent her a nude")


def test_a_students_age_in_brackets_with_a_younger_partner_is_an_adult_involved():
    reasons = conversation("a college student (19) and a year 10 (15) are going out and have swapped photos")
    assert "adult_involved" in reasons


def test_asking_whether_there_are_real_people_to_talk_to_is_a_request():
    assert "user_request" in conversation("do u have real people i can talk to")


# --- how children say they may not be here, from the counselling literature (not from any set) --


@pytest.mark.parametrize(
    "text",
    [
        "this is my last message so thanks for trying",
        "can you tell my mum i love her if she asks",
        "i deserve to die after what i sent",
        "been thinking about sewerslide since the pics went round",
        "i wont be around much longer so it doesnt matter",
        "ive planned how i would do it",
    ],
)
def test_goodbyes_plans_and_deserving_to_die_are_self_harm(text):
    assert "self_harm_risk" in conversation(text)


@pytest.mark.parametrize(
    "text", ["im on the roof of the car park now", "sitting by the train tracks near school"]
)
def test_being_at_a_height_or_the_tracks_now_is_danger(text):
    assert conversation(text) & {"immediate_danger", "self_harm_risk"}


@pytest.mark.parametrize(
    "text",
    [
        "the community officer has offered to speak to our year 9s about it next week",
        "my uncle is a social worker and said i shouldnt worry",
    ],
)
def test_someone_who_speaks_or_is_described_by_their_job_is_not_a_person_asked_for(text):
    assert "user_request" not in conversation(text)


@pytest.mark.parametrize(
    "text",
    [
        "i want to talk to someone who is a counsellor",
        "is there a person i can talk to",
        "can i speak to an officer",
    ],
)
def test_a_person_asked_for_by_their_job_still_is(text):
    assert "user_request" in conversation(text)
