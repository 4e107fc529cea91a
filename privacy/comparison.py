"""The choice per kind, measured: libraries against hand-written patterns on a marked set
(`python -m privacy.measure --compare`).

- phone: libphonenumber as privacy/phones.py uses it (chosen), a hand-written UK pattern, and
  Presidio's PhoneRecognizer (libphonenumber again, at its default strictness);
- email: privacy/online.py's pattern (chosen) and Presidio's EmailRecognizer;
- handle: privacy/online.py (chosen) and Presidio's UrlRecognizer (it knows links, not handles).
Presidio is measured when presidio-analyzer is importable (it is not a dependency: see
docs/privacy.md); postcodes, addresses and names have no library that works without a
name-recognition model, so there is nothing to compare them with.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from privacy.measure import Regions, score
from privacy.online import email_spans, handle_spans
from privacy.phones import is_public_service, phone_spans

# the obvious hand-written UK pattern: 0 or +44 / 0044, then 9-10 digits with spaces or dashes
HAND_WRITTEN_PHONE = re.compile(
    r"(?<![\d+])(?:(?:\+|00)\d{1,3}[\s-]?(?:\(0\)\s?)?|\(?0)\d{2,4}\)?(?:[\s-]?\d){6,8}(?!\d)"
)
_PUBLIC_PREFIXES = ("080", "084", "087", "03", "09")


def hand_written_phones(text: str) -> Regions:
    return [
        m.span() for m in HAND_WRITTEN_PHONE.finditer(text) if not m.group(0).startswith(_PUBLIC_PREFIXES)
    ]


def _presidio(recogniser: str, entity: str) -> Callable[[str], Regions] | None:
    try:
        logging.getLogger("tldextract").setLevel(logging.CRITICAL)  # it tries the network, then its copy
        from presidio_analyzer import predefined_recognizers
    except ImportError:
        return None
    if recogniser == "PhoneRecognizer":
        found = predefined_recognizers.PhoneRecognizer(supported_regions=("GB",))
    else:
        found = getattr(predefined_recognizers, recogniser)()

    def regions(text: str) -> Regions:
        results = found.analyze(text, [entity], None)
        if recogniser == "PhoneRecognizer":
            import phonenumbers

            results = [
                r for r in results if not is_public_service(phonenumbers.parse(text[r.start : r.end], "GB"))
            ]
        return [(r.start, r.end) for r in results]

    return regions


def compare(examples: list[dict]) -> str:
    rows = [
        ("phone", "libphonenumber, as privacy/phones.py (chosen)", lambda t: list(phone_spans(t))),
        ("phone", "hand-written pattern", hand_written_phones),
        ("phone", "Presidio PhoneRecognizer", _presidio("PhoneRecognizer", "PHONE_NUMBER")),
        ("email", "pattern, as privacy/online.py (chosen)", lambda t: list(email_spans(t))),
        ("email", "Presidio EmailRecognizer", _presidio("EmailRecognizer", "EMAIL_ADDRESS")),
        ("handle", "privacy/online.py (chosen)", lambda t: list(handle_spans(t))),
        ("handle", "Presidio UrlRecognizer", _presidio("UrlRecognizer", "URL")),
    ]
    lines = ["  comparison (each finder alone): recall / ordinary words it redacts"]
    for kind, name, regions_of in rows:
        if regions_of is None:
            lines.append(f"    {kind:<7} {name:<48} not installed")
            continue
        result = score(examples, regions_of, kinds={kind})
        lines.append(
            f"    {kind:<7} {name:<48} {result.recall(kind):6.1%} ({result.found[kind]}/{result.total[kind]})"
            f"  {result.ordinary_redacted} words"
        )
    return "\n".join(lines)
