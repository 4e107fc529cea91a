"""The atomic Redis lock store (channels/lock_store.py) on a real Redis: one holder at a time
across servers, expiry when a holder dies, release only by the holder."""

import asyncio
import uuid

import pytest
from rasa.core.lock_store import LockError

from channels.lock_store import AtomicRedisLockStore


def two_servers(redis_port):
    # two stores share nothing but Redis, as two Rasa servers do
    return [AtomicRedisLockStore(host="127.0.0.1", port=redis_port, db=3) for _ in range(2)]


def test_turns_of_one_conversation_never_overlap_across_servers(redis_port):
    conversation = "lock-" + uuid.uuid4().hex[:8]
    inside, most_inside, counter = 0, 0, {"value": 0}

    async def turn(store):
        nonlocal inside, most_inside
        async with store.lock(conversation, lock_lifetime=30):
            inside += 1
            most_inside = max(most_inside, inside)
            seen = counter["value"]
            await asyncio.sleep(0.005)  # a read-modify-write that a second holder would break
            counter["value"] = seen + 1
            inside -= 1

    async def main():
        stores = two_servers(redis_port)
        await asyncio.gather(*(turn(stores[i % 2]) for i in range(40)))

    asyncio.run(main())
    assert most_inside == 1
    assert counter["value"] == 40


def test_a_holder_that_died_blocks_only_until_the_lock_expires(redis_port):
    conversation = "lock-" + uuid.uuid4().hex[:8]

    async def main():
        dead, alive = two_servers(redis_port)
        await dead.acquire(conversation, lifetime=0.3)  # never released: the server died
        with pytest.raises(LockError):
            await alive.acquire(conversation, lifetime=0.1)
        token = await alive.acquire(conversation, lifetime=2)
        assert await alive.release(conversation, token)

    asyncio.run(main())


def test_only_the_holder_can_release(redis_port):
    conversation = "lock-" + uuid.uuid4().hex[:8]

    async def main():
        slow, next_holder = two_servers(redis_port)
        late = await slow.acquire(conversation, lifetime=0.2)
        await asyncio.sleep(0.3)  # the slow turn outlived its lock
        current = await next_holder.acquire(conversation, lifetime=5)
        assert not await slow.release(conversation, late)
        with pytest.raises(LockError):  # still held by the next holder
            await slow.acquire(conversation, lifetime=0.1)
        assert await next_holder.release(conversation, current)
        assert await slow.release(conversation, await slow.acquire(conversation, lifetime=1))

    asyncio.run(main())


def test_redis_unreachable_is_a_lock_error_not_a_hang():
    async def main():
        from tests.servers import free_port

        store = AtomicRedisLockStore(host="127.0.0.1", port=free_port())
        loop = asyncio.get_running_loop()
        started = loop.time()
        with pytest.raises(LockError):
            await store.acquire("nobody", lifetime=30)
        assert loop.time() - started < 3

    asyncio.run(main())
