"""Benchmark: starts the real servers (SQLite tracker store) and measures, on this machine:
training from a cold cache, start to first answer, turn latency one conversation at a time,
50 conversations at once (a message every ~2 s each), the highest sustained throughput, the
Rasa server's resident memory, and how soon the chat widget is interactive after its demo page
starts loading (Debian's Chromium, empty cache each time). Prints the figures; it asserts nothing.

    make benchmark           (python -m tests.bench.benchmark [--skip-train] [--widget-only])
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from tests.servers import ROOT, VENV, Assistant, Service, free_port, load_env

MESSAGES = [
    "hi",
    "i sent a pic to my bf and regret it",
    "will the police come to my house",
    "how do i get it taken down",
    "will it show on a dbs check",
    "is it illegal",
    "someone sent me a nude what do i do",
    "thanks",
    "my gf keeps asking for pics",
    "are you a bot",
]


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] * 1000


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def post(url, sender, text):
    req = urllib.request.Request(
        url + "/webhooks/rest/webhook",
        headers={"Content-Type": "application/json"},
        data=json.dumps({"sender": sender, "message": text}).encode(),
    )
    t0 = time.perf_counter()
    with urllib.request.urlopen(req, timeout=30) as resp:
        items = json.loads(resp.read())
    return time.perf_counter() - t0, items


TURNS_PER_CONVERSATION = 10  # a real conversation here is about 10-20 turns


async def load(url, conversations, mean_gap, duration):
    lat, errors, empty = [], 0, 0
    loop = asyncio.get_running_loop()

    async def one(n):
        nonlocal errors, empty
        end = time.perf_counter() + duration
        i = 0
        await asyncio.sleep(random.uniform(0, mean_gap))
        while time.perf_counter() < end:
            try:
                # each client starts a new conversation every TURNS_PER_CONVERSATION turns: one
                # conversation of hundreds of turns would measure tracker growth, not the service
                sender = f"bench-{n}-{i // TURNS_PER_CONVERSATION}-{int(end)}"
                dt, items = await loop.run_in_executor(None, post, url, sender, MESSAGES[i % len(MESSAGES)])
                lat.append(dt)
                empty += not items
            except Exception:
                errors += 1
            i += 1
            if mean_gap:
                await asyncio.sleep(random.expovariate(1 / mean_gap))

    from concurrent.futures import ThreadPoolExecutor

    loop.set_default_executor(ThreadPoolExecutor(max_workers=conversations))
    t0 = time.perf_counter()
    await asyncio.gather(*(one(n) for n in range(conversations)))
    return lat, errors, empty, time.perf_counter() - t0


def screening_cost_ms() -> dict:
    """What the safeguarding screen adds to one turn: the rules in the spaCy pipeline, reading
    the facts, and the policy's assessment of a ten-turn conversation, against the same
    tokenizer without the rules."""
    import spacy

    from safeguarding import Turn, assess, extract
    from safeguarding.nlp import build

    with_rules, blank = build(), spacy.blank("en")
    texts = [m.lower() for m in MESSAGES] + [
        "im 14 and a man in his 30s says he will share my pics unless i pay"
    ]
    rounds = 200

    def timed(fn) -> float:
        t0 = time.perf_counter()
        for _ in range(rounds):
            for t in texts:
                fn(t)
        return (time.perf_counter() - t0) / (rounds * len(texts)) * 1000

    tokenize_only = timed(blank)
    rules_and_facts = timed(lambda t: extract(with_rules(t)))
    history = [Turn(extract(with_rules(t)), "sent_image", 0.9) for t in texts]
    t0 = time.perf_counter()
    for _ in range(rounds):
        assess(history)
    policy = (time.perf_counter() - t0) / rounds * 1000
    return {
        "rules_and_facts_ms": round(rules_and_facts - tokenize_only, 3),
        "policy_assessment_10_turns_ms": round(policy, 3),
        "added_per_turn_ms": round(rules_and_facts - tokenize_only + policy, 3),
    }


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
    return {"loads": loads, "p50_ms": round(pct(times, 0.5), 1), "max_ms": round(max(times) * 1000, 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-train", action="store_true")
    parser.add_argument("--widget-only", action="store_true", help="only the widget's interactive time")
    args = parser.parse_args()
    random.seed(1)
    env = load_env()
    if args.widget_only:
        print(json.dumps({"widget_interactive": widget_interactive_ms(env)}, indent=1))
        return
    figures = {"date": time.strftime("%Y-%m-%d"), "cores": os.cpu_count(), "screening": screening_cost_ms()}
    if not args.skip_train:
        with tempfile.TemporaryDirectory() as out:
            t0 = time.perf_counter()
            subprocess.run(
                [str(VENV / "rasa"), "train", "--out", out, "--quiet", "--force"],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            figures["train_cold_s"] = round(time.perf_counter() - t0, 1)
    # the servers as the tests start them (tests/servers.py); the clock runs from the launch
    assistant = Assistant(Path(tempfile.mkdtemp()))
    t0 = time.perf_counter()
    assistant.actions.start()
    assistant.rasa.start()
    rasa, actions = assistant.rasa.proc, assistant.actions.proc
    url = assistant.url
    try:
        while True:
            try:
                post(url, "warmup", "hi")
                break
            except OSError:
                time.sleep(0.2)
        figures["start_to_first_answer_s"] = round(time.perf_counter() - t0, 1)
        for i in range(30):
            post(url, f"warm-{i}", MESSAGES[i % len(MESSAGES)])
        seq = [post(url, f"seq-{i // 10}", MESSAGES[i % len(MESSAGES)])[0] for i in range(300)]
        figures["sequential"] = {
            "turns": len(seq),
            "p50_ms": round(pct(seq, 0.5), 1),
            "p95_ms": round(pct(seq, 0.95), 1),
            "p99_ms": round(pct(seq, 0.99), 1),
        }
        lat, err, empty, secs = asyncio.run(load(url, 50, 2.0, 40))
        figures["50_conversations_every_2s"] = {
            "turns": len(lat),
            "turns_per_s": round(len(lat) / secs, 1),
            "p50_ms": round(pct(lat, 0.5), 1),
            "p95_ms": round(pct(lat, 0.95), 1),
            "p99_ms": round(pct(lat, 0.99), 1),
            "errors": err,
            "empty": empty,
        }
        lat, err, empty, secs = asyncio.run(load(url, 8, 0, 20))
        figures["max_throughput"] = {
            "turns_per_s": round(len(lat) / secs, 1),
            "p50_ms": round(pct(lat, 0.5), 1),
            "p95_ms": round(pct(lat, 0.95), 1),
            "errors": err,
            "empty": empty,
        }
        figures["widget_interactive"] = widget_interactive_ms(assistant.env)
        figures["rasa_rss_mb"] = round(rss_mb(rasa.pid), 0)
        figures["action_server_rss_mb"] = round(rss_mb(actions.pid), 0)
    finally:
        assistant.stop()
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
