"""The channels' settings: the environment first, then deploy/local.env.

deploy/local.env is the one place the local defaults are written (production overrides them,
deploy/production.env.example). `make run` and the tests load it into the environment; reading
it here as well means a Rasa started some other way still gets the configured limits, not none.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

LOCAL_ENV = Path(__file__).resolve().parent.parent / "deploy" / "local.env"


@lru_cache(maxsize=1)
def _local_defaults() -> dict[str, str]:
    values: dict[str, str] = {}
    for line in LOCAL_ENV.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip()
    return values


def setting(name: str, environ: dict | None = None) -> str:
    """The value of `name`: from the environment, else from deploy/local.env ("" if neither)."""
    environ = os.environ if environ is None else environ
    if name in environ:
        return environ[name].strip()
    return _local_defaults().get(name, "")


def positive_int(name: str, environ: dict | None = None) -> int:
    raw = setting(name, environ)
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None
    if value < 1:
        raise ValueError(f"{name} must be at least 1, not {value}")
    return value
