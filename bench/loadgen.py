"""A small HTTP/1.1 load generator on raw asyncio streams.

It costs a few tens of microseconds of client CPU per request (no HTTP library), so on a
2-core machine nearly all of the CPU goes to the server under test. It keeps connections
alive when the server allows it, measures each request from the moment it was due (open
loop: no coordinated omission), and lets every request in flight finish before it returns,
so every answer is accounted for.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Outcome:
    key: str
    status: int  # 0: no answer (connection error)
    body: bytes
    latency: float  # seconds, from when the request was due to the last byte of the answer
    error: str = ""


@dataclass
class PhaseResult:
    outcomes: list[Outcome] = field(default_factory=list)
    started: float = 0.0
    stopped_sending: float = 0.0
    finished: float = 0.0
    client_cpu_s: float = 0.0


class Connection:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.opened = 0

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            self.opened += 1
        assert self.reader is not None
        try:
            self.writer.write(raw)
            head = await self.reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length, close = 0, head.startswith(b"HTTP/1.0")
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"connection":
                    close = value.strip().lower() == b"close"
            body = await self.reader.readexactly(length) if length else b""
        except BaseException:
            self.close()
            raise
        if close:
            self.close()
        return status, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def build_request(method: str, path: str, host: str, body: bytes, headers: dict[str, str] | None = None) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", f"Content-Length: {len(body)}"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _one(conn: Connection, key: str, raw: bytes, due: float, out: list[Outcome]) -> None:
    try:
        status, body = await conn.request(raw)
        out.append(Outcome(key, status, body, time.perf_counter() - due))
    except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
        out.append(Outcome(key, 0, b"", time.perf_counter() - due, error=type(exc).__name__))


def _cpu() -> float:
    t = time.process_time()
    return t


async def closed_loop(
    *, host: str, port: int, concurrency: int, duration: float, make: Callable[[int], tuple[str, bytes]]
) -> PhaseResult:
    """``concurrency`` clients, each sending its next request as soon as the last is answered."""
    result = PhaseResult()
    counter = iter(range(10**12))
    cpu0 = _cpu()
    result.started = time.perf_counter()
    end = result.started + duration

    async def client() -> None:
        conn = Connection(host, port)
        while time.perf_counter() < end:
            key, raw = make(next(counter))
            await _one(conn, key, raw, time.perf_counter(), result.outcomes)
        conn.close()

    await asyncio.gather(*(client() for _ in range(concurrency)))
    result.stopped_sending = end
    result.finished = time.perf_counter()
    result.client_cpu_s = _cpu() - cpu0
    return result


async def open_loop(
    *,
    host: str,
    port: int,
    rate: float,
    duration: float,
    max_connections: int,
    make: Callable[[int], tuple[str, bytes]],
) -> PhaseResult:
    """Requests due at a fixed rate whatever the answers do; a late answer counts from when it was due."""
    result = PhaseResult()
    pool: asyncio.Queue[Connection] = asyncio.Queue()
    for _ in range(max_connections):
        pool.put_nowait(Connection(host, port))
    tasks: list[asyncio.Task[None]] = []
    cpu0 = _cpu()
    result.started = start = time.perf_counter()
    total = int(rate * duration)

    async def send(i: int, due: float) -> None:
        key, raw = make(i)
        conn = await pool.get()
        try:
            await _one(conn, key, raw, due, result.outcomes)
        finally:
            pool.put_nowait(conn)

    for i in range(total):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(send(i, due)))
    result.stopped_sending = time.perf_counter()
    await asyncio.gather(*tasks)
    result.finished = time.perf_counter()
    result.client_cpu_s = _cpu() - cpu0
    while not pool.empty():
        pool.get_nowait().close()
    return result
