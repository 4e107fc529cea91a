"""Email addresses, social media handles and profile links.

- Emails: the usual shape (name@domain.tld, with dots, pluses and dashes; a comma typed for the
  last dot), and the spoken form people type to dodge filters or dictate ("jo.b at gmail dot com",
  "grace underscore obeng nineteen at hotmail dot co dot uk", "at the rate", "jo b @ gmail . com";
  after "my email is", every word up to "at": "margate mum seventy one at yahoo dot co dot uk").
- Profile links: a social platform's address with a path (instagram.com/name, tiktok.com/@name,
  snapchat.com/add/name, x.com/name).
- Handles: an @name (not Discord's @everyone or @here), a Discord tag (name#1234), and, in a
  message that names a platform ("my snap is ...", "his discord was ..."), words shaped like a
  username (letters with _ or . inside, or letters and digits mixed), or the word straight after
  "<platform> is".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from privacy.words import FUNCTION_WORDS, NUMBER_WORDS, common_words, word_set

EMAIL = re.compile(
    r"(?<![\w.+-])[a-z0-9](?:[a-z0-9._%+'-]*[a-z0-9_])?@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)*"
    r"(?:\.[a-z]{2,}\b|,(?:com|co\.uk|org|net)\b)",  # "@gmail,com": a comma typed for the last dot
    re.I,
)
# an email said aloud or typed to dodge filters: "jo.b at gmail dot com", "grace underscore obeng
# nineteen at hotmail dot co dot uk", "d dot penrose at exeter dot ac dot uk"
_SAID_DOT = r"\s*(?:\.|\(dot\)|\[dot\]|\bdot\b)\s*"
# "jo b @ gmail . com", dictation's "at sign", South Asian English's "at the rate"
_SAID_AT = r"\s*(?:\(at\)|\[at\]|\bat(?:\s+(?:sign|symbol)|\s+the\s+rate(?:\s+of)?)?\b|@)\s*"
_SAID_DOMAIN = (
    rf"(?:g\s?mail|hot\s?mail|out\s?look|[a-z0-9-]+)(?:{_SAID_DOT}[a-z0-9-]+)*?{_SAID_DOT}"
    rf"(?:(?:co|ac|org|gov|nhs|sch|ltd|me){_SAID_DOT}uk|com|org|net|uk|ie|eu|info|pt|lt|ph|vn|pl|ro)\b"
)
_NUMBER_WORDS_SAID = (
    "(?:"
    + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
    + r")(?:\s+(?:and\s+)?(?:"
    + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
    + "))*"
)
_LOCAL_PIECE = r"[a-z0-9][\w.+-]*"
_LOCAL_JOINER = r"\s+(?:dot|underscore|under\s?score|dash|hyphen)\s+"
# or spelt a character at a time: "j a d e 2 0 1 0 at hotmail dot co dot uk"
_LOCAL_PIECE_SAID = rf"(?:[a-z0-9](?:\s[a-z0-9]){{2,}}(?!\w)|{_LOCAL_PIECE})"
SPOKEN_EMAIL = re.compile(
    rf"(?<![\w.+-])(?:{_LOCAL_PIECE_SAID}{_LOCAL_JOINER})*{_LOCAL_PIECE_SAID}(?:\s+{_NUMBER_WORDS_SAID}(?![\w'’]))?"
    rf"{_SAID_AT}{_SAID_DOMAIN}",
    re.I,
)
# after "my email is", every word up to "at" is the address, spaces too: "margate mum seventy one
# at yahoo dot co dot uk"
_NOT_IN_ADDRESS = r"(?!(?:at|from|me|to|on|is|was|its|it's|my|his|her|the|address)\b)"
EMAIL_AFTER_CUE = re.compile(
    r"\be-?mail(?:\s+address)?(?:\s+(?:is|was|its|it's))?\s*[:=-]?\s+(?:me\s+(?:at|on)\s+)?"
    rf"(?P<email>{_NOT_IN_ADDRESS}{_LOCAL_PIECE}(?:\s+{_NOT_IN_ADDRESS}{_LOCAL_PIECE}){{0,5}}?{_SAID_AT}{_SAID_DOMAIN})",
    re.I,
)
PLATFORM_SITES = (
    r"instagram\.com|instagr\.am|tiktok\.com|vm\.tiktok\.com|x\.com|twitter\.com|facebook\.com|fb\.com|"
    r"m\.facebook\.com|snapchat\.com|youtube\.com|youtu\.be|twitch\.tv|reddit\.com|discord\.gg|"
    r"discord\.com|onlyfans\.com|t\.me|threads\.net|pinterest\.com|tumblr\.com|linkedin\.com|kik\.me|"
    r"wa\.me|ask\.fm|bsky\.app|linktr\.ee|steamcommunity\.com|roblox\.com"
)
PROFILE_LINK = re.compile(
    rf"(?:https?://)?(?:www\.)?(?:{PLATFORM_SITES})/[^\s,;!?()<>\"']*[\w/@-]",
    re.I,
)
# usernames may hold letters of any alphabet ("@zoë.x", "ĸing_jay"): \w, not [a-z]
AT_HANDLE = re.compile(r"(?<![\w@.])@\w(?:[\w.]*\w)?")
# an @ typed with a space after it, before a word shaped like a username: "@ scunny_leaks_"
AT_SPACE_HANDLE = re.compile(r"(?<![\w@.])@ (?P<name>[\w.]{3,30})(?![\w@])")
NOT_HANDLES = {"@everyone", "@here", "@channel", "@all"}
# a Reddit user: "u/name", "/u/name" (a subreddit, "r/name", is a place, not a person)
REDDIT_USER = re.compile(r"(?<![\w/])/?u/[\w-]{3,24}(?![\w/])")
DISCORD_TAG = re.compile(r"(?<![\w#])[\w.]{2,32}#(?:\d{4}|0)\b")  # "#0": Discord's new names

# Words that say the message is about an account (and so may hold a username).
PLATFORM_WORDS = re.compile(
    r"\b(?:snap|snapchat|sc|insta|instagram|ig|tiktok|tik tok|tt|discord|kik|twitter|twitch|"
    r"facebook|fb|telegram|yubo|wizz|roblox|fortnite|xbox|psn|gamertag|steam|reddit|threads|bereal|"
    r"omegle|youtube|onlyfans|finsta|tele|username|user name|usernames|handles?|accounts?|acc|profiles?|"
    r"group chat|groupchat|gc|server|gaming tag|gamer tag|friends? list|page called|page named|"
    r"add (?:him|her|me|them) on)\b",
    re.I,
)
# "my snap is <handle>", "his discord username was <handle>", "add him on snap: <handle>"
_PLATFORM_IS = (
    r"\b(?:snap|snapchat|sc|insta|instagram|ig|tiktok|discord|kik|twitter|twitch|telegram|yubo|wizz|"
    r"roblox|xbox|psn|gamertag|gamer tag|steam|username|user name|handle|game|gamer|in-game|ign)"
    r"(?:\s+(?:username|user name|name|handle|account|id|tag))?"
    r"(?:\s*(?:is|was|=|:|-)\s*|\s+called\s+|\s*,?\s*(?:which|that)\s+(?:is|was)\s+)"
)
_AFTER_PLATFORM = re.compile(rf"{_PLATFORM_IS}(?P<handle>@?[\w.][\w.-]{{1,28}}[\w.])(?![\w@-])", re.I)
# a gamertag or display name may hold spaces: "his xbox is LiamB Gaming", "gamertag is Kian McG 07"
# (taken when shaped like one, so "my xbox is Broken Now" stays)
_GAMERTAG = re.compile(
    r"\b(?P<cue>(?i:xbox|psn|playstation|gamertag|gamer tag|gt|steam|epic|roblox|fortnite|minecraft|game|in-game)"
    r"(?i:\s+(?:gamertag|gt|username|user name|name|tag|id|account))?)"
    r"(?:\s*\([^()\n]{1,40}\))?"  # an aside: "gamertag (it has a space) is ..."
    # no verb after the tag's own name: "with gamertag Wolfie PL 2011"
    r"(?:\s*(?i:is|was|=|:|-)\s*|(?<=(?i:tag|.gt))\s+)"
    # a first word in mixed case too: "xX Frosty Boi Xx"; a small "x" between words ("Kayo x
    # King") or closing the name before a dash or quote ("Big Dave x —")
    r"(?P<tag>(?:[A-Z]|[a-z]+[A-Z])[A-Za-z0-9_]*(?:\s+(?:[A-Z][A-Za-z0-9_]*|\d{1,4}|x{1,2}(?=\s+[A-Z0-9]))){1,3}"
    r"(?:\s+x{1,2}(?=\s*[—–-]|['\"’”)]))?)(?![\w@])"
)
# the cues that say what follows is a gamertag's own name: its capitalised words are the name
# ("xbox gt: Big Dave x", "gamertag is Lunar Wolf"), where "my xbox is Broken Now" is not
_TAG_CUE = re.compile(r"(?i:gamertag|gamer tag|gt|username|user name|name|tag|id)$")
# a username said in words, to get past filters or as it was heard: "tre dot pen dot 9", "cumbrian
# dot lad underscore 09", "r e u b e n underscore l e v y underscore x", "aisha with two a's then
# underscore bfd dot x", "w w w dot instagram dot com slash aston underscore villa"
_SPOKEN_JOINER = r"(?:then\s+)?(?:dot|underscore|under\s?score|slash|dash|hyphen|\.|_)"
_NUMBER_WORD = "(?:" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")"
_SPOKEN_PIECE = (
    rf"(?:[a-z0-9](?:\s[a-z0-9]){{2,}}(?![\w'’])|{_NUMBER_WORD}(?:\s+(?:and\s+)?{_NUMBER_WORD})+(?![\w'’])|[a-z0-9]+"
    r"(?:\s+with\s+(?:two|2|double|three|3|a|an)\s+[a-z](?:['’]?s)?(?![\w'’]))?)"
)
_SPELT = re.compile(r"\b(?:spelt|spelled|spelling|spell it)\b", re.I)
# how a username is said, before it: "username is spelled like kyle underscore b"
_SAID_AS = re.compile(r"(?:spelt|spelled|spelling|written|typed)(?:\s+(?:like|as))?(?:\s+|$)", re.I)
SPOKEN_HANDLE = re.compile(
    rf"(?<![\w@.])(?P<first>{_SPOKEN_PIECE})(?:\s+{_SPOKEN_JOINER}\s+{_SPOKEN_PIECE})+"
    # letters said one by one at the end: "lola underscore gateshead x x" ("a" and "i" are words)
    # and a number after them: "TYLER DOT M 07"
    r"(?:\s(?![ai]\s)(?:[a-z0-9]|\d{2,4})(?![\w'’]))*"
    # an underscore said at the end is the username's own: "jess dot xo underscore" (jess.xo_)
    r"(?:\s+(?:underscore|under\s?score)(?![\w'’]))?(?![\w@])",
    re.I,
)
# a name with a number said in words after "<platform> is": "his tiktok is rhondda rebel two
# thousand and eight."
_HANDLE_WITH_SPOKEN_NUMBER = re.compile(
    rf"{_PLATFORM_IS}(?P<handle>(?P<first>[a-z]+)(?:\s+[a-z]+){{0,2}}?(?:\s+(?:and\s+)?{_NUMBER_WORD})+)"
    r"(?=\s*(?:[.,!?;)]|$))",
    re.I,
)
# a username spelt out a character at a time: "his snap is J A Y B 0 7"
# (with its dots and underscores: "d a n n y . w 0 7")
_SPELT_OUT_HANDLE = re.compile(rf"{_PLATFORM_IS}(?P<handle>[^\W_](?:\s[\w.]){{2,}}\s[^\W_])(?!\w)", re.I)
# a name, a letter or two and a number, typed with spaces: "her sc is becky w 2009"
_HANDLE_WITH_SPACES = re.compile(
    rf"{_PLATFORM_IS}(?P<handle>(?P<first>[a-z]+)(?:\s+[a-z]{{1,2}}){{0,2}}\s+\d{{1,4}})(?!\w)", re.I
)
# the words that name an account's name: after them a name is said, quoted or not
_ACCOUNT_NAME = (
    r"\b(?i:gamertag|gamer\s?tag|user\s?names?|user|display\s+name|screen\s+name|in-?game\s+name|ign|"
    r"game\s+name|gamer\s+name|account\s+name|profile\s+name|channel\s+name|handle)"
)
# a name only in a message about accounts; not "a group chat called 'rate the girls'": a group's
# or a server's name is no one's
_PLAIN_NAME_WORD = r"\b(?i:name|id|tag)"
# an aside, or where the account is: "gamertag (it has a space) is", "gamertag on xbox is"
_ASIDE = (
    r"(?:\s*\([^()\n]{1,40}\))?(?:\s+(?i:on|for)\s+(?i:xbox|psn|playstation|steam|roblox|fortnite|discord|"
    r"snap|snapchat|insta|instagram|tiktok|twitch|yubo|kik|minecraft|live|xbox live))?"
)
_OPEN_QUOTE, _CLOSE_QUOTE = "['\"‘“]", "['\"’”]"
# a name in quotes after them: "his xbox name is 'TTV Bxdman'", "old user was 'moonlitxmia'",
# "gamertag is “Big Chungus 4 Life”"
_QUOTED_NAME = rf"{_ASIDE}\s*(?i:is|was|=|:|-|of)?\s+{_OPEN_QUOTE}(?P<handle>[^'\"‘’“”\n]{{1,40}}?){_CLOSE_QUOTE}(?![\w])"
QUOTED_ACCOUNT_NAME = re.compile(_ACCOUNT_NAME + _QUOTED_NAME)
QUOTED_PLAIN_NAME = re.compile(_PLAIN_NAME_WORD + _QUOTED_NAME)
# a name of a few words, not quoted, to the end of its clause: "gamertag lil kitty uwu",
# "username is sad boy 2009 and ...", "gamertag (its got a space) is Zayn Plays 77"
_CLAUSE_END = (
    r"(?=\s*(?:[.,!?;:()]|$)|\s+(?i:and|but|or|so|because|cos|coz|if|then|who|which|that|he|she|they|"
    r"it|i|im|i'm|on|in|from|with|pls|please|x+)\b)"
)
ACCOUNT_NAME_WORDS = re.compile(
    rf"{_ACCOUNT_NAME}{_ASIDE}\s*(?i:is|was|=|:|-)?\s+(?i:(?:something\s+)?like\s+)?"  # "was like shadow boy"
    rf"(?P<handle>[\w.@-]+(?:[ \t]+[\w.@-]+){{0,3}}?){_CLAUSE_END}"
)
# accounts listed one after another, each before "on <platform>": "jaylen.x.o on insta and
# jaylenxo on snap"
_ON_PLATFORM = (
    r"\s+on\s+(?:snap|snapchat|sc|insta|instagram|ig|tiktok|tt|discord|kik|twitter|telegram|yubo|wizz|"
    r"roblox|xbox|psn|steam|threads)\b"
)
_NEXT_ON_PLATFORM = re.compile(
    rf"(?<![\w@.])(?P<first>@?[\w.]{{3,30}}){_ON_PLATFORM}\s*(?:,|and|or|&)\s+(?P<handle>[\w.]{{3,30}}){_ON_PLATFORM}",
    re.I,
)
# a username in mixed case, in a message about an account: a capital after small letters
# ("xXcymruXx") or three capitals in one word ("RedRoseRuler"), not a brand ("iPhone", "TikTok")
_MIXED_CASE = re.compile(
    r"(?<![\w@#/.'’])(?:[a-z]+[A-Z]|[A-Z][a-z]+[A-Z][a-z]*[A-Z])[A-Za-z0-9]*(?![\w@#/'’])"
)
NOT_HANDLES_MIXED_CASE = word_set(
    """
    iphone ipad ipod icloud imessage itunes ebay youtube tiktok whatsapp facetime playstation
    onlyfans linkedin bereal snapchat instagram paypal gofundme airdrop macbook xbox livestream
    """
)
# with hyphens inside too: "D-Money_Official_"
_UNDERSCORED = re.compile(r"(?<![\w@#/.-])(?:[^\W_]|[.-](?=\w))*[^\W_]_(?:[\w.]|-(?=\w))*(?![\w@#/])")
# a setting's name, in capitals with underscores and no digits: the service's, not a person's
_SETTING_NAME = re.compile(r"[A-Z]+(?:_[A-Z]+)+")
_WORD = re.compile(r"(?<![\w@#/.])[\w.]{3,30}(?![\w@#/])")
# letters and digits that are not usernames: times, amounts, years, school years, phone models
_NOT_USERNAME = re.compile(
    r"^(?:\d+(?:am|pm|k|m|yo|yr|yrs|th|st|nd|rd|s|mins?|hrs?|p|gb|mb|x|v)|(?:yr|y|year|ks|ps|gta|fifa|"
    r"iphone|mp|a|b|s)\d+|(?:any|some|sum|no|every|ne|evry)(?:1|won)|gr8|l8r|l8|m8|b4|w8|h8|2day|2moro|2nite|"
    r"[a-z]{1,2}\d{1,2}[a-z]{0,2}|\d+(?:\.\d+)+|\d[\d.,]*|[a-z]+\.(?:com|co|uk|org|net|ly|io|gg|tv|app|link|info))$",  # sites and short links: "bit.ly"
    re.I,
)
# plain words after "my snap is" that are not a username
_NOT_A_NAME_AFTER_PLATFORM = word_set(
    """
    the a an my his her their private public gone deleted hacked blocked banned down broken not
    still now and but so too also on in at to it its was is been got has had map story streak
    score account username name him me them just only same different fake real new old locked
    suspended disabled reported removed there here that this what where who how why when for
    with from by off up out back again anymore everything nothing something someone everyone ok
    okay
    """
)


def email_spans(text: str) -> Iterator[tuple[int, int]]:
    if "@" in text:
        for m in EMAIL.finditer(text):
            yield m.span()
    lower = text.lower()
    if " at " in lower or "(at)" in lower or "[at]" in lower or " @" in lower or "@ " in lower:
        for m in SPOKEN_EMAIL.finditer(text):
            yield m.span()
        if "mail" in lower:
            for m in EMAIL_AFTER_CUE.finditer(text):
                yield m.span("email")


def _username_end(word: str) -> int:
    """Where a username ends: a full stop after a letter ends the sentence ("add jo_b."), one
    after _ or . is the username's own ("mxrcy_.")."""
    trimmed = word.rstrip(".")
    return len(word) if trimmed.endswith(("_", ".")) or not trimmed else len(trimmed)


def is_username(word: str) -> bool:
    """Could be a username: not a setting's or the service's own name, a link, a time or an amount."""
    w = word.strip(".").lstrip("@")
    return not (_SETTING_NAME.fullmatch(w) or w in service_names() or _NOT_USERNAME.match(w))


def is_platform(word: str) -> bool:
    """A social platform's or app's name ("OnlyFans", "Snapchat"): not a person's name."""
    return bool(PLATFORM_WORDS.fullmatch(word))


def _username_shaped(word: str) -> bool:
    word = word.strip(".")
    if len(re.findall(r"[^\W\d_]", word)) < 3 or _NOT_USERNAME.match(word):
        return False
    has_joiner = "_" in word or "." in word
    mixed = bool(re.search(r"\d", word))
    return has_joiner or mixed


def _plain_username(word: str) -> bool:
    """A plain word straight after "my snap is": a username unless it is an everyday word."""
    w = word.lower().lstrip("@")
    return (
        w.isalpha()
        and w not in _NOT_A_NAME_AFTER_PLATFORM
        and w not in common_words()
        and not w.endswith(("ing", "ed", "ly"))
        and not is_platform(w)  # "a game called Roblox"
    )


@cache
def service_names() -> frozenset[str]:
    """The service's own names (intents, actions, slots, entities, reason codes): they fill its
    log lines and a typed "/request_human" is stored as text, and none of them is a person's."""
    import yaml

    root = Path(__file__).resolve().parent.parent
    domain = yaml.safe_load((root / "domain.yml").read_text()) or {}
    names: set[str] = set()
    for key in ("intents", "actions", "slots", "entities", "forms", "responses"):
        for item in domain.get(key) or []:
            names.update(item if isinstance(item, dict) else [item])
    reasons = (root / "safeguarding" / "reasons.py").read_text()
    names.update(re.findall(r'"([a-z]+(?:_[a-z0-9]+)+)"', reasons))
    return frozenset(str(n) for n in names)


# emoji typed inside a username: "mochi_💔_boy", "deano🔥16"
_EMOJI = r"[\U0001F300-\U0001FAFF\u2600-\u27BF\u2B50\u2B55\uFE0F\u200D]"
_EMOJI_THEN_MORE = re.compile(rf"(?:{_EMOJI}+[\w.]*\w)+")
_MORE_THEN_EMOJI = re.compile(rf"(?<![\w@.])(?:[\w.]*\w{_EMOJI}+)+$")


# a full stop the writer says is the username's own: "kayla.mae. with a full stop on the end",
# "jo_b. (the dot is part of it)"
_OWN_FULL_STOP = re.compile(
    r"\.[ \t]*[(,-]?[ \t]*(?i:with\s+(?:a|the|an)\s+|the\s+|and\s+(?:a|the)\s+)?"
    r"(?i:full\s?stop|dot|period|point)\s+(?i:on|at|is|as)\s+(?i:the\s+end|part|the\s+last)"
)


def handle_spans(text: str) -> Iterator[tuple[int, int]]:
    """Handles, each widened over emoji typed inside it and the rest of the name beyond them, and
    over a full stop the writer says is its own."""
    for start, end in _handle_spans(text):
        after = _EMOJI_THEN_MORE.match(text, end)
        before = _MORE_THEN_EMOJI.search(text[max(0, start - 40) : start])
        end = after.end() if after else end
        if _OWN_FULL_STOP.match(text, end):
            end += 1
        yield (start - len(before.group(0)) if before else start), end


def _handle_spans(text: str) -> Iterator[tuple[int, int]]:
    found = list(_sure_handle_spans(text))
    yield from found
    # a message that names an account, or holds a handle already, is about accounts: other words
    # shaped like usernames in it are usernames too ("from lil.bby.ana_ and then from anaa.bby2")
    if not (found or PLATFORM_WORDS.search(text)):
        if _SPELT.search(text):
            yield from _spoken_handle_spans(text)
        return
    yield from _spoken_handle_spans(text)
    for m in QUOTED_PLAIN_NAME.finditer(text):  # "his xbox name is 'TTV Bxdman'"
        if is_username(m.group("handle")):
            yield m.span("handle")
    for m in _MIXED_CASE.finditer(text):
        if m.group(0).lower() not in NOT_HANDLES_MIXED_CASE and not is_platform(m.group(0)):
            yield m.span()
    for m in _GAMERTAG.finditer(text):
        tag = m.group("tag")
        # a capital inside a word, or digits: not prose; or capitalised words after "gamertag"
        named = _TAG_CUE.search(m.group("cue")) and not any(
            w.lower() in _NOT_A_NAME_AFTER_PLATFORM for w in tag.split()
        )
        if re.search(r"[a-z][A-Z]|\d", tag) or named:
            yield m.span("tag")
    for m in _AFTER_PLATFORM.finditer(text):
        handle = m.group("handle")
        handle = handle[: _username_end(handle)]
        if _SAID_AS.fullmatch(handle):
            continue  # "username is spelt as ...": how it is said
        if _username_shaped(handle) or _plain_username(handle.rstrip(".")):
            yield m.start("handle"), m.start("handle") + len(handle)
    for m in _HANDLE_WITH_SPACES.finditer(text):
        if _plain_username(m.group("first")):
            yield m.span("handle")
    for m in _WORD.finditer(text):
        if _username_shaped(m.group(0)):
            yield m.start(), m.start() + _username_end(m.group(0))
    for m in _NEXT_ON_PLATFORM.finditer(text):
        first = m.group("first")
        if not (first.startswith("@") or _username_shaped(first)):
            continue  # "nudes on snap and pics on insta": no account named first
        if _username_shaped(m.group("handle")) or _plain_username(m.group("handle")):
            yield m.span("handle")


_HYPHENATED_NAME = re.compile(r"[^\W_]+(?:-[^\W_]+){2,}")


def _account_name_words(handle: str) -> bool:
    """The words after "gamertag", "username is" are its name: a word shaped like a username, or
    several that are not everyday words ("lil kitty uwu"), capitalised ("Frosty Boi") or hold a
    digit ("sad boy 2009"); not "too long", "the same", "blocked"."""
    words = handle.split()
    first = words[0].lower().lstrip("@")
    if first in _NOT_A_NAME_AFTER_PLATFORM or first in FUNCTION_WORDS or not is_username(handle):
        return False
    if len(words) == 1 and _HYPHENATED_NAME.fullmatch(first):
        # words joined by two hyphens or more: "dark-angel-uk", not "up-to-date"
        return not all(part in common_words() for part in first.split("-"))
    if len(words) == 1 or _username_shaped(words[0]):
        return _username_shaped(words[0]) or _plain_username(handle.rstrip("."))
    if any(re.search(r"[\d_.]", w) for w in words) or all(w[:1].isupper() for w in words):
        return True
    return 2 * sum(w.lower() not in common_words() for w in words) > len(words)


def _sure_handle_spans(text: str) -> Iterator[tuple[int, int]]:
    """Handles whatever the message is about: links, @names, Discord tags, underscored names,
    Reddit users, and names said after "gamertag", "username", "user" ("old user was 'mia'")."""
    for m in PROFILE_LINK.finditer(text):
        yield m.span()
    for m in REDDIT_USER.finditer(text):
        yield m.span()
    for m in QUOTED_ACCOUNT_NAME.finditer(text):
        if is_username(m.group("handle")):
            yield m.span("handle")
    for m in ACCOUNT_NAME_WORDS.finditer(text):
        handle, start = m.group("handle"), m.start("handle")
        if said := _SAID_AS.match(handle):  # "username is spelled like ...": how, not what
            handle, start = handle[said.end() :], start + said.end()
            if not handle:
                continue
        if _username_shaped(handle.split()[0]):
            handle = handle.split()[0]  # "user catalin.official.99 for photos": one word
        if _account_name_words(handle):
            yield start, start + _username_end(handle)
    if "@" in text:
        for m in AT_HANDLE.finditer(text):
            if m.group(0).lower() not in NOT_HANDLES:
                yield m.span()
        for m in AT_SPACE_HANDLE.finditer(text):
            if _username_shaped(m.group("name")):
                yield m.start(), m.start("name") + _username_end(m.group("name"))
    if "#" in text:
        for m in DISCORD_TAG.finditer(text):
            yield m.span()
    for m in _UNDERSCORED.finditer(text):  # "kingdavo_22": no everyday word has an underscore
        if _SETTING_NAME.fullmatch(m.group(0)) or m.group(0) in service_names():
            continue  # CHAT_TRUSTED_PROXIES, action_escalate, coercion_or_blackmail: the service's own
        if _username_shaped(m.group(0)):
            yield m.start(), m.start() + _username_end(m.group(0))


def _spoken_handle_spans(text: str) -> Iterator[tuple[int, int]]:
    """Usernames said in words, in a message about an account: two joiners ("dot", "underscore",
    "slash"...) or one "dot"/"underscore" make one; a name ending in a number said in words
    after "<platform> is"."""
    for m in SPOKEN_HANDLE.finditer(text):
        joiners = re.findall(rf"\s{_SPOKEN_JOINER}\s", m.group(0), re.I)
        plain = m.group("first").lower() in _NOT_A_NAME_AFTER_PLATFORM  # "is", "the", "my"
        # a dot or underscore typed with spaces round it ("itsme . dani") joins no everyday words:
        # " . " also parts sentences
        typed = (
            [w.lower() for w in re.split(r"\s+[._]\s+", m.group(0))]
            if re.search(r"\s[._]\s", m.group(0))
            else []
        )
        if typed and any(w in common_words() or w in _NOT_A_NAME_AFTER_PLATFORM for w in typed):
            continue
        if not plain and (len(joiners) >= 2 or re.search(r"dot|under\s?score|[._]", joiners[0], re.I)):
            yield m.span()
    for m in _SPELT_OUT_HANDLE.finditer(text):
        yield m.span("handle")
    for m in _HANDLE_WITH_SPOKEN_NUMBER.finditer(text):
        first = m.group("first").lower()
        if first not in _NOT_A_NAME_AFTER_PLATFORM and first not in common_words():
            yield m.span("handle")
