import io
import json
import subprocess
import sys
from pathlib import Path

from aman.classifier.cli import Progress, classify_stream, main

REPO = Path(__file__).resolve().parents[3]


def run(lines):
    out = io.StringIO()
    errors = classify_stream(lines, out)
    return errors, [json.loads(x) for x in out.getvalue().splitlines()]


def test_good_lines_get_the_documented_record():
    errors, rows = run(['{"id": 1, "text": "يا حمار"}', '{"id": "b", "text": "hello", "language": "en"}'])
    assert errors == 0
    assert [r["id"] for r in rows] == [1, "b"]
    for r in rows:
        assert set(r) >= {"id", "scores", "labels", "harmful", "category", "urgency", "flags"}
        assert set(r["scores"]) == {"offensive", "hate", "threat", "sexual_harassment"}
        assert r["labels"] == [k for k, v in r["scores"].items() if k in r["labels"]]


def test_bad_lines_get_an_error_and_the_run_goes_on():
    lines = [
        "not json",
        '{"id": 7}',
        '{"id": 8, "text": 12}',
        "[1, 2]",
        '{"id": 9, "text": "' + "x" * 20001 + '"}',
        '{"id": 10, "text": "ok", "language": 5}',
        "",
        '{"id": 11, "text": "مرحبا"}',
    ]
    errors, rows = run(lines)
    assert errors == 6
    assert [r["id"] for r in rows] == ["line:1", 7, 8, "line:4", 9, 10, 11]
    assert all("error" in r for r in rows[:6])
    assert "error" not in rows[6] and "category" in rows[6]


def test_order_is_kept_across_batches():
    lines = [json.dumps({"id": i, "text": f"نص رقم {i}"}) for i in range(1200)]
    errors, rows = run(lines)
    assert errors == 0
    assert [r["id"] for r in rows] == list(range(1200))


def test_progress_bar_writes_to_its_stream():
    stream = io.StringIO()
    p = Progress(10, True, stream)
    p.update(10)
    p.close()
    assert "10/10" in stream.getvalue()


def test_module_entry_point_reads_a_file(tmp_path):
    f = tmp_path / "in.jsonl"
    f.write_text('{"id": "a", "text": "Mon compte a été piraté"}\nbroken\n', encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "aman.classifier", "classify", str(f)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    rows = [json.loads(x) for x in out.stdout.splitlines()]
    assert rows[0]["id"] == "a" and rows[0]["language"] == "fr"
    assert rows[1]["id"] == "line:2" and "error" in rows[1]


def test_module_entry_point_reads_stdin():
    out = subprocess.run(
        [sys.executable, "-m", "aman.classifier", "classify"],
        input='{"id": 1, "text": "hello"}\n',
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    assert json.loads(out.stdout)["id"] == 1


def test_help_lists_commands(capsys):
    try:
        main(["--help"])
    except SystemExit as exc:
        assert exc.code == 0
    assert "classify" in capsys.readouterr().out
