"""Staff passwords: salted scrypt hashes (hashlib, no extra dependency).

The stored form carries its own parameters, `scrypt$<log2 n>$<r>$<p>$<salt b64>$<hash b64>`, so the
cost can be raised later without breaking existing accounts. The default is OWASP's scrypt
recommendation (N=2^17, r=8, p=1: 128 MiB, about half a second here).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

DEFAULT_LOG2_N = 17
R, P = 8, 1
MIN_LENGTH = 12  # NCSC: length (three random words) over composition rules
MAX_LENGTH = 256  # hashing is deliberately slow: refuse giant inputs before it


class WeakPassword(ValueError):
    pass


def _scrypt(password: str, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    n = 2**log2_n
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=32, maxmem=256 * n * r + 64 * 1024 * 1024
    )


def hash_password(password: str, log2_n: int = DEFAULT_LOG2_N) -> str:
    salt = os.urandom(16)
    digest = _scrypt(password, salt, log2_n, R, P)
    return "$".join(
        (
            "scrypt",
            str(log2_n),
            str(R),
            str(P),
            base64.b64encode(salt).decode(),
            base64.b64encode(digest).decode(),
        )
    )


def verify_password(password: str, stored: str) -> bool:
    if len(password) > MAX_LENGTH:
        return False
    try:
        scheme, log2_n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = _scrypt(password, base64.b64decode(salt), int(log2_n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def check_strength(password: str, username: str) -> None:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"Use at least {MIN_LENGTH} characters (three random words work well).")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"Use at most {MAX_LENGTH} characters.")
    if username and username.lower() in password.lower():
        raise WeakPassword("The password must not contain the username.")
    if len(set(password)) < 5:
        raise WeakPassword("The password repeats too few characters.")


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password("not-a-real-password-" + os.urandom(8).hex(), DEFAULT_LOG2_N)


def burn_time() -> None:
    """Checked when the username is unknown, so a wrong name takes as long as a wrong password."""
    verify_password("wrong", _dummy_hash())
