"""Personal data kept out of what is stored: the tracker store, the cases database (except an
escalated case's own record, for the staff who act on it), logs and statistics.

- redaction.py  redact(text) -> (text, kinds): phone, email, postcode, address, handle, name
                replaced by "[phone]", "[email]", ...; find(text) gives where each one is
- phones.py     phone numbers (libphonenumber); public helplines and short codes are kept
- online.py     emails, social media handles and profile links
- places.py     postcodes and street addresses
- names.py      names people give, and other people's names as far as words alone allow
- gazetteer.py  UK place names (uk_places.txt, from GeoNames): a town is no one's name
- tagger.py     a learned spaCy tagger, trained on corpus/ (marked messages), that adds what
                the rules miss; redaction.find joins the two
- logs.py       every log line redacted before it is written
- measure.py    recall per kind and ordinary words redacted, on the marked sets in tests/privacy/
- without_ml.py keeps TensorFlow out of the processes that run the tagger but no Rasa model
"""

from privacy.redaction import KINDS, PLACEHOLDERS, Found, find, redact

__all__ = ["KINDS", "PLACEHOLDERS", "Found", "find", "redact"]
