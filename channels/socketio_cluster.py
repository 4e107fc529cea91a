"""socket.io across several Rasa servers: a message for a chat reaches it whichever server sends it.

A browser's socket lives on one Rasa server (the load balancer keeps it there: deploy/haproxy.cfg).
Most replies are sent by that same server, but a staff member's message is sent by whichever
server the console's API call reaches (handoff/rasa_api.py). With SOCKETIO_REDIS_URL set, every
server publishes its socket.io messages on Redis (python-socketio's AsyncRedisManager) and each
delivers them to the sockets it holds, so the chat gets them wherever it is connected.

Unset (make run, one server): python-socketio's in-process manager, as before. The messages on
Redis are python-socketio's pickles: Redis must be private to the servers (it is, on loopback or
a private network with a password).
"""

from __future__ import annotations

import logging
import os

from socketio import AsyncRedisManager, AsyncServer

logger = logging.getLogger(__name__)
REDIS_URL_ENV = "SOCKETIO_REDIS_URL"


def share_rooms(sio: AsyncServer, env: dict | None = None) -> None:
    """Puts `sio`'s rooms on Redis when SOCKETIO_REDIS_URL is set (before the first connection)."""
    url = (env if env is not None else os.environ).get(REDIS_URL_ENV)
    if not url:
        return
    manager = AsyncRedisManager(url, channel="advice-chat")
    manager.set_server(sio)
    sio.manager = manager
    sio.manager_initialized = False  # python-socketio initialises it at the first connection
    logger.info("socket.io rooms shared across Rasa servers through Redis")
