"""Never silence: whatever part fails, the person gets a reply within 2 s (README, "How it
works": never silent when a part fails).

Where Rasa 3.6 goes silent. A custom action runs in the action server: `RemoteAction.run`
(rasa/core/actions/action.py) raises `RasaException` when the server cannot be reached, answers
with an error or an invalid body, and waits up to 5 minutes (DEFAULT_REQUEST_TIMEOUT) when it
hangs. `MessageProcessor._run_action` (rasa/core/processor.py) catches every exception, logs
"Encountered an exception while running action ... the actions events are lost" and carries on
with no events: the policies then predict `action_listen`, and the person gets HTTP 200 `[]` over
REST and nothing over socket.io. Rasa's fallback policies never see it (the prediction was fine).
A failure outside an action (the tracker store, the lock store, NLU) raises out of
`Agent.handle_message`: a 500 over REST, nothing over socket.io.

What this module does, in the project's code (Rasa's files are untouched):

1. `apply()` (called when the channels load, like channels/speedups.py) wraps `RemoteAction.run`:
   the call gets ACTION_TIMEOUT_SECONDS (default 1.4 s) instead of 5 minutes, and any failure
   except a deliberate rejection (ActionExecutionRejection, which forms rely on) returns the
   events of a safety reply instead of raising, so Rasa logs them, sends them over whichever
   channel the person used, and saves them in the tracker like any reply.
2. `within_deadline()` is how both input channels hand a message to Rasa: if handling it raises,
   or takes longer than REPLY_DEADLINE_SECONDS (default 1.7 s), the person gets the safety reply
   for what that message says (Rasa's own NLU, with the safeguarding screen, parses it again),
   plus whatever Rasa had already sent. A late reply still reaches a socket.io chat.

The safety reply (`safety_reply`):
- when the conversation holds reasons not yet escalated (the screen's reasons:
  safeguarding.assessment.assess over the tracker's messages, whose entities the screen set), the
  safety advice for each, most urgent first (content/advice/safeguarding.yml, grouped as the
  escalation groups it: advice/safety_advice.py); the case is written to the cases database at
  once if it answers within DIRECT_WRITE_BUDGET_SECONDS, and the handoff signal (docs/contracts.md)
  names the case staff see (the conversation's one case, even if a late action opened it first);
  otherwise it goes to the durable outbox (handoff/outbox.py), which this process retries until
  it is written, and the signal names the case id it will have;
- always the service-problem text (content/advice/service_problems.yml): what happened, "try
  again", 999 and Childline 0800 1111;
- if even the content cannot be read, LAST_RESORT below (the same facts, from facts.md).
The time limits sit inside each other so the reply is always inside 2 s: the action server's
database budget (handoff/outbox.py, 0.3 s + 0.8 s) < ACTION_TIMEOUT_SECONDS < REPLY_DEADLINE_SECONDS.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.shared.core.events import BotUttered, SlotSet

from handoff.clock import SYSTEM_CLOCK, Clock
from handoff.outbox import describe

logger = logging.getLogger(__name__)

ACTION_TIMEOUT_ENV = "ACTION_TIMEOUT_SECONDS"
REPLY_DEADLINE_ENV = "REPLY_DEADLINE_SECONDS"
DEFAULT_ACTION_TIMEOUT = 1.4
DEFAULT_REPLY_DEADLINE = 1.7
PARSE_BUDGET_SECONDS = 0.15
# Sources: facts.md, Contacts / Police (999) and Childline (0800 1111, free, 24/7).
LAST_RESORT = (
    "Sorry, something has gone wrong on our side. Please try again in a few minutes.\n"
    "If you're in danger right now, call 999. Childline is free, any time: 0800 1111."
)
SAFETY_NET_KEY = "safety_net"  # BotUttered metadata: this reply stood in for a failed part

_original_run = RemoteAction.run
clock: Clock = SYSTEM_CLOCK  # tests may set their own


def _seconds(name: str, default: float) -> float:
    try:
        return max(0.1, float(os.environ.get(name) or default))
    except ValueError:
        return default


def action_timeout() -> float:
    return _seconds(ACTION_TIMEOUT_ENV, DEFAULT_ACTION_TIMEOUT)


def reply_deadline() -> float:
    return _seconds(REPLY_DEADLINE_ENV, DEFAULT_REPLY_DEADLINE)


# --- the safety reply ----------------------------------------------------------------------


@dataclass
class SafetyReply:
    text: str
    handoff: dict | None = None  # the handoff signal's payload, when a case was kept
    slots: dict = field(default_factory=dict)  # what escalation would have set


def _outbox():
    from handoff.outbox import Outbox

    return Outbox(clock=clock)


def _case_store():
    from handoff.store import CaseStore

    return CaseStore(clock=clock)


# The safety reply's own try at the cases database: short, so the reply stays inside 2 s
# (REPLY_DEADLINE_SECONDS + PARSE_BUDGET_SECONDS + this); beyond it the case is held.
DIRECT_WRITE_BUDGET_SECONDS = 0.1


def safety_reply(
    sender_id: str,
    events: list[dict],
    escalated: list[str] | None = None,
    audience: str | None = None,
    case_id: str | None = None,
) -> SafetyReply:
    """The reply when a part failed, from the conversation's events (as dicts). Never raises."""
    try:
        return _safety_reply(sender_id, events, list(escalated or []), audience, case_id)
    except Exception:
        logger.exception("the safety reply could not be composed: sending the last-resort text")
        return SafetyReply(LAST_RESORT)


def _safety_reply(
    sender_id: str, events: list[dict], escalated: list[str], audience: str | None, case_id: str | None
) -> SafetyReply:
    from advice.content import library
    from advice.forces import current_force
    from advice.safety_advice import advice_reasons
    from handoff.availability import handoff_status
    from handoff.case_summary import raising_messages
    from handoff.outbox import new_case_id, write_or_hold
    from handoff.transcript import transcript
    from safeguarding import assess, ordered, risk_level, turns_from_events

    lib = library()
    reasons = ordered(assess(turns_from_events(events)))
    new = [r for r in reasons if r not in escalated]
    if not new:
        return SafetyReply(lib.answers["service_problem"].render(audience).text)

    parts = [lib.reason_text(reason, audience) for reason in advice_reasons(new)]
    force = current_force()
    # the duty register is in the cases database, which may be what failed: staffed hours decide
    status = handoff_status(force.staffed_at(clock.now()))
    held_id = new_case_id(sender_id)
    case = {
        "conversation_id": sender_id,
        "reasons": reasons,
        "risk_level": risk_level(reasons),
        "status": status,
        "audience": audience,
        "force_id": force.id,
        "summary": raising_messages(events),
        "transcript": transcript(events),
        "case_id": held_id,
    }
    # Written at once where the database answers in time: the signal then names the case staff
    # see, whichever of this reply and a late action opened it (one case per conversation).
    saved = write_or_hold(_case_store, _outbox(), case, DIRECT_WRITE_BUDGET_SECONDS)
    if saved.case is not None:
        parts += [lib.handoff_text("passed_on_with_999"), lib.handoff_text(saved.status)]
        parts.append(lib.answers["service_problem"].render(audience).text)
        return SafetyReply(
            "\n\n".join(parts),
            {"case_id": saved.case_id, "status": saved.status, "reasons": reasons},
            {"handoff_reasons": reasons, "case_id": saved.case_id},
        )
    if not saved.held:
        parts.append(lib.answers["service_problem_not_passed_on"].render(audience).text)
        return SafetyReply("\n\n".join(parts))
    parts.append(lib.answers["service_problem_held"].render(audience).text)
    shown_id = case_id or held_id  # an open case takes the held one in (one case per conversation)
    return SafetyReply(
        "\n\n".join(parts),
        {"case_id": shown_id, "status": status, "reasons": reasons},
        {"handoff_reasons": reasons, "case_id": shown_id},
    )


# --- 1. a failed custom action -------------------------------------------------------------

# One safety reply per user message: a turn whose every action fails says it once.
_answered: OrderedDict[tuple[str, float], bool] = OrderedDict()
_answered_lock = threading.Lock()


def _first_failure_this_turn(tracker) -> bool:
    latest = tracker.latest_message
    key = (tracker.sender_id, getattr(latest, "timestamp", 0.0) if latest else 0.0)
    with _answered_lock:
        if key in _answered:
            return False
        _answered[key] = True
        while len(_answered) > 2000:
            _answered.popitem(last=False)
    return True


def safety_events(tracker, action_name: str, problem: BaseException) -> list:
    """The events that stand in for a custom action that failed."""
    logger.error(
        "could not run %s for conversation %s (%s): the person gets the safety reply instead",
        action_name,
        tracker.sender_id,
        describe(problem),
    )
    if not _first_failure_this_turn(tracker):
        return []
    reply = safety_reply(
        tracker.sender_id,
        [event.as_dict() for event in tracker.events],
        tracker.get_slot("handoff_reasons"),
        tracker.get_slot("audience"),
        tracker.get_slot("case_id"),
    )
    out: list = [BotUttered(reply.text, metadata={SAFETY_NET_KEY: True})]
    if reply.handoff:
        out.append(BotUttered(data={"custom": {"handoff": reply.handoff}}, metadata={SAFETY_NET_KEY: True}))
    out += [SlotSet(name, value) for name, value in reply.slots.items()]
    return out


async def _run_with_safety_net(self: RemoteAction, output_channel, nlg, tracker, domain):
    try:
        return await asyncio.wait_for(
            _original_run(self, output_channel, nlg, tracker, domain), action_timeout()
        )
    except ActionExecutionRejection:
        raise  # a deliberate "not me" (forms): Rasa predicts something else
    except asyncio.TimeoutError:
        problem: BaseException = TimeoutError(f"no answer from the action server in {action_timeout()} s")
    except Exception as failure:
        problem = failure
    return await asyncio.to_thread(safety_events, tracker, self.name(), problem)


def apply() -> None:
    RemoteAction.run = _run_with_safety_net


# --- 2. anything else, or too slow ---------------------------------------------------------


async def _parse(text: str) -> dict | None:
    """Rasa's own NLU (and so the safeguarding screen) on one message, if it answers quickly."""
    from channels.server import app

    agent = getattr(getattr(app(), "ctx", None), "agent", None)
    if agent is None or not text or text.startswith("/"):
        return None
    try:
        return await asyncio.wait_for(agent.parse_message(text), PARSE_BUDGET_SECONDS)
    except Exception as problem:
        logger.error("the message could not be screened for the safety reply: %s", describe(problem))
        return None


async def channel_safety_reply(message: UserMessage) -> SafetyReply:
    parse = await _parse(message.text or "")
    event = {"event": "user", "text": message.text, "timestamp": clock.timestamp(), "parse_data": parse or {}}
    return await asyncio.to_thread(safety_reply, message.sender_id, [event])


async def send_safety_reply(output: OutputChannel, recipient_id: str, reply: SafetyReply) -> None:
    await output.send_text_message(recipient_id, reply.text)
    if reply.handoff:
        await output.send_custom_json(recipient_id, {"handoff": reply.handoff})


async def within_deadline(
    on_new_message: Callable[[UserMessage], Awaitable[Any]], message: UserMessage
) -> bool:
    """Hands the message to Rasa; if that fails or is too slow, sends the safety reply on the
    message's own output channel. True when Rasa answered in time."""
    handling = asyncio.ensure_future(on_new_message(message))
    done, _ = await asyncio.wait({handling}, timeout=reply_deadline())
    if handling in done and handling.exception() is None:
        return True
    if handling in done:
        problem: BaseException = handling.exception()
        logger.error(
            "handling a message of conversation %s failed (%s): the person gets the safety reply",
            message.sender_id,
            describe(problem),
        )
    else:
        logger.error(
            "no reply for conversation %s in %s s: the person gets the safety reply now",
            message.sender_id,
            reply_deadline(),
        )
        handling.add_done_callback(_log_late)
    reply = await channel_safety_reply(message)
    await send_safety_reply(message.output_channel, message.sender_id, reply)
    return False


def _log_late(task: asyncio.Future) -> None:
    if task.cancelled():
        return
    if task.exception() is not None:
        logger.error("a message that had timed out then failed: %s", describe(task.exception()))
    else:
        logger.warning("a message that had timed out was answered late (a REST reply is lost)")
