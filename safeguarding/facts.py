"""Reads one message's safeguarding facts from the spans the rules matched.

A cue alone is rarely a concern: this module combines cues (a sharing verb plus "unless" is a
threat to share), drops cues that are negated ("he's not an adult") and marks general
questions ("what happens if an adult asks for pics?") so they inform rather than escalate.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from safeguarding.ages import ADULT_AGE, DECADES, NUMBER_WORDS, age_of_year_text, is_age
from safeguarding.nlp import SPANS_KEY

logger = logging.getLogger(__name__)

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
    r"\b(pic|pics|picture|pictures|photo|photos|image|images|nude|nudes|"
    r"video|videos|vid|vids|selfie|selfies|snap|snaps|imagery|clip|film|filmed|filming|recording|recorded|"
    r"screenshot|screenshots|screenshotted)\b"
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
_BYSTANDER_PHRASES = (("found", "out"), ("find", "out"), ("finding", "out"), ("is", "a"), ("was", "a"))
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


@dataclass
class MessageFacts:
    """What one message says, as far as safeguarding is concerned."""

    concerns: set[str] = field(default_factory=set)  # reason codes from this message alone
    self_ages: list[int] = field(default_factory=list)
    child_ages: list[int] = field(default_factory=list)
    other_ages: list[int] = field(default_factory=list)
    setting_ages: list[int] = field(
        default_factory=list
    )  # "a primary school child": a child's age from a setting
    adult_other: bool = False  # an adult (a man, my teacher, his stepdad ...) is involved
    older_other: bool = False  # a much older young person is involved
    age_gap: int | None = None  # "5 years older"
    audience: str | None = None  # young_person | parent | school, when the words say so
    hypothetical: bool = False  # a general question, not a disclosure
    real: bool = False  # "it's happening to me": an earlier question was real
    held: set[str] = field(default_factory=set)  # concerns set aside as hypothetical
    held_ages: list[int] = field(default_factory=list)  # others' ages in a general question, likewise
    markers: set[str] = field(default_factory=set)  # cues that combine across turns
    peers: bool = False  # "we're both 15": the two young people are the same age
    declines_person: bool = False  # "I don't want to talk to a person"
    model_concerns: set[str] = field(default_factory=set)  # what the concern model reads
    model_clear: bool = False  # the concern model is sure there is nothing to see
    model_read: bool = False  # the concern model read this message (it can fail: rules alone)
    model_support: set[str] = field(default_factory=set)  # reasons it gives some support to
    bare_age: bool = False  # the message is nothing but an age ("19"): whose depends on the question
    denied: set[str] = field(
        default_factory=set
    )  # said and denied: "he's not an adult", "I'm not going to hurt myself"
    # concerns read from plain words the model under-reads (honour-based abuse, an adult who
    # took or asked for the image): they stand whatever the model says (assessment.py)
    firm: set[str] = field(default_factory=set)
    mentions_image: bool = False  # an image is said to exist ("no pics or anything" is not)
    writer_acted: bool = False  # the writer sent, asked for, has or was sent an image
    adult_actor: bool = False  # an adult role made or asked for the image
    resolved: bool = False  # the incident is over and was dealt with ("police sorted it, nothing since")
    live: bool = False  # something is still going on or happened just now ("he's messaging again")

    def as_entities(self) -> list[dict]:
        """The facts as Rasa entities, so they are kept with the message in the tracker."""
        ents: list[dict] = []
        add = lambda entity, value, role=None: ents.append(  # noqa: E731
            {
                "entity": entity,
                "value": value,
                **({"role": role} if role else {}),
                "extractor": "SafeguardingScreen",
            }
        )
        for code in sorted(self.concerns):
            add("concern", code, "firm" if code in self.firm else None)
        for role, ages in (
            ("self", self.self_ages),
            ("child", self.child_ages),
            ("other", self.other_ages),
            ("setting", self.setting_ages),
        ):
            for age in ages:
                add("age", str(age), role)
        if self.adult_other:
            add("person", "adult")
        if self.adult_actor:
            add("person", "adult_actor")
        if self.older_other:
            add("person", "older")
        if self.age_gap is not None:
            add("age_gap", str(self.age_gap))
        if self.audience:
            add("audience", self.audience)
        if self.hypothetical:
            add("framing", "hypothetical")
        if self.real:
            add("framing", "real")
        for code in sorted(self.held):
            add("held_concern", code)
        for age in self.held_ages:
            add("held_age", str(age))
        for marker in sorted(self.markers):
            add("cue", marker)
        if self.peers:
            add("framing", "peers")
        if self.declines_person:
            add("framing", "declines_person")
        for code in sorted(self.model_concerns):
            add("model_concern", code)
        if self.model_clear:
            add("framing", "model_clear")
        if self.model_read:
            add("framing", "model_read")
        for code in sorted(self.model_support):
            add("model_support", code)
        if self.bare_age:
            add("framing", "bare_age")
        if self.mentions_image:
            add("framing", "mentions_image")
        if self.writer_acted:
            add("framing", "writer_acted")
        if self.resolved:
            add("framing", "resolved")
        if self.live:
            add("framing", "live")
        for code in sorted(self.denied):
            add("denied", code)
        return ents

    @classmethod
    def from_entities(cls, entities: list[dict]) -> MessageFacts:
        facts = cls()
        for ent in entities or []:
            name, value, role = ent.get("entity"), ent.get("value"), ent.get("role")
            if name == "concern":
                facts.concerns.add(str(value))
                if role == "firm":
                    facts.firm.add(str(value))
            elif name == "age" and str(value).isdigit():
                {"self": facts.self_ages, "child": facts.child_ages, "setting": facts.setting_ages}.get(
                    role, facts.other_ages
                ).append(int(value))
            elif name == "person":
                facts.adult_other |= value in ("adult", "adult_actor")
                facts.adult_actor |= value == "adult_actor"
                facts.older_other |= value == "older"
            elif name == "age_gap" and str(value).isdigit():
                facts.age_gap = int(value)
            elif name == "audience":
                facts.audience = str(value)
            elif name == "framing":
                facts.hypothetical |= value == "hypothetical"
                facts.real |= value == "real"
                facts.peers |= value == "peers"
                facts.declines_person |= value == "declines_person"
                facts.model_clear |= value == "model_clear"
                facts.model_read |= value == "model_read"
                facts.bare_age |= value == "bare_age"
                facts.mentions_image |= value == "mentions_image"
                facts.writer_acted |= value == "writer_acted"
                facts.resolved |= value == "resolved"
                facts.live |= value == "live"
            elif name == "model_concern":
                facts.model_concerns.add(str(value))
            elif name == "model_support":
                facts.model_support.add(str(value))
            elif name == "denied":
                facts.denied.add(str(value))
            elif name == "age_band" and value == "adult":
                # "18 or over", the answer to the age question's button
                facts.adult_other = True
            elif name == "held_concern":
                facts.held.add(str(value))
            elif name == "held_age" and str(value).isdigit():
                facts.held_ages.append(int(value))
            elif name == "cue":
                facts.markers.add(str(value))
        return facts


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
        if not bystander and (word in _BYSTANDER_VERBS or pair in _BYSTANDER_PHRASES):
            bystander = True
            continue
        if word in _ACTOR_VERBS:
            if not bystander:
                return "actor"
            if i > 0 and doc[i - 1].lower_ in _ACTOR_SUBJECTS:
                return "actor"  # "found my pics and posted them"
    if bystander:
        # "...found out and then he sent them round": an actor's verb later in the sentence
        for i in range(end, len(doc)):
            if doc[i].lower_ in _SENTENCE_ENDS:
                break
            if doc[i].lower_ in _ACTOR_VERBS and doc[i - 1].lower_ in _ACTOR_SUBJECTS:
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
}


def _agent(doc: Doc, span: Span) -> bool:
    nxt = [t.lower_ for t in doc[span.end : span.end + 2]]
    return bool(nxt) and (
        nxt[0] in _AGENT_NEXT or nxt[:2] in (["to", "come"], ["to", "visit"], ["to", "give"])
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
    facts = MessageFacts()
    spans = list(doc.spans[SPANS_KEY]) if SPANS_KEY in doc.spans else []
    by_label: dict[str, list[Span]] = {}
    for span in spans:
        by_label.setdefault(span.label_, []).append(span)

    own_tokens = {i for label in _OWN_PHRASES for s in by_label.get(label, []) for i in range(s.start, s.end)}

    hyperbole = {i for s in by_label.get("HYPERBOLE", []) for i in range(s.start, s.end)}

    def live(label: str) -> list[Span]:
        """Spans of a label that are neither negated nor part of an everyday exaggeration."""
        return [
            s
            for s in by_label.get(label, [])
            if not _negated(doc, s, own_tokens) and not (hyperbole and s.start in hyperbole)
        ]

    def has(label: str) -> bool:
        return bool(live(label))

    text = doc.text.lower()
    # "you know what happens if you stop replying" quotes a threat; its "what happens if" does
    # not make the message a general question
    threat_tokens = {i for sp in by_label.get("THREAT", []) for i in range(sp.start, sp.end)}
    facts.hypothetical = any(
        sp.start not in threat_tokens and sp.end - 1 not in threat_tokens for sp in live("HYPOTHETICAL")
    )
    facts.real = has("REAL")
    gap_starts = {s.start for s in by_label.get("GAP", [])}

    # Ages. An age said with a person word ("my 21yo bf", "his cousin who's 19") is that person's,
    # whatever else matched the same number ("my daughter's 25 year old boyfriend").
    person_numbers: set[int] = set()
    for span in live("AGE_PERSON"):
        number_token = next((t for t in span if _number([t]) is not None), None)
        value = _number([number_token]) if number_token is not None else None
        if is_age(value):
            person_numbers.add(number_token.i)
            # "my brother (19) found out": someone who only found out is not involved
            if _what_they_did(doc, span) == "bystander":
                continue
            if value not in facts.other_ages:
                facts.other_ages.append(value)
    person_ages = list(facts.other_ages)
    # An age right before "years older" is a gap, not an age.
    for label, target in (
        ("AGE_SELF", facts.self_ages),
        ("AGE_CHILD", facts.child_ages),
        ("AGE_OTHER", facts.other_ages),
    ):
        for span in live(label):
            number_token = next((t for t in span if _number([t]) is not None), None)
            if number_token is not None and (
                number_token.i in gap_starts or number_token.i in person_numbers
            ):
                continue
            value = ADULT_AGE if span.text.lower().startswith(("over", "above")) else _number(span)
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
    for span in by_label.get("AGE_BARE", []):
        # only a message that is nothing but an age: "12", "14 btw"
        if span.start == 0 and span.end == len(doc):
            value = _number(span)
            if is_age(value) and value not in facts.self_ages:
                facts.self_ages.append(value)
                facts.bare_age = True
    for span in live("AGE_BOTH"):
        value = _year_to_age(span)  # "both in year 10", "both in yr10"
        value = value if value is not None else _number(span)
        if is_age(value):
            facts.peers = True
            for target in (facts.self_ages, facts.other_ages):
                if value not in target:
                    target.append(value)
    facts.declines_person = bool(by_label.get("DECLINE_PERSON"))
    for span in live("PRIMARY"):
        age = 11 if "secondary" in span.text.lower() or "year 7" in span.text.lower() else 10
        if age not in facts.setting_ages:
            facts.setting_ages.append(age)
    for label, target in (
        ("YEAR_SELF", facts.self_ages),
        ("YEAR_CHILD", facts.child_ages),
        ("YEAR_OTHER", facts.other_ages),
    ):
        for span in live(label):
            value = _year_to_age(span)
            if value is not None and value not in target:
                target.append(value)
    for span in live("DECADE_OTHER"):
        decade = DECADES.get(span[-1].lower_)
        if _what_they_did(doc, span) == "bystander":
            continue
        if decade and decade not in facts.other_ages:
            facts.other_ages.append(decade)
    for span in live("GAP"):
        if span.text.lower().split()[-1] == "older" or "older" in span.text.lower():
            facts.age_gap = _number(span)
    # "a 19 year old student": an age of 18 or over said with a pupil or student word is an adult's
    facts.other_ages += [a for a in facts.child_ages if a >= ADULT_AGE and a not in facts.other_ages]
    facts.child_ages = [a for a in facts.child_ages if a < ADULT_AGE]
    # A number counted as an other-age that is also the child's (e.g. "my 15 year old") is the child's.
    facts.other_ages = [a for a in facts.other_ages if a in person_ages or a not in facts.child_ages]

    # Roles: "I'm a teacher" is the writer; "I told my teacher" is someone they told.
    for span in live("ADULT_ROLE"):
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
        if _what_they_did(doc, span) == "bystander":
            continue  # "my teacher confiscated my phone", "my PE teacher rang me"
        facts.adult_other = True
    facts.older_other = has("OLDER") and not facts.adult_other

    # Audience from the words, strongest first.
    if has("SCHOOL") or any(s.text.lower() in {"i am a teacher", "i m a teacher"} for s in spans):
        facts.audience = "school"
    if has("PARENT") or facts.child_ages and not facts.self_ages:
        facts.audience = facts.audience or "parent"
    # who is writing does not depend on negation: "not my mum" still has a mum
    if not facts.audience and (
        (facts.self_ages and min(facts.self_ages) < ADULT_AGE) or by_label.get("YOUNG_PERSON")
    ):
        facts.audience = "young_person"

    # Concerns that rest on this message alone.
    shares, shared = has("SHARE_VERB"), has("SHARED")
    image_words = list(_IMAGE_WORDS.finditer(text))
    images = bool(image_words) or has("FAKE") or has("COLLECTION")
    # an image said to be there, not "no pics or anything": with ages and care, an incident
    facts.mentions_image = (
        has("COLLECTION")
        or has("INCIDENT")
        or any(
            (span := doc.char_span(m.start(), m.end(), alignment_mode="expand")) is not None
            and not _negated(doc, span, set(), window=3)
            for m in image_words
        )
    )
    facts.writer_acted = any(pattern.search(text) for pattern in _WRITER_ACTED)
    facts.resolved, facts.live = has("RESOLVED"), bool(by_label.get("LIVE"))
    # "if she reports it" threatens only alongside violence ("...he'll make her pay")
    threat = (
        (has("REPORT_CONDITION") and has("VIOLENCE"))
        or has("THREAT")
        or (shares and has("CONDITION"))
        or (has("DEMAND") and (has("CONDITION") or has("THREAT")))
    )
    money = has("MONEY")
    # a demand for money, or "unless I ... pay", is extortion even without the word "threat"
    threat = (
        threat
        or (has("DEMAND") and money)
        or (has("CONDITION") and money and (images or shares))
        or (has("DEADLINE") and shares)
    )
    if threat or has("FORCED"):
        facts.concerns.add("coercion_or_blackmail")
    if money and (threat or shares or images or has("GROOMING")):
        facts.concerns.add("exploitation_or_profit")
    if has("SELF_HARM") or _GIVING_AWAY.search(text):
        facts.concerns.add("self_harm_risk")
    if has("DANGER_NOW"):
        facts.concerns.add("immediate_danger")
    if has("VIOLENCE"):
        facts.concerns.add("violence_or_threat")
    if has("HONOUR"):
        facts.firm.add("violence_or_threat")
    facts.concerns |= facts.firm
    limited = bool(by_label.get("LIMITED"))
    near_shared = not limited and any(
        abs(w.start - x.start) <= 8 and _same_sentence(doc, w, x)
        for w in live("WIDE")
        for x in live("SHARED")
    )
    # places like an expose account or "the whole of year 9" make sharing wide on their own
    refers_to_image = images or shares or shared or bool(re.search(r"\b(it|them|mine)\b", text))
    if (
        near_shared
        or (has("COLLECTION") and bool(image_words))
        or (has("WIDE_STRONG") and refers_to_image and not limited)
        or (has("FAKE") and (shares or shared))
    ):
        facts.concerns.add("malicious_or_wide_sharing")
    if has("REPEAT") and (shares or shared or images):
        facts.concerns.add("repeat_behaviour")
    # "I have autism, so I take things literally" describes the writer, not a doubt about consent
    if any(
        not (_SEN.search(span.text.lower()) and _preceded_by(doc, span, _SELF_DESCRIBING, window=3))
        and not _writers_workplace(doc, span)
        for span in live("CAPACITY")
    ):
        facts.concerns.add("capacity_to_consent")
    if has("ATYPICAL") and images:
        facts.concerns.add("atypical_or_violent_imagery")
    if has("IN_CARE"):
        facts.concerns.add("child_protection_known")
    if has("GROOMING"):
        facts.concerns.add("grooming")
    if (
        any(not _agent(doc, span) for span in live("HUMAN_NOUN"))
        and has("REQUEST")
        and not facts.declines_person
        and not re.search(r"\b(are|r) (you|u)\b|\bis (this|it)\b", text)
    ):
        facts.concerns.add("user_request")

    # What the message raises only to deny it: the concern model reads words, not negation, so
    # these overrule it (assessment.py).
    for label, codes in _DENIABLE.items():
        if by_label.get(label) and not live(label):
            facts.denied |= codes - facts.concerns
    if facts.declines_person:
        facts.denied.add("user_request")

    # Cues that only make a concern together with another turn's cues.
    for label, marker in (
        ("MONEY", "money"),
        ("WIDE", "wide" if not limited else ""),
        ("WIDE_STRONG", "wide"),
        ("REPEAT", "repeat"),
        ("SHARE_VERB", "share"),
        ("SHARED", "shared"),
        ("DEADLINE", "deadline"),
    ):
        if marker and has(label):
            facts.markers.add(marker)
    if threat:
        facts.markers.add("threat")

    # Banter ("he's gonna kill me 😂" about homework) is not a threat when no image is in it.
    if _LAUGHING.search(text) and not images:
        facts.concerns -= {"violence_or_threat", "coercion_or_blackmail"}
        facts.markers.discard("threat")

    # Asking ahead ("she's 12 and just got her first phone") is not a disclosure about anyone.
    if by_label.get("PREVENTIVE") and not facts.concerns:
        facts.self_ages.clear()
        facts.child_ages.clear()
        facts.setting_ages.clear()
        facts.other_ages.clear()
        facts.adult_other = facts.older_other = False

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
    return facts


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
