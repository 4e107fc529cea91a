"""What happens to a chat message before Rasa reads it: the limits of channels/rate_limits.py.

Both channels (REST and socket.io) call `gate().admit(agent, address, conversation_id, text)` first:

- admitted: the message goes to Rasa as before, through channels/resilience.py's deadline;
  `Admission.handling` wraps Rasa's handler so the conversation's count of messages waiting for a
  reply drops when Rasa is done (which can be after the deadline).
- refused: the person gets `limit_busy` or `limit_new_chats` (content/advice/limits.yml): wait a
  moment, 999 and Childline. The message is neither read nor stored, and opens no case.

Never refused: a conversation whose escalation is under way (a case is open for it, or a person
has taken it over), so a young person can always write to the person helping.

Shedding load: when this process already handles CHAT_MAX_MESSAGES_IN_FLIGHT messages, a new one
would be answered only after the reply deadline. It gets `limit_busy` at once instead, unless the
screen reads a concern in it (Rasa's own NLU, as for the safety reply, within PARSE_BUDGET_SECONDS)
or the screen cannot tell in time: a disclosure is never shed. What a
conversation is, is read from Rasa's tracker store: when this process first sees it, and again
before refusing it or starting it afresh if a message of it has been handled since (only then
can it have been escalated). If the tracker cannot be read in time, the limits apply as to any
conversation: the refusal still gives 999 and Childline.

The length of a conversation: after CHAT_MAX_USER_TURNS user turns, the next message starts a
fresh chat. Rasa's tracker gets a new session under the same conversation id (the chat page and
REST clients keep their id; nothing is carried over; everything before stays in the database),
the person is told (`limit_fresh_start`), and the message is answered as the first of the new
chat, so a disclosure in it is escalated like any other. An escalated conversation is never
restarted: it goes on with the person helping for as long as it needs.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered

from channels.client_address import limit_key
from channels.input_cleaning import MAX_MESSAGE_CHARS
from channels.notes import note
from channels.rate_limits import NEW_CONVERSATION, OVERLOADED, ChatLimits, ConversationState, LimitSettings
from handoff.clock import SYSTEM_CLOCK, Clock

logger = logging.getLogger(__name__)

LOOKUP_BUDGET_SECONDS = 0.3
# The slots escalation sets (actions/escalation.py, channels/resilience.py)
ESCALATION_SLOTS = ("case_id", "handoff_reasons")
REFUSAL_TEXT = {NEW_CONVERSATION: "limit_new_chats"}
BUSY_TEXT = "limit_busy"
FRESH_START_TEXT = "limit_fresh_start"


def _text(answer_id: str) -> str:
    try:
        return note(answer_id)
    except Exception:  # the content cannot be read: still 999 and Childline
        from channels.resilience import LAST_RESORT

        logger.exception("the limit text %s could not be read: sending the last-resort text", answer_id)
        return LAST_RESORT


@dataclass(frozen=True)
class ConversationFacts:
    started: bool  # Rasa holds this conversation already
    turns: int  # user messages in its current session
    escalated: bool


def facts_of(tracker: Any) -> ConversationFacts:
    if tracker is None:
        return ConversationFacts(False, 0, False)
    turns = sum(1 for event in tracker.events if isinstance(event, UserUttered))
    escalated = tracker.is_paused() or any(tracker.get_slot(slot) for slot in ESCALATION_SLOTS)
    return ConversationFacts(True, turns, bool(escalated))


async def read_facts(agent: Any, conversation_id: str) -> ConversationFacts | None:
    """The conversation as Rasa's tracker store has it, or None if it cannot be read in time."""
    if agent is None:
        return None
    try:
        tracker = await asyncio.wait_for(agent.tracker_store.retrieve(conversation_id), LOOKUP_BUDGET_SECONDS)
    except Exception as problem:
        logger.error(
            "could not read conversation %s for the limits: %s", conversation_id, problem or "timeout"
        )
        return None
    return facts_of(tracker)


async def start_afresh(agent: Any, conversation_id: str, clock: Clock) -> bool:
    """A new Rasa session for the conversation, with nothing carried over (as Rasa's own session
    start, without its slots). False if it is escalated or gone."""
    async with agent.lock_store.lock(conversation_id):
        tracker = await agent.tracker_store.retrieve(conversation_id)
        if tracker is None or facts_of(tracker).escalated:
            return False
        stamp = clock.timestamp()
        for event in (
            ActionExecuted(ACTION_SESSION_START_NAME, timestamp=stamp),
            SessionStarted(timestamp=stamp),
            ActionExecuted(ACTION_LISTEN_NAME, timestamp=stamp),
        ):
            tracker.update(event)
        await agent.tracker_store.save(tracker)
    return True


@dataclass(eq=False)
class Admission:
    reply: str | None = None  # refused: what the person gets instead of an answer
    retry_after: int = 0  # refused: seconds until the limit lets one more through
    note: str | None = None  # admitted: said before the answer (a fresh chat)
    _release: Callable[[], None] | None = None
    _handed_over: bool = False

    @property
    def admitted(self) -> bool:
        return self.reply is None

    def release(self) -> None:
        """The message is done with (called once, whatever calls it)."""
        release, self._release = self._release, None
        if release is not None:
            release()

    def handling(self, on_new_message: Callable[[Any], Awaitable[Any]]) -> Callable[[Any], Awaitable[Any]]:
        """Rasa's handler, releasing this admission when Rasa is done with the message (which
        may be after the channel has answered)."""
        self._handed_over = True

        async def handle(message: Any) -> Any:
            try:
                return await on_new_message(message)
            finally:
                self.release()

        return handle

    def abandon(self) -> None:
        """The channel failed before handing the message to Rasa."""
        if not self._handed_over:
            self.release()


# Whether one message holds a concern (None: the screen could not tell)
Screen = Callable[[Any, str], Awaitable[bool | None]]
SCREEN_BUDGET_SECONDS = 0.5


async def screen_with_rasa(agent: Any, text: str) -> bool | None:
    """Rasa's NLU, with the safeguarding screen in it, on this one message alone."""
    from safeguarding import assess, turns_from_events

    if agent is None:
        return None
    try:
        parse = await asyncio.wait_for(agent.parse_message(text), SCREEN_BUDGET_SECONDS)
        return bool(assess(turns_from_events([{"event": "user", "text": text, "parse_data": parse}])))
    except Exception:
        logger.exception("a message could not be screened before shedding it: it is let through")
        return None


class Gate:
    def __init__(self, limits: ChatLimits, clock: Clock = SYSTEM_CLOCK, screen: Screen = screen_with_rasa):
        self.limits, self.clock, self.screen = limits, clock, screen

    async def _never_shed(self, agent: Any, text: str | None) -> bool:
        """A message the screen reads a concern in, or cannot read in time, is never shed. A
        button's payload ("/affirm") holds nothing to read."""
        if not text or text.startswith("/"):
            return False
        return await self.screen(agent, text[:MAX_MESSAGE_CHARS]) is not False

    async def admit(
        self, agent: Any, address: str, conversation_id: str, text: str | None = None
    ) -> Admission:
        limits = self.limits
        state = limits.conversation(conversation_id)
        new = False
        if state is None:
            facts = await read_facts(agent, conversation_id)
            # another message of it, sent at the same moment, may have been admitted meanwhile
            state = limits.conversation(conversation_id)
        if state is None:
            new = facts is None or not facts.started
            state = limits.new_state(facts.turns, facts.escalated, True) if facts else limits.new_state()
        if not state.escalated:
            refusal = limits.try_admit(limit_key(address), conversation_id, state, new)
            if refusal is not None and refusal.kind == OVERLOADED and await self._never_shed(agent, text):
                refusal = limits.try_admit(
                    limit_key(address), conversation_id, state, new, past_overload=True
                )
            if refusal is not None and not state.checked:
                await self._refresh(agent, conversation_id, state)  # it may have been escalated since
            if refusal is not None and not state.escalated:
                logger.info(
                    "a message of conversation %s was over a limit (%s)", conversation_id, refusal.kind
                )
                return Admission(_text(REFUSAL_TEXT.get(refusal.kind, BUSY_TEXT)), refusal.retry_after)
        if state.escalated:
            limits.admit_escalated(conversation_id, state)
        admission = Admission(_release=lambda: limits.finished(state))
        if state.turns >= limits.settings.max_user_turns and not state.escalated:
            admission.note = await self._fresh_start_note(agent, conversation_id, state)
        state.turns += 1
        state.checked = False
        return admission

    async def _refresh(self, agent: Any, conversation_id: str, state: ConversationState) -> None:
        facts = await read_facts(agent, conversation_id)
        if facts is not None:
            state.turns, state.escalated, state.checked = facts.turns, facts.escalated, True

    async def _fresh_start_note(
        self, agent: Any, conversation_id: str, state: ConversationState
    ) -> str | None:
        """Starts the conversation afresh if it is still over the length limit and not escalated."""
        if not state.checked:
            await self._refresh(agent, conversation_id, state)
        if state.escalated or state.turns < self.limits.settings.max_user_turns:
            return None
        try:
            started = await start_afresh(agent, conversation_id, self.clock)
        except Exception:  # the message is still answered, in the long conversation
            logger.exception("could not start conversation %s afresh", conversation_id)
            return None
        if not started:
            return None
        logger.info("conversation %s reached %d user turns: a fresh start", conversation_id, state.turns)
        state.turns = 0
        return _text(FRESH_START_TEXT)


@lru_cache(maxsize=1)
def gate() -> Gate:
    """This process's gate, from the configured limits (a wrong setting stops Rasa at start)."""
    return Gate(ChatLimits(LimitSettings.from_env()))
