"""The README's speed table, from the last `make benchmark` run (results/benchmark.json), so the
table and the run are one: `python -m tests.bench.table`."""

from __future__ import annotations

import json

from tests.bench.benchmark import RESULTS


def lat(f: dict) -> str:
    return f"{f['p50_ms']:.0f} / {f['p95_ms']:.0f} / {f['p99_ms']:.0f}"


def long(f: dict) -> str:
    return (
        f"{f['first_10_p50_ms']:.0f} → {f['last_10_p50_ms']:.0f} ms ({f['last_over_first']}x); Rasa CPU "
        f"{f['blocks'][0]['rasa_cpu_ms_per_turn']:.0f} → {f['blocks'][-1]['rasa_cpu_ms_per_turn']:.0f} ms a turn "
        f"({f['rasa_cpu_last_over_first']}x); {f['events_stored']} events stored"
    )


def load(f: dict) -> str:
    return (
        f"{lat(f)}; {f['turns']} turns, {f['turns_per_s']} turns/s, {f['errors']} errors, {f['empty']} empty"
    )


def best(f: dict) -> str:
    return f"{f['turns_per_s']} turns/s ({f['users']} clients), p50/p95/p99 {lat(f)}, {f['errors']} errors"


def table(d: dict) -> str:
    p, s, r = d["project"], d.get("stock"), d.get("project_over_stock", {})
    rows = [
        (
            "one conversation, turns 1-10 → 141-150 (p50 latency; a threat disclosed at turn 3)",
            long(p["long_conversation"]),
            s and long(s["long_conversation"]),
            r.get("long_conversation_growth") and f"growth {r['long_conversation_growth']}",
        ),
        (
            "the same, with no cue that combines across messages",
            long(p["long_conversation_no_combining_cue"]),
            None,
            None,
        ),
        (
            f"one conversation at a time: {p['one_at_a_time']['conversations']} conversations of 20-40 turns, "
            f"the guided check in some ({p['one_at_a_time']['turns']} turns), p50 / p95 / p99 ms",
            lat(p["one_at_a_time"]),
            s and lat(s["one_at_a_time"]),
            r.get("one_at_a_time_p50") and f"p50 {r['one_at_a_time_p50']}, p95 {r['one_at_a_time_p95']}",
        ),
        (
            "50 conversations at once, a message every ~2 s each (60 s), p50 / p95 / p99 ms",
            load(p["50_users_a_message_every_2s"]),
            s and load(s["50_users_a_message_every_2s"]),
            r.get("fifty_users_p95") and f"p95 {r['fifty_users_p95']}",
        ),
        (
            "highest sustained throughput (4, 8 or 16 clients without pause; best with p95 < 250 ms, "
            "else best)",
            best(p["highest_throughput"]),
            s and best(s["highest_throughput"]),
            r.get("highest_throughput"),
        ),
        (
            "server start to first answer",
            f"{p['start_to_first_answer_s']} s",
            s and f"{s['start_to_first_answer_s']} s",
            None,
        ),
        (
            "resident memory after the load",
            f"Rasa {p['rss_mb']['rasa']} MB, action server {p['rss_mb']['actions']} MB",
            s and f"Rasa {s['rss_mb']['rasa']} MB, action server {s['rss_mb']['actions']} MB",
            r.get("rasa_rss") and f"Rasa {r['rasa_rss']}",
        ),
        (
            "training from a cold cache",
            f"{d.get('train_cold_s', '-')} s",
            None,
            None,
        ),
        (
            "the safeguarding screen (in-process): rules and facts per message; the assessment over "
            "10 / 50 / 150 turns",
            f"{d['screening']['rules_and_facts_ms']} ms; "
            + " / ".join(f"{d['screening'][f'assess_{n}_turns_ms']} ms" for n in (10, 50, 150)),
            None,
            None,
        ),
    ]
    if "widget_interactive" in p:
        w = p["widget_interactive"]
        rows.append(
            (
                f"the chat widget interactive after its page starts loading ({w['loads']} loads, empty cache)",
                f"p50 {w['p50_ms']:.0f} ms, max {w['max_ms']:.0f} ms",
                None,
                None,
            )
        )
    out = ["| what | project | stock Rasa | project / stock |", "|---|---|---|---|"]
    out += [f"| {w} | {a} | {b or '-'} | {c or '-'} |" for w, a, b, c in rows]
    return "\n".join(out)


if __name__ == "__main__":
    figures = json.loads((RESULTS / "benchmark.json").read_text())
    print(
        f"{figures['date']}, {figures['cores']} cores, load average {figures['machine_load_average_at_start']:.1f}"
    )
    print(table(figures))
