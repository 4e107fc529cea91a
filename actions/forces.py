"""The police force this deployment serves: one YAML file per force in content/forces/.

ADVICE_FORCE picks the file (default: dorset). Adding a force is adding a file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, time
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

FORCES_DIR = Path(__file__).resolve().parent.parent / "content" / "forces"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
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

    def placeholders(self) -> dict[str, str]:
        """Values for the {placeholders} in advice text (docs/content.md)."""
        code, system = str(self.raw["outcome_code"]), self.raw.get("outcome_system")
        outcome = (
            "Outcome 21"
            if code == "21"
            else (f"Outcome 21 (called Outcome {code} on {self.name}'s {system or 'crime recording'} system)")
        )
        pages = self.raw["pages"]
        return {
            "force_name": self.name,
            "outcome_name": outcome,
            "local_team": self.raw["local_team"],
            "force_advice_url": pages["young_people"],
            "force_parent_url": pages["parents"],
            "force_professional_url": pages["professionals"],
            "delete_advice": " ".join(self.raw["delete_advice"].split()),
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
            "team_name": self.raw["handoff"].get("team_name", f"the {self.name} safeguarding team"),
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
    for key in ("young_people", "parents", "professionals"):
        if not str(raw["pages"].get(key, "")).startswith("https://"):
            raise ForceConfigError(f"{path.name}: pages.{key} must be an https address")
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
