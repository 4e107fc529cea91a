"""Word lists the finders share: first names and everyday English words, from Faker (MIT),
so nothing is downloaded and nothing is hand-collected."""

from __future__ import annotations

import importlib
import re
import unicodedata
from functools import cache


def word_set(text: str) -> frozenset[str]:
    """The words of a text block: word lists written as text, one space apart."""
    return frozenset(text.split())


# Faker's first names from these locales (Latin script only)
NAME_LOCALES = (
    "en",
    "en_GB",
    "en_IE",
    "ga_IE",
    "en_US",
    "en_NZ",
    "en_IN",
    "en_PK",
    "en_KE",
    "en_NG",
    "ha_NG",
    "yo_NG",
    "ig_NG",
    "tw_GH",
    "pl_PL",
    "ro_RO",
    "lt_LT",
    "lv_LV",
    "cs_CZ",
    "sk_SK",
    "hu_HU",
    "pt_PT",
    "pt_BR",
    "es_ES",
    "it_IT",
    "fr_FR",
    "de_DE",
    "nl_NL",
    "sv_SE",
    "tr_TR",
    "id_ID",
    "uz_UZ",
)
LATIN_NAME = re.compile(r"[a-z][a-z'-]+")

# Function words missing from Faker's common-word list (spaCy's stop words, which come with an
# import of spaCy and so of TensorFlow: too slow for the console)
FUNCTION_WORDS = word_set(
    """
    a am an are is was were be been being did does doing done had has have having i im me my
    mine ours yours hers please unless via thru towards regarding anyway anywhere nobody noone
    nowhere cannot neither whoever whenever wherever therefore otherwise used using made due
    """
)

# numbers said in words ("two thousand and eight", "oh seven seven ...")
UNIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
TEEN_WORDS = (
    "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)  # fmt: skip
TENS_WORDS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
NUMBER_WORDS = frozenset(
    (*UNIT_WORDS, *TEEN_WORDS, *TENS_WORDS, "oh", "hundred", "thousand", "double", "triple")
)


# the words of a self-correction, between what was typed first and its fix: "12 no 14 Oak Road",
# "07831 440 297 sorry 298", "Siobhan, sorry, Siobhán"
SELF_CORRECTION = r"[\s,.…-]*(?:(?i:sorry|no|i mean|i meant|oops|wait|correction|typo)\b[\s,.…!-]*)+"


def ascii_lower(word: str) -> str:
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()


@cache
def first_names() -> frozenset[str]:
    names: set[str] = set()
    for locale in NAME_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute in ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary"):
            values = getattr(provider, attribute, ())
            names.update(
                ascii_lower(name) for name in (values.keys() if isinstance(values, dict) else values)
            )
    return frozenset(n for n in names if LATIN_NAME.fullmatch(n))


@cache
def surnames() -> frozenset[str]:
    """Faker's surnames from the same locales, to know one typed in lower case ("reece harrison")."""
    names: set[str] = set()
    for locale in NAME_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        values = getattr(provider, "last_names", ())
        names.update(ascii_lower(name) for name in (values.keys() if isinstance(values, dict) else values))
    return frozenset(n for n in names if LATIN_NAME.fullmatch(n))


@cache
def common_words() -> frozenset[str]:
    """Everyday English words: Faker's list of the thousand commonest, and the function words."""
    from faker.providers.lorem.en_US import Provider as Lorem

    return frozenset({w.lower() for w in Lorem.word_list} | FUNCTION_WORDS)
