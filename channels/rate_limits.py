"""How much one address and one conversation may send, and what the limits remember.

An attacker on `make run` sent 20 disclosures from one address at once and opened 20 high-risk
cases in 0.6 s. The limits, per Rasa process (the numbers are in deploy/local.env, production's
in deploy/production.env.example):

- CHAT_NEW_CONVERSATIONS_PER_ADDRESS: new conversations one address may open (what flooded the
  staff queue);
- CHAT_MESSAGES_PER_ADDRESS: messages from one address, all its conversations together;
- CHAT_MESSAGES_PER_CONVERSATION: messages in one conversation;
- CHAT_MESSAGES_IN_FLIGHT_PER_CONVERSATION: messages of one conversation waiting for their reply
  at once. Rasa's lock store lets one message of a conversation through at a time and the others
  poll every second, so a pile of them would only run past the reply deadline;
- CHAT_MAX_USER_TURNS: the length of a conversation (channels/admission.py starts a fresh one);
- CHAT_MAX_MESSAGES_IN_FLIGHT: messages of all conversations this process is handling at once.
  Past it the process is overloaded: a message that joined the queue would only be answered after
  the reply deadline (and then handled anyway, work on top of work), so it is shed at once with
  the wait message instead. channels/admission.py never sheds a message the screen reads a
  concern in, nor a conversation whose escalation is under way.

A rate is written "N/minute" (or /second, /hour) and is a token bucket: N at once, then one
more every minute/N. The `limits` package is not used: its in-memory storage reads the system
time itself, and the tests move a clock (handoff/clock.py) instead of waiting for buckets to fill.

What the limits remember is capped (CHAT_LIMITS_MAX_ADDRESSES, CHAT_LIMITS_MAX_CONVERSATIONS):
the least recently used entry is forgotten first, and an entry unused for a minute or more is a
full bucket anyway. This module only counts: channels/admission.py decides what a refused message
gets, and never refuses a conversation whose escalation is under way.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Generic, TypeVar

from channels.settings import positive_int, setting
from handoff.clock import SYSTEM_CLOCK, Clock

UNIT_SECONDS = {"second": 1.0, "minute": 60.0, "hour": 3600.0}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: float

    @classmethod
    def parse(cls, text: str, name: str = "rate") -> Rate:
        count, _, unit = text.strip().partition("/")
        if not count.strip().isdigit() or int(count) < 1 or unit.strip() not in UNIT_SECONDS:
            raise ValueError(f'{name} must look like "10/minute" (or /second, /hour), not {text!r}')
        return cls(int(count), UNIT_SECONDS[unit.strip()])

    def __str__(self) -> str:
        unit = next(name for name, seconds in UNIT_SECONDS.items() if seconds == self.seconds)
        return f"{self.count}/{unit}"


class TokenBucket:
    """At most `rate.count` tokens; one more every rate.seconds / rate.count; a message takes one."""

    __slots__ = ("at", "rate", "tokens")

    def __init__(self, rate: Rate, now: float):
        self.rate, self.tokens, self.at = rate, float(rate.count), now

    def _fill(self, now: float) -> None:
        if now > self.at:  # a clock set back refills nothing
            self.tokens = min(
                self.rate.count, self.tokens + (now - self.at) * self.rate.count / self.rate.seconds
            )
            self.at = now

    def has_token(self, now: float) -> bool:
        self._fill(now)
        return self.tokens >= 1

    def take(self, now: float) -> None:
        self._fill(now)
        self.tokens -= 1

    def seconds_to_next(self, now: float) -> float:
        self._fill(now)
        return max(0.0, (1 - self.tokens) * self.rate.seconds / self.rate.count)


K = TypeVar("K")
V = TypeVar("V")


class Recent(Generic[K, V]):
    """A dict of at most `capacity` entries that forgets the least recently used first."""

    def __init__(self, capacity: int):
        self.capacity = capacity
        self._items: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items


@dataclass(frozen=True)
class LimitSettings:
    new_conversations_per_address: Rate
    messages_per_address: Rate
    messages_per_conversation: Rate
    in_flight_per_conversation: int
    max_user_turns: int
    max_in_flight: int
    max_addresses: int
    max_conversations: int

    @classmethod
    def from_env(cls, environ: dict | None = None) -> LimitSettings:
        def rate(name: str) -> Rate:
            return Rate.parse(setting(name, environ), name)

        return cls(
            new_conversations_per_address=rate("CHAT_NEW_CONVERSATIONS_PER_ADDRESS"),
            messages_per_address=rate("CHAT_MESSAGES_PER_ADDRESS"),
            messages_per_conversation=rate("CHAT_MESSAGES_PER_CONVERSATION"),
            in_flight_per_conversation=positive_int("CHAT_MESSAGES_IN_FLIGHT_PER_CONVERSATION", environ),
            max_user_turns=positive_int("CHAT_MAX_USER_TURNS", environ),
            max_in_flight=positive_int("CHAT_MAX_MESSAGES_IN_FLIGHT", environ),
            max_addresses=positive_int("CHAT_LIMITS_MAX_ADDRESSES", environ),
            max_conversations=positive_int("CHAT_LIMITS_MAX_CONVERSATIONS", environ),
        )


# Why a message was refused: the channel's reply says which (content/advice/limits.yml).
NEW_CONVERSATION = "new_conversation"
BUSY = "busy"
OVERLOADED = "overloaded"  # the process, not this sender: see CHAT_MAX_MESSAGES_IN_FLIGHT


@dataclass(frozen=True)
class Refusal:
    kind: str  # NEW_CONVERSATION, BUSY or OVERLOADED
    retry_after: int  # whole seconds until the limit that refused lets one more through


@dataclass(eq=False)
class ConversationState:
    messages: TokenBucket
    turns: int = 0  # user turns in Rasa's current session of this conversation
    escalated: bool = False  # a case is open, or a person has taken the chat over
    # `turns` and `escalated` were read from the tracker and no message has been handled since
    # (only a handled message, or a person taking over an escalated chat, changes them)
    checked: bool = False
    in_flight: int = 0


@dataclass(eq=False)
class AddressState:
    messages: TokenBucket
    new_conversations: TokenBucket


# A message still waiting for its reply: the next one may follow in about this long.
IN_FLIGHT_RETRY_SECONDS = 1


class ChatLimits:
    """The buckets of every address and conversation this process has seen recently."""

    def __init__(self, settings: LimitSettings, clock: Clock = SYSTEM_CLOCK):
        self.settings, self.clock = settings, clock
        self._addresses: Recent[str, AddressState] = Recent(settings.max_addresses)
        self._conversations: Recent[str, ConversationState] = Recent(settings.max_conversations)
        self._lock = threading.Lock()
        self._in_flight = 0  # admitted messages of every conversation not yet answered

    def conversation(self, conversation_id: str) -> ConversationState | None:
        with self._lock:
            return self._conversations.get(conversation_id)

    def new_state(self, turns: int = 0, escalated: bool = False, checked: bool = False) -> ConversationState:
        """The state of a conversation first seen here; remembered once a message is admitted."""
        return ConversationState(
            TokenBucket(self.settings.messages_per_conversation, self.clock.timestamp()),
            turns,
            escalated,
            checked,
        )

    def _address(self, address: str, now: float) -> AddressState:
        state = self._addresses.get(address)
        if state is None:
            state = AddressState(
                TokenBucket(self.settings.messages_per_address, now),
                TokenBucket(self.settings.new_conversations_per_address, now),
            )
            self._addresses.put(address, state)
        return state

    def try_admit(
        self,
        address: str,
        conversation_id: str,
        state: ConversationState,
        new: bool,
        past_overload: bool = False,
    ) -> Refusal | None:
        """Takes a token from every limit that applies, or from none and says why not. The
        process's own load is checked last (the sender's limits say more), unless `past_overload`."""
        now = self.clock.timestamp()
        with self._lock:
            sender = self._address(address, now)
            if new and not sender.new_conversations.has_token(now):
                waits = [sender.new_conversations.seconds_to_next(now)]
                return Refusal(NEW_CONVERSATION, math.ceil(max(waits)))
            waits = [
                bucket.seconds_to_next(now)
                for bucket in (sender.messages, state.messages)
                if not bucket.has_token(now)
            ]
            if state.in_flight >= self.settings.in_flight_per_conversation:
                waits.append(IN_FLIGHT_RETRY_SECONDS)
            if waits:
                return Refusal(BUSY, max(1, math.ceil(max(waits))))
            if not past_overload and self._in_flight >= self.settings.max_in_flight:
                return Refusal(OVERLOADED, IN_FLIGHT_RETRY_SECONDS)
            if new:
                sender.new_conversations.take(now)
            sender.messages.take(now)
            state.messages.take(now)
            self._admitted(conversation_id, state)
            return None

    def admit_escalated(self, conversation_id: str, state: ConversationState) -> None:
        """A conversation whose escalation is under way is never limited: it takes no tokens."""
        with self._lock:
            self._admitted(conversation_id, state)

    def _admitted(self, conversation_id: str, state: ConversationState) -> None:
        state.in_flight += 1
        self._in_flight += 1
        self._conversations.put(conversation_id, state)

    def finished(self, state: ConversationState) -> None:
        """The message admitted for this state has had its reply (or failed)."""
        with self._lock:
            state.in_flight = max(0, state.in_flight - 1)
            self._in_flight = max(0, self._in_flight - 1)

    def remembered(self) -> tuple[int, int]:
        """How many addresses and conversations the limits hold now (each is capped)."""
        with self._lock:
            return len(self._addresses), len(self._conversations)
