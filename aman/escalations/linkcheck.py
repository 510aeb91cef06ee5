"""Does a reported link still answer? The HTTP status only, never the content.

``probe(url)`` asks with ``HEAD``; when a server refuses HEAD (405, 501) it asks with ``GET`` and
closes the connection after the status line and headers, without reading the body (never for
intimate images or child sexual abuse material: HEAD only). Redirects are followed up to
``AMAN_ESCALATION_RECHECK_MAX_REDIRECTS`` hops, each one checked again.

Server-side request forgery guard: the host name is resolved once, every address must be public
(no loopback, private, link-local, multicast, reserved or unspecified address) unless
``AMAN_ESCALATION_RECHECK_ALLOW_PRIVATE`` (tests only), and the connection goes to the address
that was checked (so a second DNS answer cannot point it elsewhere); TLS still verifies the
certificate for the host name. Environment proxies are not used. No Django import beyond
settings, so it can be tested and benchmarked alone.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.conf import settings

USER_AGENT = "Aman-link-check/1 (+status only)"
REDIRECTS = {301, 302, 303, 307, 308}
HEAD_REFUSED = {405, 501}


@dataclass(frozen=True)
class ProbeResult:
    result: str  # a LinkCheck.Result value
    status_code: int | None = None
    method: str = ""
    redirects: int = 0


class _Refused(Exception):
    pass


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def resolve(host: str, port: int) -> str:
    """One address for the host, checked; raises _Refused for a private one, OSError when unknown."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise OSError("no address")
    if not _setting("AMAN_ESCALATION_RECHECK_ALLOW_PRIVATE", False) and not all(_public(a) for a in addresses):
        raise _Refused(host)
    return addresses[0]


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def _ask(url: str, method: str, timeout: float) -> tuple[int, str]:
    """One request; the status and the Location header. The body is never read."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(url)
    host = parts.hostname
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = resolve(host, port)
    connection_class = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
    connection = connection_class(host, port, address, timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request(method, path, headers={"User-Agent": USER_AGENT, "Accept": "*/*", "Connection": "close"})
        response = connection.getresponse()
        return response.status, response.getheader("Location", "") or ""
    finally:
        connection.close()  # for GET: drop the body unread


def probe(url: str, *, head_only: bool = False) -> ProbeResult:
    timeout = float(_setting("AMAN_ESCALATION_RECHECK_TIMEOUT", 5))
    max_redirects = int(_setting("AMAN_ESCALATION_RECHECK_MAX_REDIRECTS", 3))
    redirects = 0
    method = "HEAD"
    try:
        while True:
            status, location = _ask(url, method, timeout)
            if status in HEAD_REFUSED and method == "HEAD" and not head_only:
                method = "GET"
                continue
            if status in REDIRECTS and location:
                if redirects >= max_redirects:
                    return ProbeResult("redirects", status, method, redirects)
                redirects += 1
                url = urljoin(url, location)
                continue
            return ProbeResult("answered", status, method, redirects)
    except _Refused:
        return ProbeResult("refused", None, method, redirects)
    except ValueError:
        return ProbeResult("invalid", None, method, redirects)
    except TimeoutError:
        return ProbeResult("timeout", None, method, redirects)
    except (OSError, http.client.HTTPException):
        return ProbeResult("unreachable", None, method, redirects)
