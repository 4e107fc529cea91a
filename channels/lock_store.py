"""An atomic Redis lock store: one turn of a conversation at a time, across all Rasa servers.

Why not Rasa's own `RedisLockStore`: its ticket lock reads the lock, changes it in Python and
writes it back (`get_lock` ... `save_lock`, rasa/core/lock_store.py), with nothing in between
that stops a second Rasa server doing the same. Two servers can both read "nobody is served",
both save, and both process a turn of the same conversation at once: two sets of events
appended to one tracker, or one overwriting the other.

This one is the standard Redis lock (https://redis.io/docs/manual/patterns/distributed-locks/,
single instance):
- taking it is one command, `SET lock:<conversation> <random token> NX PX <lifetime>`: set only
  if absent, with an expiry, so a server that dies holding it blocks that conversation for at
  most the lifetime, never for ever;
- giving it back is one Lua script that deletes the key only if it still holds this holder's
  token, so a turn that outlived its lock cannot free the next holder's;
- a waiting turn polls every POLL_SECONDS until `lock_lifetime` has passed, then raises Rasa's
  LockError (the input channels then give the safety reply: channels/resilience.py).

Unlike the ticket lock, waiters are not served strictly in arrival order. One person's turns come
one after another (the chat waits for each reply), so this only matters for a double send, and
both are still processed one at a time.

Redis down or restarting: taking the lock is retried for up to REDIS_RETRY_SECONDS (the reply
deadline is 1.7 s), then LockError; the next turn after Redis is back works as before (nothing
is kept in Redis but the locks, which expire anyway).

Configured in endpoints.yml through LOCK_STORE_TYPE=channels.lock_store.AtomicRedisLockStore
(deploy/production.env.example), with REDIS_HOST, REDIS_PORT, REDIS_DB and REDIS_PASSWORD.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import time
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import Any

import redis.asyncio as aioredis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

KEY_PREFIX = "lock:"
POLL_SECONDS = 0.02
REDIS_RETRY_SECONDS = 1.0
SOCKET_TIMEOUT_SECONDS = 0.5
# Deletes the lock only if this holder still holds it (the token it set).
RELEASE_SCRIPT = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""


class AtomicRedisLockStore(LockStore):
    def __init__(
        self,
        endpoint_config: Any = None,
        host: str = "127.0.0.1",
        port: int = 6379,
        db: int = 1,
        password: str | None = None,
    ) -> None:
        if endpoint_config is not None:
            host = endpoint_config.url or host
            port = endpoint_config.kwargs.get("port") or port
            db = endpoint_config.kwargs.get("db") or db
            password = endpoint_config.kwargs.get("password") or password
        self._options = {
            "host": host,
            "port": int(port),
            "db": int(db),
            "password": password or os.environ.get("REDIS_PASSWORD") or None,
            "socket_timeout": SOCKET_TIMEOUT_SECONDS,
            "socket_connect_timeout": SOCKET_TIMEOUT_SECONDS,
        }
        # a redis.asyncio client belongs to the event loop it was made in
        self._clients: dict[int, aioredis.Redis] = {}
        super().__init__()

    def _client(self) -> aioredis.Redis:
        loop_id = id(asyncio.get_running_loop())
        if loop_id not in self._clients:
            self._clients[loop_id] = aioredis.Redis(**self._options)
        return self._clients[loop_id]

    async def acquire(self, conversation_id: str, lifetime: float) -> str:
        """Takes the lock (waiting up to `lifetime`) and returns this holder's token."""
        key, token = KEY_PREFIX + conversation_id, secrets.token_hex(16)
        deadline = time.monotonic() + lifetime
        redis_deadline = time.monotonic() + REDIS_RETRY_SECONDS
        while True:
            try:
                if await self._client().set(key, token, nx=True, px=max(1, int(lifetime * 1000))):
                    return token
                redis_deadline = time.monotonic() + REDIS_RETRY_SECONDS
            except (RedisConnectionError, RedisTimeoutError, OSError) as problem:
                if time.monotonic() > redis_deadline:
                    raise LockError(f"Redis could not be reached for a lock: {problem}") from problem
            if time.monotonic() > deadline:
                raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")
            await asyncio.sleep(POLL_SECONDS)

    async def release(self, conversation_id: str, token: str) -> bool:
        """Gives the lock back if this holder still has it; True if it did."""
        try:
            return bool(await self._client().eval(RELEASE_SCRIPT, 1, KEY_PREFIX + conversation_id, token))
        except (RedisConnectionError, RedisTimeoutError, OSError) as problem:
            # the lock expires by itself; the turn itself has been processed
            logger.warning("could not release the lock of a conversation: %s", problem)
            return False

    @asynccontextmanager
    async def lock(
        self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME, wait_time_in_seconds: float = 1
    ) -> AsyncGenerator[TicketLock, None]:
        token = await self.acquire(conversation_id, lock_lifetime)
        try:
            # Rasa's callers only need something to hold; the lock itself is the Redis key
            yield TicketLock(conversation_id)
        finally:
            await self.release(conversation_id, token)

    # Rasa's ticket-lock bookkeeping, which this store does not use.
    def get_lock(self, conversation_id: str) -> TicketLock | None:
        return None

    def delete_lock(self, conversation_id: str) -> None:
        return None

    def save_lock(self, lock: TicketLock) -> None:
        return None
