"""Phone numbers people give: found with Google's libphonenumber (the `phonenumbers` package).

UK numbers are read as written in the UK; any number written with + or 00 is read in its own
country. Not personal, so left as they are:
- numbers of public services: UK freephone, shared-cost and non-geographic numbers (0800, 0808,
  03xx, 084x, 087x: Childline 0800 1111, the NSPCC 0808 800 5000, the Revenge Porn Helpline
  0345 6000 459) and short codes (999, 101, 111, 116 123, Shout's 85258), which have no
  national prefix;
- numbers that are something else: without a 0 or + in front (order numbers, amounts), or with
  slashes (dates, crime reference numbers).

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

REGION = "GB"
PUBLIC_SERVICE_TYPES = {
    PhoneNumberType.TOLL_FREE,
    PhoneNumberType.PREMIUM_RATE,
    PhoneNumberType.SHARED_COST,
    PhoneNumberType.UAN,
}
_EXTENSION = re.compile(r"\s*(?:ext\.?|extension|x)\s*\d+\s*$", re.I)
_DIGITS = re.compile(r"\d")
# a letter o typed for the first zero: "o7845 223 901"
_O_FOR_ZERO = re.compile(r"(?<![\w+])[oO](?=\d{3})")


def is_public_service(number: phonenumbers.PhoneNumber) -> bool:
    return number.country_code == 44 and phonenumbers.number_type(number) in PUBLIC_SERVICE_TYPES


def _looks_dialled(raw: str, number: phonenumbers.PhoneNumber) -> bool:
    """Written as someone would dial it: a national 0 or an international + / 00 in front."""
    if "/" in raw:
        return False
    start = raw.lstrip("( ")
    if not start.startswith(("0", "+")):
        return False
    if phonenumbers.is_valid_number(number):
        return True
    # invalid to libphonenumber but of a length that country uses (drama ranges, new ranges)
    return (
        phonenumbers.is_possible_number(number) and len(phonenumbers.national_significant_number(number)) >= 9
    )


def phone_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each personal phone number in `text`."""
    if len(_DIGITS.findall(text)) < 7:  # no phone number is shorter: skips the matcher
        return
    text = _O_FOR_ZERO.sub("0", text)  # same length, so the places found are the text's
    for match in PhoneNumberMatcher(text, REGION, leniency=Leniency.POSSIBLE):
        raw = match.raw_string
        if not _looks_dialled(raw, match.number) or is_public_service(match.number):
            continue
        extension = _EXTENSION.search(raw)  # "ext 22" is not part of the number
        yield match.start, match.start + (extension.start() if extension else len(raw))
