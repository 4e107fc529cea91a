"""The load test (make load-test): the production profile on free ports (tests/production/profile.py,
the same deploy/run_production.sh as make production), Locust headless from its own virtualenv
playing the people of tests/load/conversations.yml through the load balancer, then the checks and
figures of tests/load/results.py, each part's peak memory and CPU (tests/load/processes.py), a
printout, and the figures as JSON. Exits 1 if any turn failed or was lost, or any escalation was
not recorded exactly once.

    make load-test [LOAD_USERS=200] [LOAD_SECONDS=300] [LOAD_SPAWN_RATE=10]
    (.venv/bin/python -m tests.load.run --users 200 --seconds 300 --out results/load.json)
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from tests.load import processes, results
from tests.load.scripts import SCRIPTS_FILE
from tests.load.scripts import load as load_scripts
from tests.production.profile import ProductionProfile
from tests.servers import ROOT

LOAD_VENV = ROOT / ".venv-load" / "bin"
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
STOP_TIMEOUT_SECONDS = 40  # a turn in flight when the time is up gets this long to be answered
OUTBOX_WAIT_SECONDS = 60  # cases held in the outbox are written within seconds once the load ends


@dataclass
class LoadRun:
    users: int
    seconds: int
    spawn_rate: float
    figures: results.Figures
    parts: list[processes.Part]
    load_generator_peak_kb: int
    load_generator_cpu_seconds: float
    locust_version: str
    started: str  # the date of the run, for the printout only
    load_average: tuple[tuple[float, float, float], tuple[float, float, float]]  # at start, at end
    restarted: list[str]

    @property
    def failures(self) -> list[str]:
        out = list(self.figures.failures)
        if self.restarted:
            out.append(f"restarted during the load: {', '.join(self.restarted)}")
        return out

    def as_dict(self) -> dict:
        return {
            "date": self.started,
            "machine": {
                "cores": os.cpu_count(),
                "load_average_1_5_15_min": {"start": self.load_average[0], "end": self.load_average[1]},
            },
            "load": {
                "tool": f"Locust {self.locust_version}, headless, one process",
                "users": self.users,
                "seconds": self.seconds,
                "spawn_rate_per_second": self.spawn_rate,
                "conversations": str(SCRIPTS_FILE.relative_to(ROOT)),
                "think_seconds": list(load_scripts().think_seconds),
                "through": "HAProxy, REST channel",
            },
            **self.figures.as_dict(),
            "processes": {
                part.name: {
                    "peak_mb": round(part.peak_kb / 1024, 1),
                    "measured_as": "summed PSS of its processes, peak of 1 s samples"
                    if part.tree
                    else "peak RSS (VmHWM)",
                    "processes": part.processes,
                    "cpu_seconds": round(part.cpu_seconds, 1),
                    "cpu_percent_of_one_core": round(100 * part.cpu_seconds / self.figures.seconds, 1),
                }
                for part in self.parts
            }
            | {
                "load_generator": {
                    "peak_mb": round(self.load_generator_peak_kb / 1024, 1),
                    "measured_as": "peak RSS (the kernel's rusage of the Locust process)",
                    "cpu_seconds": round(self.load_generator_cpu_seconds, 1),
                    "cpu_percent_of_one_core": round(
                        100 * self.load_generator_cpu_seconds / self.figures.seconds, 1
                    ),
                }
            },
            "restarted": self.restarted,
            "failures": self.failures,
        }


def locust_version() -> str:
    return subprocess.run(
        [str(LOAD_VENV / "python"), "-c", "import importlib.metadata as m; print(m.version('locust'))"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip


def run_locust(url: str, users: int, seconds: int, spawn_rate: float, run_id: str, work: Path):
    """Runs Locust to the end; returns the kernel's resource usage of it (peak memory, CPU)."""
    if not (LOAD_VENV / "locust").exists():
        raise RuntimeError("Locust is not installed: make load-test creates .venv-load first")
    records = work / "records.jsonl"
    records.unlink(missing_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LOAD_RECORDS": str(records), "LOAD_RUN_ID": run_id}
    with open(work / "locust.log", "w") as log:
        locust = subprocess.Popen(
            [
                str(LOAD_VENV / "locust"), "-f", str(LOCUSTFILE), "--headless", "--host", url,
                "--users", str(users), "--spawn-rate", str(spawn_rate), "--run-time", f"{seconds}s",
                "--stop-timeout", str(STOP_TIMEOUT_SECONDS), "--only-summary", "--loglevel", "WARNING",
            ],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        # bounded in time whatever happens: Locust's own limits plus a margin, then it is killed
        watchdog = threading.Timer(seconds + STOP_TIMEOUT_SECONDS + 120, locust.send_signal, [signal.SIGKILL])
        watchdog.start()
        try:
            _, status, usage = os.wait4(locust.pid, 0)
        finally:
            watchdog.cancel()
        locust.returncode = os.waitstatus_to_exitcode(status)
    if not records.exists():
        raise RuntimeError(f"Locust recorded no turn: {(work / 'locust.log').read_text()[-3000:]}")
    return usage


def run_load(profile: ProductionProfile, users: int, seconds: int, spawn_rate: float, work: Path) -> LoadRun:
    """The load on a started profile, then its figures and checks."""
    work.mkdir(parents=True, exist_ok=True)
    run_id = f"load-{uuid.uuid4().hex[:8]}"
    started = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load_at_start = os.getloadavg()
    parts = processes.profile_parts(profile.dir)
    pids_at_start = {part.name: part.pid for part in parts}
    watch = processes.Watch(parts).start()
    try:
        usage = run_locust(profile.url, users, seconds, spawn_rate, run_id, work)
    finally:
        watch.stop()
    load_at_end = os.getloadavg()
    deadline = time.monotonic() + OUTBOX_WAIT_SECONDS
    while profile.outbox() and time.monotonic() < deadline:
        time.sleep(1)
    current = processes.profile_parts(profile.dir)
    restarted = sorted(p.name for p in current if pids_at_start.get(p.name) != p.pid) + sorted(
        p.name for p in parts if p.gone
    )
    figures = results.figures(
        results.read_records(work / "records.jsonl"),
        profile.user_turn_counts(run_id + "-"),
        profile.case_ids(run_id + "-"),
    )
    return LoadRun(
        users=users,
        seconds=seconds,
        spawn_rate=spawn_rate,
        figures=figures,
        parts=parts,
        load_generator_peak_kb=usage.ru_maxrss,
        load_generator_cpu_seconds=usage.ru_utime + usage.ru_stime,
        locust_version=locust_version(),
        started=started,
        load_average=(load_at_start, load_at_end),
        restarted=sorted(set(restarted)),
    )


def report(run: LoadRun) -> str:
    d = run.as_dict()
    t, lat, e = d["turns"], d["latency_ms"], d["escalations"]
    failed = ", ".join(f"{k}: {v}" for k, v in t["failed_by_problem"].items()) or "none"
    lines = [
        f"Load test, {d['date']} (the run's date, for this printout only)",
        f"  machine       {d['machine']['cores']} cores; load average (1/5/15 min) "
        f"{_avg(run.load_average[0])} at the start, {_avg(run.load_average[1])} at the end"
        " (other work on the machine shows here)",
        f"  load          {d['load']['tool']}, on this machine: {run.users} users (spawned at "
        f"{run.spawn_rate:g}/s) for {run.seconds} s, each from its own loopback address, through HAProxy "
        f"(REST channel); conversations of about 20 turns from {d['load']['conversations']}, "
        f"{d['load']['think_seconds'][0]:g}-{d['load']['think_seconds'][1]:g} s between a reply "
        "and the next message",
        f"  turns         sent {t['sent']}, answered {t['answered']}, failed {t['failed']} ({failed}), "
        f"lost {t['lost']}",
        f"  latency       p50 {lat['p50']} ms, p95 {lat['p95']} ms, p99 {lat['p99']} ms, max {lat['max']} ms "
        "(Locust's clock: send to whole reply)",
        f"  throughput    {d['throughput_turns_per_second']} turns/s over {d['seconds']} s",
        f"  conversations {d['conversations']['started']} started: "
        + ", ".join(f"{k} {v}" for k, v in d["conversations"]["by_script"].items()),
        f"  escalations   {e['expected']} expected, {e['recorded_once']} recorded exactly once "
        f"(handoff signal on the disclosure, one case with its id in PostgreSQL); "
        f"{e['cases_in_database']} cases in the database",
        f"  stored        {d['storage']['turns_stored']} user turns in the tracker store; "
        f"of the {d['storage']['conversations_compared']} conversations with every turn answered, "
        f"{d['storage']['conversations_differing']} differ from what was sent",
        "  peak memory (peak RSS, the kernel's count; PostgreSQL: the peak of its processes' summed PSS)"
        " and CPU over the load:",
    ]
    for name, p in d["processes"].items():
        cpu = (
            f", CPU {p['cpu_seconds']} s ({p['cpu_percent_of_one_core']}% of a core)"
            if "cpu_seconds" in p
            else ""
        )
        how = f"  [{p['measured_as']}, {p['processes']} processes]" if p.get("processes", 1) > 1 else ""
        lines.append(f"    {name:<16}{p['peak_mb']:>8} MB{cpu}{how}")
    lines.append("RESULT: " + ("PASS" if not run.failures else "FAIL\n  " + "\n  ".join(run.failures)))
    return "\n".join(lines)


def _avg(values) -> str:
    return " ".join(f"{v:.1f}" for v in values)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=int(os.environ.get("LOAD_USERS") or 200))
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("LOAD_SECONDS") or 300))
    parser.add_argument("--spawn-rate", type=float, default=float(os.environ.get("LOAD_SPAWN_RATE") or 10))
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "load.json")
    args = parser.parse_args()
    profile = ProductionProfile()
    print(f"starting the production profile (logs in {profile.dir})", flush=True)
    profile.start()
    try:
        print(f"load: {args.users} users for {args.seconds} s through {profile.url}", flush=True)
        run = run_load(profile, args.users, args.seconds, args.spawn_rate, args.out.parent / "load")
    finally:
        profile.stop()
    print(report(run))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(run.as_dict(), indent=2) + "\n")
    print(f"figures: {args.out}; turns and Locust's log: {args.out.parent / 'load'}")
    return 1 if run.failures else 0


if __name__ == "__main__":
    sys.exit(main())
