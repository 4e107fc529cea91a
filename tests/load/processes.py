"""The processes of a running production profile (deploy/run_production.sh), and what the load
test reads of each from /proc while it runs: peak resident memory and CPU time.

- A one-process part (each Rasa server, action server, HAProxy, Redis, console, chat page): its
  peak resident set as the kernel counts it (VmHWM), so no peak between samples is missed.
- PostgreSQL is a postmaster and a process per connection, which share its buffers: the peak of
  their summed proportional set size (PSS: shared pages divided among the processes sharing them),
  sampled every second. Summing their resident sets would count the shared buffers once per process.
- CPU: user + system seconds over the load (for PostgreSQL with the exited children the postmaster
  has reaped), to see which part is the bottleneck.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _status_kb(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def _pss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def _cpu_seconds(pid: int, with_reaped_children: bool = False) -> float:
    # the fields after the command's closing parenthesis; utime and stime are the 12th and 13th
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    ticks = int(fields[11]) + int(fields[12])
    if with_reaped_children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / CLOCK_TICKS


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rpartition(")")[2].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue  # it exited while we looked
    return found


@dataclass
class Part:
    name: str
    pid: int
    tree: bool = False  # PostgreSQL: the postmaster and its children
    peak_kb: int = 0
    cpu_at_start: float = 0.0
    cpu_seconds: float = 0.0
    processes: int = 1
    gone: bool = False  # exited (or was restarted) during the load

    def pids(self) -> list[int]:
        return [self.pid, *_children(self.pid)] if self.tree else [self.pid]

    def cpu(self) -> float:
        if not self.tree:
            return _cpu_seconds(self.pid)
        total = _cpu_seconds(self.pid, with_reaped_children=True)
        for pid in _children(self.pid):
            try:
                total += _cpu_seconds(pid)
            except OSError:
                continue
        return total

    def sample(self) -> None:
        try:
            if self.tree:
                pids = self.pids()
                total = 0
                for pid in pids:
                    try:
                        total += _pss_kb(pid)
                    except OSError:
                        continue
                self.peak_kb = max(self.peak_kb, total)
                self.processes = max(self.processes, len(pids))
            else:
                self.peak_kb = max(self.peak_kb, _status_kb(self.pid, "VmHWM"))
        except OSError:
            self.gone = True


def profile_parts(profile_dir: Path) -> list[Part]:
    """Every part of a production profile started in `profile_dir` (its run/*.pid files)."""
    parts = [
        Part(path.stem, int(path.read_text()))
        for path in sorted((profile_dir / "run").glob("*.pid"))
        if path.read_text().strip()
    ]
    parts.append(Part("redis", int((profile_dir / "redis" / "redis.pid").read_text())))
    postmaster = int((profile_dir / "pgdata" / "postmaster.pid").read_text().splitlines()[0])
    parts.append(Part("postgresql", postmaster, tree=True))
    return parts


@dataclass
class Watch:
    """Samples the parts every `every` seconds from start() to stop()."""

    parts: list[Part]
    every: float = 1.0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> Watch:
        for part in self.parts:
            try:
                part.cpu_at_start = part.cpu()
            except OSError:
                part.gone = True  # stopped before the load (the report says so)
            part.sample()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            for part in self.parts:
                part.sample()

    def stop(self) -> list[Part]:
        self._stop.set()
        if self._thread:
            self._thread.join()
        for part in self.parts:
            part.sample()
            try:
                part.cpu_seconds = part.cpu() - part.cpu_at_start
            except OSError:
                part.gone = True
        return self.parts
