"""Exact matching over PDQ hash banks: the HashIndex the app and the CLI use.

A HashIndex holds segments (aman/hashing/multiindex.py): the bank as built, then one segment per
``add``; ``compact`` merges them into one. See docs/hashing.md.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from aman.hashing.codec import HashArray, as_hash_array, to_hex
from aman.hashing.multiindex import (
    DEFAULT_MAX_DISTANCE,
    HASH_BITS,
    IntArray,
    Layout,
    _Segment,
    choose_radii,
    hamming_distances,
)

__all__ = [
    "DEFAULT_MAX_DISTANCE",
    "HASH_BITS",
    "HashIndex",
    "Layout",
    "Match",
    "SearchResult",
    "brute_force",
    "choose_radii",
    "hamming_distances",
]

_QUERY_CHUNK = 256
_MAX_SEGMENTS = 8
_REBUILD_DEAD_FRACTION = 0.25


@dataclass(frozen=True)
class Match:
    """One bank hash near a query."""

    id: int
    distance: int


@dataclass
class SearchResult:
    """Flat, sorted arrays: for each match, the query row, the bank id and the distance.

    Sorted by query, then distance, then id. ``for_query(i)`` gives one query's matches.
    """

    query: IntArray
    id: IntArray
    distance: npt.NDArray[np.uint16]
    num_queries: int

    def __len__(self) -> int:
        return len(self.query)

    def offsets(self) -> IntArray:
        return np.searchsorted(self.query, np.arange(self.num_queries + 1))

    def for_query(self, row: int) -> list[Match]:
        a, z = np.searchsorted(self.query, [row, row + 1])
        return [Match(int(i), int(d)) for i, d in zip(self.id[a:z], self.distance[a:z], strict=True)]

    def as_lists(self) -> list[list[Match]]:
        off = self.offsets()
        ids, dist = self.id.tolist(), self.distance.tolist()
        return [[Match(ids[j], dist[j]) for j in range(off[i], off[i + 1])] for i in range(self.num_queries)]


class HashIndex:
    """An exact PDQ matching index: build, search, add, remove (withdraw), compact, save, load.

    Ids are non-negative integers chosen by the caller (a bank's primary keys, or line numbers),
    or given in order from 0 when omitted. Not safe for concurrent writes; searches may run in
    parallel with each other (numpy releases the GIL; ``threads`` workers split a batch).
    """

    def __init__(
        self, *, max_distance: int = DEFAULT_MAX_DISTANCE, threads: int | None = None, strategy: str = "auto"
    ) -> None:
        if max_distance < 0 or max_distance > HASH_BITS:
            raise ValueError("max_distance must be between 0 and 256")
        if strategy not in ("auto", "probe", "scan"):
            raise ValueError("strategy is 'auto', 'probe' (always the multi-index) or 'scan' (brute force)")
        self.strategy = strategy
        self.max_distance = max_distance
        self.threads = threads if threads is not None else min(2, os.cpu_count() or 1)
        self._segments: list[_Segment] = []
        self._next_id = 0

    # --- building and changing ------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        hashes: HashArray | Iterable[str],
        *,
        ids: Iterable[int] | npt.NDArray[np.integer] | None = None,
        max_distance: int = DEFAULT_MAX_DISTANCE,
        threads: int | None = None,
        strategy: str = "auto",
    ) -> HashIndex:
        """Index a bank. An (N, 4) uint64 array is used in place (not copied) when contiguous.

        ``strategy``: "auto" picks, per segment and query batch, the multi-index or a scan by
        estimated cost; "probe" always uses the multi-index, "scan" always scans (for tests).
        """
        index = cls(max_distance=max_distance, threads=threads, strategy=strategy)
        index.add(hashes, ids=ids)
        return index

    def add(
        self,
        hashes: HashArray | Iterable[str],
        *,
        ids: Iterable[int] | npt.NDArray[np.integer] | None = None,
    ) -> IntArray:
        """Add hashes (a new segment); returns their ids. Ids must be new and non-negative."""
        arr = as_hash_array(hashes)
        n = len(arr)
        if ids is None:
            segment = _Segment(arr, self._next_id, None) if n else None
            new_ids = np.arange(self._next_id, self._next_id + n, dtype=np.int64)
        else:
            new_ids = np.asarray(list(ids) if not isinstance(ids, np.ndarray) else ids, dtype=np.int64)
            if len(new_ids) != n:
                raise ValueError(f"{n} hashes but {len(new_ids)} ids")
            if n and new_ids.min() < 0:
                raise ValueError("ids must be non-negative")
            if n > 1 and not (np.diff(new_ids) > 0).all():
                order = np.argsort(new_ids, kind="stable")
                new_ids, arr = new_ids[order], arr[order]
                if (np.diff(new_ids) == 0).any():
                    raise ValueError("ids must be unique")
            if n and self.contains(new_ids).any():
                raise ValueError("some ids are already in the index")
            contiguous = n > 0 and int(new_ids[-1] - new_ids[0]) == n - 1
            segment = (_Segment(arr, int(new_ids[0]), None if contiguous else new_ids)) if n else None
        if segment is not None:
            self._segments.append(segment)
            self._next_id = max(self._next_id, int(new_ids.max()) + 1)
        if len(self._segments) > _MAX_SEGMENTS:
            self._merge_small()
        return new_ids

    def remove(self, ids: Iterable[int] | npt.NDArray[np.integer]) -> int:
        """Withdraw hashes by id: never reported again, their stored bits overwritten. Returns how many."""
        wanted = np.unique(np.asarray(list(ids) if not isinstance(ids, np.ndarray) else ids, dtype=np.int64))
        removed = sum(seg.remove(seg.positions_of(wanted)) for seg in self._segments)
        # a segment that has lost more than a quarter of its hashes is rebuilt from the rest
        for i, seg in enumerate(self._segments):
            if removed and int(seg.alive.sum()) < seg.n * (1 - _REBUILD_DEAD_FRACTION):
                self._segments[i] = _rebuilt(seg)
        self._segments = [s for s in self._segments if s.n]
        return removed

    def compact(self) -> None:
        """Rebuild as one segment holding only live hashes (ids kept)."""
        merged = _new_segment(*self.export())
        self._segments = [merged] if merged.n else []

    def _merge_small(self) -> None:
        largest = max(range(len(self._segments)), key=lambda i: self._segments[i].n)
        keep = self._segments[largest]
        rest = [s for i, s in enumerate(self._segments) if i != largest]
        hashes, ids = _live(rest)
        self._segments = [keep]
        if len(hashes):
            self._segments.append(_Segment(hashes, int(ids[0]), ids))

    def export(self) -> tuple[HashArray, IntArray]:
        """The live hashes and their ids, sorted by id."""
        return _live(self._segments)

    # --- reading --------------------------------------------------------------------------------

    def __len__(self) -> int:
        return sum(int(s.alive.sum()) for s in self._segments)

    def contains(self, ids: npt.NDArray[np.integer] | Sequence[int]) -> npt.NDArray[np.bool_]:
        """Whether each id is live in the index."""
        wanted = np.asarray(ids, dtype=np.int64)
        out = np.zeros(len(wanted), dtype=bool)
        for seg in self._segments:
            if seg.ids is None:
                pos = wanted - seg.id_base
                ok = (pos >= 0) & (pos < seg.n)
                out[ok] |= seg.alive[pos[ok]]
            else:
                k = np.minimum(np.searchsorted(seg.ids, wanted), seg.n - 1)
                ok = seg.ids[k] == wanted
                out[ok] |= seg.alive[k[ok]]
        return out

    def get_hash(self, id_: int) -> str:
        """The hex hash stored under a live id; KeyError when absent or withdrawn."""
        for seg in self._segments:
            pos = seg.positions_of(np.array([id_], dtype=np.int64))
            if len(pos) and seg.alive[pos[0]]:
                return to_hex(seg.hashes[pos[:1]])[0]
        raise KeyError(id_)

    def stats(self) -> dict[str, int]:
        return {
            "hashes": len(self),
            "segments": len(self._segments),
            "distinct_indexed": sum(s.n - len(s.dup_members) for s in self._segments),
            "bytes": sum(s.nbytes() for s in self._segments),
        }

    def search(
        self,
        queries: HashArray | Iterable[str],
        *,
        max_distance: int | None = None,
    ) -> SearchResult:
        """Every live hash within max_distance (default: the index's) of each query, exactly."""
        q = as_hash_array(queries)
        tau = self.max_distance if max_distance is None else max_distance
        if tau < 0 or tau > HASH_BITS:
            raise ValueError("max_distance must be between 0 and 256")
        chunks = [(a, min(len(q), a + _QUERY_CHUNK)) for a in range(0, len(q), _QUERY_CHUNK)]

        def run(bounds: tuple[int, int]) -> tuple[IntArray, IntArray, npt.NDArray[np.uint16]]:
            a, z = bounds
            parts = [seg.search(q[a:z], tau, self.strategy) for seg in self._segments]
            parts = [p for p in parts if len(p[0])]
            if not parts:
                e = np.zeros(0, dtype=np.int64)
                return e, e, np.zeros(0, dtype=np.uint16)
            qq = np.concatenate([p[0] for p in parts])
            ii = np.concatenate([p[1] for p in parts])
            dd = np.concatenate([p[2] for p in parts])
            if len(parts) > 1 or self._segments_have_duplicates:
                order = _order(qq, dd, ii)
                qq, ii, dd = qq[order], ii[order], dd[order]
            return qq + a, ii, dd

        if self.threads > 1 and len(chunks) > 1:
            with ThreadPoolExecutor(self.threads) as pool:
                results = list(pool.map(run, chunks))
        else:
            results = [run(c) for c in chunks]
        if results:
            qq = np.concatenate([r[0] for r in results])
            ii = np.concatenate([r[1] for r in results])
            dd = np.concatenate([r[2] for r in results])
        else:
            qq = ii = np.zeros(0, dtype=np.int64)
            dd = np.zeros(0, dtype=np.uint16)
        return SearchResult(qq, ii, dd, len(q))

    @property
    def _segments_have_duplicates(self) -> bool:
        return any(len(s.dup_rep) for s in self._segments)

    def match_any(self, queries: Sequence[str] | HashArray, *, max_distance: int | None = None) -> list[Match]:
        """Bank hashes near any of several hashes of one picture (its 8 dihedral variants, and
        the uncropped hash when letterbox bars were cut): each id once, at its best distance."""
        found = self.search(queries, max_distance=max_distance)
        best: dict[int, int] = {}
        for i, d in zip(found.id.tolist(), found.distance.tolist(), strict=True):
            if d < best.get(i, HASH_BITS + 1):
                best[i] = d
        return [Match(i, d) for i, d in sorted(best.items(), key=lambda item: (item[1], item[0]))]

    def match(self, query: str, *, max_distance: int | None = None) -> list[Match]:
        """Matches for one hex hash, nearest first."""
        return self.search([query], max_distance=max_distance).for_query(0)

    # --- persistence ----------------------------------------------------------------------------

    def save(self, directory: str | Path) -> None:
        """Write the index as .npy files and a JSON manifest (no pickle)."""
        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        manifest = {"version": 1, "max_distance": self.max_distance, "next_id": self._next_id, "segments": []}
        for i, seg in enumerate(self._segments):
            names = []
            for name, arr in seg.arrays().items():
                np.save(path / f"s{i}_{name}.npy", arr, allow_pickle=False)
                names.append(name)
            manifest["segments"].append({"n": seg.n, "id_base": seg.id_base, "arrays": names})  # type: ignore[attr-defined]
        (path / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")

    @classmethod
    def load(cls, directory: str | Path, *, mmap: bool = False, threads: int | None = None) -> HashIndex:
        """Read an index written by ``save``; with mmap the arrays are mapped copy-on-write."""
        path = Path(directory)
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("version") != 1:
            raise ValueError("unknown index format")
        index = cls(max_distance=int(manifest["max_distance"]), threads=threads)
        index._next_id = int(manifest["next_id"])
        for i, meta in enumerate(manifest["segments"]):
            arrays = {
                name: np.load(path / f"s{i}_{name}.npy", mmap_mode="c" if mmap else None, allow_pickle=False)
                for name in meta["arrays"]
            }
            hashes = arrays.pop("hashes")
            index._segments.append(_Segment(hashes, int(meta["id_base"]), arrays.pop("ids", None), arrays=arrays))
        return index


def _order(q: IntArray, d: npt.NDArray[np.uint16], ids: IntArray) -> IntArray:
    """Sort order by (query, distance, id); one packed-key sort when the values fit 64 bits."""
    if not len(q):
        return np.zeros(0, dtype=np.int64)
    if int(q.max()) < (1 << 9) and int(ids.max()) < (1 << 46):
        key = q.astype(np.uint64) << np.uint64(55)
        key |= d.astype(np.uint64) << np.uint64(46)
        key |= ids.astype(np.uint64)
        return np.argsort(key)
    return np.lexsort((ids, d, q))


def _new_segment(hashes: HashArray, ids: IntArray) -> _Segment:
    """A segment over hashes sorted by id; ids stored only when they are not a plain range."""
    if not len(hashes):
        return _Segment(hashes, 0, None)
    contiguous = int(ids[-1] - ids[0]) == len(ids) - 1
    return _Segment(hashes, int(ids[0]), None if contiguous else ids)


def _rebuilt(segment: _Segment) -> _Segment:
    return _new_segment(*_live([segment]))


def _live(segments: Sequence[_Segment]) -> tuple[HashArray, IntArray]:
    hashes, ids = [], []
    for seg in segments:
        pos = np.flatnonzero(seg.alive)
        hashes.append(seg.hashes[pos])
        ids.append(seg.ids_of(pos))
    if not hashes:
        return np.zeros((0, 4), dtype=np.uint64), np.zeros(0, dtype=np.int64)
    h, i = np.concatenate(hashes), np.concatenate(ids)
    order = np.argsort(i, kind="stable")
    return np.ascontiguousarray(h[order]), i[order]


def brute_force(bank: HashArray, queries: HashArray, max_distance: int) -> SearchResult:
    """Reference search by scanning every hash: ids are bank rows. For tests and small banks."""
    out_q, out_i, out_d = [], [], []
    for qi, query in enumerate(np.asarray(queries, dtype=np.uint64)):
        d = hamming_distances(bank, query)
        hit = np.flatnonzero(d <= max_distance)
        out_q.append(np.full(len(hit), qi, dtype=np.int64))
        out_i.append(hit.astype(np.int64))
        out_d.append(d[hit])
    if not out_q:
        e = np.zeros(0, dtype=np.int64)
        return SearchResult(e, e, np.zeros(0, dtype=np.uint16), 0)
    qq, ii, dd = np.concatenate(out_q), np.concatenate(out_i), np.concatenate(out_d)
    order = np.lexsort((ii, dd, qq))
    return SearchResult(qq[order], ii[order], dd[order], len(queries))
