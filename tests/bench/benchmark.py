"""Benchmark: starts the real servers (SQLite tracker store) and measures, on this machine:

- start to first answer, and training from a cold cache;
- the turn cost along one long conversation (150 turns): latency per turn, the servers' CPU time
  per turn and the events stored per turn; drawn in results/turn_cost.png;
- one realistic conversation at a time (20-40 turns, some with the schools' guided check);
- 50 such conversations at once, each sending a message every ~2 s (exponential gaps);
- the highest sustained throughput (clients sending without pause, 4 to 16 of them);
- the resident memory of the Rasa server and the action server;
- how soon the chat widget is interactive after its demo page starts loading (Debian's
  Chromium, empty cache each time).
Every latency is given as p50/p95/p99 (ms). The load generator is one asyncio process (aiohttp,
kept-alive connections) on the same machine as the servers, so it shares their two cores.
Prints the figures as JSON (and writes results/benchmark.json); it asserts nothing.

    make benchmark       the project, then stock Rasa running the same bot (data, domain, action
                         server, load): Rasa 3.6's default DIET/TED configuration (what `rasa
                         init` gives), its own SQL tracker store and REST channel; and the
                         project's figures over stock Rasa's
    python -m tests.bench.benchmark [--no-stock] [--skip-train] [--quick (shorter runs)] [--widget-only]

The load comes from one address, as the tests' does (tests/servers.py lifts the per-address
limits), and sends one conversation's messages faster than a person can (150 in a row, or with
no pause): the per-conversation message limit is lifted too (BENCHMARK_LIMITS); the limits
themselves are measured by tests/e2e/test_rate_limits.py.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import aiohttp

from tests.bench.conversations import START_CHECK, check_answer, long_script, script
from tests.servers import ROOT, VENV, Assistant, Service, free_port, load_env

RESULTS = ROOT / "results"
# What `rasa init` gives: Rasa 3.6's default configuration, installed with Rasa.
STOCK_CONFIG = "rasa/engine/recipes/config_files/default_config.yml"
STOCK_MODEL = ROOT / "models" / "stock" / "stock.tar.gz"
LONG_TURNS = 150
# A machine sends one conversation's messages faster than the 20 a minute a person is allowed
# and the process's own cap on messages in flight would answer an overload with the wait message
# instead of measuring it (tests/load measures the shedding)
BENCHMARK_LIMITS = {
    "CHAT_MESSAGES_PER_CONVERSATION": "1000000/minute",
    "CHAT_MAX_MESSAGES_IN_FLIGHT": "1000000",
}
TICK = os.sysconf("SC_CLK_TCK")


def pct(values: list[float]) -> dict:
    """p50/p95/p99 in ms of latencies in seconds."""
    ordered = sorted(values)
    at = lambda p: round(ordered[min(len(ordered) - 1, int(len(ordered) * p))] * 1000, 1)  # noqa: E731
    return {"p50_ms": at(0.5), "p95_ms": at(0.95), "p99_ms": at(0.99)}


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024)
    return float("nan")


def cpu_s(pid: int) -> float:
    """User + system CPU time of a process so far (robust to the machine's other load)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


class Client:
    """Sends messages over the REST channel and records each turn's latency."""

    def __init__(self, session: aiohttp.ClientSession, url: str):
        self.session, self.url = session, url + "/webhooks/rest/webhook"
        self.latencies: list[float] = []
        self.errors = self.empty = 0

    async def say(self, sender: str, message: str) -> list[dict]:
        t0 = time.perf_counter()
        try:
            async with self.session.post(self.url, json={"sender": sender, "message": message}) as resp:
                reply = await resp.json() if resp.status == 200 else None
        except (aiohttp.ClientError, asyncio.TimeoutError):
            reply = None
        self.latencies.append(time.perf_counter() - t0)
        if reply is None:
            self.errors += 1
            return []
        self.empty += not reply
        return reply

    async def converse(
        self, sender: str, steps: list[str], gap: float = 0.0, until: float = float("inf")
    ) -> int:
        """A whole conversation (the guided check answered from its buttons); returns turns sent."""
        sent = 0

        async def say(message: str) -> list[dict]:
            nonlocal sent
            if gap:
                await asyncio.sleep(random.expovariate(1 / gap))
            sent += 1
            return await self.say(sender, message)

        for step in steps:
            if time.perf_counter() > until:
                break
            if step != "CHECK":
                await say(step)
                continue
            reply = await say(START_CHECK)
            for _ in range(16):
                answer = check_answer(reply)
                if answer is None or time.perf_counter() > until:
                    break
                reply = await say(answer)
        return sent


def session() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=30), connector=aiohttp.TCPConnector(limit=200)
    )


async def long_conversation(url: str, procs: dict, db: Path, sender: str, disclose: bool) -> dict:
    """One conversation of LONG_TURNS turns: latency of each turn, and per block of 10 turns the
    servers' CPU time per turn and the events stored per turn."""
    async with session() as s:
        client = Client(s, url)
        blocks, steps = [], long_script(LONG_TURNS, disclose)
        for start in range(0, LONG_TURNS, 10):
            cpu0 = {name: cpu_s(pid) for name, pid in procs.items()}
            rows0 = stored_events(db, sender)
            for message in steps[start : start + 10]:
                await client.say(sender, message)
            cpu = {name: round((cpu_s(pid) - cpu0[name]) * 100, 1) for name, pid in procs.items()}
            blocks.append(
                {
                    "turns": f"{start + 1}-{start + 10}",
                    "p50_ms": round(statistics.median(client.latencies[start:]) * 1000, 1),
                    **{f"{name}_cpu_ms_per_turn": ms for name, ms in cpu.items()},
                    "events_per_turn": (stored_events(db, sender) - rows0) / 10,
                }
            )
    lat = client.latencies
    first, last = statistics.median(lat[:10]), statistics.median(lat[-10:])
    return {
        "turns": len(lat),
        "first_10_p50_ms": round(first * 1000, 1),
        "last_10_p50_ms": round(last * 1000, 1),
        "last_over_first": round(last / first, 2),
        "rasa_cpu_last_over_first": round(
            blocks[-1]["rasa_cpu_ms_per_turn"] / max(blocks[0]["rasa_cpu_ms_per_turn"], 1), 2
        ),
        "events_stored": stored_events(db, sender),
        "blocks": blocks,
        "latencies_ms": [round(x * 1000, 1) for x in lat],
        "errors": client.errors,
    }


def stored_events(db: Path, sender: str) -> int:
    import sqlite3

    with sqlite3.connect(db) as con:
        return con.execute("select count(*) from events where sender_id = ?", (sender,)).fetchone()[0]


def scripts(seed: int, count: int) -> list[list[str]]:
    rng = random.Random(seed)
    return [script(rng, rng.randint(20, 40)) for _ in range(count)]


async def one_at_a_time(url: str, conversations: int) -> dict:
    async with session() as s:
        client = Client(s, url)
        for n, steps in enumerate(scripts(1, conversations)):
            await client.converse(f"seq-{n}", steps)
    return {
        "conversations": conversations,
        "turns": len(client.latencies),
        **pct(client.latencies),
        "errors": client.errors,
        "empty": client.empty,
    }


async def concurrent(url: str, users: int, gap: float, seconds: float, tag: str) -> dict:
    """`users` people at once, each starting a new 20-40 turn conversation when one ends;
    `gap` is the mean pause before each message (0: none)."""
    until = time.perf_counter() + seconds
    async with session() as s:
        client = Client(s, url)

        async def person(n: int) -> None:
            for k, steps in enumerate(scripts(100 + n, 50)):
                if time.perf_counter() > until:
                    return
                await client.converse(f"{tag}-{n}-{k}", steps, gap, until)

        t0 = time.perf_counter()
        await asyncio.gather(*(person(n) for n in range(users)))
        elapsed = time.perf_counter() - t0
    return {
        "users": users,
        "turns": len(client.latencies),
        "turns_per_s": round(len(client.latencies) / elapsed, 1),
        **pct(client.latencies),
        "errors": client.errors,
        "empty": client.empty,
    }


async def highest_throughput(url: str, seconds: float) -> dict:
    runs = [await concurrent(url, users, 0.0, seconds, f"max{users}") for users in (4, 8, 16)]
    within = [r for r in runs if r["p95_ms"] < 250 and not r["errors"]] or runs
    return {**max(within, key=lambda r: r["turns_per_s"]), "runs": runs}


# Stock Rasa's own stack for the comparison: its SQL tracker store and REST channel, nothing of
# the project's (no speed-ups); the same action server, sent the same secret.
STOCK_ENDPOINTS = """
action_endpoint:
  url: ${ACTION_SERVER_URL}
  headers:
    X-Action-Token: ${ACTION_SERVER_TOKEN}
tracker_store:
  type: SQL
  dialect: sqlite
  db: ${TRACKER_DB}
"""
STOCK_CREDENTIALS = "rest: {}\n"


def measure(label: str, model: Path | None, quick: bool, worst_case: bool = True) -> dict:
    """Starts the servers (with `model` on stock Rasa's stack, or the project's), runs every
    load, stops them."""
    work = Path(tempfile.mkdtemp(prefix=f"bench-{label}-"))
    rasa_args = None
    if model:
        (work / "endpoints.yml").write_text(STOCK_ENDPOINTS)
        (work / "credentials.yml").write_text(STOCK_CREDENTIALS)
        rasa_args = [
            "--model",
            str(model),
            "--endpoints",
            str(work / "endpoints.yml"),
            "--credentials",
            str(work / "credentials.yml"),
        ]
    assistant = Assistant(work, overrides=BENCHMARK_LIMITS, rasa_args=rasa_args)
    t0 = time.perf_counter()
    assistant.actions.start()
    assistant.rasa.start()
    figures: dict = {}
    try:
        asyncio.run(wait_for_first_answer(assistant.url))
        figures["start_to_first_answer_s"] = round(time.perf_counter() - t0, 1)
        procs = {"rasa": assistant.rasa.proc.pid, "actions": assistant.actions.proc.pid}
        asyncio.run(concurrent(assistant.url, 4, 0.0, 5, "warm"))
        db = work / "tracker.db"
        figures["long_conversation"] = asyncio.run(long_conversation(assistant.url, procs, db, "long", True))
        if worst_case:
            figures["long_conversation_no_combining_cue"] = asyncio.run(
                long_conversation(assistant.url, procs, db, "long-plain", False)
            )
        figures["one_at_a_time"] = asyncio.run(one_at_a_time(assistant.url, 4 if quick else 12))
        figures["50_users_a_message_every_2s"] = asyncio.run(
            concurrent(assistant.url, 50, 2.0, 20 if quick else 60, "fifty")
        )
        figures["highest_throughput"] = asyncio.run(highest_throughput(assistant.url, 8 if quick else 20))
        figures["rss_mb"] = {name: rss_mb(pid) for name, pid in procs.items()}
        if not model:
            figures["widget_interactive"] = widget_interactive_ms(assistant.env)
    finally:
        assistant.stop()
    return figures


async def wait_for_first_answer(url: str) -> None:
    async with session() as s:
        client = Client(s, url)
        while not await client.say("first", "hi"):
            await asyncio.sleep(0.2)


def rasa_train(env: dict, *args: str) -> float:
    """`rasa train` with these arguments; its time in seconds."""
    t0 = time.perf_counter()
    subprocess.run(
        [str(VENV / "rasa"), "train", *args, "--quiet"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return round(time.perf_counter() - t0, 1)


def train_stock(env: dict) -> float:
    """Rasa's default configuration on the same data (skipped when nothing changed)."""
    import rasa

    config = Path(rasa.__file__).parent.parent / STOCK_CONFIG
    return rasa_train(
        env, "--config", str(config), "--out", str(STOCK_MODEL.parent), "--fixed-model-name", "stock"
    )


def train_cold(env: dict) -> float:
    with tempfile.TemporaryDirectory() as out:
        return rasa_train(env, "--out", out, "--force")


def screening_cost_ms() -> dict:
    """What the safeguarding screen adds to one turn: the rules in the spaCy pipeline and reading
    the facts (against the same tokenizer without the rules), and the policy's assessment of a
    conversation of n turns (it runs on every user message), by conversation length."""
    import spacy

    from safeguarding import extract
    from safeguarding.assessment import Turn, assess
    from safeguarding.nlp import build
    from tests.bench.conversations import DISCLOSURE, YOUNG_PERSON

    with_rules, blank = build(), spacy.blank("en")
    texts = YOUNG_PERSON + [DISCLOSURE]
    rounds = 50

    def timed(fn) -> float:
        t0 = time.perf_counter()
        for _ in range(rounds):
            for t in texts:
                fn(t)
        return (time.perf_counter() - t0) / (rounds * len(texts)) * 1000

    out = {"rules_and_facts_ms": round(timed(lambda t: extract(with_rules(t))) - timed(blank), 3)}
    facts = [extract(with_rules(t)) for t in texts]
    for n in (10, 50, 150):
        turns = [Turn(facts[i % len(facts)], "sent_image", 0.5) for i in range(n)]
        t0, repeats = time.perf_counter(), 20
        for _ in range(repeats):
            assess(turns)
        out[f"assess_{n}_turns_ms"] = round((time.perf_counter() - t0) / repeats * 1000, 2)
    return out


def widget_interactive_ms(env: dict, loads: int = 10) -> dict:
    """From navigation start to the widget's launcher working (its `advice-chat:interactive`
    mark, widget/src/main.js), loading the demo page from the local server with an empty cache
    each time. The widget connects to nothing until it is opened, so Rasa need not run."""
    from tests.widget.browser import Browser

    port = free_port()
    page = Service(
        "widget-bench",
        [str(VENV / "python"), "-m", "widget.serve", "--port", str(port)],
        env,
        Path(tempfile.mkdtemp()),
    ).start(ready_url=f"http://127.0.0.1:{port}/", timeout=60)
    browser = Browser()
    times = []
    try:
        browser.driver.execute_cdp_cmd("Network.enable", {})
        browser.driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
        for _ in range(loads):
            browser.driver.get("about:blank")
            browser.driver.get(f"http://127.0.0.1:{port}/")
            mark = browser.wait(
                lambda d: d.execute_script(
                    "const m = performance.getEntriesByName('advice-chat:interactive')[0]; return m && m.startTime"
                ),
                what="the widget's interactive mark",
            )
            times.append(mark / 1000)
    finally:
        browser.quit()
        page.stop()
    return {"loads": loads, **pct(times), "max_ms": round(max(times) * 1000, 1)}


def chart(results: dict, path: Path) -> None:
    """Turn index against latency (and the Rasa server's CPU time per turn) along the long
    conversation, for each configuration measured."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7, 5.5), sharex=True)
    series = [(label, figures["long_conversation"]) for label, figures in results.items()]
    if "long_conversation_no_combining_cue" in results.get("project", {}):
        series.append(
            (
                "project, no cue combining across messages",
                results["project"]["long_conversation_no_combining_cue"],
            )
        )
    for label, long in series:
        lat = long["latencies_ms"]
        smooth = [statistics.median(lat[max(0, i - 4) : i + 5]) for i in range(len(lat))]
        line = top.plot(range(1, len(lat) + 1), smooth, label=f"{label} (median of 9 turns)")[0]
        top.scatter(range(1, len(lat) + 1), lat, s=3, alpha=0.3, color=line.get_color())
        mids = [10 * i + 5.5 for i in range(len(long["blocks"]))]
        bottom.plot(mids, [b["rasa_cpu_ms_per_turn"] for b in long["blocks"]], marker="o", label=label)
    top.set_ylabel("latency per turn (ms)")
    top.set_ylim(bottom=0, top=max(300, top.get_ylim()[1] * 0.6))
    top.legend(fontsize=8)
    top.set_title(
        f"One conversation, turn by turn ({os.cpu_count()} cores, {time.strftime('%Y-%m-%d')})", fontsize=10
    )
    bottom.set_ylabel("Rasa CPU ms per turn")
    bottom.set_xlabel("turn of the conversation")
    bottom.set_ylim(bottom=0)
    bottom.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=90)


def summary(figures: dict) -> dict:
    """The figures without the per-turn series."""
    out = json.loads(json.dumps(figures))
    for f in out.values():
        for key in ("long_conversation", "long_conversation_no_combining_cue"):
            if isinstance(f, dict) and key in f:
                f[key].pop("latencies_ms", None)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-train", action="store_true")
    parser.add_argument("--no-stock", action="store_true", help="the project's configuration only")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--widget-only", action="store_true", help="only the widget's interactive time")
    args = parser.parse_args()
    env = load_env()
    if args.widget_only:
        print(json.dumps({"widget_interactive": widget_interactive_ms(env)}, indent=1))
        return
    figures: dict = {
        "date": time.strftime("%Y-%m-%d"),
        "cores": os.cpu_count(),
        "load": "one asyncio process on the same machine (aiohttp, kept-alive connections); "
        "latencies are the REST round trip as the client sees it",
        "machine_load_average_at_start": os.getloadavg()[0],
        "screening": screening_cost_ms(),
    }
    if not args.skip_train:
        figures["train_cold_s"] = train_cold(env)
    runs = {"project": measure("project", None, args.quick)}
    if not args.no_stock:
        figures["stock_train_s"] = train_stock(env)
        runs["stock"] = measure("stock", STOCK_MODEL, args.quick, worst_case=False)
        figures["project_over_stock"] = ratios(runs["project"], runs["stock"])
    figures.update(runs)
    RESULTS.mkdir(exist_ok=True)
    chart(runs, RESULTS / "turn_cost.png")
    (RESULTS / "benchmark.json").write_text(json.dumps(figures, indent=1))
    print(json.dumps(summary(figures), indent=1))
    print(f"chart: {RESULTS / 'turn_cost.png'}; every figure: {RESULTS / 'benchmark.json'}")


def ratios(project: dict, stock: dict) -> dict:
    """The project's figure over stock Rasa's, for the headline figures (below 1: faster)."""
    pick = {
        "one_at_a_time_p50": ("one_at_a_time", "p50_ms"),
        "one_at_a_time_p95": ("one_at_a_time", "p95_ms"),
        "fifty_users_p95": ("50_users_a_message_every_2s", "p95_ms"),
        "long_conversation_last_10_p50": ("long_conversation", "last_10_p50_ms"),
        "long_conversation_growth": ("long_conversation", "last_over_first"),
        "events_stored_long_conversation": ("long_conversation", "events_stored"),
        "highest_throughput": ("highest_throughput", "turns_per_s"),
    }
    out = {name: round(project[a][b] / stock[a][b], 2) for name, (a, b) in pick.items() if stock[a][b]}
    out["rasa_rss"] = round(project["rss_mb"]["rasa"] / stock["rss_mb"]["rasa"], 2)
    return out


if __name__ == "__main__":
    main()
