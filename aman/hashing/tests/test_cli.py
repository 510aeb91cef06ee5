"""The command-line contract, run as a user would: python -m aman.hashing in a subprocess."""

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image

from aman.hashing.codec import to_hex
from aman.hashing.index import brute_force
from aman.hashing.synthetic import flip_bits, random_hashes
from aman.hashing.tests.test_pdq import picture

REPO = Path(__file__).resolve().parents[3]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aman.hashing", *args], cwd=REPO, capture_output=True, text=True, timeout=120
    )


def test_hash_writes_one_json_line_per_file(tmp_path):
    img = tmp_path / "photo.png"
    Image.fromarray(picture(seed=3)).save(img)
    flat = tmp_path / "flat.png"
    Image.fromarray(np.full((64, 64, 3), 200, dtype=np.uint8)).save(flat)
    doc = tmp_path / "notes.txt"
    doc.write_text("not an image", encoding="utf-8")
    proc = run("hash", str(img), str(doc), str(flat))
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["file"] for r in rows] == [str(img), str(doc), str(flat)]
    photo, text, blank = rows
    assert list(photo) == ["file", "pdq", "quality", "dihedral", "md5", "sha256"]
    assert len(photo["pdq"]) == 64 and photo["dihedral"][0] == photo["pdq"] and len(photo["dihedral"]) == 8
    assert photo["quality"] >= 50
    assert photo["md5"] == hashlib.md5(img.read_bytes(), usedforsecurity=False).hexdigest()
    assert photo["sha256"] == hashlib.sha256(img.read_bytes()).hexdigest()
    assert text["pdq"] is None and text["dihedral"] is None and text["quality"] is None
    assert text["sha256"] == hashlib.sha256(b"not an image").hexdigest()
    assert blank["quality"] < 50
    assert "do not trust" in proc.stderr and "not an image" in proc.stderr


def test_hash_missing_file_fails_after_the_others(tmp_path):
    img = tmp_path / "a.png"
    Image.fromarray(picture()).save(img)
    proc = run("hash", str(tmp_path / "missing.jpg"), str(img), "--details")
    assert proc.returncode == 1
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert "error" in rows[0] and rows[1]["pdq"] and rows[1]["low_quality"] is False


def test_match_contract(tmp_path):
    rng = np.random.default_rng(1)
    bank = random_hashes(5000, seed=2)
    q0 = random_hashes(1, seed=3)
    bank[10:13] = flip_bits(np.repeat(q0, 3, axis=0), np.array([31, 32, 0]), seed=4)
    lines = to_hex(bank)
    lines[20] = "pdq " + lines[20]
    lines[21] = "garbage"
    lines[22] = "md5 d41d8cd98f00b204e9800998ecf8427e"
    (tmp_path / "bank.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    queries = np.concatenate([q0, flip_bits(bank[rng.integers(0, 5000, 30)], rng.integers(0, 40, 30), seed=5)])
    qlines = to_hex(queries)
    qlines.insert(2, "not-a-hash")
    (tmp_path / "q.txt").write_text("\n".join(qlines), encoding="utf-8")

    proc = run("match", "--bank", str(tmp_path / "bank.txt"), "--queries", str(tmp_path / "q.txt"))
    assert proc.returncode == 0, proc.stderr
    assert "index build" in proc.stderr and "lookups/s" in proc.stderr
    assert "1 malformed" in proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["query"] for r in rows] == list(range(len(qlines)))
    assert rows[2] == {"query": 2, "matches": [], "error": rows[2]["error"]}
    assert rows[0]["matches"] == [{"index": 12, "distance": 0}, {"index": 10, "distance": 31}]
    assert {"index": 11, "distance": 32} not in rows[0]["matches"]

    # every answer equals brute force over the lines that hold a PDQ hash (bank line numbers kept)
    keep = np.array([i not in (21, 22) for i in range(len(lines))])
    expected = brute_force(bank[keep], queries, 31)
    line_of = np.flatnonzero(keep)
    query_lines = [i for i in range(len(qlines)) if i != 2]
    for row, line in enumerate(query_lines):
        sel = expected.query == row
        want = [
            {"index": int(line_of[i]), "distance": int(d)}
            for i, d in zip(expected.id[sel], expected.distance[sel], strict=True)
        ]
        assert rows[line]["matches"] == want


def test_match_max_distance_and_strict(tmp_path):
    base = random_hashes(1, seed=9)
    bank = flip_bits(np.repeat(base, 4, axis=0), np.array([5, 10, 40, 70]), seed=10)
    (tmp_path / "bank.txt").write_text("\n".join(to_hex(bank)) + "\nbad\n", encoding="utf-8")
    (tmp_path / "q.txt").write_text(to_hex(base)[0] + "\n", encoding="utf-8")
    proc = run(
        "match", "--bank", str(tmp_path / "bank.txt"), "--queries", str(tmp_path / "q.txt"), "--max-distance", "64"
    )
    assert proc.returncode == 0
    assert json.loads(proc.stdout) == {
        "query": 0,
        "matches": [{"index": 0, "distance": 5}, {"index": 1, "distance": 10}, {"index": 2, "distance": 40}],
    }
    strict = run("match", "--bank", str(tmp_path / "bank.txt"), "--queries", str(tmp_path / "q.txt"), "--strict")
    assert strict.returncode == 1
    missing = run("match", "--bank", str(tmp_path / "nope.txt"), "--queries", str(tmp_path / "q.txt"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr
    bad = run(
        "match", "--bank", str(tmp_path / "bank.txt"), "--queries", str(tmp_path / "q.txt"), "--max-distance", "-1"
    )
    assert bad.returncode == 2


def test_match_in_batches_keeps_every_line_in_order(tmp_path, monkeypatch):
    import io

    from aman.hashing import cli

    monkeypatch.setattr(cli, "_BATCH", 3)
    hashes = to_hex(random_hashes(14, seed=12))
    qlines = []
    for i, h in enumerate(hashes):
        qlines.append(h)
        if i % 4 == 1:
            qlines.append("bad")
        if i % 5 == 2:
            qlines.append("")
    (tmp_path / "q.txt").write_text("\n".join([*qlines, "bad"]), encoding="utf-8")
    (tmp_path / "b.txt").write_text("\n".join(hashes), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["match", "--bank", str(tmp_path / "b.txt"), "--queries", str(tmp_path / "q.txt")], out, err) == 0
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    numbered = [*qlines, "bad"]
    assert [r["query"] for r in rows] == [i for i, line in enumerate(numbered) if line]
    for r in rows:
        if numbered[r["query"]] == "bad":
            assert r["matches"] == [] and "error" in r
        else:
            assert r["matches"] == [{"index": hashes.index(numbered[r["query"]]), "distance": 0}]
