"""Serving a benchmark: gunicorn with production settings, and where the machine's CPU went."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from common import ROOT, psql


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine, from /proc/stat (steal time counts as busy)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def steal_ticks() -> int:
    """Time the hypervisor gave this machine's CPUs to someone else."""
    return int(Path("/proc/stat").read_text().splitlines()[0].split()[8])


CLK_TCK = os.sysconf("SC_CLK_TCK")


def wait_for_quiet(max_wait: float, busy_limit: float = 0.25) -> dict[str, Any]:
    """Wait (up to max_wait s) until other work uses under busy_limit of the machine for 3 s running."""
    t0 = time.time()
    quiet_for, samples = 0.0, []
    while True:
        b0, a0 = cpu_ticks()
        time.sleep(1)
        b1, a1 = cpu_ticks()
        busy = (b1 - b0) / max(1, a1 - a0)
        samples.append(round(busy, 2))
        quiet_for = quiet_for + 1 if busy < busy_limit else 0
        if quiet_for >= 3:
            return {"waited_s": round(time.time() - t0), "quiet": True, "last_busy": samples[-5:]}
        if time.time() - t0 > max_wait:
            return {"waited_s": round(time.time() - t0), "quiet": False, "last_busy": samples[-5:]}


def process_cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLK_TCK


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(children.get(p, []))
    return found


def database_backends(database: str) -> list[int]:
    sql = f"SELECT pid FROM pg_stat_activity WHERE datname = '{database}'"  # noqa: S608 - a bench constant
    return [int(x) for x in psql(sql).split() if x]


class CpuAccount:
    """Where the machine's CPU went during a phase: the server, its PostgreSQL backends, the client, others."""

    def __init__(self, server_pid: int, database: str) -> None:
        self.server_pid, self.database = server_pid, database

    def snapshot(self) -> dict[str, Any]:
        server, backends = descendants(self.server_pid), database_backends(self.database)
        busy, total = cpu_ticks()
        return {
            "steal": steal_ticks() / CLK_TCK,
            "server": process_cpu_seconds(server),
            "postgres": process_cpu_seconds(backends),
            "busy": busy / CLK_TCK,
            "total": total / CLK_TCK,
            "pids": (server, backends),
        }

    @staticmethod
    def delta(a: dict[str, Any], b: dict[str, Any], client_cpu: float) -> dict[str, float]:
        # Processes present at both ends are counted (workers and backends live for the whole run).
        server = process_cpu_seconds(b["pids"][0]) - a["server"]
        postgres = process_cpu_seconds(b["pids"][1]) - a["postgres"]
        busy, total = b["busy"] - a["busy"], b["total"] - a["total"]
        return {
            "machine_core_seconds": round(total, 2),
            "machine_busy_core_seconds": round(busy, 2),
            "server_cpu_s": round(server, 2),
            "postgres_backends_cpu_s": round(postgres, 2),
            "client_cpu_s": round(client_cpu, 2),
            "hypervisor_steal_s": round(b["steal"] - a["steal"], 2),
            "other_processes_cpu_s": round(max(0.0, busy - server - postgres - client_cpu), 2),
        }


class Server:
    def __init__(self, *, workers: int, threads: int, port: int, env: dict[str, str]) -> None:
        self.port = port
        worker_class = "gthread" if threads > 1 else "sync"
        self.command = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            worker_class,
            "--threads",
            str(threads),
            "--keep-alive",
            "30",
            "--backlog",
            "2048",
            "--log-level",
            "warning",
        ]
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None
        self.description = f"gunicorn {worker_class}, {workers} workers x {threads} threads"

    def start(self, priority: int = 0) -> None:
        def preexec() -> None:
            if priority:
                os.setpriority(os.PRIO_PROCESS, 0, priority)

        self.process = subprocess.Popen(
            self.command, cwd=ROOT, env=self.env, start_new_session=True, preexec_fn=preexec
        )
        if priority:
            # With autogroup scheduling, nice only ranks processes within a session; the server's
            # own session (autogroup) gets the same nice, so it counts against other sessions too.
            with contextlib.suppress(OSError):
                Path(f"/proc/{self.process.pid}/autogroup").write_text(str(priority))
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
