"""What one message says, as far as safeguarding is concerned (MessageFacts), and its round trip
through Rasa entities, so the facts are kept with the message in the tracker.

It imports nothing heavy: the actions and the school check read facts from entities without
needing spaCy. The reading of a message into these facts is safeguarding/facts.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
    no_incident: bool = False  # "nothing has happened": the writer asks ahead of any incident
    all_adults: bool = False  # "they're both adults", "this isn't a child case": no child is in it
    not_sexual: bool = (
        False  # the picture is not a nude ("a meme", "fully clothed"): its sharing is not a concern
    )

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
        if self.not_sexual:
            add("framing", "not_sexual")
        if self.no_incident:
            add("framing", "no_incident")
        if self.all_adults:
            add("framing", "all_adults")
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
                facts.not_sexual |= value == "not_sexual"
                facts.no_incident |= value == "no_incident"
                facts.all_adults |= value == "all_adults"
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
