"""Ages and school years: the one place for the numbers the screen and the schools' check use.

- ADULT_AGE (18) and UNDER_13 (13): the thresholds of the law and of UKCIS.
- SIGNIFICANT_GAP_YEARS: the gap between two young people that counts as significant.
- Number words ("fourteen", "twenty one") and school years: Year N is age N+4 to N+5 in England
  and Wales, so a year reads as its younger age (Year 7 is 11); sixth form and college are 16-18.
"""

from __future__ import annotations

import re

ADULT_AGE = 18
UNDER_13 = 13
SIGNIFICANT_GAP_YEARS = 3  # between young people: e.g. 13 and 16, or Year 9 and Year 12
YOUNGEST_AGE, OLDEST_AGE = 6, 99  # numbers outside this are not read as ages
SIXTH_FORM_AGE = 16  # sixth form and college: 16-18

NUMBER_WORDS: dict[str, int] = {
    word: n
    for n, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
NUMBER_WORDS.update(
    {
        "twenty": 20,
        "thirty": 30,
        "forty": 40,
        "fifty": 50,
        "sixty": 60,
        "seventy": 70,
        "eighty": 80,
        "ninety": 90,
    }
)
DECADES = {
    "teens": 15,
    "20s": 20,
    "twenties": 20,
    "30s": 30,
    "thirties": 30,
    "40s": 40,
    "forties": 40,
    "50s": 50,
    "fifties": 50,
    "60s": 60,
    "sixties": 60,
    "70s": 70,
    "seventies": 70,
}
_YEAR = re.compile(r"\b(?:year|yr|yrs|y|years)\s*(\d{1,2}|[a-z]+)\b")


def is_age(value: int | None) -> bool:
    return value is not None and YOUNGEST_AGE <= value <= OLDEST_AGE


def year_to_age(year: int) -> int | None:
    """School Year N (1-13) to the younger age in it."""
    return year + 4 if 1 <= year <= 13 else None


def age_of_year_text(text: str) -> int | None:
    """ "year 9", "yr9", "year nine" -> 13."""
    match = _YEAR.search(text.lower())
    if not match:
        return None
    raw = match.group(1)
    year = int(raw) if raw.isdigit() else NUMBER_WORDS.get(raw)
    return year_to_age(year) if year is not None else None


def significant_gap(first: int, second: int) -> bool:
    """Two young people (both under 18) whose ages are far enough apart to be a concern."""
    return first < ADULT_AGE and second < ADULT_AGE and abs(first - second) >= SIGNIFICANT_GAP_YEARS
