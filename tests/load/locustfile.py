"""The simulated people of the load test, for Locust (in its own virtualenv, .venv-load).

Each user holds one conversation of tests/load/conversations.yml at a time over the REST channel
(design.md contract 1) through the load balancer, waits a few seconds between a reply and its
next message, and starts a new conversation, with a new id, when one ends. Each user speaks from
its own loopback address (127.10.x.y), as each visitor has their own: HAProxy passes it on and the
chat's per-address limits apply as configured.

Every turn is written, as one JSON line, to $LOAD_RECORDS (tests/load/results.py reads them): its
conversation, script and step, when it was sent, how long the reply took, and what was wrong with
it if anything. A turn still waiting for its reply when Locust stops is written as lost. Run by
tests/load/run.py (make load-test), which also passes $LOAD_RUN_ID (the prefix of every
conversation id of this run).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time

from locust import HttpUser, events, task
from locust.clients import LocustHttpAdapter
from locust.exception import StopUser
from urllib3 import PoolManager

from tests.load import scripts as conversation_scripts

SCRIPTS = conversation_scripts.load()
RUN_ID = os.environ.get("LOAD_RUN_ID", "dev")
REPLY_TIMEOUT_SECONDS = 30  # HAProxy's server timeout: past it the turn has failed anyway
_users = itertools.count()
_in_flight: dict[tuple[str, int], dict] = {}
_stopping = False  # the time is up: no new turn starts (one already sent is waited for)
_records = open(os.environ.get("LOAD_RECORDS", "load_records.jsonl"), "a", buffering=1)  # noqa: SIM115


def _write(record: dict) -> None:
    _records.write(json.dumps(record) + "\n")


def source_address(user: int) -> str:
    """A loopback address of the user's own (Linux answers on all of 127.0.0.0/8)."""
    return f"127.10.{user // 250}.{user % 250 + 1}"


class Visitor(HttpUser):
    def on_start(self):
        self.number = next(_users)
        self.rng = random.Random(self.number)
        self.conversations = 0
        self.script = None
        address = source_address(self.number)
        self.client.mount("http://", LocustHttpAdapter(pool_manager=PoolManager(source_address=(address, 0))))

    def wait_time(self) -> float:
        return self.rng.uniform(*SCRIPTS.think_seconds)

    def _next_conversation(self) -> None:
        self.script = SCRIPTS.for_conversation(self.number, self.conversations, self.rng)
        self.conversation = f"{RUN_ID}-{self.number:04d}-{self.conversations}"
        self.conversations += 1
        self.step, self.last_reply = 0, []

    @task
    def turn(self):
        if _stopping:
            # A user whose think time ends just as Locust stops would otherwise send a turn that
            # Locust then kills in flight, and it would count as lost.
            raise StopUser()
        if self.script is None or self.step >= len(self.script.steps):
            self._next_conversation()
        step = self.script.steps[self.step]
        record = {
            "conversation": self.conversation,
            "script": self.script.name,
            "step": self.step,
            "escalates": list(step.escalates),
        }
        self.step += 1
        message = step.say
        if step.press is not None:
            message = conversation_scripts.button_payload(self.last_reply, step.press)
            if message is None:  # the bot did not offer the button the person would press
                _write({**record, "sent": time.time(), "ms": 0, "problem": f"no button {step.press!r}"})
                self.script = None  # this conversation cannot go on as written
                return
        key = (self.conversation, record["step"])
        record["sent"] = time.time()
        _in_flight[key] = record
        started = time.perf_counter()
        with self.client.post(
            "/webhooks/rest/webhook",
            json={"sender": self.conversation, "message": message},
            name="turn",
            timeout=REPLY_TIMEOUT_SECONDS,
            catch_response=True,
        ) as response:
            record["ms"] = (time.perf_counter() - started) * 1000
            try:
                reply = response.json()
            except ValueError:
                reply = None
            record["problem"] = conversation_scripts.problem(
                response.status_code, response.headers.get("Retry-After"), reply
            )
            if response.status_code == 0:  # no HTTP answer at all: refused, reset or timed out
                record["problem"] = f"no answer: {response.error!r}"[:200]
            signal = conversation_scripts.handoff_signal(reply)
            if signal:
                record["handoff"] = {"case_id": signal.get("case_id"), "reasons": signal.get("reasons")}
            if record["problem"]:
                response.failure(record["problem"])
            else:
                response.success()
        self.last_reply = reply if isinstance(reply, list) else []
        del _in_flight[key]
        _write(record)


@events.test_stopping.add_listener
def _start_no_more_turns(**_kwargs):
    global _stopping
    _stopping = True


@events.quitting.add_listener
def _write_lost_turns(environment, **_kwargs):
    for record in _in_flight.values():
        _write({**record, "ms": None, "problem": "lost: no reply before the load stopped"})
    _in_flight.clear()
    _records.flush()
