"""Realistic conversations for the benchmark, over the REST channel (design.md, contract 1).

Three kinds of people write, as in the service: young people (some disclose a threat, which
escalates), parents, and school staff who run the guided check (about 13 turns of questions
answered with its buttons, read from each reply as the chat page does). A conversation is 20-40
turns, drawn with a seeded random generator so every run sends the same conversations.
"""

from __future__ import annotations

import random

YOUNG_PERSON = [
    "i sent a pic to my boyfriend and now i regret it",
    "will the police come to my house",
    "how do i get it taken down",
    "will it show on a dbs check",
    "is it illegal",
    "can my parents find out",
    "what is report remove",
    "what if he shares it with his mates",
    "thanks",
    "ok",
    "someone sent me a nude what do i do",
    "are you a bot",
    "my gf keeps asking for pics",
    "how do i say no without losing her",
    "can i get in trouble for having it on my phone",
    "who else can i talk to",
    "i feel really embarrassed",
    "what happens if i tell a teacher",
    "should i block him",
    "idk what to do",
]
DISCLOSURE = "he said he'll post my pics everywhere unless i send more"
PARENT = [
    "my daughter sent a photo to a boy in her class",
    "what should i do first",
    "will she get a criminal record",
    "should i go to the school",
    "how do i talk to her about it",
    "can it be removed from the internet",
    "do i have to report this to the police",
    "what will the police actually do",
    "thank you",
    "is it ok to look at the photo",
]
SCHOOL = [
    "I'm the DSL at a secondary school",
    "what do we do if a pupil shares a nude image",
    "should I look at the image",
    "do we have to tell the parents",
    "can we handle it in school",
    "thanks, that's helpful",
]
START_CHECK = "check the thresholds"


def script(rng: random.Random, turns: int) -> list[str]:
    """One conversation's messages; "CHECK" stands for the whole guided check."""
    kind = rng.choice(["young_person", "young_person", "parent", "school"])
    if kind == "school":
        opening = ["hi", SCHOOL[0], "CHECK"]
        pool = SCHOOL[1:]
    elif kind == "parent":
        opening, pool = ["hello", PARENT[0]], PARENT[1:]
    else:
        opening, pool = ["hi"], YOUNG_PERSON
        if rng.random() < 0.3:
            opening.append(DISCLOSURE)
    rest = max(0, turns - len(opening) - (13 if "CHECK" in opening else 0))
    return opening + [rng.choice(pool) for _ in range(rest)]


def long_script(turns: int, disclose: bool = True) -> list[str]:
    """One young person's long conversation: questions and small talk, cycled; with `disclose`,
    a threat early on (escalated to a person). Without it, no cue in it combines with another
    message's: the safeguarding assessment's most costly case while it compared every pair of
    messages (safeguarding/assessment.py `cues_across` is one pass now)."""
    opening = ["hi", "i sent a pic to my boyfriend and now we've broken up"] + (
        [DISCLOSURE] if disclose else []
    )
    return (opening + [YOUNG_PERSON[i % len(YOUNG_PERSON)] for i in range(turns)])[:turns]


def text(reply: list[dict]) -> str:
    return "\n".join(m.get("text") or "" for m in reply)


def check_answer(reply: list[dict]) -> str | None:
    """The guided check's next answer from the latest reply (its buttons), None once it ends."""
    words = text(reply)
    buttons = {b["title"]: b["payload"] for m in reply for b in m.get("buttons") or []}
    if "Result:" in words or not buttons and "How old" not in words:
        return None
    if "How old" in words:
        return "14 and 15"
    for title in ("Only between those involved", "Yes" if "devices holding" in words else "No"):
        if title in buttons:
            return buttons[title]
    return next(iter(buttons.values()))
