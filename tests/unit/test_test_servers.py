"""The tests' own port picking (tests/servers.py): the production profile takes ten at once, and a
port in the kernel's ephemeral range could be taken by an outgoing connection before its server
binds it."""

import socket

from tests.servers import _ephemeral_start, free_port


def test_ports_are_distinct_free_and_below_the_ephemeral_range():
    ports = [free_port() for _ in range(50)]
    assert len(set(ports)) == len(ports)
    assert all(1024 <= port < _ephemeral_start() for port in ports)
    with socket.socket() as s:
        s.bind(("127.0.0.1", ports[-1]))  # nothing listens on it


def test_a_port_something_listens_on_is_never_handed_out(monkeypatch):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        picks = iter([busy, busy, busy + 1 if busy < 65535 else busy - 1])
        monkeypatch.setattr("tests.servers.random.randint", lambda _low, _high: next(picks))
        assert free_port() != busy
