"""The Kubernetes IP and CIDR libraries (k8s.io/apiserver/pkg/cel/library/ip.go, cidr.go).

Parsing follows Go's netip.ParseAddr/ParsePrefix as the library uses them: no zones, no
IPv4-mapped IPv6 addresses, no leading zeros in IPv4 octets.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from ..values import CIDR, IP, unwrap, wrap
from .decl import Decl, member, overload

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Interface | ipaddress.IPv6Interface


def _parse_addr(raw: str) -> Address:
    if "%" in raw:
        raise ValueError(f"IP address {raw!r} with zone value is not allowed")
    try:
        addr = ipaddress.ip_address(raw)
    except ValueError as exc:
        raise ValueError(f"IP Address \"{raw}\" parse error during conversion from string: "
                         f"ParseAddr(\"{raw}\"): {exc}") from None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        raise ValueError(f"IPv4-mapped IPv6 address \"{raw}\" is not allowed")
    return addr


def _parse_prefix(raw: str) -> Network:
    error = (f"network address parse error during conversion from string: network address parse "
             f"error during conversion from string: netip.ParsePrefix(\"{raw}\")")
    addr, slash, bits = raw.partition("/")
    if not slash or not bits.isdigit() or (len(bits) > 1 and bits[0] == "0") or "%" in addr:
        raise ValueError(f"{error}: bad prefix")
    try:
        net = ipaddress.ip_interface(raw)
    except ValueError as exc:
        raise ValueError(f"{error}: {exc}") from None
    if isinstance(net, ipaddress.IPv6Interface) and net.ip.ipv4_mapped is not None:
        raise ValueError(f"IPv4-mapped IPv6 address \"{raw}\" is not allowed")
    return net


def ip(raw: str) -> dict[str, Any]:
    return wrap(IP, str(_parse_addr(raw)))


def _addr(arg: Any) -> Address:
    return ipaddress.ip_address(unwrap(arg, IP))


def _net(arg: Any) -> Network:
    return ipaddress.ip_interface(unwrap(arg, CIDR))


def cidr(raw: str) -> dict[str, Any]:
    return wrap(CIDR, str(_parse_prefix(raw)))


def _valid(parse: Any, raw: str) -> bool:
    try:
        parse(raw)
    except ValueError:
        return False
    return True


def _is_canonical(raw: str) -> bool:
    return str(_parse_addr(raw)) == raw


def _global_unicast(arg: Any) -> bool:
    # Go's netip.Addr.IsGlobalUnicast: not unspecified, loopback, multicast, link-local,
    # nor the IPv4 broadcast address; private ranges count as global unicast.
    a = _addr(arg)
    if a.is_unspecified or a.is_loopback or a.is_multicast or a.is_link_local:
        return False
    return not (isinstance(a, ipaddress.IPv4Address) and a == ipaddress.IPv4Address("255.255.255.255"))


def _link_local_multicast(arg: Any) -> bool:
    a = _addr(arg)
    if isinstance(a, ipaddress.IPv4Address):
        return a in ipaddress.IPv4Network("224.0.0.0/24")
    return a in ipaddress.IPv6Network("ff02::/16")


def _contains_ip(arg: Any, other: Any) -> bool:
    addr = _parse_addr(other) if isinstance(other, str) else _addr(other)
    net = _net(arg).network
    return addr.version == net.version and addr in net


def _contains_cidr(arg: Any, other: Any) -> bool:
    inner = (_parse_prefix(other) if isinstance(other, str) else _net(other)).network
    outer = _net(arg).network
    return (inner.version == outer.version and outer.prefixlen <= inner.prefixlen
            and inner.network_address in outer)


def _masked(arg: Any) -> dict[str, Any]:
    return wrap(CIDR, str(_net(arg).network))


def _to_string(arg: Any) -> str:
    try:
        return str(unwrap(arg, IP))
    except TypeError:
        return str(unwrap(arg, CIDR))


def declarations() -> list[Decl]:
    s, b = "string", "bool"
    return [
        overload("ip", "string_to_ip", [s], "ip", ip),
        member("family", "ip_family", ["ip"], "int", lambda a: _addr(a).version),
        overload("ip.isCanonical", "ip_is_canonical", [s], b, _is_canonical),
        member("isUnspecified", "ip_is_unspecified", ["ip"], b, lambda a: _addr(a).is_unspecified),
        member("isLoopback", "ip_is_loopback", ["ip"], b, lambda a: _addr(a).is_loopback),
        member("isLinkLocalMulticast", "ip_is_link_local_multicast", ["ip"], b, _link_local_multicast),
        member("isLinkLocalUnicast", "ip_is_link_local_unicast", ["ip"], b,
               lambda a: _addr(a).is_link_local),
        member("isGlobalUnicast", "ip_is_global_unicast", ["ip"], b, _global_unicast),
        overload("isIP", "is_ip", [s], b, lambda raw: _valid(_parse_addr, raw)),
        overload("string", "ip_to_string", ["ip"], s, _to_string),
        overload("string", "cidr_to_string", ["cidr"], s, _to_string),
        overload("cidr", "string_to_cidr", [s], "cidr", cidr),
        member("containsIP", "cidr_contains_ip_string", ["cidr", s], b, _contains_ip),
        member("containsIP", "cidr_contains_ip_ip", ["cidr", "ip"], b, _contains_ip),
        member("containsCIDR", "cidr_contains_cidr_string", ["cidr", s], b, _contains_cidr),
        member("containsCIDR", "cidr_contains_cidr", ["cidr", "cidr"], b, _contains_cidr),
        member("ip", "cidr_ip", ["cidr"], "ip", lambda a: wrap(IP, str(_net(a).ip))),
        member("prefixLength", "cidr_prefix_length", ["cidr"], "int", lambda a: _net(a).network.prefixlen),
        member("masked", "cidr_masked", ["cidr"], "cidr", _masked),
        overload("isCIDR", "is_cidr", [s], b, lambda raw: _valid(_parse_prefix, raw)),
    ]
