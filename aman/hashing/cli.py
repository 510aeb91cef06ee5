"""Command line: hash files, match hash lists. JSON lines on standard output, figures on stderr.

python -m aman.hashing hash FILE...
python -m aman.hashing match --bank BANK --queries QUERIES [--max-distance 31]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from typing import TextIO

from aman.hashing.codec import read_hash_file
from aman.hashing.files import hash_file
from aman.hashing.index import DEFAULT_MAX_DISTANCE, HASH_BITS, HashIndex
from aman.hashing.pdq import QUALITY_THRESHOLD

_BATCH = 1024  # queries per search call: bounds memory when each has thousands of matches


def _cmd_hash(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    status = 0
    for name in args.files:
        try:
            result = hash_file(name, unletterbox=not args.keep_letterbox)
        except OSError as exc:
            print(json.dumps({"file": name, "error": exc.strerror or str(exc)}), file=out)
            print(f"{name}: {exc.strerror or exc}", file=err)
            status = 1
            continue
        pdq = result.pdq
        record: dict[str, object] = {
            "file": name,
            "pdq": pdq.hash if pdq else None,
            "quality": pdq.quality if pdq else None,
            "dihedral": list(pdq.dihedral) if pdq else None,
            "md5": result.md5,
            "sha256": result.sha256,
        }
        if args.details:
            record["low_quality"] = pdq.low_quality if pdq else None
            record["letterbox"] = list(pdq.letterbox) if pdq and pdq.letterbox else None
            record["pdq_uncropped"] = pdq.uncropped if pdq else None
        print(json.dumps(record), file=out)
        if pdq is None:
            print(f"{name}: not an image; MD5 and SHA-256 only", file=err)
        elif pdq.low_quality:
            print(f"{name}: PDQ quality {pdq.quality} < {QUALITY_THRESHOLD}: do not trust this hash", file=err)
    return status


def _cmd_match(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if not 0 <= args.max_distance <= HASH_BITS:
        print(f"--max-distance must be between 0 and {HASH_BITS}", file=err)
        return 2
    try:
        t0 = time.perf_counter()
        bank = read_hash_file(args.bank)
        t_read = time.perf_counter() - t0
        queries = read_hash_file(args.queries, max_errors_kept=1 << 62, other_types_are_errors=True)
    except OSError as exc:
        print(f"cannot read {exc.filename}: {exc.strerror}", file=err)
        return 2
    print(
        f"bank: {len(bank.hashes)} hashes read in {t_read:.2f} s"
        f" ({bank.error_count} malformed lines skipped, {bank.skipped_other_types} lines of other signal types)",
        file=err,
    )
    for line, reason in bank.errors[:5]:
        print(f"bank line {line}: {reason}", file=err)
    t0 = time.perf_counter()
    index = HashIndex.build(bank.hashes, ids=bank.lines, max_distance=args.max_distance, threads=args.threads)
    t_build = time.perf_counter() - t0
    stats = index.stats()
    print(
        f"index build: {t_build:.2f} s ({stats['hashes']} hashes, {stats['distinct_indexed']} distinct,"
        f" {stats['bytes'] / 1e6:.0f} MB)",
        file=err,
    )
    # Search in batches so that memory stays bounded however many matches come back; the rate
    # counts search time only (not reading, building or writing JSON).
    n = len(queries.hashes)
    t_search = 0.0
    matches = 0
    errors = dict(queries.errors)
    error_lines = sorted(errors)
    lines = queries.lines.tolist()
    e = 0
    for lo in range(0, max(n, 1), _BATCH):
        t0 = time.perf_counter()
        result = index.search(queries.hashes[lo : lo + _BATCH])
        t_search += time.perf_counter() - t0
        matches += len(result)
        batch_lines = lines[lo : lo + _BATCH]
        # malformed query lines before the end of this batch come out in their place
        limit = lines[lo + _BATCH] if lo + _BATCH < n else float("inf")
        e_end = e
        while e_end < len(error_lines) and error_lines[e_end] < limit:
            e_end += 1
        _write_matches(
            out,
            batch_lines,
            result.offsets().tolist(),
            result.id.tolist(),
            result.distance.tolist(),
            {line: errors[line] for line in error_lines[e:e_end]},
        )
        e = e_end
    rate = n / t_search if t_search > 0 else float("inf")
    print(
        f"lookups: {n} in {t_search:.3f} s = {rate:.0f} lookups/s"
        f" (max distance {args.max_distance}, {matches} matches, {index.threads} threads)",
        file=err,
    )
    if queries.error_count:
        print(f"queries: {queries.error_count} malformed lines (reported with an error)", file=err)
    return 1 if args.strict and (bank.error_count or queries.error_count) else 0


def _write_matches(
    out: TextIO,
    lines: list[int],
    offsets: list[int],
    ids: list[int],
    distances: list[int],
    errors: dict[int, str],
) -> None:
    """One JSON line per query line, in file order: matches, or the reason a line was not read."""
    error_lines = sorted(errors)
    e = 0
    buf: list[str] = []
    for row, line in enumerate(lines):
        while e < len(error_lines) and error_lines[e] < line:
            buf.append(json.dumps({"query": error_lines[e], "matches": [], "error": errors[error_lines[e]]}))
            e += 1
        matches = ", ".join(
            f'{{"index": {ids[j]}, "distance": {distances[j]}}}' for j in range(offsets[row], offsets[row + 1])
        )
        buf.append(f'{{"query": {line}, "matches": [{matches}]}}')
        if len(buf) >= 4096:
            out.write("\n".join(buf) + "\n")
            buf = []
    for line in error_lines[e:]:
        buf.append(json.dumps({"query": line, "matches": [], "error": errors[line]}))
    if buf:
        out.write("\n".join(buf) + "\n")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m aman.hashing", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_hash = sub.add_parser("hash", help="PDQ (images), MD5 and SHA-256 of files, one JSON line each")
    p_hash.add_argument("files", nargs="+", metavar="FILE")
    p_hash.add_argument("--keep-letterbox", action="store_true", help="hash black bars too (no removal)")
    p_hash.add_argument("--details", action="store_true", help="add low_quality, letterbox, pdq_uncropped")
    p_match = sub.add_parser("match", help="every bank hash within --max-distance of each query")
    p_match.add_argument("--bank", required=True, help="one hash per line: <64 hex> or 'pdq <64 hex>'")
    p_match.add_argument("--queries", required=True, help="same format as the bank")
    p_match.add_argument("--max-distance", type=int, default=DEFAULT_MAX_DISTANCE)
    p_match.add_argument("--threads", type=int, default=None, help="search threads (default: up to 2)")
    p_match.add_argument("--strict", action="store_true", help="exit 1 when any line was malformed")
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    args = build_parser().parse_args(argv)
    out = out or sys.stdout
    err = err or sys.stderr
    if args.command == "hash":
        return _cmd_hash(args, out, err)
    return _cmd_match(args, out, err)
