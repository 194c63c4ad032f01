"""The SSRF guard: an httpx transport that only connects where a connector may go.

For a connector that is not ``internal``: http(s) only, no user info, the host must be on
the connector's allow-list, DNS is resolved once here and every answer must be a public
unicast address; the connection then goes to the checked address (Host header and TLS SNI
keep the name), so a second lookup cannot swap in another address.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx

Resolver = Callable[[str, int], Awaitable[list[str]]]
POLICY = "pandium_policy"
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


class Blocked(Exception):
    """The request may not leave: the message says why (never which secret was involved)."""


@dataclass(frozen=True)
class Policy:
    allowed_hosts: frozenset[str]
    internal: bool = False


async def system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [info[4][0] for info in infos]


def is_public(address: str) -> bool:
    """Whether ``address`` is a public unicast address (IPv4 or IPv6)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and (
        ip.ipv4_mapped or ip.sixtofour or ip.teredo or any(ip in net for net in _NAT64)
    ):
        return False
    return ip.is_global and not (
        ip.is_multicast
        or ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_unspecified
    )


def _literal(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


class GuardedTransport(httpx.AsyncBaseTransport):
    """Checks each request against its policy, then sends it through one pooled transport."""

    def __init__(self, resolver: Resolver | None = None, **pool: object) -> None:
        self._resolve = resolver or system_resolver
        self._inner = httpx.AsyncHTTPTransport(retries=0, trust_env=False, **pool)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        policy = request.extensions.pop(POLICY, None)
        if not isinstance(policy, Policy):
            raise Blocked("outbound requests need a connector policy")
        url = request.url
        if url.scheme not in ("http", "https"):
            raise Blocked("only http and https URLs can be called")
        if url.userinfo:
            raise Blocked("URLs with a user name or password are refused")
        host = url.host.lower()
        if host not in policy.allowed_hosts:
            raise Blocked(f"host {host!r} is not allowed for this connector")
        if not policy.internal:
            port = url.port or (443 if url.scheme == "https" else 80)
            literal = _literal(host)
            answers = [literal] if literal else await self._lookup(host, port)
            if not answers or not all(is_public(a) for a in answers):
                raise Blocked(f"host {host!r} does not resolve to a public address only")
            request.url = url.copy_with(host=answers[0])
            if url.scheme == "https" and not literal:
                request.extensions["sni_hostname"] = host
        return await self._inner.handle_async_request(request)

    async def _lookup(self, host: str, port: int) -> list[str]:
        try:
            return await self._resolve(host, port)
        except OSError as exc:
            raise Blocked(f"host {host!r} could not be resolved") from exc

    async def aclose(self) -> None:
        await self._inner.aclose()


def build_client(timeout: float, resolver: Resolver | None = None) -> httpx.AsyncClient:
    """The one shared client for outbound calls: pooled, guarded, no redirects, no env."""
    return httpx.AsyncClient(
        transport=GuardedTransport(resolver, limits=httpx.Limits(max_connections=200)),
        timeout=httpx.Timeout(timeout),
        follow_redirects=False,
        trust_env=False,
    )
