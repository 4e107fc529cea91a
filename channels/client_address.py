"""Which address a chat message comes from, for the limits (channels/rate_limits.py).

The address is the connection's peer. Behind a load balancer every peer is the balancer, so its
X-Forwarded-For is believed, but only when the peer is one of CHAT_TRUSTED_PROXIES
(comma-separated addresses or networks, e.g. "10.0.0.5, 10.1.0.0/24"; empty by default: no
proxy is trusted). Anyone can write the header, so it is read from the right: the first address
that is not a trusted proxy is the client. A proxy that is not configured makes all its users
one address, which the limits would then treat as one very busy person: the first such request
is logged as a warning.

An IPv6 client is counted by its /64 network: one home or phone gets a whole /64, so any
smaller unit would give one person endless addresses.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass

from channels.settings import setting

logger = logging.getLogger(__name__)
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
UNKNOWN = "unknown"  # no peer address at all (counted together, so still limited)

_warned_untrusted = False


def _address(text: str | None) -> Address | None:
    """An address from a peer or a header hop ("1.2.3.4", "1.2.3.4:5678", "[2001:db8::1]:443")."""
    text = (text or "").strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        found = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(found, ipaddress.IPv6Address) and found.ipv4_mapped:
        return found.ipv4_mapped
    return found


@dataclass(frozen=True)
class TrustedProxies:
    networks: tuple[Network, ...] = ()

    @classmethod
    def parse(cls, text: str) -> TrustedProxies:
        networks = []
        for item in text.split(","):
            if item.strip():
                try:
                    networks.append(ipaddress.ip_network(item.strip(), strict=False))
                except ValueError:
                    raise ValueError(
                        f"CHAT_TRUSTED_PROXIES: {item.strip()!r} is not an address or network"
                    ) from None
        return cls(tuple(networks))

    @classmethod
    def from_env(cls, environ: dict | None = None) -> TrustedProxies:
        return cls.parse(setting("CHAT_TRUSTED_PROXIES", environ))

    def trusts(self, address: Address | None) -> bool:
        return address is not None and any(address in network for network in self.networks)

    def client(self, peer: str | None, forwarded_for: str | None) -> str:
        """The client's address (see the module's docstring), as a text."""
        global _warned_untrusted
        nearest = _address(peer)
        if not self.trusts(nearest):
            if forwarded_for and not _warned_untrusted:
                _warned_untrusted = True
                logger.warning(
                    "a chat request from %s carried X-Forwarded-For, which is ignored: if %s is your "
                    "load balancer, add it to CHAT_TRUSTED_PROXIES, or all its users share one limit",
                    peer,
                    peer,
                )
            return str(nearest) if nearest else UNKNOWN
        for hop in reversed((forwarded_for or "").split(",")):
            if not hop.strip():
                continue
            found = _address(hop)
            if found is None:  # a hop that is not an address: stop at the last one we trust
                break
            nearest = found
            if not self.trusts(found):
                break
        return str(nearest)


def limit_key(address: str) -> str:
    """What the per-address limits count: the address, or an IPv6 address's /64 network."""
    found = _address(address)
    if isinstance(found, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((found, 64), strict=False))
    return str(found) if found else UNKNOWN
