"""Comment moderation: input limits, CSV column detection, near-duplicate groups, safe export."""

import csv
import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from aman.audit.models import AuditEvent
from aman.checks import moderation
from aman.checks.tests.factories import FRIENDLY_AR, HOSTILE_AR
from aman.core.spreadsheet import csv_safe

pytestmark = pytest.mark.django_db


def test_near_duplicates_group_and_distinct_texts_do_not() -> None:
    texts = [
        "You are an idiot and everyone hates you",
        "you are an IDIOT and everyone hates you!!!",
        "You are an idiooot and every one hates you @someone",
        "Thank you for the update about the new school schedule",
        HOSTILE_AR,
        HOSTILE_AR.replace("حمار", "حماااار") + " https://t.co/x",
        FRIENDLY_AR,
    ]
    groups = moderation.group_near_duplicates(texts)
    assert groups[0] == groups[1] == groups[2]
    assert groups[4] == groups[5]
    assert len({groups[0], groups[3], groups[4], groups[6]}) == 4


def test_shingled_jaccard() -> None:
    a, b = moderation.shingles("abcdef"), moderation.shingles("abcdeg")
    assert 0 < moderation.jaccard(a, b) < 1
    assert moderation.jaccard(a, a) == 1.0


def test_formula_injection_is_neutralised() -> None:
    for value in ('=HYPERLINK("x")', "+1", "-2", "@SUM(A1)", "\tx"):
        assert csv_safe(value).startswith("'")
    assert csv_safe("hello") == "hello"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"id,comment,likes\n1,first comment,3\n2,second one,0\n", ["first comment", "second one"]),
        ("الاسم;تعليق\nأحمد;تعليق أول\n".encode(), ["تعليق أول"]),
        (
            b"1,a much longer comment text here\n2,and another long comment text\n",
            ["a much longer comment text here", "and another long comment text"],
        ),
        ('\ufeffcomment\n"multi\nline"\n'.encode(), ["multi\nline"]),
    ],
)
def test_csv_column_detection(data: bytes, expected: list[str]) -> None:
    assert moderation.parse_csv(data) == expected


@pytest.mark.parametrize(
    ("data", "code"),
    [(b"", "empty"), (b"a\x00b", "csv_invalid"), (b"x" * (moderation.MAX_BYTES + 1), "too_large")],
)
def test_csv_errors(data: bytes, code: str) -> None:
    with pytest.raises(moderation.InputError) as exc:
        moderation.parse_csv(data)
    assert exc.value.code == code


def test_too_many_comments() -> None:
    with pytest.raises(moderation.InputError):
        moderation.parse_paste("\n".join(f"comment {i}" for i in range(moderation.MAX_COMMENTS + 1)))


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_paste_sorts_by_harm_and_exports_what_to_hide_or_report(agent: Any) -> None:
    client = _client(agent)
    pasted = "\n".join([FRIENDLY_AR, HOSTILE_AR, "=cmd|' /C calc'!A0 " + HOSTILE_AR, "Merci pour l'information", ""])
    page = client.post("/console/moderation/", {"comments": pasted})
    assert page.status_code == 200
    html = page.content.decode()
    html = html[html.index('data-testid="moderation-results"') :]
    assert html.index("حمار") < html.index("مبروك")  # most harmful first
    export = client.get("/console/moderation/export.csv")
    assert export.status_code == 200 and export["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0][0] == "row"
    texts = [r[-1] for r in rows[1:]]
    assert all("مبروك" not in t for t in texts)  # only those to hide or report
    assert any(t.startswith("'=cmd") for t in texts)
    data = json.loads(client.get("/console/moderation/export.json?which=all").content)
    assert len(data) == 4 and {"harm", "labels", "group", "action", "text"} <= set(data[0])
    events = AuditEvent.objects.filter(event_type__startswith="checks.moderation")
    assert events.count() == 3
    assert "حمار" not in json.dumps(list(events.values_list("data", flat=True)), ensure_ascii=False)


def test_csv_upload(agent: Any) -> None:
    upload = SimpleUploadedFile("comments.csv", f"comment\n{HOSTILE_AR}\n{FRIENDLY_AR}\n".encode(), "text/csv")
    page = _client(agent).post("/console/moderation/", {"csv_file": upload})
    assert page.status_code == 200 and 'data-testid="moderation-results"' in page.content.decode()


@pytest.mark.parametrize(
    ("post", "status"),
    [
        ({"comments": ""}, 400),
        ({"comments": "\n \n"}, 400),
        ({"csv_file": SimpleUploadedFile("x.csv", b"\x00\x01\x02", "text/csv")}, 400),
    ],
)
def test_bad_input_is_explained(agent: Any, post: dict[str, Any], status: int) -> None:
    page = _client(agent).post("/console/moderation/", post)
    assert page.status_code == status
    assert 'class="error"' in page.content.decode()


def test_hostile_comment_is_escaped(agent: Any) -> None:
    page = _client(agent).post("/console/moderation/", {"comments": "<script>alert(1)</script>\n\u202eevil"})
    assert "<script>alert(1)" not in page.content.decode()


def test_export_without_results_and_unknown_format(agent: Any) -> None:
    client = _client(agent)
    assert client.get("/console/moderation/export.csv").status_code == 302
    assert client.get("/console/moderation/export.xml").status_code == 404
