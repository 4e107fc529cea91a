"""Phone numbers people give: found with Google's libphonenumber (the `phonenumbers` package).

UK numbers are read as written in the UK; any number written with + or 00 is read in its own
country. Not personal, so left as they are:
- numbers of public services: UK freephone, shared-cost and non-geographic numbers (0800, 0808,
  03xx, 084x, 087x: Childline 0800 1111, the NSPCC 0808 800 5000, the Revenge Porn Helpline
  0345 6000 459) and short codes (999, 101, 111, 116 123, Shout's 85258), which have no
  national prefix;
- numbers that are something else: without a 0 or + in front (order numbers, amounts), or with
  slashes (dates, crime reference numbers).

Letters typed for digits ("O7912 4O3 l88") are read as the digits, and a number broken over
lines ("07723 551\n809") as one number (`readable`).

An extension goes with its number ("0117 496 0843 ext 22", "(ext. 204)"): it picks out a person.
Numbers said partly in words ("07700 nine hundred 318", "oh seven seven double oh ...", "plus four
four ...", with commas between the groups as dictation writes them) are read digit by digit, and
the last digits put right after a number go with it ("07831 440 297 sorry 298"); a number grouped like a phone with a 0 in front and a digit too many or too few
("07700 9000 819") is redacted too, and so is a UK mobile with 44 and no + ("447700900123").

libphonenumber calls some numbers invalid that people do give (Ofcom's ranges kept for drama,
07700 900xxx and 01632 960xxx, and ranges opened after its data): a number of a possible
length with a national or international prefix is redacted too. Redacting a number is cheap;
keeping someone's real number is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher, PhoneNumberType

from privacy.words import SELF_CORRECTION, TEEN_WORDS, TENS_WORDS, UNIT_WORDS

REGION = "GB"
PUBLIC_SERVICE_TYPES = {
    PhoneNumberType.TOLL_FREE,
    PhoneNumberType.PREMIUM_RATE,
    PhoneNumberType.SHARED_COST,
    PhoneNumberType.UAN,
}
# an extension after the number, maybe in brackets: "ext 22", "(ext. 204)", "x3"
_EXTENSION_AFTER = re.compile(r"\s*,?\s*(\()?\s*(?:ext\.?|extension|x)\s*\d{1,5}(?(1)\s*\))", re.I)
_DIGITS = re.compile(r"\d")
# letters typed for digits, O for 0 and l or I for 1: "o7845 223 901", "O7912 4O3 l88", "0787l"
_O_FOR_ZERO = re.compile(r"(?<![\w+])[oO](?=\d{3})")
_LETTERS_AS_DIGITS = re.compile(r"(?<!\w)(?=[0-9OoIl]*\d)[0-9OoIl]*[OoIl][0-9OoIl]*(?!\w)")
_AS_DIGIT = str.maketrans("OoIl", "0011")
# a number broken over lines ("07723 551\n809", "0 7 9 6 1\n2 2 5\n7 0 8"): the digits before the
# line break start with 0 or + and are too few for a whole number
_BROKEN_LINE = re.compile(r"(?<![\w+])(?:\+|0)[\d ]*\d[ \t]*\n[ \t]*(?=\d)")


def is_public_service(number: phonenumbers.PhoneNumber) -> bool:
    return number.country_code == 44 and phonenumbers.number_type(number) in PUBLIC_SERVICE_TYPES


def _looks_dialled(raw: str, number: phonenumbers.PhoneNumber) -> bool:
    """Written as someone would dial it: a national 0 or an international + / 00 in front."""
    if "/" in raw:
        return False
    start = raw.lstrip("( ")
    if not start.startswith(("0", "+")) or re.sub(r"\D", "", start).startswith("000"):
        return False  # "0000 1234 5678": no country's code starts with 0
    if phonenumbers.is_valid_number(number):
        return True
    # invalid to libphonenumber but of a length that country uses (drama ranges, new ranges)
    return (
        phonenumbers.is_possible_number(number) and len(phonenumbers.national_significant_number(number)) >= 9
    )


def phone_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each personal phone number in `text`, with the digits of a self-correction
    after it ("07831 440 297 sorry 298": the last digits of the number)."""
    for start, end in _phone_spans(text):
        fix = _CORRECTED_DIGITS.match(text, end)
        digits = _digits_of(fix.group("digits")) if fix else None
        # the last digits again, two to six: "... no one answers" is no correction, and a whole
        # number after is found on its own
        fixed = digits and 2 <= len(digits) <= 6 and digits not in SHORT_CODES
        yield start, fix.end() if fixed else end


def readable(text: str) -> str:
    """The text as a number in it was meant, the same length so the places found are the text's:
    letters typed for digits read as digits ("O7912 4O3 l88"), a number broken over lines joined."""
    text = _O_FOR_ZERO.sub("0", text)
    if re.search(r"[OoIl]", text) and re.search(r"\d", text):
        text = _LETTERS_AS_DIGITS.sub(lambda m: m.group(0).translate(_AS_DIGIT), text)
    for _ in range(text.count("\n")):  # one break at a time: a joined line may need the next
        joined = _BROKEN_LINE.sub(
            lambda m: m.group(0).replace("\n", " ") if len(_DIGITS.findall(m.group(0))) < 10 else m.group(0),
            text,
        )
        if joined == text:
            break
        text = joined
    return text


def _phone_spans(text: str) -> Iterator[tuple[int, int]]:
    if len(_DIGITS.findall(text)) < 3:  # no number, even said partly in words
        yield from _spoken_or_mistyped_spans(text)
        return
    text = readable(text)
    yield from _spoken_or_mistyped_spans(text)
    if len(_DIGITS.findall(text)) < 7:  # no phone number in digits is shorter: skips the matcher
        return
    for match in PhoneNumberMatcher(text, REGION, leniency=Leniency.POSSIBLE):
        raw = match.raw_string
        if not _looks_dialled(raw, match.number) or is_public_service(match.number):
            continue
        end = match.start + len(raw)
        extension = _EXTENSION_AFTER.match(text, end)
        yield match.start, extension.end() if extension else end


# digits said in words; "oh" and "o" for zero; "double 7", "nine hundred" as people say them
_DIGIT_WORDS = {
    **{w: str(i) for i, w in enumerate(UNIT_WORDS)},
    "oh": "0",
    "o": "0",
    "nought": "0",
    "nil": "0",
    **{w: str(i + 10) for i, w in enumerate(TEEN_WORDS)},
}
_TENS = {w: str(i + 2) for i, w in enumerate(TENS_WORDS)}
_NUMBER_TOKEN = r"\d+|plus|(?:double|triple)\s+(?:\d|[a-z]+)|hundred|thousand|" + "|".join(
    sorted([*_DIGIT_WORDS, *_TENS], key=len, reverse=True)
)
# a run of digit groups and digit words, starting with a 0 (a digit or a word for it) or a +;
# said aloud, its groups come apart with commas ("oh seven nine four one, two two six, ...") or
# words ("07700 then 900 then 812", "07700 space 900")
_GROUP_JOINER = r"\s+(?:(?:and\s+)?then|space|dash|hyphen)\s+"
_SPOKEN_RUN = re.compile(
    rf"(?<![\w/+])(?:\+|\b)(?:{_NUMBER_TOKEN})(?:(?:[ -]|,[ ]?|{_GROUP_JOINER})(?:{_NUMBER_TOKEN}))+(?![\w/])",
    re.I,
)
# a UK mobile with its country code and no + ("447700900123", as in a wa.me link)
_MOBILE_WITHOUT_PLUS = re.compile(r"(?<![\w/+.])44[ -]?7\d{3}[ -]?\d{3}[ -]?\d{3}(?![\w/])")
# digits after a number that put it right: "... sorry 298", "... no, seven eight eight"
_CORRECTED_DIGITS = re.compile(
    rf"{SELF_CORRECTION}(?P<digits>(?:{_NUMBER_TOKEN})(?:(?:[ -]|,[ ]?)(?:{_NUMBER_TOKEN})){{0,5}})(?![\w/])",
    re.I,
)
SHORT_CODES = {"999", "101", "111", "112", "116123", "116111", "85258"}
PUBLIC_PREFIX = re.compile(r"^(?:0(?:80|3|84|87|9|500)|\+?44(?:80|3|84|87|9|500))")


def _digits_of(run: str) -> str | None:
    """The digits a run says, or None when a token is not a digit word."""
    run = re.sub(_GROUP_JOINER, " ", run, flags=re.I)
    out, tokens = [], re.findall(r"\+|[a-z]+|\d+", run.lower())
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.isdigit() or token == "+":
            out.append(token)
        elif token == "plus" and not out:  # "plus four four seven ..."
            out.append("+")
        elif token in ("double", "triple") and i + 1 < len(tokens):
            digit = tokens[i + 1] if tokens[i + 1].isdigit() else _DIGIT_WORDS.get(tokens[i + 1])
            if digit is None or len(digit) != 1:
                return None
            out.append(digit * (2 if token == "double" else 3))
            i += 1
        elif token == "hundred":
            out.append("00")
        elif token == "thousand":
            out.append("000")
        elif token in _TENS:
            unit = _DIGIT_WORDS.get(tokens[i + 1], "") if i + 1 < len(tokens) else ""
            if len(unit) == 1 and unit != "0":
                out.append(_TENS[token] + unit)
                i += 1
            else:
                out.append(_TENS[token] + "0")
        elif token in _DIGIT_WORDS:
            out.append(_DIGIT_WORDS[token])
        else:
            return None
        i += 1
    return "".join(out)


def _spoken_or_mistyped_spans(text: str) -> Iterator[tuple[int, int]]:
    """Numbers libphonenumber cannot read: said partly in words, or a digit out ("07700 9000 819")."""
    for m in _SPOKEN_RUN.finditer(text):
        run = m.group(0)
        digits = _digits_of(run)
        if not digits or not digits.startswith(("0", "+")) or PUBLIC_PREFIX.match(digits):
            continue
        if digits.startswith("000"):
            continue  # "ref no. 0000 1234 5678": no country's code starts with 0
        if "," in run and not re.search(r"[a-z]", run, re.I):
            continue  # "0, 12, 15, 20": a list of numbers, not a number said aloud
        typed = re.match(r"[\d\s-]*", run).group(0)
        if re.search(r"[a-z]", run, re.I) and re.fullmatch(r"0\d{10}", re.sub(r"\D", "", typed)):
            continue  # a whole number typed, then words: "07700 900 949, two numbers"
        if 10 <= len(digits.lstrip("+")) <= 13 and (digits.startswith("+") or len(digits) <= 12):
            yield m.span()
    for m in _MOBILE_WITHOUT_PLUS.finditer(text):
        yield m.span()
