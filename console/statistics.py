"""The statistics page (supervisors): what the force learns without keeping data.

Charts of the counts in handoff/statistics.py over a range of days (default: the last 28 days,
ending today by the console's clock), drawn as SVG on the server (no script, no third-party
assets: the console's Content-Security-Policy holds), each with a table of its numbers for
screen readers, and the same range as CSV (/statistics.csv).

The page shows exact numbers: only supervisors see it, and they can read every case anyway.
The CSV is what leaves the console (to be shared or published), so it shows any count from 1 to
4 as "<5" (SUPPRESS_BELOW), and leaves out the one number that could undo that by subtraction
(docs/statistics.md).
"""

from __future__ import annotations

import asyncio
import csv
import io
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sanic import Blueprint, response
from sanic.request import Request

from console.reasons import plain
from console.security import guard
from handoff.statistics import (
    AUDIENCES,
    CASE_STATUSES,
    MEASURES,
    REPLY_BANDS,
    THRESHOLD_CHECK_TOPIC,
    Statistics,
)
from handoff.store import OUTCOMES
from safeguarding.reasons import REASON_CODES

DEFAULT_DAYS = 28
LONGEST_DAYS = 366
SUPPRESS_BELOW = 5  # in the CSV, 1-4 is "<5" (docs/statistics.md: why)
NOT_SAID = "not_said"  # audiences: conversations where the person never said who they are

# What staff read for each key (the keys are what is stored).
TOPIC_WORDS = {
    "sent_image": "Sent an image",
    "received_image": "Received an image",
    "asked_for_image": "Asked for an image",
    "image_shared": "Their image was shared",
    "threat_blackmail": "Threats or blackmail",
    "grooming": "Is this grooming?",
    "fake_image": "Fake or edited images",
    "take_down": "Getting an image taken down",
    "law_question": "The law",
    "police_response": "What the police will do",
    "criminal_record": "Criminal records",
    "report_to_police": "Reporting to the police",
    "parent_what_to_do": "Parents: what to do",
    "parent_talk_to_child": "Parents: talking to their child",
    "support_services": "Someone to talk to",
    "school_what_to_do": "Schools: what to do",
    "school_thresholds": "Schools: referral thresholds",
    "school_image_handling": "Schools: viewing, devices, deleting",
    THRESHOLD_CHECK_TOPIC: "Schools: the guided threshold check",
}
AUDIENCE_WORDS = {
    "young_person": "Young person",
    "parent": "Parent or carer",
    "school": "School staff",
    NOT_SAID: "Not said",
}
CASE_WORDS = {
    "queued": "Someone was on duty",
    "unavailable": "Nobody was on duty",
}
BAND_WORDS = {
    "under_1_min": "Under 1 minute",
    "1_to_5_min": "1 to 5 minutes",
    "5_to_15_min": "5 to 15 minutes",
    "15_to_60_min": "15 to 60 minutes",
    "over_60_min": "Over 60 minutes",
}


def label(measure: str, key: str) -> str:
    words = {
        "conversations": {"started": "Conversations started"},
        "topics": TOPIC_WORDS,
        "audiences": AUDIENCE_WORDS,
        "cases": CASE_WORDS,
        "first_reply": BAND_WORDS,
        "outcomes": OUTCOMES,
    }.get(measure, {})
    if key in words:
        return words[key]
    if measure == "reasons":
        text = plain(key)
        return text[:1].upper() + text[1:]
    return key.replace("_", " ").capitalize()


# --- the range of days ---------------------------------------------------------------------
class RangeProblem(ValueError):
    """A range the page cannot show (the message says why, in plain words)."""


def default_range(today: date) -> tuple[date, date]:
    return today - timedelta(days=DEFAULT_DAYS - 1), today


def chosen_range(first: str | None, last: str | None, today: date) -> tuple[date, date]:
    """The days asked for (YYYY-MM-DD, both included); either left out takes the default's."""
    try:
        end = date.fromisoformat(last) if last else today
        start = date.fromisoformat(first) if first else end - timedelta(days=DEFAULT_DAYS - 1)
    except ValueError:
        raise RangeProblem("Write dates as year-month-day, for example 2026-03-01.") from None
    if start > end:
        raise RangeProblem("The first day is after the last day.")
    if (end - start).days + 1 > LONGEST_DAYS:
        raise RangeProblem(f"Choose at most {LONGEST_DAYS} days.")
    return start, end


# --- the charts ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    count: int
    percent: float  # of the chart's largest count: the bar's length


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    heading: str  # the table's first column
    note: str
    bars: list[Bar]


def _bars(measure: str, counts: Counter, keys: list[str]) -> list[Bar]:
    top = max((counts[k] for k in keys), default=0) or 1
    return [Bar(k, label(measure, k), counts[k], round(100 * counts[k] / top, 1)) for k in keys]


@dataclass(frozen=True)
class DayColumn:
    day: date
    count: int
    x: float
    y: float
    height: float


# The conversations chart's SVG coordinates: the axis is on the left, the dates underneath.
SVG_WIDTH, SVG_HEIGHT, AXIS_LEFT, AXIS_BOTTOM, TOP_MARGIN = 720, 220, 40, 28, 10


@dataclass(frozen=True)
class DayChart:
    """Conversations per day, as SVG geometry (the template draws it; nothing runs in the browser)."""

    columns: list[DayColumn]
    column_width: float
    ticks: list[tuple[float, str]]  # x and the date written under it
    top: int  # the y axis' highest value
    width: int = SVG_WIDTH
    height: int = SVG_HEIGHT
    left: int = AXIS_LEFT
    baseline: int = SVG_HEIGHT - AXIS_BOTTOM

    @property
    def total(self) -> int:
        return sum(c.count for c in self.columns)

    @property
    def busiest(self) -> DayColumn | None:
        return max(self.columns, key=lambda c: c.count) if self.total else None


def day_chart(days: dict[date, int]) -> DayChart:
    top = max(days.values(), default=0) or 1
    plot_height = SVG_HEIGHT - AXIS_BOTTOM - TOP_MARGIN
    step = (SVG_WIDTH - AXIS_LEFT) / max(len(days), 1)
    every = max(1, round(len(days) / 6))  # about six dates under the axis
    columns, ticks = [], []
    for i, (day, count) in enumerate(sorted(days.items())):
        height = plot_height * count / top
        x = AXIS_LEFT + i * step
        columns.append(
            DayColumn(day, count, round(x, 2), round(TOP_MARGIN + plot_height - height, 2), round(height, 2))
        )
        if i % every == 0:
            ticks.append((round(x + step / 2, 2), f"{day.day} {day:%b}"))
    return DayChart(columns, round(step, 2), ticks, top)


@dataclass(frozen=True)
class Report:
    first: date
    last: date
    days: DayChart
    charts: list[Chart]


def build_report(statistics: Statistics, first: date, last: date) -> Report:
    totals = statistics.totals(first, last)
    days = statistics.by_day("conversations", first, last)
    audiences = Counter(totals["audiences"])
    # everyone whose conversation started in the range and never said who they are
    audiences[NOT_SAID] = max(0, sum(days.values()) - sum(audiences[a] for a in AUDIENCES))
    topics = sorted(MEASURES["topics"].vocabulary(), key=lambda k: (-totals["topics"][k], label("topics", k)))
    charts = [
        Chart(
            "topics",
            "Topics",
            "Topic",
            "Answers given on each topic (a conversation can ask about several).",
            _bars("topics", totals["topics"], topics),
        ),
        Chart(
            "audiences",
            "Who was asking",
            "Who they are",
            "Conversations by who the person said they are. The bot asks only when the answer depends on it.",
            _bars("audiences", audiences, [*AUDIENCES, NOT_SAID]),
        ),
        Chart(
            "cases",
            "Escalations",
            "When it was raised",
            "Cases opened, by whether anyone was on duty to pick them up at the time.",
            _bars("cases", totals["cases"], list(CASE_STATUSES)),
        ),
        Chart(
            "reasons",
            "Escalations by reason",
            "Reason",
            "Each reason counted once per case, on the day it was raised (a case can have several).",
            _bars("reasons", totals["reasons"], list(REASON_CODES)),
        ),
        Chart(
            "first_reply",
            "Time to the first staff reply",
            "Time",
            "From the case opening to the first message a person sent in the chat.",
            _bars("first_reply", totals["first_reply"], [k for k, _ in REPLY_BANDS]),
        ),
        Chart(
            "outcomes",
            "Outcomes",
            "Outcome",
            "Cases closed, by the outcome chosen when closing.",
            _bars("outcomes", totals["outcomes"], list(OUTCOMES)),
        ),
    ]
    return Report(first, last, day_chart(days), charts)


# --- the CSV -------------------------------------------------------------------------------
CSV_COLUMNS = ("measure", "key", "label", "first_day", "last_day", "count")


def published(count: int) -> str:
    """A count as the CSV shows it: 1-4 (small enough to point at someone) as "<5"."""
    return str(count) if count == 0 or count >= SUPPRESS_BELOW else f"<{SUPPRESS_BELOW}"


def csv_text(report: Report) -> str:
    """Conversations for each day, then each measure's totals over the range. "Not said" is
    left out: it is the conversations less the audiences given, so with it a "<5" could be
    worked out exactly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for column in report.days.columns:
        day = column.day.isoformat()
        writer.writerow(
            ("conversations", "started", label("conversations", "started"), day, day, published(column.count))
        )
    first, last = report.first.isoformat(), report.last.isoformat()
    for chart in report.charts:
        for bar in chart.bars:
            if chart.id == "audiences" and bar.key == NOT_SAID:
                continue
            writer.writerow((chart.id, bar.key, bar.label, first, last, published(bar.count)))
    return out.getvalue()


# --- the pages -----------------------------------------------------------------------------
def blueprint() -> Blueprint:
    bp = Blueprint("statistics")

    async def report_for(request: Request) -> tuple[Report, str | None]:
        statistics: Statistics = request.app.ctx.statistics
        today = statistics.today()
        problem = None
        try:
            first, last = chosen_range(request.args.get("from"), request.args.get("to"), today)
        except RangeProblem as why:
            problem = str(why)
            first, last = default_range(today)
        return await asyncio.to_thread(build_report, statistics, first, last), problem

    @bp.get("/statistics")
    @guard(supervisors_only=True)
    async def page(request: Request):
        app, member = request.app, request.ctx.session.member
        report, problem = await report_for(request)
        await app.ctx.record(
            "view_statistics", member, detail=f"{report.first} to {report.last}", request=request
        )
        return await app.ctx.render(
            request,
            "statistics.html",
            status=400 if problem else 200,
            problem=problem,
            report=report,
            suppress_below=SUPPRESS_BELOW,
        )

    @bp.get("/statistics.csv")
    @guard(supervisors_only=True)
    async def download(request: Request):
        app, member = request.app, request.ctx.session.member
        report, problem = await report_for(request)
        if problem:
            return response.text(problem, status=400)
        await app.ctx.record(
            "export_statistics", member, detail=f"{report.first} to {report.last}", request=request
        )
        name = f"statistics_{report.first}_{report.last}.csv"
        return response.text(
            csv_text(report),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    return bp
