"""The statistics page and its CSV, over HTTP: supervisors only, the range of days by the
console's clock, the CSV's headers and small numbers, the Content-Security-Policy; and a real
conversation (Rasa, the action server, the console) counted from its escalation, staff reply and
close, with none of its words or ids in the counts."""

import asyncio
import csv
import io
import json
import re
import secrets
import time
import urllib.request
from collections import Counter
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from sanic import Sanic

from console.app import create_app
from console.config import ConsoleConfig
from handoff.audit import AuditLog
from handoff.clock import FixedClock
from handoff.db import engine_for, statistics_counts
from handoff.statistics import Statistics
from handoff.store import CaseStore
from tests.console.conftest import AGENT, FAST_PASSWORD_COST, SUPERVISOR, add_staff
from tests.console.http_client import ConsoleClient
from tests.servers import free_port

# 23:30 on 30 June in UTC is already 1 July in the UK: the default range ends on 1 July
LATE_JUNE_NIGHT = datetime(2026, 6, 30, 23, 30, tzinfo=timezone.utc)


class ConsoleAtFixedTime:
    """The console app in this process, on a real port, with a FixedClock."""

    def __init__(self, tmp_path):
        self.db_url = f"sqlite:///{tmp_path / 'handoff.db'}"
        self.clock = FixedClock(LATE_JUNE_NIGHT)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.statistics = Statistics(self.db_url, self.clock)
        add_staff(self.db_url, SUPERVISOR, AGENT)
        config = ConsoleConfig(
            db_url=self.db_url,
            tracker_url=f"sqlite:///{tmp_path / 'tracker.db'}",
            rasa_url=f"http://127.0.0.1:{free_port()}",
            rasa_token=secrets.token_urlsafe(16),
            force_id="dorset",
            port=self.port,
            password_cost=FAST_PASSWORD_COST,
        )
        self.app = create_app(config, name=f"statistics_{self.port}", clock=self.clock)

    async def start(self):
        self.server = await self.app.create_server(
            host="127.0.0.1", port=self.port, return_asyncio_server=True, access_log=False
        )
        await self.server.startup()
        return self

    async def stop(self):
        self.server.close()
        await self.server.wait_closed()

    async def signed_in(self, person) -> ConsoleClient:
        client = ConsoleClient(self.url)
        assert (await asyncio.to_thread(client.sign_in, person[0], person[3])).status == 303
        return client

    async def get(self, client: ConsoleClient, path: str):
        return await asyncio.to_thread(client.get, path)


@pytest.fixture
async def console(tmp_path, monkeypatch):
    # as Sanic's own test client does: several apps may start in one process
    monkeypatch.setattr(Sanic, "test_mode", True)
    running = await ConsoleAtFixedTime(tmp_path).start()
    yield running
    await running.stop()


def count_on(statistics: Statistics, when: datetime, measure: str, key: str, times: int = 1) -> None:
    for _ in range(times):
        statistics.add(measure, key, when)


def rows_of(table_html: str) -> dict[str, str]:
    """A chart's table as {key: number}."""
    return dict(
        re.findall(r'<tr data-key="([a-z0-9_]+)">.*?<span class="count">(\d+)</span>', table_html, re.S)
    )


def section(page: str, chart_id: str) -> str:
    found = re.search(rf'<section class="stat[^"]*"[^>]*id="{chart_id}">(.*?)</section>', page, re.S)
    assert found, f"no {chart_id} chart"
    return found.group(1)


async def test_statistics_are_for_supervisors_only(console):
    anonymous = ConsoleClient(console.url)
    for path in ("/statistics", "/statistics.csv"):
        answer = await console.get(anonymous, path)
        assert answer.status == 303 and answer.location == "/sign-in", path

    agent = await console.signed_in(AGENT)
    for path in ("/statistics", "/statistics.csv"):
        answer = await console.get(agent, path)
        assert answer.status == 403 and "Only a supervisor" in answer.body, path
    assert 'href="/statistics"' not in (await console.get(agent, "/")).body
    assert [
        e.detail for e in AuditLog(console.db_url).entries(actor=AGENT[0]) if e.action == "forbidden"
    ] == [
        "/statistics.csv",
        "/statistics",
    ]

    supervisor = await console.signed_in(SUPERVISOR)
    assert 'href="/statistics"' in (await console.get(supervisor, "/")).body
    assert (await console.get(supervisor, "/statistics")).status == 200


async def test_the_page_shows_the_last_28_days_to_today_by_the_consoles_clock(console):
    stats = console.statistics
    count_on(stats, LATE_JUNE_NIGHT, "conversations", "started", 3)  # 1 July in the UK
    count_on(stats, datetime(2026, 6, 4, 9, tzinfo=timezone.utc), "conversations", "started")  # first day
    count_on(stats, datetime(2026, 6, 3, 9, tzinfo=timezone.utc), "conversations", "started", 5)  # before it
    count_on(stats, LATE_JUNE_NIGHT, "reasons", "coercion_or_blackmail", 2)
    count_on(stats, LATE_JUNE_NIGHT, "outcomes", "referred_police")
    count_on(stats, LATE_JUNE_NIGHT, "first_reply", "1_to_5_min")
    count_on(stats, LATE_JUNE_NIGHT, "audiences", "parent")
    assert stats.flush(10)

    supervisor = await console.signed_in(SUPERVISOR)
    page = await console.get(supervisor, "/statistics")
    assert page.status == 200
    assert 'name="from" value="2026-06-04"' in page.body and 'name="to" value="2026-07-01"' in page.body
    days = section(page.body, "conversations")
    assert "4 conversations from 4 June 2026" in days and "to 1 July 2026" in days
    assert len(re.findall(r"<rect ", days)) == 28
    assert '<td class="n">3</td>' in days and '<td class="n">5</td>' not in days
    assert rows_of(section(page.body, "reasons"))["coercion_or_blackmail"] == "2"
    assert rows_of(section(page.body, "outcomes"))["referred_police"] == "1"
    assert rows_of(section(page.body, "first_reply"))["1_to_5_min"] == "1"
    audiences = rows_of(section(page.body, "audiences"))
    assert audiences["parent"] == "1" and audiences["not_said"] == "3"
    # every chart has a table of its numbers with a caption
    assert page.body.count("<caption") == 7
    assert "/statistics.csv?from=2026-06-04&amp;to=2026-07-01" in page.body

    # the console's Content-Security-Policy holds: no inline script or style, nothing from elsewhere
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp and "style-src 'self'" in csp
    assert re.findall(r"<script[^>]*>", page.body) == ['<script src="/static/console.js" defer>']
    assert "<style" not in page.body and " style=" not in page.body
    assert not re.search(r'(src|href)="(https?:)?//', page.body)
    stylesheet = await console.get(supervisor, "/static/statistics.css")
    assert stylesheet.status == 200 and "text/css" in stylesheet.headers["content-type"]
    assert "view_statistics" in [e.action for e in AuditLog(console.db_url).entries(actor=SUPERVISOR[0])]

    console.clock.set(datetime(2026, 7, 29, 12, tzinfo=timezone.utc))  # four weeks on: 2 July to 29 July
    supervisor = await console.signed_in(SUPERVISOR)  # the session ended long ago
    later = await console.get(supervisor, "/statistics")
    assert 'name="from" value="2026-07-02"' in later.body
    assert "0 conversations from 2 July 2026" in section(later.body, "conversations")


async def test_a_chosen_range_exports_as_csv_with_small_numbers_hidden(console):
    stats = console.statistics
    march = datetime(2026, 3, 10, 12, tzinfo=timezone.utc)
    count_on(stats, march, "conversations", "started", 6)
    count_on(stats, march, "reasons", "under_13")
    count_on(stats, march, "reasons", "grooming", 5)
    count_on(stats, march, "outcomes", "advice_given", 2)
    count_on(stats, march, "audiences", "school", 2)
    assert stats.flush(10)
    supervisor = await console.signed_in(SUPERVISOR)

    page = await console.get(supervisor, "/statistics?from=2026-03-09&to=2026-03-11")
    assert page.status == 200
    assert rows_of(section(page.body, "reasons"))["under_13"] == "1"  # the page shows every number

    answer = await console.get(supervisor, "/statistics.csv?from=2026-03-09&to=2026-03-11")
    assert answer.status == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert (
        answer.headers["content-disposition"] == 'attachment; filename="statistics_2026-03-09_2026-03-11.csv"'
    )
    assert answer.headers["cache-control"] == "no-store"
    table = list(csv.reader(io.StringIO(answer.body)))
    assert table[0] == ["measure", "key", "label", "first_day", "last_day", "count"]
    assert table[1:4] == [
        ["conversations", "started", "Conversations started", "2026-03-09", "2026-03-09", "0"],
        ["conversations", "started", "Conversations started", "2026-03-10", "2026-03-10", "6"],
        ["conversations", "started", "Conversations started", "2026-03-11", "2026-03-11", "0"],
    ]
    cells = {(r[0], r[1]): r[3:] for r in table[4:]}
    assert cells[("reasons", "grooming")] == ["2026-03-09", "2026-03-11", "5"]
    assert cells[("reasons", "under_13")][2] == "<5"
    assert cells[("outcomes", "advice_given")][2] == "<5"
    assert cells[("audiences", "school")][2] == "<5"
    assert cells[("outcomes", "called_999")][2] == "0"
    assert ("audiences", "not_said") not in cells  # it would undo the "<5" above by subtraction
    assert {r[0] for r in table[4:]} == {"topics", "audiences", "cases", "reasons", "first_reply", "outcomes"}
    exports = [
        e for e in AuditLog(console.db_url).entries(actor=SUPERVISOR[0]) if e.action == "export_statistics"
    ]
    assert [e.detail for e in exports] == ["2026-03-09 to 2026-03-11"]


async def test_a_range_the_page_cannot_show_is_explained(console):
    supervisor = await console.signed_in(SUPERVISOR)
    for query, why in (
        ("from=2026-03-20&to=2026-03-01", "The first day is after the last day."),
        ("from=1%2F3%2F2026", "Write dates as year-month-day"),
        ("from=2024-01-01&to=2026-03-01", "Choose at most 366 days."),
    ):
        page = await console.get(supervisor, f"/statistics?{query}")
        assert page.status == 400 and why in page.body, query
        assert 'name="to" value="2026-07-01"' in page.body  # the default range is shown instead
        assert (await console.get(supervisor, f"/statistics.csv?{query}")).status == 400


# --- a real conversation -------------------------------------------------------------------
# words and names nobody else's test uses, so finding them would mean they were stored
DISTINCTIVE = "Quillon Brackenridge"
REPLY = "Hi, I'm Alex. You did the right thing telling us about Quillon."
NOTE = "Referred: Brackenridge blackmail, police informed."


def say(rasa_url: str, sender: str, text: str) -> list[dict]:
    request = urllib.request.Request(
        rasa_url + "/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": text}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def all_counts(db_url: str) -> Counter:
    with engine_for(db_url).connect() as db:
        found = Counter()
        for row in db.execute(sa.select(statistics_counts)):
            found[(row.measure, row.key)] += row.count
        return found


def wait_for_counts(db_url: str, before: Counter, expected: Counter, timeout: float = 30) -> Counter:
    deadline = time.monotonic() + timeout
    while True:
        added = all_counts(db_url) - before
        if added == expected or time.monotonic() > deadline:
            return added
        time.sleep(0.3)


async def test_a_real_escalation_staff_reply_and_close_are_counted_with_none_of_their_words(stack):
    db_url, rasa = stack["db_url"], stack["rasa"]
    sender = f"stats-{secrets.token_hex(6)}"
    before = all_counts(db_url)
    agent = stack["console"].client()
    assert (await asyncio.to_thread(agent.sign_in, AGENT[0], AGENT[3])).status == 303
    token = (await asyncio.to_thread(agent.get, "/")).csrf()
    await asyncio.to_thread(agent.post, "/duty", {"csrf_token": token, "on_duty": "yes"})
    try:
        await asyncio.to_thread(say, rasa, sender, "how do i get a picture taken down")
        replies = await asyncio.to_thread(
            say, rasa, sender, f"a man called {DISTINCTIVE} says he will share my nudes unless i pay him"
        )
        signal = next(r["custom"]["handoff"] for r in replies if "handoff" in (r.get("custom") or {}))
        case_id = signal["case_id"]
        for action, form in (
            ("claim", {}),
            ("reply", {"text": REPLY}),
            ("close", {"outcome": "referred_police", "note": NOTE}),
        ):
            done = await asyncio.to_thread(
                agent.post, f"/cases/{case_id}/{action}", {"csrf_token": token, **form}
            )
            assert done.status == 303, action
    finally:
        await asyncio.to_thread(agent.post, "/duty", {"csrf_token": token, "on_duty": "no"})

    case = CaseStore(db_url).get(case_id)
    assert case.status == "closed" and signal["status"] == "queued"
    expected = Counter(
        {
            ("conversations", "started"): 1,
            ("topics", "take_down"): 1,
            ("cases", "queued"): 1,
            ("outcomes", "referred_police"): 1,
            ("first_reply", "under_1_min"): 1,  # seconds after the case opened
            **{("reasons", reason): 1 for reason in case.reasons},
        }
    )
    added = await asyncio.to_thread(wait_for_counts, db_url, before, expected)
    assert added == expected

    # the words, the names and the ids are in the case (so they reached the database)...
    texts = " ".join(m["text"] for m in case.messages) + " ".join(n["text"] for n in case.notes)
    assert DISTINCTIVE in texts and REPLY in texts and NOTE in texts
    # ...and nowhere in the counts
    with engine_for(db_url).connect() as db:
        stored = " ".join(str(v) for row in db.execute(sa.select(statistics_counts)) for v in row).lower()
    for secret in (
        DISTINCTIVE,
        "Quillon",
        "Brackenridge",
        "nudes",
        sender,
        case_id,
        AGENT[0],
        AGENT[1],
        REPLY,
        NOTE,
    ):
        assert secret.lower() not in stored, secret
    for value in re.findall(r"\S+", stored):  # each cell is a date, a code or a number
        assert re.fullmatch(r"\d{4}-\d\d-\d\d|[a-z0-9_]+|\d+", value), value

    # the supervisor sees it on the page (its default range ends today by the console's clock)
    supervisor = stack["console"].client()
    assert (await asyncio.to_thread(supervisor.sign_in, SUPERVISOR[0], SUPERVISOR[3])).status == 303
    page = await asyncio.to_thread(supervisor.get, "/statistics")
    assert page.status == 200
    assert int(rows_of(section(page.body, "outcomes"))["referred_police"]) >= 1
    export = await asyncio.to_thread(supervisor.get, "/statistics.csv")
    assert export.status == 200 and export.body.startswith("measure,key,label,first_day,last_day,count")
