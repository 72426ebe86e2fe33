"""Which hosts are this machine: the one rule for "plain http only on loopback".

The client talks plain http, and the demo keeps its keys in a file, only with a server on
this PC; the backend serves without TLS only on this PC. Both sides ask `is_loopback_host`.

A host is loopback when it is, exactly:
- the name `localhost` (any case): RFC 6761 reserves it for loopback. Other names that a
  distribution's /etc/hosts happens to map there (`localhost.localdomain`) or a resolver
  could map anywhere (`*.localhost`) are not accepted: only what no configuration changes;
- an IPv4 address in 127.0.0.0/8 (RFC 1122), written as a dotted quad;
- the IPv6 address ::1 (RFC 4291), with or without the URL's brackets, without a zone.
IPv4-mapped forms (::ffff:127.0.0.1) are refused: Python versions disagree on them.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address, ip_address

LOOPBACK_NAME = "localhost"
_IPV6_LOOPBACK = IPv6Address("::1")


def is_loopback_host(host: str) -> bool:
    """Whether `host` (a URL's host or a listening address) is this machine; see above."""
    host = host.strip()
    if host.lower() == LOOPBACK_NAME:
        return True
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        address = ip_address(host)
    except ValueError:
        return False
    if isinstance(address, IPv4Address):
        return address.is_loopback
    return address == _IPV6_LOOPBACK
