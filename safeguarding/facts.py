"""Reads one message's safeguarding facts from the spans the rules matched.

A cue alone is rarely a concern: this module combines cues (a sharing verb plus "unless" is a
threat to share), drops cues that are negated ("he's not an adult") and marks general
questions ("what happens if an adult asks for pics?") so they inform rather than escalate.

`extract` is the order of the reading: each stage is a function below it that reads the spans
(through `Cues`) and what earlier stages decided, and fills in MessageFacts
(safeguarding/message_facts.py). The word lists and token helpers the stages use come first.
"""

from __future__ import annotations

import logging
import re
from functools import cached_property

from spacy.tokens import Doc, Span

from safeguarding.ages import ADULT_AGE, DECADES, NUMBER_WORDS, age_of_year_text, is_age
from safeguarding.message_facts import MessageFacts
from safeguarding.nlp import SPANS_KEY

logger = logging.getLogger(__name__)

__all__ = ["MessageFacts", "extract", "read_message"]

_NEGATIONS = {
    "not",
    "no",
    "never",
    "nobody",
    "noone",
    "none",
    "neither",
    "nor",
    "without",
    "nothing",
    "isnt",
    "wasnt",
    "aint",
    "cannot",
}
_CLAUSE_BREAKS = {",", ".", ";", "!", "?", "but", "and", "though", "although", "because", "so", "\n"}
_INFORMANT_VERBS = {
    "told",
    "tell",
    "telling",
    "tells",
    "ask",
    "asked",
    "asking",
    "talk",
    "talked",
    "talking",
    "spoke",
    "speak",
    "went",
    "go",
    "contact",
    "contacted",
    "inform",
    "informed",
    "report",
    "reported",
    "show",
    "showed",
    "trusted",
    "trust",
    "find",
    "found",
    "call",
    "called",
}
_IMAGE_WORDS = re.compile(
    r"\b(pic|pics|picture|pictures|photo|photos|photograph|photographs|image|images|nude|nudes|unclothed|"
    r"video|videos|vid|vids|selfie|selfies|snap|snaps|imagery|clip|film|filmed|filming|recording|recorded|"
    r"screenshot|screenshots|screenshotted|"
    r"llun|lluniau|fideo|heb ddillad)\b"  # Welsh: picture(s), video, without clothes
)
_SELF_WORDS = {
    "i",
    "m",
    "'m",
    "am",
    "’m",
    "as",
    "im",
    "i'm",
    "was",
    "be",
    "become",
    "becoming",
    "train",
    "job",
    "career",
}
# "Can a member of staff look at it?" asks about a role; it does not say one acted.
_MODALS = {"can", "could", "should", "may", "must", "would", "will", "do", "does", "is", "are", "if"}
# What a picture said not to be a nude takes back (drop_sharing_of_a_picture_that_is_not_a_nude).
_NOT_SEXUAL_TAKES_BACK = {"malicious_or_wide_sharing", "repeat_behaviour"}
# The writer's own plan with a day or time set ("im going to smash his face in tomorrow lol"):
# violence planned, whatever the laughter or the model says
_WHEN = re.compile(
    r"\b(tomorrow|tmrw|tmr|tonight|after school|at lunch|at break|on (mon|tues|wednes|thurs|fri|satur|sun)day)\b"
)
_WRITERS_INTENT = re.compile(
    r"\b(im|i'm|i’m|i am|imma|ima)\s+(going to|gonna|gunna|gna)\b|\b(i'll|ill|i will)\b"
)


def _own_plan(text: str) -> bool:
    return bool(_WHEN.search(text) and _WRITERS_INTENT.search(text))


_LAUGHING = re.compile(r"😂|🤣|💀|\blol\b|\blmao\b|\blmfao\b|\bhaha|\bjk\b|only joking")
# What a person mentioned did, read from the words just after them: a bystander found out,
# saw, taught or took a phone away; an actor asked for, took, sent or holds an image. The
# first of these after the person decides (an actor's verb later in the sentence, after "and
# he", still counts: "my brother found my pics and posted them").
_BYSTANDER_VERBS = {
    "saw",
    "seen",
    "noticed",
    "lecture",
    "lectured",
    "lecturing",
    "mick",
    "teasing",
    "teased",
    "confiscated",
    "helped",
    "helping",
    "works",
    "worked",
    "joined",
    "read",
    "rang",
    "phoned",
    "explained",
    "warned",
    "deals",
    "dealt",
    "taught",
    "teaches",
}
_BYSTANDER_PHRASES = (
    ("found", "out"),
    ("find", "out"),
    ("finding", "out"),
    ("is", "a"),
    ("was", "a"),
    ("walked", "in"),  # "walked in while I was getting changed"
    ("came", "in"),
    ("the", "room"),  # "was in the room"
    ("me", "off"),  # "told me off" ("told me to send" is an actor's)
    ("telling", "off"),
)
# Older family whose age alone says nothing about who is in an image: parents, grandparents and
# a big brother or sister. A younger brother or sister is often the child the writer is worried
# about, so their age counts; step-parents, uncles, aunts and cousins count as anyone does.
_ELDERS = {
    "mum",
    "mom",
    "mam",
    "mother",
    "dad",
    "father",
    "nan",
    "nana",
    "gran",
    "granny",
    "grandma",
    "grandmother",
    "grandad",
    "granddad",
    "grandpa",
    "grandfather",
}
_SIBLINGS = {"brother", "bro", "sister", "sis"}
_PARTNERS = {"boyfriend", "bf", "girlfriend", "gf", "partner", "ex", "fiance", "fiancé", "husband", "wife"}
_OLDER_WORDS = {"big", "older", "eldest", "oldest"}
# "asked what was wrong" asks a question; "asked if I'd send" and "asked for" are an actor's.
_QUESTION_WORDS = {"what", "whats", "why", "how", "where", "who", "when", "whether", "about"}
_ACTOR_VERBS = {
    "sent",
    "sends",
    "send",
    "sending",
    "asked",
    "asks",
    "asking",
    "wants",
    "wanted",
    "took",
    "takes",
    "taken",
    "taking",
    "has",
    "had",
    "got",
    "keeps",
    "kept",
    "posted",
    "posts",
    "shared",
    "shares",
    "showed",
    "shows",
    "filmed",
    "films",
    "recorded",
    "records",
    "threatened",
    "threatens",
    "made",
    "makes",
    "offered",
    "offers",
    "paid",
    "pays",
    "touched",
    "touches",
    "messaged",
    "messages",
    "messaging",
    "added",
}
_ACTOR_SUBJECTS = {"he", "she", "they", "and", "who", "hes", "shes"}
# An adult role who made or asked for the image ("taken by her mum's boyfriend", "her coach asked
# her for pics") is involved, whatever else the message says.
_MAKING_VERBS = {"taken", "took", "filmed", "recorded", "made", "sent", "shared", "posted", "asked"}
_ACTS_ON_CHILD = (
    *(
        (verb, thing)
        for verb in ("took", "takes", "taking")
        for thing in ("pics", "photos", "pictures", "nudes", "videos")
    ),
    *(
        (verb, "a", thing)
        for verb in ("took", "takes")
        for thing in ("pic", "photo", "picture", "video", "nude")
    ),
    *(
        (verb, who)
        for verb in ("filmed", "films", "recorded", "touched")
        for who in ("me", "her", "him", "them")
    ),
    ("asked", "me", "for"),
    ("asked", "her", "for"),
    ("asked", "him", "for"),
    ("asks", "me", "for"),
    ("asks", "her", "for"),
    ("asking", "me", "for"),
    ("asking", "her", "for"),
    ("sent", "me"),
    ("sent", "her"),
    ("sent", "him"),
    ("made", "me"),
    ("made", "her"),
    ("makes", "me"),
    ("makes", "her"),
    ("has", "pics"),
    ("has", "photos"),
    ("has", "nudes"),
    ("wants", "pics"),
    ("wants", "nudes"),
    ("wants", "photos"),
)
# The writer did something with an image: sent, asked for, swapped, holds one, or was sent one.
# An adult writer is the adult involved only then ("I'm 22, my cousin is 15, what do I tell
# her?" is an adult helping).
_WRITER_ACTED = (
    re.compile(
        r"\b(i|ive|i've|we|weve|we've|i'd)\s+(?!(?:never|not|didnt|didn't|havent|haven't|dont|don't|wont|won't)\b)"
        r"(\w+\s+)?(sent|send|sending|asked|asking|swapped|swap|exchanged|exchange|shared|posted|took|received|"
        r"recorded|filmed)\b"
    ),
    re.compile(
        r"\b(i|ive|i've|we|weve|we've)\s+(have|got|kept|saved|still have)\s+(\w+\s+){0,2}(pics|photos|pictures|nudes|videos|images)\b"
    ),
    re.compile(r"\b(sent|send|sends|sending)\s+me\b"),
    re.compile(r"\bme and (her|him|them|my \w+)\s+(\w+\s+)?(sent|send|swapped|swap|exchanged)\b"),
)
# Giving away what matters to them ("I've given my xbox and my hoodies to my little brother"): a
# sign of a plan, whatever the things are.
_THINGS = (
    r"(xbox|ps4|ps5|playstation|switch|games|console|hoodies|clothes|trainers|jewellery|jewelry|makeup|"
    r"stuff|things|books|phone|tablet|pets?|dog|cat|guitar|bike)"
)
_GIVING_AWAY = re.compile(
    # two of their things given away, or anything "given away"
    rf"\b(given|gave|giving) (away )?(all )?my (\w+ ){{0,2}}{_THINGS}( and|,) (all )?my \w+"
    rf"|\b(given|gave|giving) away (all )?my (\w+ ){{0,2}}{_THINGS}"
)
_MEDICINE = (
    r"(tablets|pills|paracetamol|ibuprofen|painkillers|meds|medication|sleeping pills|antidepressants)"
)
_OVERDOSE = re.compile(
    # taking all of someone's tablets: "thinking about taking all my mums tablets"
    rf"\b(take|taking|took|swallow|swallowing|swallowed|down|downing|neck|necking)\b[^.?!\n]{{0,20}}"
    rf"\b(all|every one of|(a|the) whole (box|packet|bottle) of)\b[^.?!\n]{{0,20}}\b{_MEDICINE}\b"
    # asking how much of a medicine someone can take: "whats the most paracetamol someone can take"
    rf"|\b(most|max|maximum|how many|how much)\b[^.?!\n]{{0,12}}\b{_MEDICINE}\b[^.?!\n]{{0,30}}"
    rf"\b(take|have|swallow)\b"
)
_NOT_YET = {"once", "when", "until", "till", "til", "after", "before"}
_SENTENCE_ENDS = {".", "?", "!", ";", "\n"}
_DETERMINERS = {"my", "a", "an", "the", "our", "his", "her", "their", "to", "with", "this", "that"}
# A cue said only to be denied ("he's not an adult", "no one threatened me") denies its reasons.
_DENIABLE = {
    "SELF_HARM": {"self_harm_risk"},
    "DANGER_NOW": {"immediate_danger"},
    "ADULT_ROLE": {"adult_involved", "grooming"},
    "OLDER": {"adult_involved", "significant_age_gap"},
    "THREAT": {"coercion_or_blackmail", "violence_or_threat"},
    "VIOLENCE": {"violence_or_threat"},
    "SHARED": {"malicious_or_wide_sharing"},
}
_SELF_DESCRIBING = {"i", "im", "i'm", "i’m"}
_SEN = re.compile(r"\b(sen|send|special|learning|autis\w*|asd|adhd|ehcp)\b")
_OWN_PHRASES = {"CONDITION", "SELF_HARM", "HUMAN_NOUN", "REQUEST"}
# Words that name a kind of harm ("groomed", "blackmail", "deepfake"): in scare quotes the writer
# questions the word ("he says he's 'being groomed' because he's told to tuck his shirt in"), and
# as what a lesson was about they are its subject ("we had a lesson about grooming"). A quoted
# threat ("he said 'or else'") is reported speech, so only the names of a harm are read this way.
_NAMES_OF_HARMS = {"GROOMING", "FAKE", "COVERT"}
_CRIME_NAME = re.compile(r"blackmail|black mail|extort")
_QUOTES = {"'", '"', "‘", "’", "“", "”"}
_DONE_TO = {"me", "us", "my"}  # the writer: a parent quoting "blackmail" him is questioning it
_SCARE_QUOTE_WORDS = 3  # "'groomed'", "'being groomed'", "'sent nudes'": a label, not a sentence
_CLAUSE_WORDS = {
    "how",
    "he",
    "she",
    "they",
    "him",
    "her",
    "them",
    "i",
    "we",
    "you",
    "u",
    "someone",
    "was",
    "is",
}
_TAUGHT = {
    *("lesson", "lessons", "assembly", "assemblies", "pshe", "rse", "session", "workshop", "talk"),
    *("course", "training", "presentation", "video", "project", "homework", "leaflet", "module"),
}


def _names_a_harm(label: str, span: Span) -> bool:
    return label in _NAMES_OF_HARMS or (label == "THREAT" and bool(_CRIME_NAME.search(span.text.lower())))


def _scare_quoted(doc: Doc) -> set[int]:
    """Token positions inside quotes that hold at most _SCARE_QUOTE_WORDS words."""
    inside: set[int] = set()
    opened = None
    for token in doc:
        if token.text not in _QUOTES:
            continue
        if opened is not None and 0 < token.i - opened - 1 <= _SCARE_QUOTE_WORDS:
            inside.update(range(opened + 1, token.i))
            opened = None
        else:
            opened = token.i
    return inside


def _number(tokens) -> int | None:
    """The first age-like number among the tokens ("14", "14yo", "thirty five")."""
    tokens = list(tokens)
    for i, tok in enumerate(tokens):
        text = tok.lower_
        digits = re.match(r"^(\d{1,2})(yo|y/o|yrs?|years?|yr)?$", text)
        if digits:
            return int(digits.group(1))
        if text in NUMBER_WORDS:
            value = NUMBER_WORDS[text]
            rest = [t.lower_ for t in tokens[i + 1 : i + 3] if t.lower_ != "-"]
            if value >= 20 and rest and rest[0] in NUMBER_WORDS and NUMBER_WORDS[rest[0]] < 10:
                value += NUMBER_WORDS[rest[0]]
            return value
    return None


def _year_to_age(span: Span) -> int | None:
    """School year to the younger age in it (Year 7 is 11-12 in England and Wales)."""
    return age_of_year_text(span.text)


def _negated(doc: Doc, span: Span, ignore: set[int], window: int = 3) -> bool:
    """True when a negation comes just before the span in the same clause. Negations inside
    other phrases ("if I don't", "don't want to live") are that phrase's own and negate nothing."""
    for i in range(span.start - 1, max(-1, span.start - window - 1), -1):
        tok = doc[i]
        if tok.lower_ in _CLAUSE_BREAKS:
            return False
        if i not in ignore and (tok.norm_ in _NEGATIONS or tok.lower_ in _NEGATIONS):
            return True
    return False


def _preceded_by(doc: Doc, span: Span, words: set[str], window: int = 3) -> bool:
    for i in range(span.start - 1, max(-1, span.start - window - 1), -1):
        if doc[i].lower_ in _CLAUSE_BREAKS:
            return False
        if doc[i].lower_ in words or doc[i].norm_ in words:
            return True
    return False


def _same_sentence(doc: Doc, a: Span, b: Span) -> bool:
    lo, hi = sorted((a.start, b.start))
    return not any(doc[i].text in {".", "?", "!"} for i in range(lo, hi))


def _object_of(doc: Doc, span: Span, verbs: set[str]) -> bool:
    """True for "I told my teacher": the role is who they told, not who did it."""
    i = span.start - 1
    while i >= 0 and doc[i].lower_ in _DETERMINERS:
        i -= 1
    return i >= 0 and doc[i].lower_ in verbs


def _older_family(doc: Doc, span: Span) -> bool:
    """A parent, grandparent or big brother or sister ("my big sister is 17", "my mum (45)")."""
    words = [t.lower_ for t in doc[max(0, span.start - 2) : span.end]]
    return any(w in _ELDERS for w in words) or (
        any(w in _SIBLINGS for w in words) and any(w in _OLDER_WORDS for w in words)
    )


def _writers_act(doc: Doc, i: int) -> bool:
    """ "my brother (20) thinks I sent something": the verb is the writer's, not the person's."""
    return i > 0 and doc[i - 1].lower_ in {"i", "we", "ive", "i've"}


def _asks_a_question(doc: Doc, i: int) -> bool:
    """ "asked (me) what was wrong": asking a question, not asking for an image."""
    if doc[i].lower_ in {"keeps", "kept", "keep"} and i + 1 < len(doc):
        i += 1  # "keeps asking what it means"
    if doc[i].lower_ not in {"asked", "asks", "asking", "ask"}:
        return False
    following = [t.lower_ for t in doc[i + 1 : i + 3]]
    if following and following[0] in {"me", "us", "him", "her", "them"}:
        following = following[1:]
    return bool(following) and following[0] in _QUESTION_WORDS


_GIVING = {"gave", "give", "gives", "giving", "did", "does", "do", "doing", "ran", "run", "runs", "held"}
_TALKS = {"talk", "talks", "lesson", "lessons", "assembly", "session", "workshop", "presentation", "speech"}


def _gives_a_talk(doc: Doc, i: int) -> bool:
    """ "the coach did a talk", "his teacher give a lesson today": teaching, not acting."""
    if doc[i].lower_ not in _GIVING:
        return False
    following = [t.lower_ for t in doc[i + 1 : i + 4]]
    while following and following[0] in {"a", "an", "the", "us", "them", "their", "our", "whole", "big"}:
        following = following[1:]
    return bool(following) and following[0] in _TALKS


_TAKING = {"took", "taken", "take", "taking", "filmed", "film", "recorded", "snapped", "photographed"}


def _taken_covertly(doc: Doc, span: Span) -> bool:
    """ "took a photo of her without her knowing": taken unknown ("shared without me knowing" is
    sharing, read elsewhere)."""
    if span[0].lower_ != "without":
        return True
    return any(t.lower_ in _TAKING for t in doc[max(0, span.start - 8) : span.start])


def _what_they_did(doc: Doc, span: Span, window: int = 7) -> str | None:
    """ "bystander" when the first thing said of the person after the span is a bystander's
    (found out, saw, confiscated, is a youth worker) and no actor's verb follows with them as its
    subject; "actor" for an actor's verb first; None when neither is said."""
    end = min(len(doc), span.end + window)
    bystander = False
    for i in range(span.end, end):
        word = doc[i].lower_
        if word in _SENTENCE_ENDS:
            break
        pair = (word, doc[i + 1].lower_ if i + 1 < len(doc) else "")
        if not bystander and (
            word in _BYSTANDER_VERBS
            or pair in _BYSTANDER_PHRASES
            or _asks_a_question(doc, i)
            or _gives_a_talk(doc, i)
        ):
            bystander = True
            continue
        if word in _ACTOR_VERBS and not _asks_a_question(doc, i) and not _writers_act(doc, i):
            if not bystander:
                return "actor"
            if i > 0 and doc[i - 1].lower_ in _ACTOR_SUBJECTS:
                return "actor"  # "found my pics and posted them"
    if bystander:
        # "...found out and then he sent them round": an actor's verb later in the sentence
        for i in range(end, len(doc)):
            if doc[i].lower_ in _SENTENCE_ENDS:
                break
            if (
                doc[i].lower_ in _ACTOR_VERBS
                and doc[i - 1].lower_ in _ACTOR_SUBJECTS
                and not _asks_a_question(doc, i)
            ):
                return "actor"
        return "bystander"
    return None


def _acts_on_child(doc: Doc, span: Span) -> bool:
    """The adult made or asked for the image: "taken by her mum's boyfriend", "my coach asked me
    for pics", "her stepdad took photos"."""
    before = [doc[i].lower_ for i in range(max(0, span.start - 5), span.start)]
    if "by" in before[-3:] and _MAKING_VERBS & set(before):
        return True
    after = [t.lower_ for t in doc[span.end : span.end + 4]]
    for i in range(len(after)):
        if any(tuple(after[i : i + len(act)]) == act for act in _ACTS_ON_CHILD):
            return True
        if after[i] in _SENTENCE_ENDS:
            break
    return False


# "the police officer wants a quick chat", "an officer gave a talk", "a police officer to come
# in and talk to parents": the person acts; nobody is asking the service for them.
_AGENT_NEXT = {
    "wants",
    "wanted",
    "gave",
    "gives",
    "came",
    "comes",
    "visited",
    "rang",
    "phoned",
    "spoke",
    "talked",
    # "our police officer has offered to speak to Year 10", "an officer said": someone who acted
    "offered",
    "offers",
    "has",
    "had",
    "said",
    "says",
    "told",
    "tells",
    "explained",
}
# "her brother is a police officer and told her": what someone is, not a person asked for
_DESCRIBED_AS = {"is", "was", "as", "being"}


# "College safeguarding officer.", "if a pupil tells a member of staff": a job or someone told,
# not a person asked for
_ROLE_BEFORE_PERSON = {
    "safeguarding",
    "welfare",
    "pastoral",
    "liaison",
    "attendance",
    "wellbeing",
    "designated",
}
# someone else telling ("a pupil tells a member of staff"), never the writer's own "tell a real person"
_TELLING = {"tells", "told", "informs", "informed"}


def _agent(doc: Doc, span: Span) -> bool:
    nxt = [t.lower_ for t in doc[span.end : span.end + 2]]
    before = {t.lower_ for t in doc[max(0, span.start - 2) : span.start]}
    # "he is a police officer" (not "someone who is a counsellor", "is there a person")
    described = (
        span.start >= 1
        and doc[span.start - 1].lower_ in _DESCRIBED_AS
        and not (span.start >= 2 and doc[span.start - 2].lower_ in {"who", "whos", "that"})
    )
    return (
        described
        or (bool(before & (_ROLE_BEFORE_PERSON | _TELLING)))
        or (
            bool(nxt)
            and (
                nxt[0] in _AGENT_NEXT
                or nxt[:2]
                in (["to", "come"], ["to", "visit"], ["to", "give"], ["and", "told"], ["and", "said"])
            )
        )
    )


_ROLE_MODIFIERS = {
    "year",
    "yr",
    "y",
    "form",
    "class",
    "pe",
    "primary",
    "secondary",
    "school",
    "college",
    "head",
    "of",
    "sixth",
    "a",
    "an",
    "deputy",
    "assistant",
    "supply",
    "reception",
    "nursery",
    "science",
    "maths",
    "english",
    "music",
    "drama",
    "dance",
    "football",
    "swimming",
    "youth",
    "senior",
}


def _writers_own_role(doc: Doc, span: Span) -> bool:
    """ "Youth worker, 25 years in.", "Teacher here" or "Year 4 teacher.": a role opening the
    message is the writer's."""
    nxt = doc[span.end].lower_ if span.end < len(doc) else ""
    opening = all(t.like_num or t.lower_ in _ROLE_MODIFIERS for t in doc[: span.start])
    return span.start <= 4 and opening and nxt in {",", "here", ":", "-", "."}


# "at a special school" after "I work" or "I'm a TA": where the writer works, not a doubt
# about anyone's capacity to consent
_WORKPLACE = re.compile(r"\b(i work|i teach|i m a|i am a|i'm a|im a|i’m a)\b")


def _writers_workplace(doc: Doc, span: Span) -> bool:
    before = doc[max(0, span.start - 8) : span.start]
    return _preceded_by(doc, span, {"at", "in"}, window=2) and bool(_WORKPLACE.search(before.text.lower()))


def extract(doc: Doc) -> MessageFacts:
    """One message's facts from the rules' spans, stage by stage. The order matters: each stage
    reads what the ones before it decided, and the last three undo what no longer stands."""
    cues = Cues(doc)
    facts = MessageFacts()
    read_framing(cues, facts)
    person_ages = read_ages(cues, facts)
    read_school_years_decades_and_gap(cues, facts)
    sort_adult_and_child_ages(facts, person_ages)
    read_a_childs_adult_partner(cues, facts)
    read_roles(cues, facts)
    read_audience(cues, facts)
    read_image_and_writer(cues, facts)
    read_coercion_and_harm(cues, facts)
    read_sharing_and_vulnerability(cues, facts)
    read_request_for_a_person(cues, facts)
    read_denials(cues, facts)
    read_markers(cues, facts)
    # What later words take back: these come last because each undoes what the stages above set.
    drop_sharing_of_a_picture_that_is_not_a_nude(cues, facts)
    drop_banter(cues, facts)
    hold_to_a_plan_of_violence(cues, facts)
    clear_ages_when_asking_ahead(cues, facts)
    read_no_incident(cues, facts)
    facts.all_adults = bool(cues.live("ALL_ADULTS"))
    hold_a_general_question(facts)
    return facts


class Cues:
    """The spans the rules matched in one message, by label, and which of them stand."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.text = doc.text.lower()
        self.spans: list[Span] = list(doc.spans[SPANS_KEY]) if SPANS_KEY in doc.spans else []
        self._by_label: dict[str, list[Span]] = {}
        for span in self.spans:
            self._by_label.setdefault(span.label_, []).append(span)
        # a negation inside these phrases ("if I don't", "don't want to live") is the phrase's own
        self._own_tokens = {
            i for label in _OWN_PHRASES for s in self.said(label) for i in range(s.start, s.end)
        }
        self.hyperbole = self.tokens("HYPERBOLE")
        self.scare_quoted = _scare_quoted(doc)

    def said(self, label: str) -> list[Span]:
        """Every span of a label, negated or not."""
        return self._by_label.get(label, [])

    def tokens(self, label: str) -> set[int]:
        """The token positions covered by a label's spans."""
        return {i for s in self.said(label) for i in range(s.start, s.end)}

    def live(self, label: str) -> list[Span]:
        """Spans of a label that are neither negated nor part of an everyday exaggeration, nor the
        name of a harm in scare quotes or as a lesson's subject."""
        return [
            s
            for s in self.said(label)
            if not _negated(self.doc, s, self._own_tokens)
            and not (self.hyperbole and s.start in self.hyperbole)
            and not (_names_a_harm(label, s) and self._only_named(s))
        ]

    def _only_named(self, span: Span) -> bool:
        if span.start in self.scare_quoted and span.end - 1 in self.scare_quoted:
            # "i think he's 'grooming' me": the word questioned, but done to someone all the same
            after = self.doc[span.end + 1] if span.end + 1 < len(self.doc) else None
            return not (after is not None and after.lower_ in _DONE_TO)
        taught = {t.lower_ for t in self.doc[max(0, span.start - 8) : span.start]} & _TAUGHT
        # the subject itself ("a lesson about online grooming"), not a clause ("a talk about how
        # he was grooming her")
        subject = [t.lower_ for t in self.doc[max(0, span.start - 3) : span.start]]
        about = max((i for i, word in enumerate(subject) if word in ("about", "on")), default=None)
        return bool(taught) and about is not None and not set(subject[about + 1 :]) & _CLAUSE_WORDS

    def has(self, label: str) -> bool:
        return bool(self.live(label))

    @cached_property
    def image_words(self) -> list[re.Match]:
        return list(_IMAGE_WORDS.finditer(self.text))

    @cached_property
    def images(self) -> bool:
        """A picture word is in the message (even "no pics"), or a live fake or collection cue."""
        return bool(self.image_words) or self.has("FAKE") or self.has("COLLECTION")

    @cached_property
    def shares(self) -> bool:
        return self.has("SHARE_VERB")

    @cached_property
    def shared(self) -> bool:
        return self.has("SHARED")

    @cached_property
    def limited(self) -> bool:
        """Sharing that stayed small ("only sent it to one person"): not wide, even beside a wide word."""
        return bool(self.said("LIMITED"))

    @cached_property
    def threat(self) -> bool:
        """A threat or extortion, read from the combination of cues."""
        has = self.has
        # "if she reports it" threatens only alongside violence ("...he'll make her pay")
        threat = (
            (has("REPORT_CONDITION") and has("VIOLENCE"))
            or has("THREAT")
            or (self.shares and has("CONDITION"))
            or (has("DEMAND") and (has("CONDITION") or has("THREAT")))
        )
        money = has("MONEY")
        # a demand for money, or "unless I ... pay", is extortion even without the word "threat"
        return (
            threat
            or (has("DEMAND") and money)
            or (has("CONDITION") and money and (self.images or self.shares))
            or (has("DEADLINE") and self.shares)
        )


def read_framing(cues: Cues, facts: MessageFacts) -> None:
    """Reads the question and refusal cues; decides hypothetical, real and declines_person."""
    # "you know what happens if you stop replying" quotes a threat; its "what happens if" does
    # not make the message a general question
    threat_tokens = cues.tokens("THREAT")
    facts.hypothetical = any(
        sp.start not in threat_tokens and sp.end - 1 not in threat_tokens for sp in cues.live("HYPOTHETICAL")
    )
    facts.real = cues.has("REAL")
    facts.declines_person = bool(cues.said("DECLINE_PERSON"))


def read_ages(cues: Cues, facts: MessageFacts) -> list[int]:
    """Reads the age patterns; decides self, child and other ages, bare_age and peers. Returns
    the ages said with a person word."""
    person_numbers = _read_ages_with_a_person_word(cues, facts)
    person_ages = list(facts.other_ages)
    _read_ages_by_role(cues, facts, person_numbers)
    _read_a_bare_age(cues, facts)
    _read_a_shared_age(cues, facts)
    return person_ages


def _read_ages_with_a_person_word(cues: Cues, facts: MessageFacts) -> set[int]:
    """An age said with a person word ("my 21yo bf", "his cousin who's 19") is that person's,
    whatever else matched the same number ("my daughter's 25 year old boyfriend"). Returns the
    positions of those numbers."""
    person_numbers: set[int] = set()
    for span in cues.live("AGE_PERSON"):
        number_token = next((t for t in span if _number([t]) is not None), None)
        value = _number([number_token]) if number_token is not None else None
        if is_age(value):
            person_numbers.add(number_token.i)
            # "my brother (19) found out": someone who only found out is not involved
            did = _what_they_did(cues.doc, span)
            if did == "bystander":
                continue
            # "im 12 and my big sister is 17": an older brother or sister, a parent or a
            # grandparent is family, not the other person in an image, unless the words say
            # they acted ("my big brother (19) has pics of my mate")
            if did != "actor" and _older_family(cues.doc, span):
                continue
            if value not in facts.other_ages:
                facts.other_ages.append(value)
            # "my boyfriend is 21": the writer's own partner who is an adult is involved,
            # whatever the model reads ("is it ok if we only send pics")
            if value >= ADULT_AGE and _writers_partner(cues.doc, span):
                facts.adult_actor = facts.adult_other = True
                facts.firm.add("adult_involved")
    return person_numbers


def _writers_partner(doc: Doc, span: Span) -> bool:
    """ "my bf (22)", "my boyfriend is 21": not "my mum's boyfriend" or "her boyfriend"."""
    return any(t.lower_ in _PARTNERS and t.i > 0 and doc[t.i - 1].lower_ == "my" for t in span)


_PRONOUNS = {"he", "she", "hes", "shes", "they", "theyre"}
# a young person's partner ("my husband ... he's 50" is a parent's)
_DATING = {"boyfriend", "bf", "girlfriend", "gf", "ex"}


def _partner_said_before(doc: Doc, span: Span) -> bool:
    """ "my boyfriend ... and he's 22": an age said of "he" or "she" in the sentence where the
    writer named their own partner."""
    if span[0].lower_ not in _PRONOUNS:
        return False
    for i in range(span.start - 1, max(-1, span.start - 16), -1):
        if doc[i].text in {".", "?", "!", "\n"}:
            return False
        if doc[i].lower_ in _DATING and i > 0 and doc[i - 1].lower_ == "my":
            return True
    return False


def _read_ages_by_role(cues: Cues, facts: MessageFacts, person_numbers: set[int]) -> None:
    """The writer's, a child's and another person's ages, skipping numbers already read."""
    doc = cues.doc
    # An age right before "years older" is a gap, not an age.
    gap_starts = {s.start for s in cues.said("GAP")}
    for label, target in (
        ("AGE_SELF", facts.self_ages),
        ("AGE_CHILD", facts.child_ages),
        ("AGE_OTHER", facts.other_ages),
    ):
        for span in cues.live(label):
            number_token = next((t for t in span if _number([t]) is not None), None)
            if number_token is not None and (
                number_token.i in gap_starts or number_token.i in person_numbers
            ):
                continue
            value = ADULT_AGE if span.text.lower().startswith(("over", "above")) else _number(span)
            bracket = next((t.i for t in span if t.text == "("), None)
            if bracket is not None and bracket + 1 < span.end:
                value = _number(doc[bracket + 1 : span.end])  # "a Year 10 (14)": the age, not the year
            if label == "AGE_OTHER" and _what_they_did(doc, span) == "bystander":
                continue
            if _preceded_by(doc, span, {"since"}, window=1):
                continue  # "in her life since she was 6": how long, not how old anyone is now
            if (
                label == "AGE_SELF"
                and _preceded_by(doc, span, _NOT_YET, window=1)
                and not any(t.lower_ == "was" for t in span)
            ):
                continue  # "once I'm 18": an age the writer will be ("when I was 15" is kept)
            if is_age(value) and value not in target:
                target.append(value)
            # "my bf is in the army and hes 22": the writer's partner, named earlier in the sentence
            if (
                label == "AGE_OTHER"
                and is_age(value)
                and value >= ADULT_AGE
                and _partner_said_before(doc, span)
            ):
                facts.adult_actor = facts.adult_other = True
                facts.firm.add("adult_involved")


# a child's partner, as a parent or carer says it: "her boyfriend", "they are boyfriend
# girlfriend", "she is with", "going out with", "seeing", "dating"
_CHILDS_PARTNER = re.compile(
    r"\b(her|his) (boyfriend|bf|girlfriend|gf|partner)\b|\bboyfriend (and )?girlfriend\b"
    r"|\b(is|are|was|were|been) (with|dating|seeing|going out( with)?|in a relationship)\b"
)


_PARTNER_REACH = 60  # characters between the partner words and the adult's age


def read_a_childs_adult_partner(cues: Cues, facts: MessageFacts) -> None:
    """A parent's "my daughter 16 is with boy 18 ... they are boyfriend girlfriend", a school's "a
    sixth former (18) and a Year 11 (16) are in a relationship": a child's partner who is an adult
    is involved, whatever the model reads (as "my boyfriend is 21" is)."""
    if not any(age < ADULT_AGE for age in facts.child_ages + facts.other_ages):
        return
    doc = cues.doc
    partners = [m.start() for m in _CHILDS_PARTNER.finditer(cues.text)]
    for span in cues.live("AGE_OTHER") + cues.live("AGE_PERSON"):
        value = _number(span)
        if not (is_age(value) and value >= ADULT_AGE) or _older_family(doc, span):
            continue  # "her older brother (19) found out she'd sent a photo to her boyfriend"
        start = doc[span.start].idx
        # the partner said near the age, in the same sentence ("her brother-in-law (34) ... her
        # boyfriend (also 15)" is two people)
        if any(
            abs(at - start) <= _PARTNER_REACH
            and not re.search(r"[.!?\n]", cues.text[min(at, start) : max(at, start)])
            for at in partners
        ):
            facts.adult_actor = facts.adult_other = True
            facts.firm.add("adult_involved")
            return


def _read_a_bare_age(cues: Cues, facts: MessageFacts) -> None:
    """A message that is only an age is the writer's; whose it is may depend on the question."""
    for span in cues.said("AGE_BARE"):
        # only a message that is nothing but an age: "12", "14 btw"
        if span.start == 0 and span.end == len(cues.doc):
            value = _number(span)
            if is_age(value) and value not in facts.self_ages:
                facts.self_ages.append(value)
                facts.bare_age = True


def _read_a_shared_age(cues: Cues, facts: MessageFacts) -> None:
    """ "We're both 15": the writer and the other young person are the same age (peers)."""
    for span in cues.live("AGE_BOTH"):
        value = _year_to_age(span)  # "both in year 10", "both in yr10"
        value = value if value is not None else _number(span)
        if is_age(value):
            facts.peers = True
            for target in (facts.self_ages, facts.other_ages):
                if value not in target:
                    target.append(value)


def read_school_years_decades_and_gap(cues: Cues, facts: MessageFacts) -> None:
    """Reads school settings, school years, decades ("in his 40s") and gaps; adds ages and decides age_gap."""
    for span in cues.live("PRIMARY"):
        age = 11 if "secondary" in span.text.lower() or "year 7" in span.text.lower() else 10
        if age not in facts.setting_ages:
            facts.setting_ages.append(age)
    for label, target in (
        ("YEAR_SELF", facts.self_ages),
        ("YEAR_CHILD", facts.child_ages),
        ("YEAR_OTHER", facts.other_ages),
    ):
        for span in cues.live(label):
            value = _year_to_age(span)
            if value is not None and value not in target:
                target.append(value)
    for span in cues.live("DECADE_OTHER"):
        decade = DECADES.get(span[-1].lower_)
        if _what_they_did(cues.doc, span) == "bystander":
            continue
        if decade and decade not in facts.other_ages:
            facts.other_ages.append(decade)
    for span in cues.live("GAP"):
        if span.text.lower().split()[-1] == "older" or "older" in span.text.lower():
            facts.age_gap = _number(span)


def sort_adult_and_child_ages(facts: MessageFacts, person_ages: list[int]) -> None:
    """Reads the ages found so far; moves adults' ages out of child_ages, the child's out of other_ages."""
    # "a 19 year old student": an age of 18 or over said with a pupil or student word is an adult's
    facts.other_ages += [a for a in facts.child_ages if a >= ADULT_AGE and a not in facts.other_ages]
    facts.child_ages = [a for a in facts.child_ages if a < ADULT_AGE]
    # A number counted as an other-age that is also the child's (e.g. "my 15 year old") is the child's.
    facts.other_ages = [a for a in facts.other_ages if a in person_ages or a not in facts.child_ages]


def read_roles(cues: Cues, facts: MessageFacts) -> None:
    """Reads adult roles and "older"; decides adult_other, adult_actor (firm adult_involved), older_other."""
    doc = cues.doc
    # "I'm a teacher" is the writer; "I told my teacher" is someone they told.
    for span in cues.live("ADULT_ROLE"):
        if _acts_on_child(doc, span):
            facts.adult_actor = facts.adult_other = True
            facts.firm.add("adult_involved")
            continue
        if _preceded_by(doc, span, _SELF_WORDS, window=3) and not span.text.startswith(("my", "a man")):
            continue
        if _writers_own_role(doc, span):
            continue
        if span.text.lower() == "coach" and _preceded_by(doc, span, {"on", "by"}, window=2):
            continue  # "asleep on the coach": the bus
        if _object_of(doc, span, _INFORMANT_VERBS) or _object_of(doc, span, _MODALS):
            continue
        if [t.lower_ for t in doc[span.end : span.end + 2]] == ["to", "know"]:
            continue  # "he just wanted an adult to know": someone told
        if _what_they_did(doc, span) == "bystander":
            continue  # "my teacher confiscated my phone", "my PE teacher rang me"
        facts.adult_other = True
    facts.older_other = cues.has("OLDER") and not facts.adult_other


def read_audience(cues: Cues, facts: MessageFacts) -> None:
    """Reads school, parent and young-person words and the ages; decides audience, strongest first."""
    if cues.has("SCHOOL") or any(s.text.lower() in {"i am a teacher", "i m a teacher"} for s in cues.spans):
        facts.audience = "school"
    if cues.has("PARENT") or facts.child_ages and not facts.self_ages:
        facts.audience = facts.audience or "parent"
    # who is writing does not depend on negation: "not my mum" still has a mum
    if not facts.audience and (
        (facts.self_ages and min(facts.self_ages) < ADULT_AGE) or cues.said("YOUNG_PERSON")
    ):
        facts.audience = "young_person"


# "a talk at school about nudes", "asked what 'send nudes' means", "if u send a nude u go to
# prison": the image is what is talked about, not one that exists ("about my pics" is one)
_TOPIC_BEFORE = {"about", "what", "whats", "meaning", "explain", "explained"}
_CONDITIONAL_SENDER = {"you", "u", "someone", "somebody", "anyone", "people"}
_PARTICULAR = {"my", "her", "his", "their", "your", "ur", "the", "those", "these", "that", "this", "them"}


def _only_a_topic(doc: Doc, span: Span) -> bool:
    if span.start > 0 and doc[span.start - 1].lower_ in _PARTICULAR:
        return False
    before = []
    for token in reversed(doc[max(0, span.start - 5) : span.start]):
        if token.lower_ in _CLAUSE_BREAKS - {"and"}:
            break  # "about nudes and sending pictures" is one topic; a new clause is not
        before.insert(0, token.lower_)
    if _TOPIC_BEFORE & set(before[-3:]) or "about" in before:
        return True
    return "if" in before and bool(_CONDITIONAL_SENDER & set(before[before.index("if") + 1 :]))


def read_image_and_writer(cues: Cues, facts: MessageFacts) -> None:
    """Reads image words and the writer's acts; decides mentions_image, writer_acted, resolved, live."""
    doc = cues.doc
    # an image said to be there, not "no pics or anything": with ages and care, an incident
    facts.mentions_image = (
        cues.has("COLLECTION")
        or cues.has("INCIDENT")
        or any(
            (span := doc.char_span(m.start(), m.end(), alignment_mode="expand")) is not None
            and not _negated(doc, span, set(), window=3)
            and not _only_a_topic(doc, span)
            for m in cues.image_words
        )
    )
    facts.writer_acted = any(pattern.search(cues.text) for pattern in _WRITER_ACTED)
    facts.resolved = cues.has("RESOLVED")
    # negated words still say something goes on ("he hasn't stopped"); a feeling does not ("I
    # still think about it", HYPERBOLE)
    facts.live = any(span.start not in cues.hyperbole for span in cues.said("LIVE"))


# An offer made for an image: a favour or a thing on one side, "if i send a pic" on the other, in
# one sentence ("said hed do my coursework for free if i sent him a pic", "he'll give me a lift
# if i send one")
_OFFER = (
    r"(for free|do my (home ?work|coursework|essay|hair|nails)|give me a lift|buy me|pay for my|top up"
    r"|gi(ve|v) (me|u|you) (a|an|sum|some|free) \w+)"  # "sed thay wud giv me a iphone if i sent vids"
)
_IF_I_SEND = (
    r"(if|as long as|once|when) (i|u|you) (send|sent|sends|give|gave) (him|her|them|it)? ?"
    r"(a |one |some |my |the )?(pic|pics|photo|photos|picture|pictures|nude|nudes|selfie|body pic|one"
    r"|vid|vids|video|videos)\b"
)
_EXCHANGE = re.compile(
    rf"\b{_OFFER}\b[^.?!\n]{{0,60}}\b{_IF_I_SEND}|\b{_IF_I_SEND}[^.?!\n]{{0,40}}\b{_OFFER}\b"
)


def read_coercion_and_harm(cues: Cues, facts: MessageFacts) -> None:
    """Reads threat, money, self-harm, danger, violence and honour cues; adds those concerns and firm."""
    has = cues.has
    if cues.threat or has("FORCED"):
        facts.concerns.add("coercion_or_blackmail")
    if has("MONEY") and (cues.threat or cues.shares or cues.images or has("GROOMING")):
        facts.concerns.add("exploitation_or_profit")
    # "he'd do my coursework for free if i sent him a pic": something given for an image
    if _EXCHANGE.search(cues.text):
        facts.concerns.add("exploitation_or_profit")
    if has("SELF_HARM") or _GIVING_AWAY.search(cues.text) or _OVERDOSE.search(cues.text):
        facts.concerns.add("self_harm_risk")
    if has("DANGER_NOW"):
        facts.concerns.add("immediate_danger")
    if has("VIOLENCE"):
        facts.concerns.add("violence_or_threat")
    if has("HONOUR"):
        facts.firm.add("violence_or_threat")
    facts.concerns |= facts.firm


# "airdropped one of a girl in year 9 to everyone on the bus": who it went to can come a dozen
# words after the sharing, in the same sentence
_SHARED_WIDE_WINDOW = 12


def read_sharing_and_vulnerability(cues: Cues, facts: MessageFacts) -> None:
    """Reads sharing, repeat, capacity, imagery, care and grooming cues; adds those concerns."""
    doc, has = cues.doc, cues.has
    near_shared = not cues.limited and any(
        abs(w.start - x.start) <= _SHARED_WIDE_WINDOW and _same_sentence(doc, w, x)
        for w in cues.live("WIDE")
        for x in cues.live("SHARED")
    )
    # places like an expose account or "the whole of year 9" make sharing wide on their own
    refers_to_image = (
        cues.images or cues.shares or cues.shared or bool(re.search(r"\b(it|them|mine)\b", cues.text))
    )
    if (
        near_shared
        or (has("COLLECTION") and bool(cues.image_words))
        or (has("WIDE_STRONG") and refers_to_image and not cues.limited)
        or (has("FAKE") and (cues.shares or cues.shared))
    ):
        facts.concerns.add("malicious_or_wide_sharing")
    # taken without the person knowing ("secretly filmed", "upskirt"): malicious from the start
    if any(_taken_covertly(doc, span) for span in cues.live("COVERT")) and cues.images:
        facts.concerns.add("malicious_or_wide_sharing")
    if has("REPEAT") and (cues.shares or cues.shared or cues.images):
        facts.concerns.add("repeat_behaviour")
    # "I have autism, so I take things literally" describes the writer, not a doubt about consent
    if any(
        not (_SEN.search(span.text.lower()) and _preceded_by(doc, span, _SELF_DESCRIBING, window=3))
        and not _writers_workplace(doc, span)
        and not _asleep_now(doc, span)
        for span in cues.live("CAPACITY")
    ):
        facts.concerns.add("capacity_to_consent")
    if has("ATYPICAL") and cues.images:
        facts.concerns.add("atypical_or_violent_imagery")
    if has("IN_CARE"):
        facts.concerns.add("child_protection_known")
    if has("GROOMING"):
        facts.concerns.add("grooming")


_ASLEEP = {"asleep", "sleeping"}
_NOW_STATE = {"'s", "s", "is", "are", "'re", "and", "now"}
_WHEN_ASLEEP = {
    "when",
    "while",
    "whilst",
    "of",
    "if",
    "was",
    "were",
    "been",
    "got",
    "photo",
    "pic",
    "picture",
}


def _asleep_now(doc: Doc, span: Span) -> bool:
    """ "He's 13 and asleep", "the kids are sleeping now": where the child is as the carer writes,
    not a doubt about consent ("pics of her while she was asleep", "when she's asleep")."""
    if span.text.lower() not in _ASLEEP or span.start == 0:
        return False
    before = {t.lower_ for t in doc[max(0, span.start - 5) : span.start]}
    return doc[span.start - 1].lower_ in _NOW_STATE and not before & _WHEN_ASLEEP


def read_request_for_a_person(cues: Cues, facts: MessageFacts) -> None:
    """Reads a request for a person (after read_framing's declines_person); adds user_request."""
    if (
        any(not _agent(cues.doc, span) for span in cues.live("HUMAN_NOUN"))
        and cues.has("REQUEST")
        and not facts.declines_person
        and not re.search(r"\b(are|r) (you|u)\b|\bis (this|it)\b", cues.text)
    ):
        facts.concerns.add("user_request")


def read_denials(cues: Cues, facts: MessageFacts) -> None:
    """Reads cues that are all negated, against the concerns so far; decides denied."""
    # What the message raises only to deny it: the concern model reads words, not negation, so
    # these overrule it (assessment.py).
    for label, codes in _DENIABLE.items():
        if cues.said(label) and not cues.live(label):
            facts.denied |= codes - facts.concerns
    if facts.declines_person:
        facts.denied.add("user_request")


def read_markers(cues: Cues, facts: MessageFacts) -> None:
    """Reads the cues that only make a concern together with another turn's; decides markers."""
    for label, marker in (
        ("MONEY", "money"),
        ("WIDE", "wide" if not cues.limited else ""),
        ("WIDE_STRONG", "wide"),
        ("REPEAT", "repeat"),
        ("SHARE_VERB", "share"),
        ("SHARED", "shared"),
        ("DEADLINE", "deadline"),
    ):
        if marker and cues.has(label):
            facts.markers.add(marker)
    if cues.threat:
        facts.markers.add("threat")


def drop_sharing_of_a_picture_that_is_not_a_nude(cues: Cues, facts: MessageFacts) -> None:
    """Reads NOT_SEXUAL; takes back wide sharing and repeats, and denies them to the model."""
    # "a meme in the group chat", "fully clothed, put on their story": passing round a picture
    # that is not a nude is not this service's concern (bullying has its own routes). Other
    # concerns stand: an adult asking for "normal" photos is still an adult asking.
    # "not nudes exactly but im in underwear in some": a semi-nude is still this service's concern
    if cues.has("NOT_SEXUAL") and not cues.has("SEMI_NUDE"):
        facts.not_sexual = True
        facts.concerns -= _NOT_SEXUAL_TAKES_BACK
        facts.denied |= _NOT_SEXUAL_TAKES_BACK
        facts.markers -= {"wide", "shared", "share", "repeat"}


def drop_banter(cues: Cues, facts: MessageFacts) -> None:
    """Reads laughter and image words; removes threat concerns and the threat marker from banter."""
    # After the concerns and markers, which it takes back; before asking ahead, which looks at
    # what concerns are left. Denials were read before it: a joke does not deny a threat.
    # Banter ("he's gonna kill me 😂" about homework) is not a threat when no image is in it.
    if _LAUGHING.search(cues.text) and not cues.images and not _own_plan(cues.text):
        facts.concerns -= {"violence_or_threat", "coercion_or_blackmail"}
        facts.markers.discard("threat")


def hold_to_a_plan_of_violence(cues: Cues, facts: MessageFacts) -> None:
    """Reads the writer's own plan with a time set; makes violence firm."""
    if "violence_or_threat" in facts.concerns and _own_plan(cues.text):
        facts.firm.add("violence_or_threat")


def clear_ages_when_asking_ahead(cues: Cues, facts: MessageFacts) -> None:
    """Reads a preventive cue and the concerns left; clears ages and people when nothing is of concern."""
    # After every concern (and banter) is settled: only a message with none left is asking ahead.
    # Asking ahead ("she's 12 and just got her first phone") is not a disclosure about anyone.
    if cues.said("PREVENTIVE") and not facts.concerns:
        facts.self_ages.clear()
        facts.child_ages.clear()
        facts.setting_ages.clear()
        facts.other_ages.clear()
        facts.adult_other = facts.older_other = False


# "nothing has happened yet", "nothing's happened since": something may still be coming
_NOT_OVER_YET = {"yet", "since", "so", "again", "after", "until", "till"}


def read_no_incident(cues: Cues, facts: MessageFacts) -> None:
    """Reads NO_INCIDENT; decides no_incident (assessment.py weighs it across the conversation)."""
    for span in cues.said("NO_INCIDENT"):
        following = {t.lower_ for t in cues.doc[span.end : span.end + 2]}
        if not following & _NOT_OVER_YET:
            facts.no_incident = True


def hold_a_general_question(facts: MessageFacts) -> None:
    """Reads hypothetical and real; moves concerns, markers and others' ages of a general question to held."""
    # Last: it sets aside whatever every other stage decided.
    # A general question informs; it does not disclose. What someone says of themselves
    # ("I'm 12") and signs of danger or self-harm are never set aside; the rest is held,
    # and counts if they later say it is happening to them.
    if facts.hypothetical and not facts.real:
        kept = {"self_harm_risk", "immediate_danger", "user_request"}
        facts.firm &= kept
        facts.held = facts.concerns - kept
        facts.concerns &= kept
        facts.markers.clear()
        facts.held_ages = facts.other_ages + facts.child_ages
        facts.child_ages.clear()
        facts.setting_ages.clear()
        facts.other_ages.clear()
        facts.adult_other = facts.older_other = False
        facts.age_gap = None


def read_message(text: str, doc: Doc) -> MessageFacts:
    """One message's facts: the rules' reading of the parsed text, and the concern model's.
    If the model cannot be had, the rules stand alone and the failure is logged loudly: the
    screen never stops answering."""
    facts = extract(doc)
    try:
        from safeguarding.concern_model import concern_model

        facts.model_concerns, facts.model_clear, facts.model_support = concern_model().read(text)
        facts.model_read = True
    except Exception:
        logger.exception("the concern model could not read a message: screening with the rules alone")
    return facts
