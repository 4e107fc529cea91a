"""channels/client_address.py: X-Forwarded-For is believed only from a configured proxy, and
IPv6 clients are counted by their /64."""

import logging

import pytest

from channels import client_address
from channels.client_address import UNKNOWN, TrustedProxies, limit_key

NONE = TrustedProxies()
BALANCER = TrustedProxies.parse("10.0.0.5, 10.1.0.0/24")


def test_with_no_trusted_proxy_the_header_is_ignored(caplog, monkeypatch):
    monkeypatch.setattr(client_address, "_warned_untrusted", False)
    with caplog.at_level(logging.WARNING):
        assert NONE.client("203.0.113.9", "198.51.100.1") == "203.0.113.9"
        assert NONE.client("203.0.113.9", "198.51.100.2") == "203.0.113.9"
    assert len([r for r in caplog.records if "CHAT_TRUSTED_PROXIES" in r.getMessage()]) == 1  # once
    assert NONE.client("203.0.113.9", None) == "203.0.113.9"


def test_a_client_cannot_choose_its_address_past_a_trusted_proxy():
    # the balancer appends the address it saw: anything to its left was written by the client
    assert BALANCER.client("10.0.0.5", "198.51.100.1") == "198.51.100.1"
    assert BALANCER.client("10.0.0.5", "1.1.1.1, 2.2.2.2, 198.51.100.1") == "198.51.100.1"
    # a header from a peer that is not the balancer is the client's own invention
    assert BALANCER.client("203.0.113.9", "198.51.100.1") == "203.0.113.9"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right():
    assert BALANCER.client("10.0.0.5", "198.51.100.1, 10.1.0.7") == "198.51.100.1"
    # every hop trusted: the leftmost trusted one is as near as we can see
    assert BALANCER.client("10.0.0.5", "10.1.0.8, 10.1.0.7") == "10.1.0.8"
    assert BALANCER.client("10.0.0.5", "") == "10.0.0.5"


def test_ports_brackets_and_malformed_hops():
    assert BALANCER.client("10.0.0.5", "198.51.100.1:51234") == "198.51.100.1"
    assert BALANCER.client("10.0.0.5", "[2001:db8::7]:443") == "2001:db8::7"
    assert BALANCER.client("10.0.0.5", "2001:db8::7") == "2001:db8::7"
    assert BALANCER.client("::ffff:10.0.0.5", "198.51.100.1") == "198.51.100.1"  # IPv4-mapped peer
    # a hop that is not an address: stop at the last address the trusted chain vouches for
    assert BALANCER.client("10.0.0.5", "198.51.100.1, unknown") == "10.0.0.5"
    assert NONE.client(None, None) == UNKNOWN
    assert NONE.client("", "198.51.100.1") == UNKNOWN


def test_ipv6_clients_are_counted_by_their_64():
    assert limit_key("2001:db8:1:2:aaaa::1") == limit_key("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert limit_key("2001:db8:1:3::1") != limit_key("2001:db8:1:2::1")
    assert limit_key("198.51.100.1") == "198.51.100.1"
    assert limit_key("::ffff:198.51.100.1") == "198.51.100.1"
    assert limit_key("nonsense") == limit_key(UNKNOWN) == UNKNOWN


def test_a_wrong_proxy_setting_is_refused():
    with pytest.raises(ValueError, match="CHAT_TRUSTED_PROXIES"):
        TrustedProxies.parse("10.0.0.5, the-balancer")
    assert TrustedProxies.from_env({"CHAT_TRUSTED_PROXIES": ""}) == NONE
    assert TrustedProxies.from_env({}) == NONE  # deploy/local.env: no proxy is trusted
