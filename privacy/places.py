"""Postcodes and street addresses (UK).

Postcodes: a full postcode ("BS8 1TH", "b15 2tt", "ch41 4he", "TR18  4DX", "LL57 2 DG", said a
character at a time: "S A 1 8 E N") whose area is a real UK postcode area; or the first half alone ("M14", "LS6") where the words before it
place someone ("I live in M14", "postcode is L18"), so "CO2" or a phone model stays as it is.

Addresses: a house number and a street ("19 Kings Road", "number 7 church lane", "88a
Harehills Lane", "60 Dale St", "24 Gravelly Hill North", "5 Brick Lane, flat 3"), with the flat,
house or building named before it ("flat 4b, 19 Kings Road", "The Willows, Station Road", "Flat
12, Wentworth House, Park Lane", "Chy an Dour, Trelawney Road"); Welsh streets, which name their
type first ("4 Heol y Coed", "Lon Isaf"); a named street alone ("Station Road") where the words
around say someone lives there ("we live off Leeds Road", a postcode after), not "a takeaway on
Narborough Road"; or a number and a name just before a postcode, or after "I live at" ("10
Ridgeway, CV4 7AL"); a plot, pitch or caravan ("plot 12 Marlpit Lane"), a floor flat, a house
number said aloud ("number nine"), or put right ("12 no 14 Oak Road"); a house or farm by name
after "we live at", "the farm is". Towns are left: they are not an address, and nor is a street
named after an address to say where it is ("9 Quinney Crescent off Princess Road").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from privacy.gazetteer import is_uk_place
from privacy.words import FUNCTION_WORDS, SELF_CORRECTION, TEEN_WORDS, TENS_WORDS, UNIT_WORDS, word_set

# Every UK postcode area (Royal Mail), two-letter areas first so "BS" wins over "B".
POSTCODE_AREAS = word_set(
    """
    AB AL BA BB BD BF BH BL BN BR BS BT BX CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT
    DY EC EH EN EX FK FY GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY LA LD LE LL
    LN LS LU ME MK ML NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM SA SE SG SK SL SM SN SO
    SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB WA WC WD WF WN WR WS WV YO ZE B E G L M N S W
    """
)
# the towns the postcode areas are named after (Royal Mail), and the counties (Faker's en_GB list):
# places, where a word is also a first name ("Bradford", "Carlisle", "Chester", "Devon")
POST_TOWNS = word_set(
    """
    aberdeen albans birmingham bath blackburn bradford bournemouth bolton brighton bromley bristol
    belfast carlisle cambridge cardiff chester chelmsford colchester croydon canterbury coventry crewe
    dartford dundee derby dumfries durham darlington doncaster dorchester dudley london edinburgh
    enfield exeter falkirk blackpool glasgow gloucester guildford harrow huddersfield harrogate
    hereford hull halifax ilford ipswich inverness kilmarnock kingston kirkwall kirkcaldy liverpool
    lancaster leicester llandudno lincoln leeds luton manchester rochester keynes motherwell
    newcastle nottingham northampton newport norwich oldham oxford paisley peterborough perth
    plymouth portsmouth preston reading redhill romford sheffield swansea stevenage stockport slough
    sutton swindon southampton salisbury sunderland southend stoke shrewsbury taunton galashiels
    telford tonbridge torquay truro cleveland twickenham southall warrington watford wakefield wigan
    worcester walsall wolverhampton york lerwick guernsey jersey
    """
)


@cache
def counties() -> frozenset[str]:
    from faker.providers.address.en_GB import Provider as Address

    return frozenset(c.lower() for c in Address.counties if " " not in c)


def is_place(word: str) -> bool:
    """A UK post town or county ("Carlisle", "Devon"), or a one-word town, village or district
    that is no one's name ("Middlesbrough", "Pontypridd": privacy/gazetteer.py)."""
    return word.lower() in POST_TOWNS or word.lower() in counties() or is_uk_place(word)


_AREA = "(?:" + "|".join(sorted(POSTCODE_AREAS, key=lambda a: (-len(a), a))) + ")"
_OUTWARD = rf"{_AREA}\d[A-Z\d]?"
# the halves apart by up to two spaces ("TR18  4DX"); a space inside the inward half ("LL57 2 DG")
# only before capitals, so "L18 2 is" stays
FULL_POSTCODE = re.compile(
    rf"(?<![\w-]){_OUTWARD}[ \t]{{0,2}}\d(?:[A-Z]{{2}}|[ ](?-i:[A-Z]{{2}}))(?![\w-])", re.I
)
# a postcode said a character at a time, as dictation writes it: "S A 1 8 E N", "post code c f
# one four, three a b"
_SAID_CHAR = "(?:[a-z0-9]|" + "|".join(UNIT_WORDS) + ")"
SPELT_POSTCODE = re.compile(rf"(?<![\w-]){_SAID_CHAR}(?:,?\s{_SAID_CHAR}){{4,6}}(?![\w-])", re.I)
_COMPACT_POSTCODE = re.compile(rf"{_OUTWARD}\d[A-Z]{{2}}")
_POSTCODE_CUE = re.compile(r"\bpost\s?code\b[\s:,-]*(?:is\s+)?$", re.I)
OUTWARD_ONLY = re.compile(rf"(?<![\w-]){_OUTWARD}(?![\w-])", re.I)
# words just before a district that say it is where someone is
_PLACED = re.compile(
    r"(?:\b(?:live|lives|living|lived|in|near|around|from|postcode|post code|postcode is|area|at|"
    r"moved to|staying in|based in|stay in|round)\s*:?\s*)$",
    re.I,
)
_AREA_AFTER = re.compile(r"\s+(?:area|postcode|post code|district)\b", re.I)

STREET_TYPES = word_set(
    """
    road rd street st lane ln avenue ave close cl drive dr way court ct crescent cres grove gr
    place pl gardens gdns terrace terr walk square sq hill park mews row rise green parade vale
    view wharf boulevard chase croft fold gate yard meadows meadow brow bank end hollow lea path
    quay side wynd approach circus embankment grange
    grv drv pk crt
    """
)


def _typos(word: str) -> set[str]:
    """A street type typed with two letters swapped ("raod") or, in a long one, a letter missed
    ("stret", "avenu")."""
    swapped = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    missed = {word[:i] + word[i + 1 :] for i in range(1, len(word))} if len(word) >= 6 else set()
    return (swapped | missed) - {word}


STREET_TYPE_TYPOS = frozenset().union(
    *(_typos(t) for t in word_set("road street lane avenue close drive crescent gardens terrace grove"))
)
_TYPE = "(?:" + "|".join(sorted(STREET_TYPES | STREET_TYPE_TYPOS, key=lambda t: (-len(t), t))) + r")\.?"
# words of letters, accented ones too ("Tŷ Newydd", "Aberdâr")
_NAME_WORD = r"[^\W\d_](?:[^\W\d_]|['’-])*"
_CAP_WORD = r"[A-Z](?:[^\W\d_]|['’-])*"
# "12", "12a", "number 7", Welsh "rhif 4", a range of houses "12-14", "number nine" said aloud
_NUMBER_SAID = (
    "(?:(?:"
    + "|".join((*TENS_WORDS, "fourty", *TEEN_WORDS))
    + ")(?:[ -](?:"
    + "|".join(UNIT_WORDS[1:])
    + "))?|"
    + "|".join(UNIT_WORDS[1:])
    + ")"
)
_HOUSE_NUMBER = (
    r"(?:(?:(?i:number|no\.?|num|rhif)\s*)?(?:\d{1,4}(?i:[a-z])?(?:\s?[-–&]\s?|\s+(?i:or|and)\s+))?\d{1,4}(?i:[a-z])?"
    rf"|(?i:number|rhif)\s+(?i:{_NUMBER_SAID})(?![\w-]))"
)
# a home that is one of several on a site or in a building, by its number: "plot 12", "pitch 4",
# "caravan 7", "lodge 14", "bay 4" (a Travellers' site), "berth 22" (a marina)
_SITE_KINDS = "plot|pitch|caravan|chalet|berth|mooring|lodge|cabin|bay"
# a flat's number or letter ("flat 4b", "Flat B", Scotland's floor and door "flat 3/2", "rm 3"), not a
# word ("the flat is 4 ...") or a plural ("the flats, block C": no flat "s")
# a plot or pitch on a Travellers' site ("plot 12"); a flat known by its floor ("the ground floor flat")
_UNIT = (
    # not after "a"/"an"/"static": "we live in a caravan, plot 9 ..." says what the home is
    rf"(?:(?<!\b[Aa] )(?<!\b[Aa]n )(?<![Ss]tatic )(?i:flat|apartment|apt|unit|room|rm|block|maisonette|{_SITE_KINDS})(?:\s*\d{{1,4}}(?i:[a-z])?(?:/\d{{1,3}})?|\s+(?i:[a-z])\d{{0,3}}|(?i:[a-z])\d{{1,3}})(?![\w/])"
    r"|(?i:(?:ground|first|second|third|top|upper|lower|basement|1st|2nd|3rd|\dth)[ -]floor\s+flat|basement\s+flat|top\s+flat))"
)
# case-sensitive inside the re.I patterns: "The Willows" is a house, "the address is" is not
BUILDING_TYPES = word_set(
    """
    House Cottage Cottages Lodge Farm Villa Hall Court Mansions Barn Manor Vicarage Rectory Bungalow
    Heights Tower Towers Buildings Apartments Flats Mill Works Chambers Home Hostel
    """
)
_BUILDING = (
    rf"(?-i:The\s+{_CAP_WORD}(?:\s+{_CAP_WORD}){{0,2}}|{_CAP_WORD}(?:\s+{_CAP_WORD}){{0,2}}\s+"
    rf"(?:{'|'.join(sorted(BUILDING_TYPES, key=lambda t: (-len(t), t)))}))"
)
# a row or block known by its name, with the house's number: "5 Rose Cottages", "12 Albert Buildings"
_ROW_TYPES = "Cottages|Villas|Buildings|Mansions|Houses|Almshouses|Flats|Bungalows|Apartments|Towers|Heights"
NUMBERED_BUILDING = re.compile(
    rf"\b(?:(?i:number|no\.?|num)\s*)?\d{{1,4}}[a-z]?,?\s+(?-i:{_CAP_WORD}(?:\s+{_CAP_WORD}){{0,2}}\s+(?:{_ROW_TYPES}))(?![\w'])"
)
# a flat, then its building's name with no "House" or "Court": "Flat 2, Harbour View, 17 Marine Terrace"
_UNIT_IN_BUILDING = rf"{_UNIT}\s*,\s*(?-i:{_CAP_WORD}(?:\s+{_CAP_WORD}){{0,2}})\s*,"
# the part of a building that is the home, before its number: "Rear of 22 High Street", "Flat 1,
# rear of 34 Fore Street", "R/O 9 Bank Street" ("back of" only with a capital: "round the back of ...")
_PART_OF = r"(?:(?i:rear)|(?-i:Back|BACK))\s+(?i:of)\s+|(?i:r/o)\s+"
# ("flat 12 at 200-204 Holloway Rd": a flat in the building at that number)
_BEFORE_STREET = rf"(?:(?:{_UNIT_IN_BUILDING}|{_UNIT}(?:\s+(?i:at|of)(?=\s+\d))?|{NUMBERED_BUILDING.pattern[2:]}|{_BUILDING}|{_PART_OF})\s*,?\s*)*"
# after the street type: a direction that is part of its name ("Gravelly Hill North", "Perth St
# West"), a flat given after the street ("5 Brick Lane, flat 3"), and the house's number given
# after its street ("Rowan Cres, number 22", "Mill Road no. 4")
_NUMBER_AFTER = r"(?i:number|no\.?|num|house\s+number|rhif)\s*\d{1,4}[a-z]?(?![\w/])"
_AFTER_STREET = rf"(?:\s+(?-i:North|South|East|West|Upper|Lower))?(?:\s*,?\s*{_UNIT})?(?:\s*,?\s*(?i:at\s+)?{_NUMBER_AFTER})?"
# "19 Kings Road", "number 7 church lane": a number makes any case an address
# ("18 St. Helen's Pl": a saint's name with its full stop)
_SAINT = r"(?:(?-i:St)\.\s*)?"
NUMBERED_STREET = re.compile(
    rf"\b{_BEFORE_STREET}{_HOUSE_NUMBER},?\s+{_SAINT}(?:{_NAME_WORD}\s+){{1,3}}{_TYPE}(?![\w']){_AFTER_STREET}",
    re.I,
)
# the same with the fewest words, for when the longest takes in too much ("26 Bramley raod not road")
SHORTEST_NUMBERED_STREET = re.compile(
    rf"\b{_BEFORE_STREET}{_HOUSE_NUMBER},?\s+{_SAINT}(?:{_NAME_WORD}\s+){{1,3}}?{_TYPE}(?![\w']){_AFTER_STREET}",
    re.I,
)
# a house number said aloud with no "number" before it: "i live at thirty two carr lane" (an
# address only after words that say one comes: "one way street" stays)
SAID_NUMBER_STREET = re.compile(
    rf"\b(?i:{_NUMBER_SAID})\s+(?P<street>(?:{_NAME_WORD}\s+){{1,3}}?){_TYPE}(?![\w']){_AFTER_STREET}", re.I
)
# "Station Road", "Wentworth House, Park Lane": capitals make a named street an address
_NAMED_TYPE = (
    r"(?:Road|Rd|Street|Lane|Avenue|Ave|Close|Drive|Way|Court|Crescent|Grove|Place|Gardens|Terrace|"
    r"Walk|Square|Hill|Mews|Row|Rise|Green|Parade|Vale|Wharf|Boulevard|Chase|Croft|Gate|Yard|Meadows|"
    r"Embankment|Grange|Approach|Circus|Common|St|Cres|Ln|Gdns|Terr|Tce|Sq|Ct|Cl|Pl|Gr|Pde|Grv|Drv|Pk|Crt)\.?(?![\w'])"
)
NAMED_STREET = re.compile(
    rf"(?P<before>\b(?:(?:{_UNIT}|{NUMBERED_BUILDING.pattern[2:]}|{_BUILDING})\s*,?\s*)+)?(?<![\w'])(?P<street>(?:{_CAP_WORD}\s+){{1,2}})"
    + _NAMED_TYPE
    + _AFTER_STREET
)
_TYPE_AFTER = re.compile(rf"\s+{_NAMED_TYPE}")
_TYPE_BEFORE = re.compile(rf"(?<![\w']){_TYPE}\s*,\s*$", re.I)


def street_type_after(text: str, end: int) -> bool:
    """A street's type follows: the word before is a street's name ("Thornton Road")."""
    return bool(_TYPE_AFTER.match(text, end))


def street_type_before(text: str, start: int) -> bool:
    """A street and a comma come before: the word is a town ("7 Church Lane, Ely")."""
    return bool(_TYPE_BEFORE.search(text[max(0, start - 16) : start]))


# "he lives on church street": a street in lower case, where the words before place someone
STREET_AFTER_CUE = re.compile(
    r"\b(?:lives?|living|lived|moved|staying|stay|house|flat|address)\s+(?:on|in|at|to)\s+"
    r"(?P<street>(?:[a-z][a-z'’-]*\s+){1,2}(?:road|street|lane|avenue|close|drive|crescent|grove|gardens|"
    r"terrace|way))\b",
    re.I,
)
# Welsh streets name their type first: "4 Heol y Coed", "Ffordd Las", "Stryd Fawr", "Maes y Deri"
WELSH_STREET_TYPES = word_set(
    "Heol Ffordd Feidr Stryd Lôn Lon Rhodfa Cilgant Teras Maes Clos Llys Ystad Rhes Cae Bryn Trem Bro Gerddi Llwybr Parc Cwrt"
)
# the Welsh types that are no English word: with a house number before them, a street in any case
# ("12-14 heol y nant", "5 lon y wennol"), where "3 maes points" or "2 bro code" are not
WELSH_ONLY_TYPES = word_set(
    "heol ffordd feidr stryd lôn lon rhodfa cilgant teras llys ystad rhes gerddi llwybr cwrt"
)
WELSH_STREET = re.compile(
    rf"(?:\b{_BEFORE_STREET}{_HOUSE_NUMBER},?\s+)?\b(?:{'|'.join(sorted(WELSH_STREET_TYPES))})"
    rf"\s+(?:(?:y|yr)\s+)?{_CAP_WORD}(?:\s+(?:(?:y|yr)\s+)?{_CAP_WORD})?"
)
# the same in lower case, with a house's number before it: "23 heol y graig"
# (the number said aloud too, "fourty two ffordd pen y bryn": an address only where one is said)
NUMBERED_WELSH_STREET = re.compile(
    rf"\b(?:{_HOUSE_NUMBER}|{_NUMBER_SAID}(?![\w-])),?\s+(?:{'|'.join(sorted(WELSH_STREET_TYPES))})\s+(?:(?:y|yr)\s+)?"
    r"[^\W\d_]{3,}(?:['’-][^\W\d_]+)?(?:\s+(?:y|yr)\s+[^\W\d_]{3,})?",
    re.I,
)
# a house known by its name before its street: "Hillcrest, Moor Lane, LA2 8NQ", with the small
# words of Welsh and Cornish names ("Tŷ Newydd", "Chy an Dour", "Bryn y Mor")
HOUSE_NAME_BEFORE = re.compile(
    rf"(?<![\w'])(?:{_CAP_WORD}\s+(?:(?:an|y|yr|the|of|on|la|le|de)\s+)?){{0,2}}{_CAP_WORD}\s*,\s*$"
)
# a house with a name and no street, its village and postcode after: "we live at Brynteg, Llanrug, LL55 4AB"
HOUSE_ONLY = re.compile(
    rf"(?<![\w'])(?P<house>{_CAP_WORD}(?:\s+{_CAP_WORD}){{0,2}})\s*,\s*(?:{_CAP_WORD}(?:\s+{_CAP_WORD})?\s*,?\s*)?"
    rf"(?=(?i:{FULL_POSTCODE.pattern}))"
)
# a house or farm known by its name alone, where the words before say it is a home: "we live at
# Brynteg, Llanrug", "the farm is Pen y Bryn, Llanidloes"
HOUSE_AFTER_CUE = re.compile(
    r"\b(?i:live at|lives at|living at|farm is|house is|house name is|home is|address is|address:|"
    r"(?:house|home|farm|cottage|bungalow|place)\s+(?:is\s+)?(?:called|named))\s+"
    rf"(?P<house>{_CAP_WORD}(?:\s+(?:(?:an|y|yr|the|of)\s+)?{_CAP_WORD}){{0,2}})(?=\s*(?:[,.;!?]|$))"
)
# "10 Ridgeway, CV4 7AL", "I live at 10 Ridgeway"
# (with the small words of Welsh and Cornish names: "2 Ty'n y Coed")
NUMBER_AND_NAME = re.compile(
    rf"\b{_BEFORE_STREET}{_HOUSE_NUMBER},?\s+{_CAP_WORD}(?:\s+(?:(?:an|y|yr)\s+)?{_CAP_WORD})?"
)
_ADDRESS_CUE = re.compile(
    r"\b(?:live at|lives at|living at|address is|address:|address|adress|addres|addy|we're at|were at|we are at|im at|"
    r"i'm at|i am at|staying at|stay at|stays at|stopping at|moved to|move to|moving to|come to|go to|"
    r"house is|house name is|house at|farm is|home is|write to|send (?:it|them|this|that|the \w+) to|"
    r"(?:house|home|farm|cottage|bungalow|place)\s+(?:is\s+)?(?:called|named)|"
    r"(?:write|send \w+|post \w+) to (?:me|us|him|her|them) at|"
    r"post (?:it|them|this|that|the \w+) to|deliver(?:ed)? to|"
    r"(?:live|lives|living|stay|stays|staying)\s+(?:with|near|round|over)\s+(?:\w+\s+){0,2}at)\s*$",
    re.I,
)
# words before a street that say someone lives there: "we live off", "he lives near", "im on"
_RESIDENCE_CUE = re.compile(
    r"\b(?:live|lives|living|lived|stay|stays|staying|stopping|moved|move|moving|house|home|flat|address|"
    r"i'm|im|i am|we're|were|we are)\b[^.!?\d]{0,30}?\b(?:on|in|at|off|near|to|round|by)\s+(?:the\s+)?$",
    re.I,
)
# capitalised words that start a sentence or name a thing, not a street: "Close the app", "St Mary's"
_NOT_STREET_NAMES = word_set(
    """
    the a an my our his her their your at on in to and or is i im we he she they it its please pls
    address hi hello hey hiya dear thanks thank cheers ta ok okay well also near off of by from this that
    mr mrs ms miss mx
    what which down up same one no yes not sorry typo
    """
)


def _said_characters(said: str) -> str:
    return "".join(
        str(UNIT_WORDS.index(t.lower())) if len(t) > 1 else t.upper() for t in re.findall(r"\w+", said)
    )


def postcode_spans(text: str) -> Iterator[tuple[int, int]]:
    full = []
    for m in FULL_POSTCODE.finditer(text):
        full.append(m.span())
        yield m.span()
    for m in SPELT_POSTCODE.finditer(text):
        # in capitals, or after "postcode": "a 1 2 3 b c" in prose is not one
        cue = _POSTCODE_CUE.search(text[max(0, m.start() - 20) : m.start()])
        letters = re.findall(r"\b[a-z]\b", m.group(0), re.I)
        if (cue or all(c.isupper() for c in letters)) and _COMPACT_POSTCODE.fullmatch(
            _said_characters(m.group(0))
        ):
            full.append(m.span())
            yield m.span()
    for m in OUTWARD_ONLY.finditer(text):
        if any(s <= m.start() < e for s, e in full):
            continue
        if _PLACED.search(text[max(0, m.start() - 24) : m.start()]) or _AREA_AFTER.match(text[m.end() :]):
            yield m.span()


def _street_name(address: str) -> str:
    """The words after an address's house number ("Bridge Street" in "flat 2, rear of 15 Bridge
    Street")."""
    return re.sub(
        rf"^.*?{_HOUSE_NUMBER},?\s+(?!(?:at|of)\s+\d)", "", re.sub(_PART_OF, "", address), flags=re.I
    )


def _street_words_ok(words: list[str]) -> bool:
    if words and words[0].lower() == "the":  # "5 The Crescent", "The Green"
        words = words[1:] or ["the-street"]
    return bool(words) and all(w.lower() not in _NOT_STREET_NAMES for w in words)


# a house number put right before the street: "12 no 14 Oak Road", "14, no sorry 16 Oak Road"
_CORRECTED_NUMBER_BEFORE = re.compile(rf"(?<![\w.,])\d{{1,4}}[a-z]?{SELF_CORRECTION}$", re.I)
# "no" at an address's start that puts a number right, not "No." for number: "12 no 14 Oak Road"
_NO_BEFORE_NUMBER = re.compile(r"(?i:no|sorry)\s+(?=\d)")
_NUMBER_JUST_BEFORE = re.compile(r"(?<![\w.,])\d{1,4}[a-z]?[ \t,]*$")
# a home's kind just before its number: "caravan 7, Riverside Park", "plot 12 Marlpit Lane"
_HOME_BEFORE_NUMBER = re.compile(rf"\b(?i:flat|apartment|apt|unit|{_SITE_KINDS})\s+$")
# "a caravan", "our static": what the home is, said before its address, not a part of it ("we live
# in a caravan, plot 9 ...")
_DESCRIBED = re.compile(r"\b(?i:a|an|the|our|my|his|her|their|your|static)\s+$")


# the road a home known by its name (a house, farm or site) is off or on is part of its address:
# "Cefn Llwyd, off the B4343", "Plot 14, Woodside Caravan Park off Kingsway", "Tŷ Gwyn, on
# Abergele Road" (a house's number and street need no other road: LANDMARK)
_ROAD = (
    rf"(?:(?-i:Old|New)\s+)?(?-i:[AB])\d{{1,4}}(?!\w)|(?-i:(?:{'|'.join(sorted(WELSH_STREET_TYPES))})\s+(?:(?:y|yr)\s+)?{_CAP_WORD}(?:\s+{_CAP_WORD})?)"
    rf"|(?-i:(?:{_CAP_WORD}\s+){{1,3}}){_NAMED_TYPE}|(?-i:[A-Z][a-z]+(?:way|gate))(?![\w'])"
)
OFF_OR_ON_ROAD = re.compile(rf"\s*,?\s*(?:just\s+)?(?:off|on)\s+(?:the\s+)?(?:{_ROAD})", re.I)
# the same before a road found: "Glanrafon, off Ffordd Penrhos"
HOUSE_NAME_OFF = re.compile(
    rf"(?<![\w'])(?P<house>(?:{_CAP_WORD}\s+(?:(?:an|y|yr|the|of|la|le|de)\s+)?){{0,2}}{_CAP_WORD})"
    r"\s*,\s*(?:just\s+)?(?i:off|on)\s+(?:the\s+)?$"
)
# a number that is a home's on a site, not a house's on a street: "plot 6", "caravan 3"
_SITE_NUMBER = re.compile(rf"(?i:{_SITE_KINDS}|unit)\s*\d+(?i:[a-z])?(?!\w)")
# "number 7 on Carnarvon St", "no 12 in Elm Grove": the house's number, then its street
NUMBER_ON_STREET = re.compile(
    rf"\b(?i:number|no\.?|num)\s*\d{{1,4}}[a-z]?\s+(?:on|in)\s+(?:{_NAME_WORD}\s+){{1,3}}{_TYPE}(?![\w'])",
    re.I,
)


# a home on a site by its number, then the site's name: "plot 9, Long Lane Traveller Site", "bay 4,
# Crossroads Park", "lodge 3, Coed y Glyn Park", "berth 22, Castle Marina" (not a car park's bay)
_SITE_TYPES = "Site|Park|Marina|Moorings|Village|Estate|Basin|Wharf|Quay"
SITE_HOME = re.compile(
    rf"\b(?i:{_SITE_KINDS}|unit)\s*\d{{1,4}}(?i:[a-z])?\s*,?\s*"
    rf"(?P<site>(?:{_CAP_WORD}\s+(?:(?:y|yr|an|the|of|on)\s+)?){{1,4}}(?:{_SITE_TYPES}))(?![\w'’])"
)
# a flat and a house number said aloud, as dictation writes them, "comma" and all: "flat two comma
# forty one Victoria Road", "flat eight Brunswick House forty Brunswick Street"
_SAID_APART = r"(?:\s*,\s*|\s+(?i:comma)\s+|\s+)"
_SAID_OR_DIGITS = rf"(?:(?i:{_NUMBER_SAID})(?![\w-])|\d{{1,4}}(?i:[a-z])?(?![\w-]))"
SAID_FLAT_STREET = re.compile(
    rf"\b(?i:flat|apartment|apt)\s+{_SAID_OR_DIGITS}{_SAID_APART}(?:{_BUILDING}{_SAID_APART})?"
    rf"{_SAID_OR_DIGITS},?\s+(?P<street>(?:{_NAME_WORD}\s+){{1,3}}?){_TYPE}(?![\w']){_AFTER_STREET}",
    re.I,
)
# a flat by its number, then its building (in any case, "hse" for House) and street, with no house
# number: "flat 17 wilberforce hse, great thornton st", "Flat 6 Kestrel Court, Mill Road"
_BUILDING_KINDS = "house|hse|court|ct|lodge|mansions|heights|tower|towers|point|buildings"
UNIT_BUILDING_STREET = re.compile(
    r"\b(?i:flat|apartment|apt|room|rm|maisonette)\s*\d{1,4}(?i:[a-z])?\s*,?\s*"
    rf"(?P<building>(?:{_NAME_WORD}\s+){{1,2}})(?i:{_BUILDING_KINDS})\.?\s*,?\s*"
    rf"(?P<street>(?:{_NAME_WORD}\s+){{1,3}}?){_TYPE}(?![\w'])",
    re.I,
)
# a house known by its name, typed in lower case, after words that say someone lives there, with
# the street after it: "we live at apple tree cottage butts hill" (not "at my nans house", "at
# the farm")
_LOWER_HOME_TYPES = "cottage|farm|farmhouse|house|lodge|barn|bungalow|villa|manor|grange|rectory|vicarage"
_LOWER_STREET_TYPES = (
    "road|street|lane|avenue|close|drive|crescent|grove|gardens|terrace|way|hill|rise|row|green|walk|"
    "place|square|court|park|view|mews|vale|end|bank|side|common"
)
LOWER_HOUSE_AFTER_CUE = re.compile(
    r"\b(?:live|lives|living|lived|stay|stays|staying|stopping)\s+at\s+"
    rf"(?P<house>(?P<words>(?:[a-z][a-z'’-]*\s+){{1,3}})(?:{_LOWER_HOME_TYPES})"
    rf"(?:\s*,?\s*(?P<street>(?:[a-z][a-z'’-]*\s+){{1,2}})(?:{_LOWER_STREET_TYPES}))?)(?![\w'’])"
)
# words that say whose or which house, not its name
_NOT_HOUSE_NAMES = word_set(
    """
    nan nans nana nanna gran grans granny grandma grandmas grandad grandads grandparents mum mums mam
    mams mom moms dad dads aunt aunts auntie aunty uncle uncles friend friends mate mates cousin
    cousins sister sisters brother brothers bf gf boyfriend boyfriends girlfriend girlfriends foster
    care council big small little new family dads' mums' someone someones his hers theirs
    """
)


def _lower_house_ok(words: list[str]) -> bool:
    return (
        bool(words)
        and all(
            w not in FUNCTION_WORDS and w not in _NOT_HOUSE_NAMES and w not in _NOT_STREET_NAMES
            for w in words
        )
        and not re.search(r"(?:['’]s|[^s]s)$", words[-1])
    )


# an address typed in capitals: "WE LIVE AT 5 THE BUNGALOWS, CHAPEL LANE" is read as "5 The
# Bungalows, Chapel Lane" too, for the patterns that know a street's or a building's name by its
# capitals (a run of two words or more in capitals, the same length)
_CAPITALS_RUN = re.compile(
    r"(?<![\w'’])(?:[A-Z][A-Z'’]+|\d{1,4}[A-Z]?)(?:[ \t]*,?[ \t]+(?:[A-Z][A-Z'’]+|\d{1,4}[A-Z]?))+(?![\w'’])"
)


_SMALL_WORDS = word_set(
    """
    a an and or but to at in on of off by for from with into onto near up down is am are was were
    be i im we he she they it its my our his her their your me us him them this that
    """
)


def _title_cased(text: str) -> str:
    """Runs of words in capitals with a capital letter first, the small words ("TO", "AT") in lower
    case ("SEND THE OFFICER TO 21 ..." is no building's name); "The" keeps its capital."""

    def word(m: re.Match) -> str:
        lower = m.group(0).lower()
        if len(lower) != len(m.group(0)):
            return m.group(0)
        return lower if lower in _SMALL_WORDS else m.group(0)[0] + lower[1:]

    return _CAPITALS_RUN.sub(lambda run: re.sub(r"[A-Z][A-Z'’]+", word, run.group(0)), text)


def address_spans(text: str, postcodes: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Addresses; two finds that overlap are one address ("3 The Maltings" and "The Maltings,
    Church Road")."""
    spans = set(_address_spans(text, postcodes))
    if _CAPITALS_RUN.search(text):
        titled = _title_cased(text)
        if titled != text:
            spans.update(_address_spans(titled, postcodes))
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in merged:
        yield start, end


def _address_spans(text: str, postcodes: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    postcode_starts = {s for s, _ in postcodes}
    for start, end in _street_spans(text, postcode_starts):
        start = _start_before_number(text, _with_house_name(text, start, end, postcode_starts))
        yield _start_with_house_off(text, start), _end_with_road(text, start, end)
    for m in NUMBER_ON_STREET.finditer(text):
        if _street_words_ok(m.group(0).split()[-2:-1]):
            yield m.span()
    for m in SITE_HOME.finditer(text):
        site = m.group("site").split()
        if site[-2:-1] != ["Car"] and _street_words_ok(site[:-1]):
            yield m.span()
    for m in UNIT_BUILDING_STREET.finditer(text):
        if _street_words_ok(m.group("building").split()) and _street_words_ok(m.group("street").split()):
            yield m.span()
    for m in SAID_FLAT_STREET.finditer(text):
        if _street_words_ok(m.group("street").split()):
            yield m.span()
    for m in LOWER_HOUSE_AFTER_CUE.finditer(text):
        street = (m.group("street") or "").split()
        if _lower_house_ok(m.group("words").split()) and (not street or _lower_house_ok(street + ["x"])):
            yield m.span("house")


def _end_with_road(text: str, start: int, end: int) -> int:
    """Where a home known by its name ends once the road it is off or on is taken in: no house
    number on a street of its own, only a name, a building's or a site's number."""
    road = OFF_OR_ON_ROAD.match(text, end)
    if not road:
        return end
    digits = re.sub(_SITE_NUMBER, "", text[start:end])
    return road.end() if not re.search(r"\d", digits) else end


def _start_with_house_off(text: str, start: int) -> int:
    """Where a road ("Ffordd Penrhos") starts once the house named before it, off or on it, is
    taken in: "Glanrafon, off Ffordd Penrhos"."""
    m = HOUSE_NAME_OFF.search(text[max(0, start - 60) : start])
    if not m:
        return start
    words = [w for w in m.group("house").split() if w[:1].isupper()]
    if not _street_words_ok(words) or any(is_place(w) for w in words):
        return start
    if _TITLE_JUST_BEFORE.search(text[: start - len(m.group(0))]):
        return start
    return start - len(m.group(0))


def _start_before_number(text: str, start: int) -> int:
    """Where an address starts with the house number it puts right ("12 no 14 Oak Road") or the
    kind of home before its number ("caravan 7, Riverside Park")."""
    before = text[:start]
    fix = (text[start : start + 1].isdigit() and _CORRECTED_NUMBER_BEFORE.search(before)) or (
        _NO_BEFORE_NUMBER.match(text, start) and _NUMBER_JUST_BEFORE.search(before)
    )
    start = fix.start() if fix else start
    home = text[start : start + 1].isdigit() and _HOME_BEFORE_NUMBER.search(text[:start])
    if home and _DESCRIBED.search(text[max(0, home.start() - 10) : home.start()]):
        return start
    return home.start() if home else start


# the town between an address and its postcode: "34 Kingsway, Harlow CM19 4HP"
_TOWN_BEFORE_POSTCODE = re.compile(
    rf"\s*,?\s*{_CAP_WORD}(?:[ -]{_CAP_WORD}){{0,2}}\s*,?\s*(?=(?i:{FULL_POSTCODE.pattern}))"
)
# a town in lower case, as the rest of the address, when it is a UK place: "5 lon y wennol,
# llandudno ll30 1tb" (not "off princess road, M16 ...", "postcode b6 6ab")
_LOWER_TOWN_BEFORE_POSTCODE = re.compile(
    rf"\s*,?\s*(?P<town>[a-z][a-z'’-]{{2,}}(?:[ -][a-z][a-z'’-]{{2,}}){{0,2}})\s*,?\s*(?=(?i:{FULL_POSTCODE.pattern}))"
)


def _before_postcode(text: str, end: int, postcode_starts: set[int]) -> bool:
    """A postcode follows, maybe after its town."""
    town = _TOWN_BEFORE_POSTCODE.match(text, end)
    lower = _LOWER_TOWN_BEFORE_POSTCODE.match(text, end)
    if lower and not (
        is_place(lower.group("town")) or all(is_place(w) for w in re.split(r"[ -]", lower.group("town")))
    ):
        lower = None
    return end + re.match(r"\s*,?\s*", text[end:]).end() in postcode_starts or any(
        t and t.end() in postcode_starts for t in (town, lower)
    )


# "i live 45b ...", "we live now in 4 ...": where someone lives, "at" left out, before a house's
# number only ("we live in Alum Rock, flat 6, ...", "i live in Tottenham, N17 ..." name a district)
_LIVE_BEFORE_NUMBER = re.compile(
    r"\b(?:(?:i|we|he|she|they|who)\s+lives?(?:\s+now)?(?:\s+in)?|living(?:\s+now)?\s+in)\s*$", re.I
)


def _after_cue(text: str, start: int) -> bool:
    before = text[max(0, start - 40) : start]
    return bool(_ADDRESS_CUE.search(before)) or (
        text[start : start + 1].isdigit() and bool(_LIVE_BEFORE_NUMBER.search(before))
    )


# a title and initials before a capitalised word: a person's name ("Mr P. O'Sullivan, 12 Oak
# Road"), not a house's
_TITLE_JUST_BEFORE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Rev|Revd|Fr|Sir|Dame)\.?\s+(?:[A-Z]\.?\s*){0,3}$"
)


# a word that says an address comes, before a house's name: "Home's Bosvenna, Lower ... Lane"
_CUE_BEFORE_HOUSE = re.compile(r"(?i:home|house|address|addy|addr)(?:['’]?s)?\s+")


def _house_name_before(text: str, start: int) -> int:
    """How long the house name just before a street is ("Hillcrest, "), or 0."""
    m = HOUSE_NAME_BEFORE.search(text[max(0, start - 40) : start])
    name = m.group(0) if m else ""
    if cue := _CUE_BEFORE_HOUSE.match(name):
        name = name[cue.end() :]
    words = [w for w in name.rstrip(", ").split() if w[:1].isupper()]  # not "an", "y"
    if m and _TITLE_JUST_BEFORE.search(text[: start - len(m.group(0))]):
        return 0
    return len(name) if name and _street_words_ok(words) else 0


def _with_house_name(text: str, start: int, end: int, postcode_starts: set[int]) -> int:
    """Where an address starts once a house name before it is taken in, when a postcode follows
    or the words before say an address comes: "Hillcrest, Moor Lane, LA2 8NQ"."""
    house = _house_name_before(text, start)
    if house and (_before_postcode(text, end, postcode_starts) or _after_cue(text, start - house)):
        return start - house
    return start


# a street named after an address to say where it is, not where anyone lives: "9 Quinney
# Crescent off Princess Road", "4 Trem y Mor, off Mumbles Road"
LANDMARK = re.compile(
    r"\s*,?\s*(?:just\s+)?(?:off|near|behind|opposite|by|next\s+to|round\s+the\s+corner\s+from)\s+(?:the\s+)?",
    re.I,
)


def _welsh_type(street: str) -> str:
    """The Welsh street type in a numbered Welsh street ("heol" in "12-14 heol y nant")."""
    m = re.search(rf"\b(?:{'|'.join(sorted(WELSH_STREET_TYPES))})\b", street, re.I)
    return m.group(0).lower() if m else ""


def _street_spans(text: str, postcode_starts: set[int]) -> Iterator[tuple[int, int]]:
    numbered_ends: set[int] = set()
    for m in NUMBERED_WELSH_STREET.finditer(text):
        # in lower case only where the words around say it is an address ("our address 23 heol y
        # graig", a postcode after), not "3 maes points"
        said = _after_cue(text, m.start()) or _before_postcode(text, m.end(), postcode_starts)
        said = said or _welsh_type(m.group(0)) in WELSH_ONLY_TYPES
        if said and not WELSH_STREET.match(text, m.start()):
            numbered_ends.add(m.end())
            yield m.span()
    for m in WELSH_STREET.finditer(text):
        if re.search(
            r"\b(?:Ysgol|Coleg|Canolfan|Capel|Eglwys)\s+$", text[max(0, m.start() - 10) : m.start()], re.I
        ):
            continue  # a school's, college's, centre's or chapel's name: "Ysgol Bro Teifi"
        numbered_ends.add(m.end())
        yield m.span()
    for m in NUMBERED_STREET.finditer(text):
        for match in (m, SHORTEST_NUMBERED_STREET.match(text, m.start())):
            name = _street_name(match.group(0))
            if (
                match is m
                and _saint_town(text, m)
                and SHORTEST_NUMBERED_STREET.match(text, m.start()).end() < m.end()
            ):
                continue  # "3 Polkyth Parade st austell": the last "st" is St Austell's
            if _street_words_ok(name.split()[:-1]):
                numbered_ends.add(match.end())
                yield match.span()
                break
    for m in NUMBERED_BUILDING.finditer(text):  # "5 Rose Cottages"
        yield m.span()
    for m in SAID_NUMBER_STREET.finditer(text):
        if _after_cue(text, m.start()) and _street_words_ok(m.group("street").split()):
            yield m.span()
    for m in NAMED_STREET.finditer(text):
        street_words = m.group("street").split()
        if (
            street_words[-1].lower() in _NOT_STREET_NAMES
            or not _street_words_ok(street_words)
            or _saint(text, m)
            or any(
                (landmark := LANDMARK.match(text, end)) and landmark.end() == m.start()
                for end in numbered_ends
            )
        ):
            continue
        # a street alone is someone's address where the words around say so: "we live off Leeds
        # Road", "Flat 6, Brunswick Court", "Rose Cottage, Mill Lane", a postcode after; not "a
        # takeaway on Narborough Road", "we're from Bethnal Green"
        start = m.start("street")
        if (
            m.group("before")
            or _RESIDENCE_CUE.search(text[max(0, start - 40) : start])
            or _after_cue(text, start)
            or _before_postcode(text, m.end(), postcode_starts)
        ):
            yield m.span()
        elif house := _house_name_before(text, start):  # "Hillcrest, Moor Lane": the house says so
            yield start - house, m.end()
    for m in STREET_AFTER_CUE.finditer(text):
        if _street_words_ok(m.group("street").split()[:-1]):
            yield m.span("street")
    for m in HOUSE_ONLY.finditer(text):
        if _after_cue(text, m.start()) and _street_words_ok(m.group("house").split()):
            yield m.span("house")
    for m in _TYPED_BUILDING.finditer(text):  # "we're at Ty Newydd Farm off the B4459"
        if _after_cue(text, m.start()) and _street_words_ok(m.group(0).split()[:-1]):
            yield m.span()
    for m in HOUSE_AFTER_CUE.finditer(text):
        words = [w for w in m.group("house").split() if w[:1].isupper()]  # not "y", "an"
        if _street_words_ok(words) and not any(is_place(w) for w in words):
            yield m.span("house")
    for m in NUMBER_AND_NAME.finditer(text):
        before_postcode = _before_postcode(text, m.end(), postcode_starts)
        after_cue = _after_cue(text, m.start())
        words = _street_name(m.group(0)).split()
        if (before_postcode or after_cue) and _street_words_ok(words):
            yield m.span()


# a home by its name and the type of a home ("Ty Newydd Farm", "Ivy Cottage"), after words that
# say an address comes ("we're at", "live at"); not "we're at Alton Towers"
_TYPED_BUILDING = re.compile(
    rf"(?<![\w'])(?-i:{_CAP_WORD}(?:\s+{_CAP_WORD}){{0,2}}\s+"
    r"(?:Farm|Farmhouse|Cottage|House|Lodge|Barn|Bungalow|Villa|Vicarage|Rectory))(?![\w'])"
)


def _saint_town(text: str, m: re.Match) -> bool:
    """A street that ends in "st" with a word after it, which may be a saint's town ("st austell")."""
    return bool(re.search(r"\bst\.?$", m.group(0), re.I)) and bool(
        re.match(r"\s+[A-Za-z]{3}", text[m.end() :])
    )


def _saint(text: str, m: re.Match) -> bool:
    """ "St Mary's", "St John's Road": St followed by a name is a saint, not a street."""
    return m.group(0).rstrip(".").endswith("St") and bool(re.match(r"\s+[A-Z]", text[m.end() :]))
