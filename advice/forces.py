"""The police force this deployment serves: one YAML file per force in content/forces/.

ADVICE_FORCE picks the file (default: dorset). Adding a force is adding a file.

    python -m advice.forces --warn-unconfirmed    # prints a warning while the force's staffed
                                                  # hours are not confirmed (deploy/run_local.sh)
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import datetime, time
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

FORCES_DIR = Path(__file__).resolve().parent.parent / "content" / "forces"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
PAGES = ("young_people", "parents", "professionals")
# What the bot says instead of days and times while a force has not confirmed its staffed hours.
HOURS_UNCONFIRMED = "I can't tell you yet which days and times someone reads these chats."
# How long records are kept, in days, when a force file does not say (its `retention`)
DEFAULT_RETENTION_DAYS = {"conversation_days": 7, "closed_case_days": 30}
REQUIRED = ("id", "name", "country", "outcome_code", "local_team", "pages", "delete_advice", "handoff")


class ForceConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Force:
    raw: dict

    @property
    def id(self) -> str:
        return self.raw["id"]

    @property
    def name(self) -> str:
        return self.raw["name"]

    @property
    def wales(self) -> bool:
        return self.raw["country"] == "wales"

    @property
    def hours_confirmed(self) -> bool:
        """Whether the force has confirmed its staffed hours (handoff.confirmed: true). Until it
        has, the bot names no days or times and never says someone will read a chat "soon"."""
        return self.raw["handoff"].get("confirmed") is True

    def hours_warning(self) -> str | None:
        if self.hours_confirmed:
            return None
        return (
            f"WARNING: {self.name}'s staffed hours for the human handoff are not confirmed "
            f"(content/forces/{self.id}.yml, handoff.confirmed). Until the force confirms them the "
            "bot names no days or times, never says a person will read a chat soon, and gives the "
            "24/7 routes first. The console's duty register still decides who is on duty now."
        )

    def retention_days(self, kind: str) -> int:
        """How many days a kind of record is kept (DEFAULT_RETENTION_DAYS names the kinds)."""
        return int((self.raw.get("retention") or {}).get(kind, DEFAULT_RETENTION_DAYS[kind]))

    def placeholders(self) -> dict[str, str]:
        """Values for the {placeholders} in advice text (docs/content.md)."""
        code, system = str(self.raw["outcome_code"]), self.raw.get("outcome_system")
        outcome = (
            "Outcome 21"
            if code == "21"
            else (f"Outcome 21 (called Outcome {code} on {self.name}'s {system or 'crime recording'} system)")
        )
        # for young people: the same fact without the name of a computer system
        outcome_plain = "Outcome 21" if code == "21" else f"Outcome 21 ({self.name} calls it Outcome {code})"
        pages = self.raw["pages"]
        image = self.raw["delete_advice"]
        return {
            "force_name": self.name,
            "outcome_name": outcome,
            "outcome_name_plain": outcome_plain,
            "local_team": self.raw["local_team"],
            # a page the sources do not give is null in the force file: links to it are left out
            "force_advice_url": pages.get("young_people") or "",
            "force_parent_url": pages.get("parents") or "",
            "force_professional_url": pages.get("professionals") or "",
            "delete_advice": " ".join(image["parent"].split()),
            "delete_advice_young": " ".join(image["young_person"].split()),
            "safeguarding_lead": (
                "designated safeguarding person (DSP)" if self.wales else "designated safeguarding lead (DSL)"
            ),
            "safeguarding_lead_short": "DSP" if self.wales else "DSL",
            "schools_guidance": (
                'the Welsh Government guidance "Sharing nudes and semi-nudes: responding to '
                'incidents and safeguarding children and young people"'
                if self.wales
                else 'the UKCIS guidance "Sharing nudes and semi-nudes"'
            ),
            # no source names the people who read escalated chats: the force's own name, unless
            # the force file gives a name it has confirmed
            "team_name": self.raw["handoff"].get("team_name") or self.name,
            "hours_text": self.hours_text(),
        }

    # --- what staff do for each reason (the staff console's case page) ----------------
    def procedures(self, reasons: list[str]) -> list[tuple[str, list[dict]]]:
        """[(reason or "every_case", [{"text", "source"}, ...]), ...]: the steps for every case
        first, then each reason's in the order given (most urgent first)."""
        table = self.raw.get("safeguarding_procedures") or {}
        keys = ["every_case"] + [r for r in reasons if r != "every_case"]
        return [(key, list(table[key])) for key in keys if table.get(key)]

    # --- staffed hours for the human handoff -------------------------------------------
    def _hours(self) -> dict[str, tuple[time, time] | None]:
        out = {}
        for day in DAYS:
            span = (self.raw["handoff"].get("hours") or {}).get(day)
            out[day] = None if not span else (time.fromisoformat(span[0]), time.fromisoformat(span[1]))
        return out

    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.raw["handoff"].get("timezone", "Europe/London"))

    def staffed_at(self, when: datetime) -> bool:
        local = when.astimezone(self.timezone())
        span = self._hours()[DAYS[local.weekday()]]
        return bool(span) and span[0] <= local.time() < span[1]

    def hours_text(self) -> str:
        if not self.hours_confirmed:
            return HOURS_UNCONFIRMED
        # consecutive days with the same hours read as one range: "Monday to Friday 8am to 8pm"
        hours, parts, i = self._hours(), [], 0
        while i < len(DAYS):
            span, j = hours[DAYS[i]], i
            while j + 1 < len(DAYS) and hours[DAYS[j + 1]] == span:
                j += 1
            if span:
                days = DAY_NAMES[i] if i == j else f"{DAY_NAMES[i]} to {DAY_NAMES[j]}"
                parts.append(f"{days} {_clock(span[0])} to {_clock(span[1])}")
            i = j + 1
        if not parts:
            return "Nobody from our team reads these chats live at the moment."
        return "Our team reads these chats " + ", ".join(parts) + " (UK time)."


def _clock(t: time) -> str:
    hour = t.hour % 12 or 12
    suffix = "am" if t.hour < 12 else "pm"
    return f"{hour}{f':{t.minute:02d}' if t.minute else ''}{suffix}"


def load_force(path: Path) -> Force:
    raw = yaml.safe_load(path.read_text())
    missing = [key for key in REQUIRED if key not in (raw or {})]
    if missing:
        raise ForceConfigError(f"{path.name}: missing {', '.join(missing)}")
    if raw["country"] not in ("england", "wales"):
        raise ForceConfigError(f"{path.name}: country must be england or wales")
    for key in PAGES:
        page = raw["pages"].get(key)
        if page is not None and not str(page).startswith("https://"):
            raise ForceConfigError(f"{path.name}: pages.{key} must be an https address, or null (not known)")
    image = raw["delete_advice"]
    if not isinstance(image, dict) or not all(
        str(image.get(key) or "").strip() for key in ("parent", "young_person", "source")
    ):
        raise ForceConfigError(f"{path.name}: delete_advice needs parent, young_person and source")
    if not isinstance(raw["handoff"].get("confirmed", False), bool):
        raise ForceConfigError(f"{path.name}: handoff.confirmed must be true or false")
    retention = raw.get("retention") or {}
    for key, days in retention.items():
        if (
            key not in DEFAULT_RETENTION_DAYS
            or not isinstance(days, int)
            or isinstance(days, bool)
            or days < 1
        ):
            raise ForceConfigError(
                f"{path.name}: retention.{key}: the keys are {', '.join(DEFAULT_RETENTION_DAYS)}, "
                "each a whole number of days, at least 1"
            )
    for key, steps in (raw.get("safeguarding_procedures") or {}).items():
        if not isinstance(steps, list) or not all(
            isinstance(step, dict) and step.get("text") and step.get("source") for step in steps
        ):
            raise ForceConfigError(
                f"{path.name}: safeguarding_procedures.{key}: each step needs text and source"
            )
    force = Force(raw)
    force.placeholders()  # fails here, not mid-conversation, on bad hours
    return force


def available_forces() -> list[str]:
    return sorted(p.stem for p in FORCES_DIR.glob("*.yml"))


@cache
def current_force(force_id: str | None = None) -> Force:
    force_id = force_id or os.environ.get("ADVICE_FORCE", "dorset")
    path = FORCES_DIR / f"{force_id}.yml"
    if not path.exists():
        raise ForceConfigError(f"no force file {path.name}; have {', '.join(available_forces())}")
    return load_force(path)


def main(argv: list[str]) -> int:
    if argv == ["--warn-unconfirmed"]:
        warning = current_force().hours_warning()
        if warning:
            print(warning)
        return 0
    print("usage: python -m advice.forces --warn-unconfirmed", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
