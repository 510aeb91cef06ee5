"""The staff console with many cases: queue pages and the case page, in PostgreSQL.

Synthetic cases are loaded with COPY into a fresh database `aman_bench_console` (production
settings, DEBUG off), with the fields the queues use filled realistically: status, urgency
rank, assignee, SLA due times, search text, and a valid audit hash chain for a share of the
cases. Pages are requested in-process through Django's test Client (the whole middleware
stack, a real session of a signed-in supervisor or agent), first with 1,000 cases and then
with 100,000: p50/p95/p99 latency per page, and the SQL queries per page
(CaptureQueriesContext), which must be the same at both sizes.

    .venv/bin/python bench/console.py [--sizes 1000,100000] [--requests 100]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, flush_cache, latency_summary, recreate_database, server_env, write_result

DATABASE = "aman_bench_console"
TARGET_P95_MS = 150.0
AGENTS = 12
AUDITED_SHARE = 0.2  # cases that get a timeline (submitted, triaged, assigned, message)
RICH_TIMELINE_EVENTS = 60  # the case whose page is measured has a long timeline

WORDS_AR = [
    "حساب",
    "مزيف",
    "يهددني",
    "بنشر",
    "صوري",
    "ابتزاز",
    "تيك",
    "توك",
    "انستغرام",
    "رسائل",
    "مسيئة",
    "تنمر",
    "سرقة",
    "احتيال",
]
WORDS_FR = ["faux", "compte", "menace", "chantage", "photos", "harcèlement", "insultes", "arnaque", "piratage"]
WORDS_EN = ["fake", "account", "threatens", "blackmail", "photos", "harassment", "insults", "scam", "hacked"]
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def setup_django() -> None:
    os.environ.update(server_env(DATABASE))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def reference_for(n: int) -> str:
    digits = []
    for _ in range(8):
        n, r = divmod(n, len(ALPHABET))
        digits.append(ALPHABET[r])
    body = "".join(reversed(digits))
    return f"AMN-{body[:4]}-{body[4:]}"


STATUS_WEIGHTS = [
    ("new", 18),
    ("triaged", 12),
    ("in_progress", 15),
    ("waiting", 8),
    ("escalated", 5),
    ("resolved", 12),
    ("closed", 30),
]


def case_rows(start: int, count: int, agents: list[int], now: datetime, rng: random.Random) -> list[dict[str, Any]]:
    from aman.cases.choices import DEFAULT_URGENCY, URGENCY_RANK, HarmCategory, Outcome, Platform, Urgency
    from aman.core.text import normalize_for_search

    statuses = [s for s, w in STATUS_WEIGHTS for _ in range(w)]
    categories = list(HarmCategory)
    platforms = [p.value for p in Platform]
    outcomes = [o.value for o in Outcome]
    languages = ["ar", "ar", "ar", "fr", "ckb", "en"]
    rows = []
    for n in range(start, start + count):
        category = rng.choice(categories)
        urgency = DEFAULT_URGENCY[category]
        if rng.random() < 0.05:
            urgency = Urgency.CRITICAL
        status = rng.choice(statuses)
        created = now - timedelta(minutes=rng.randint(1, 180 * 24 * 60))
        first_minutes, resolution_minutes = {
            Urgency.CRITICAL: (30, 1440),
            Urgency.HIGH: (120, 4320),
            Urgency.MEDIUM: (480, 10080),
            Urgency.LOW: (1440, 20160),
        }[urgency]
        language = rng.choice(languages)
        words = {"ar": WORDS_AR, "ckb": WORDS_AR, "fr": WORDS_FR, "en": WORDS_EN}[language]
        description = " ".join(rng.choice(words) for _ in range(rng.randint(12, 40))) + f" @user{n}"
        reference = reference_for(n)
        handled = status != "new"
        finished = status in ("resolved", "closed")
        assignee = None
        if (handled and rng.random() < 0.85) or (status == "new" and rng.random() < 0.1):
            assignee = rng.choice(agents)
        picked = rng.sample(platforms, rng.randint(1, 2))
        rows.append(
            {
                "created_at": created,
                "updated_at": created,
                "reference": reference,
                "follow_up_hash": hashlib.sha256(reference.encode()).hexdigest(),
                "intake_key_hash": None,
                "source": "portal" if n % 5 else "api",
                "language": language,
                "status": status,
                "reported_category": category.value,
                "category": category.value,
                "urgency": urgency.value,
                "urgency_rank": URGENCY_RANK[urgency],
                "minor_involved": rng.random() < 0.2,
                "imminent_danger": rng.random() < 0.03,
                "self_harm": category == HarmCategory.SELF_HARM,
                "platforms": "," + ",".join(picked) + ",",
                "affected": rng.choice(["me", "my_child", "someone_else"]),
                "age_band": rng.choice(["under_13", "13_17", "18_plus", "unknown"]),
                "in_danger_now": rng.random() < 0.03,
                "description": description,
                "contact_method": "none",
                "contact_encrypted": "",
                "consent_platform": rng.random() < 0.6,
                "consent_police": rng.random() < 0.2,
                "consent_hotline": rng.random() < 0.1,
                "consent_updated_at": created,
                "assignee_id": assignee,
                "first_response_due": created + timedelta(minutes=first_minutes),
                "resolution_due": created + timedelta(minutes=resolution_minutes),
                "first_responded_at": created + timedelta(minutes=rng.randint(5, first_minutes * 2))
                if handled and status != "triaged"
                else None,
                "first_response_breached_at": None,
                "resolution_breached_at": None,
                "resolved_at": created + timedelta(days=3) if finished else None,
                "closed_at": created + timedelta(days=4) if status == "closed" else None,
                "last_reporter_activity_at": created,
                "outcome": rng.choice(outcomes) if finished else "",
                "outcome_note": "",
                "search_text": normalize_for_search(f"{reference} {description}"),
                "purged_at": None,
            }
        )
    return rows


def copy_rows(table: str, rows: list[dict[str, Any]]) -> None:
    from django.db import connection

    if not rows:
        return
    columns = list(rows[0])
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])


class AuditChain:
    """Appends events the way audit_record does (same hash), but in bulk with COPY."""

    def __init__(self) -> None:
        from aman.audit.models import AuditChainHead

        head, _ = AuditChainHead.objects.get_or_create(id=1)
        self.sequence, self.hash = head.sequence, head.hash
        self.rows: list[dict[str, Any]] = []

    def add(
        self,
        *,
        event_type: str,
        case_id: int,
        actor_id: int | None,
        label: str,
        when: datetime,
        data: dict[str, Any],
    ) -> None:
        from aman.audit.services import _entry_hash

        self.sequence += 1
        digest = _entry_hash(
            sequence=self.sequence,
            occurred_at=when,
            actor_id=actor_id,
            actor_label=label,
            event_type=event_type,
            case_id=case_id,
            data=data,
            prev_hash=self.hash,
        )
        self.rows.append(
            {
                "sequence": self.sequence,
                "occurred_at": when,
                "actor_id": actor_id,
                "actor_label": label,
                "event_type": event_type,
                "case_id": case_id,
                "data": json.dumps(data, ensure_ascii=False),
                "prev_hash": self.hash,
                "hash": digest,
            }
        )
        self.hash = digest

    def flush(self) -> None:
        from aman.audit.models import AuditChainHead

        copy_rows("audit_auditevent", self.rows)
        AuditChainHead.objects.filter(id=1).update(sequence=self.sequence, hash=self.hash)
        self.rows = []


def load_cases(start: int, count: int, agents: list[int], agent_names: dict[int, str], seed: int) -> float:
    """COPY `count` cases numbered from `start`, and timelines for a share of them; returns seconds."""
    from django.db import connection, transaction

    from aman.cases.models import Case

    t0 = time.perf_counter()
    rng = random.Random(seed)
    now = datetime.now(UTC)
    batch = 20_000
    with transaction.atomic():
        for offset in range(0, count, batch):
            copy_rows("cases_case", case_rows(start + offset, min(batch, count - offset), agents, now, rng))
        chain = AuditChain()
        refs = [reference_for(n) for n in range(start, start + count)]
        ids = dict(Case.objects.filter(reference__in=refs).values_list("reference", "id"))
        rows = Case.objects.filter(reference__in=refs).values_list("id", "created_at", "assignee_id", "status")
        for case_id, created, assignee_id, status in rows.iterator():
            if rng.random() >= AUDITED_SHARE:
                continue
            chain.add(
                event_type="report.submitted", case_id=case_id, actor_id=None, label="reporter", when=created, data={}
            )
            if status != "new":
                actor = assignee_id or agents[0]
                chain.add(
                    event_type="case.triaged",
                    case_id=case_id,
                    actor_id=actor,
                    label=agent_names[actor],
                    when=created + timedelta(minutes=20),
                    data={"changes": {"status": ["new", "triaged"]}},
                )
                if assignee_id:
                    chain.add(
                        event_type="case.assigned",
                        case_id=case_id,
                        actor_id=actor,
                        label=agent_names[actor],
                        when=created + timedelta(minutes=21),
                        data={"from": None, "to": agent_names[actor]},
                    )
        chain.flush()
        assert len(ids) == count
    with connection.cursor() as cursor:
        # A table in service is vacuumed by autovacuum; a freshly copied one is not until it runs.
        cursor.execute("VACUUM ANALYZE")
    return time.perf_counter() - t0


def rich_case(agents: list[int], agent_names: dict[int, str]) -> str:
    """An open case with a long timeline, messages and notes: the case page to measure."""
    from aman.cases.models import Case, Message, Note

    case = Case.objects.filter(status="in_progress", assignee_id=agents[0]).order_by("id").first()
    assert case is not None
    chain = AuditChain()
    when = case.created_at
    for i in range(RICH_TIMELINE_EVENTS):
        when += timedelta(minutes=7)
        kind = ["case.message_sent", "report.reporter_replied", "case.note_added", "case.viewed"][i % 4]
        chain.add(
            event_type=kind,
            case_id=case.pk,
            actor_id=None if kind.startswith("report.") else agents[0],
            label="reporter" if kind.startswith("report.") else agent_names[agents[0]],
            when=when,
            data={"n": i},
        )
    chain.flush()
    for i in range(12):
        Message.objects.create(
            case=case,
            direction="to_reporter" if i % 2 == 0 else "from_reporter",
            body=" ".join(WORDS_AR[: 5 + i]),
            author_id=agents[0] if i % 2 == 0 else None,
        )
    for i in range(5):
        Note.objects.create(case=case, body=f"note {i}: " + " ".join(WORDS_EN), author_id=agents[0])
    for i in range(3):
        case.items.create(kind="handle", value=f"@suspect_{i}")
    return case.reference


def make_users() -> tuple[Any, Any, list[int], dict[int, str]]:
    from aman.accounts.models import Role, User
    from aman.cases.sla import sla_ensure_policies

    sla_ensure_policies()
    supervisor = User.objects.create(username="supervisor", role=Role.SUPERVISOR, first_name="Huda")
    agents = [User.objects.create(username=f"agent{i}", role=Role.AGENT) for i in range(AGENTS)]
    return supervisor, agents[0], [a.pk for a in agents], {a.pk: a.username for a in agents}


def measure(client: Any, url: str, requests: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(5):  # warm caches, templates, connections
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    # Read them now: the next request clears the connection's query log (request_started).
    captured = [(float(q["time"]) * 1000, q["sql"][:240]) for q in ctx.captured_queries]
    queries = len(captured)
    timings = []
    for _ in range(requests):
        t0 = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - t0)
        assert response.status_code == 200
    body = response.content
    return {
        "url": url,
        "queries": queries,
        "query_ms_and_sql": captured,
        "response_bytes": len(body),
        "rows_on_page": body.count(b'data-testid="case-row"'),
        **latency_summary(timings),
    }


def pages(reference: str, agent_case: str) -> list[tuple[str, str, str]]:
    """(who, name, url) for every page measured."""
    return [
        ("supervisor", "queue all (first page)", "/console/?queue=all"),
        ("supervisor", "queue unassigned", "/console/?queue=unassigned"),
        ("supervisor", "queue SLA at risk", "/console/?queue=sla"),
        ("supervisor", "queue closed", "/console/?queue=closed"),
        ("supervisor", "queue all, page 20", "/console/?queue=all&page=20"),
        ("supervisor", "search: a handle", "/console/?queue=all&q=%40user77"),
        ("supervisor", "filter: category+platform", "/console/?queue=all&category=sextortion&platform=instagram"),
        ("agent", "agent: queue mine", "/console/?queue=mine"),
        ("agent", "agent: queue unassigned", "/console/?queue=unassigned"),
        ("supervisor", "case page (long timeline)", f"/console/cases/{reference}/"),
        ("agent", "agent: case page", f"/console/cases/{agent_case}/"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--requests", type=int, default=100, help="timed requests per page and size")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument(
        "--priority",
        type=int,
        default=-10 if os.geteuid() == 0 else 0,
        help="nice value for this process and its PostgreSQL backend (a shared machine; 0 to leave as is)",
    )
    args = parser.parse_args(argv)
    if args.priority:
        os.setpriority(os.PRIO_PROCESS, 0, args.priority)
    sizes = [int(s) for s in args.sizes.split(",")]

    setup_django()
    from django.core.management import call_command
    from django.test import Client

    from aman.cases.models import Case

    print(f"console: fresh database {DATABASE}, migrating…", flush=True)
    recreate_database(DATABASE)
    call_command("migrate", "--noinput", verbosity=0)
    flush_cache(dict(os.environ))
    supervisor, agent, agents, agent_names = make_users()
    clients = {"supervisor": Client(), "agent": Client()}
    clients["supervisor"].force_login(supervisor)
    clients["agent"].force_login(agent)
    if args.priority:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            os.setpriority(os.PRIO_PROCESS, cursor.fetchone()[0], args.priority)

    loaded = 0
    results: list[dict[str, Any]] = []
    reference = agent_case = ""
    for size in sizes:
        seconds = load_cases(loaded, size - loaded, agents, agent_names, seed=size)
        print(f"console: loaded {size - loaded} cases in {seconds:.1f} s (now {Case.objects.count()})", flush=True)
        loaded = size
        if not reference:
            reference = rich_case(agents, agent_names)
            agent_case = Case.objects.filter(assignee_id=agents[0], status="waiting").order_by("id")[0].reference
        for who, name, url in pages(reference, agent_case):
            m = measure(clients[who], url, args.requests)
            m.update(cases=size, page=name, user=who)
            results.append(m)
            print(
                f"  {size:>7} cases  {name:<28} p50 {m['p50_ms']:6.1f} ms  p95 {m['p95_ms']:6.1f} ms  "
                f"p99 {m['p99_ms']:6.1f} ms  {m['queries']:>2} queries  {m['rows_on_page']:>2} rows",
                flush=True,
            )

    by_page: dict[str, dict[int, dict[str, Any]]] = {}
    for r in results:
        by_page.setdefault(r["page"], {})[r["cases"]] = r
    largest = max(sizes)
    summary = []
    for page, per_size in by_page.items():
        counts = {size: per_size[size]["queries"] for size in sizes}
        summary.append(
            {
                "page": page,
                "url": per_size[largest]["url"],
                "queries_by_cases": counts,
                "queries_constant": len(set(counts.values())) == 1,
                "p95_ms_by_cases": {size: per_size[size]["p95_ms"] for size in sizes},
                "p95_under_target_at_largest": per_size[largest]["p95_ms"] < TARGET_P95_MS,
            }
        )
    met = {
        "p95_under_150_ms_everywhere": all(s["p95_under_target_at_largest"] for s in summary),
        "query_count_constant": all(s["queries_constant"] for s in summary),
    }
    print("console: page                          queries " + " ".join(f"p95@{s}" for s in sizes))
    for s in summary:
        print(
            f"  {s['page']:<34} {'/'.join(str(v) for v in s['queries_by_cases'].values()):>7}  "
            + "  ".join(f"{v:6.1f} ms" for v in s["p95_ms_by_cases"].values())
        )
    result = {
        "what": "console pages in-process (Django test Client, full middleware, signed-in session), PostgreSQL",
        "settings": "config.settings.prod (DEBUG off), Redis cache",
        "parameters": {
            "sizes": sizes,
            "timed_requests_per_page": args.requests,
            "audited_share": AUDITED_SHARE,
            "priority": args.priority,
        },
        "summary": summary,
        "pages": results,
        "targets": {"p95_ms_max": TARGET_P95_MS, "query_count": "the same at every size"},
        "targets_met": met,
    }
    if not args.no_write:
        path = write_result("console", result)
        print(f"console: wrote {path.relative_to(ROOT)}")
    print(f"console: targets met: {met}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
