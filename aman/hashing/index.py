"""Exact Hamming-distance matching over PDQ hash banks: multi-index hashing, all in numpy.

Every bank hash within ``max_distance`` (31 by default) of a query is found; nothing is
approximate. How (see docs/hashing.md for the figures):

- The 256 bits are cut into m blocks of about ``log2(n) - 1`` bits (12 blocks of 21-22 bits at
  10 million hashes). Each block has a directory (bucket offsets, direct-addressed) and a posting
  list (the positions of the hashes, sorted by that block's value).
- Pigeonhole: if every block i has a radius t_i and ``sum(t_i + 1) > max_distance``, a hash
  within ``max_distance`` of the query is within t_i of it on at least one block. A query probes,
  in each block, every bucket within t_i of its own block value; the radii are chosen per query
  batch by a cost model (probes against candidates), so any ``max_distance`` is served exactly,
  by a brute-force scan when that is cheaper.
- Candidates are verified with XOR and popcount over uint64 words. A hash found through several
  blocks is kept only from the first block whose condition it meets, so nothing is reported twice
  and no sort is needed to deduplicate.
- Identical hashes are indexed once (one representative, the others listed beside it), so a hash
  submitted thousands of times does not make a hot bucket.
- Withdrawal: ``remove`` drops ids at once (they are never reported again) and overwrites the
  stored hash with zeros unless an identical live hash still needs it; ``compact`` rebuilds
  without them. Additions go to new segments; ``compact`` merges them.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import math
import os
import sys
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from pathlib import Path

import numpy as np
import numpy.typing as npt

from aman.hashing.codec import HashArray, as_hash_array, to_hex

HASH_BITS = 256
DEFAULT_MAX_DISTANCE = 31
MAX_BLOCK_BITS = 22
MIN_BLOCK_BITS = 8
# Cost model (nanoseconds on the reference machine), used only to pick radii and brute force.
_COST_PROBE = 15.0
_COST_CANDIDATE = 25.0
_COST_SCAN = 3.0
_CANDIDATE_BATCH = 1 << 18
_QUERY_CHUNK = 256
_KEY_CHUNK = 1 << 20
_COMPACT_POSTINGS_ABOVE = 1 << 22
_MAX_SEGMENTS = 8

IntArray = npt.NDArray[np.int64]
Found = tuple[IntArray, IntArray, npt.NDArray[np.uint16]]  # (query row, position or id, distance)

if hasattr(np, "bitwise_count"):

    def _popcount(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint8]:
        return np.bitwise_count(x)

else:  # numpy < 2.0
    _BYTE_COUNTS = np.array([bin(i).count("1") for i in range(256)], dtype=np.uint8)

    def _popcount(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint8]:
        counts = _BYTE_COUNTS[np.ascontiguousarray(x).view(np.uint8)].reshape(*x.shape, 8)
        return counts.sum(axis=-1, dtype=np.uint8)


def _distance_rows(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint16]:
    """Popcount of each row of an (n, 4) array of XORed hashes."""
    c = _popcount(x)
    return np.add(c[:, 0] + c[:, 1], c[:, 2] + c[:, 3], dtype=np.uint16)


def hamming_distances(hashes: HashArray, query: HashArray) -> npt.NDArray[np.uint16]:
    """Distance from one query (shape (4,) or (1, 4)) to every row of ``hashes``: brute force."""
    return _distance_rows(np.bitwise_xor(hashes, np.asarray(query, dtype=np.uint64).reshape(1, 4)))


@dataclass(frozen=True)
class Layout:
    """How the 256 bits are cut into blocks: bit offsets and widths, contiguous, covering all."""

    widths: tuple[int, ...]

    @property
    def starts(self) -> tuple[int, ...]:
        out, at = [], 0
        for w in self.widths:
            out.append(at)
            at += w
        return tuple(out)

    @classmethod
    def for_size(cls, n: int) -> Layout:
        bits = min(MAX_BLOCK_BITS, max(MIN_BLOCK_BITS, math.ceil(math.log2(max(n, 2))) - 1))
        m = math.ceil(HASH_BITS / bits)
        base, extra = divmod(HASH_BITS, m)
        return cls(tuple([base + 1] * extra + [base] * (m - extra)))


def _block_keys(hashes: HashArray, start: int, width: int) -> npt.NDArray[np.uint64]:
    """The value of one block (bits start..start+width of the 256) for every row."""
    word, off = divmod(start, 64)
    mask = np.uint64((1 << width) - 1)
    keys = hashes[:, word] >> np.uint64(off)
    if off + width > 64:
        keys |= hashes[:, word + 1] << np.uint64(64 - off)
    keys &= mask
    return keys


@lru_cache(maxsize=128)
def _ball(width: int, radius: int) -> npt.NDArray[np.uint64]:
    """Every width-bit XOR mask with at most ``radius`` bits set."""
    masks = [0]
    for r in range(1, radius + 1):
        masks.extend(sum(1 << b for b in bits) for bits in combinations(range(width), r))
    out = np.array(masks, dtype=np.uint64)
    out.setflags(write=False)
    return out


def _ball_size(width: int, radius: int) -> int:
    return sum(math.comb(width, r) for r in range(radius + 1)) if radius >= 0 else 0


@lru_cache(maxsize=256)
def choose_radii(
    widths: tuple[int, ...], n: int, max_distance: int, *, allow_scan: bool = True
) -> tuple[int, ...] | None:
    """Block radii (-1 = block not probed) with ``sum(r + 1) > max_distance`` at least cost.

    None when a brute-force scan is expected to be cheaper. The cost is convex in each radius,
    so raising, one step at a time, the radius whose next step costs least is optimal.
    """
    if max_distance < 0:
        raise ValueError("max_distance must be >= 0")
    radii = [-1] * len(widths)
    per_probe = [_COST_PROBE + _COST_CANDIDATE * n / (1 << w) for w in widths]
    cost = 0.0
    for _ in range(max_distance + 1):
        best, best_cost = -1, math.inf
        for i, w in enumerate(widths):
            if radii[i] >= w:
                continue
            step = (_ball_size(w, radii[i] + 1) - _ball_size(w, radii[i])) * per_probe[i]
            if step < best_cost:
                best, best_cost = i, step
        if best < 0:
            return None
        radii[best] += 1
        cost += best_cost
        if allow_scan and cost > n * _COST_SCAN + 2000:
            return None
    return tuple(radii)


def _trim_heap() -> None:
    """Hand freed heap memory back to the OS. glibc keeps freed blocks under its (adaptive) mmap
    threshold in the heap, which after a build's temporaries can hold 60 % more than the index."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):  # not glibc
            ctypes.CDLL(None).malloc_trim(0)


def _ragged_positions(starts: IntArray, counts: IntArray) -> IntArray:
    """Concatenation of ``arange(s, s + c)`` for each (s, c > 0): the candidates of every probe.

    One cumulative sum over steps of 1, with a jump where each run starts (faster than
    repeat + arange).
    """
    if not len(counts):
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(counts)
    steps = np.ones(int(ends[-1]), dtype=np.int64)
    steps[0] = starts[0]
    steps[ends[:-1]] = starts[1:] - (starts[:-1] + counts[:-1] - 1)
    return np.cumsum(steps, out=steps)


class _Segment:
    """An immutable multi-index over n hashes; only ``alive`` and scrubbing change after build."""

    def __init__(
        self,
        hashes: HashArray,
        id_base: int,
        ids: IntArray | None,
        *,
        arrays: dict[str, np.ndarray] | None = None,
    ) -> None:
        self.hashes = hashes
        self.n = len(hashes)
        self.id_base = id_base
        self.ids = ids  # sorted ascending, or None for id_base + position
        self._has_dups: npt.NDArray[np.bool_] | None = None  # built on first use
        self.layout = Layout.for_size(self.n)
        self.dirs: list[npt.NDArray[np.uint32]] = []
        self.post: list[npt.NDArray[np.uint32] | tuple[npt.NDArray[np.uint16], npt.NDArray[np.uint8]]] = []
        if arrays is not None:
            self._load_arrays(arrays)
            return
        self.alive = np.ones(self.n, dtype=bool)
        self._dedupe()
        self._build_postings()

    # --- build -----------------------------------------------------------------------------

    def _dedupe(self) -> None:
        """Find identical hashes: the first of each stays in the postings, the rest hang off it."""
        h = self.hashes
        empty = np.zeros(0, dtype=np.uint32)
        self.dup_rep, self.dup_off, self.dup_members = empty, np.zeros(1, dtype=np.int64), empty
        if self.n < 2:
            return
        fp = h[:, 0] * np.uint64(0x9E3779B97F4A7C15)
        fp ^= h[:, 1] * np.uint64(0xC2B2AE3D27D4EB4F)
        fp ^= h[:, 2] * np.uint64(0x165667B19E3779F9)
        fp ^= h[:, 3] * np.uint64(0xD6E8FEB86659FD93)
        order = np.argsort(fp, kind="stable")
        sfp = fp[order]
        del fp
        same_fp = sfp[1:] == sfp[:-1]
        del sfp
        if not same_fp.any():
            return
        idx = np.flatnonzero(same_fp) + 1
        run_first = np.where(np.concatenate(([True], ~same_fp)), np.arange(self.n), 0)
        np.maximum.accumulate(run_first, out=run_first)
        member = order[idx]
        rep = order[run_first[idx]]
        del run_first, order
        equal = (h[member] == h[rep]).all(axis=1)
        member, rep = member[equal], rep[equal]
        if not len(member):
            return
        by_rep = np.lexsort((member, rep))
        member, rep = member[by_rep], rep[by_rep]
        first = np.flatnonzero(np.concatenate(([True], rep[1:] != rep[:-1])))
        self.dup_rep = rep[first].astype(np.uint32)
        self.dup_off = np.append(first, len(rep)).astype(np.int64)
        self.dup_members = member.astype(np.uint32)

    def _rep_mask(self) -> npt.NDArray[np.bool_] | None:
        """Which positions are indexed in the postings (one per distinct hash); None when all are."""
        if not len(self.dup_members):
            return None
        keep = np.ones(self.n, dtype=bool)
        keep[self.dup_members] = False
        return keep

    def _build_postings(self) -> None:
        count = self.n - len(self.dup_members)
        mask = self._rep_mask()
        compact = _COMPACT_POSTINGS_ABOVE < count <= (1 << 24)
        trim = count >= 1 << 16
        for start, width in zip(self.layout.starts, self.layout.widths, strict=True):
            if trim:
                _trim_heap()
            self._build_block(mask, count, start, width, compact)
        if trim:
            _trim_heap()

    def _build_block(
        self, mask: npt.NDArray[np.bool_] | None, count: int, start: int, width: int, compact: bool
    ) -> None:
        """Directory and postings of one block: positions sorted by block value, then position.

        Sorted one part of the key range at a time (parts of the top key bits), so the sort
        needs a fraction of the (key, position) pairs in memory at once.
        """
        part_bits = min(width, 2 if count > _KEY_CHUNK else 0)
        shift = np.uint64(width - part_bits)
        directory = np.empty((1 << width) + 1, dtype=np.uint32)
        if compact:
            post: npt.NDArray[np.uint32] | tuple[npt.NDArray[np.uint16], npt.NDArray[np.uint8]] = (
                np.empty(count, dtype=np.uint16),
                np.empty(count, dtype=np.uint8),
            )
        else:
            post = np.empty(count, dtype=np.uint32)
        offset = 0
        for part in range(1 << part_bits):
            pieces = []
            for lo in range(0, self.n, _KEY_CHUNK):
                hi = min(self.n, lo + _KEY_CHUNK)
                keys = _block_keys(self.hashes[lo:hi], start, width)
                pos = np.arange(lo, hi, dtype=np.uint64)
                if mask is not None:
                    keys, pos = keys[mask[lo:hi]], pos[mask[lo:hi]]
                if part_bits:
                    sel = np.flatnonzero((keys >> shift) == np.uint64(part))
                    keys, pos = keys[sel], pos[sel]
                keys <<= np.uint64(32)
                keys |= pos
                pieces.append(keys)
            combined = np.concatenate(pieces) if len(pieces) > 1 else pieces[0]
            del pieces
            combined.sort()
            k0, k1 = part << (width - part_bits), (part + 1) << (width - part_bits)
            for n0 in range(k0, k1, _KEY_CHUNK):
                n1 = min(k1, n0 + _KEY_CHUNK)
                needles = np.arange(n0, n1, dtype=np.uint64) << np.uint64(32)
                directory[n0:n1] = np.searchsorted(combined, needles) + offset
            end = offset + len(combined)
            if isinstance(post, tuple):
                post[0][offset:end] = combined & np.uint64(0xFFFF)
                post[1][offset:end] = (combined >> np.uint64(16)) & np.uint64(0xFF)
            else:
                post[offset:end] = combined & np.uint64(0xFFFFFFFF)
            offset = end
            del combined
        directory[-1] = count
        self.dirs.append(directory)
        self.post.append(post)

    # --- persistence -------------------------------------------------------------------------

    def arrays(self) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {
            "hashes": self.hashes,
            "alive": self.alive,
            "dup_rep": self.dup_rep,
            "dup_off": self.dup_off,
            "dup_members": self.dup_members,
        }
        if self.ids is not None:
            out["ids"] = self.ids
        for i, (d, p) in enumerate(zip(self.dirs, self.post, strict=True)):
            out[f"dir{i}"] = d
            if isinstance(p, tuple):
                out[f"post{i}_lo"], out[f"post{i}_hi"] = p
            else:
                out[f"post{i}"] = p
        return out

    def _load_arrays(self, a: dict[str, np.ndarray]) -> None:
        self.alive = np.array(a["alive"], dtype=bool)
        self.dup_rep, self.dup_off, self.dup_members = a["dup_rep"], a["dup_off"], a["dup_members"]
        for i in range(len(self.layout.widths)):
            self.dirs.append(a[f"dir{i}"])
            self.post.append((a[f"post{i}_lo"], a[f"post{i}_hi"]) if f"post{i}_lo" in a else a[f"post{i}"])

    def nbytes(self) -> int:
        total = sum(int(x.nbytes) for x in self.arrays().values() if isinstance(x, np.ndarray))
        for p in self.post:
            if isinstance(p, tuple):
                total += int(p[0].nbytes + p[1].nbytes)
        return total

    # --- ids ---------------------------------------------------------------------------------

    def ids_of(self, positions: IntArray) -> IntArray:
        if self.ids is None:
            return positions.astype(np.int64) + self.id_base
        return self.ids[positions].astype(np.int64)

    def positions_of(self, ids: IntArray) -> IntArray:
        """Positions of the given ids that live in this segment (others are ignored)."""
        if self.ids is None:
            pos = ids - self.id_base
            return pos[(pos >= 0) & (pos < self.n)]
        k = np.searchsorted(self.ids, ids)
        ok = k < self.n
        k, sel = k[ok], ids[ok]
        return k[self.ids[k] == sel]

    # --- withdrawal --------------------------------------------------------------------------

    def remove(self, positions: IntArray) -> int:
        positions = np.unique(positions)
        positions = positions[self.alive[positions]]
        if not len(positions):
            return 0
        self.alive[positions] = False
        scrub = positions
        if len(self.dup_rep):
            # Identical hashes share one indexed copy (the representative's): keep its bits while
            # any of them is live; a removed non-representative copy is never read, scrub it.
            group = np.repeat(np.arange(len(self.dup_rep)), np.diff(self.dup_off))
            order = np.argsort(self.dup_members, kind="stable")
            k = np.minimum(np.searchsorted(self.dup_members[order], positions), len(order) - 1)
            as_member = self.dup_members[order][k] == positions
            k_rep = np.minimum(np.searchsorted(self.dup_rep, positions), len(self.dup_rep) - 1)
            as_rep = self.dup_rep[k_rep] == positions
            groups = np.union1d(group[order][k][as_member], k_rep[as_rep])
            scrub = positions[~as_rep]
            dead = [
                int(self.dup_rep[g])
                for g in groups
                if not self.alive[self.dup_rep[g]]
                and not self.alive[self.dup_members[self.dup_off[g] : self.dup_off[g + 1]]].any()
            ]
            scrub = np.union1d(scrub, np.array(dead, dtype=np.int64))
        if self.hashes.flags.writeable:
            self.hashes[scrub] = 0
        return len(positions)

    # --- search ------------------------------------------------------------------------------

    def _postings(self, block: int, positions: IntArray) -> IntArray:
        p = self.post[block]
        if isinstance(p, tuple):
            lo, hi = p
            out = hi[positions].astype(np.int64)
            out <<= 16
            out |= lo[positions]
            return out
        return p[positions].astype(np.int64)

    def search(self, queries: HashArray, max_distance: int, strategy: str = "auto") -> Found:
        """(query row, bank id, distance) for every live hash within max_distance of a query."""
        live = int(self.alive.sum()) if self.n else 0
        radii = None
        if live and strategy != "scan":
            radii = choose_radii(self.layout.widths, self.n, max_distance, allow_scan=strategy == "auto")
        if not live or not len(queries):
            e = np.zeros(0, dtype=np.int64)
            return e, e, np.zeros(0, dtype=np.uint16)
        if radii is None:
            q, pos, dist = self._scan(queries, max_distance)
        else:
            q, pos, dist = self._probe(queries, max_distance, radii)
            q, pos, dist = self._expand_duplicates(q, pos, dist)
        ok = self.alive[pos]
        return q[ok], self.ids_of(pos[ok]), dist[ok]

    def _scan(self, queries: HashArray, max_distance: int) -> Found:
        """Brute force over every stored row (duplicates included), in slices of _KEY_CHUNK rows."""
        out_q, out_p, out_d = [], [], []
        for qi, query in enumerate(queries):
            for lo in range(0, self.n, _KEY_CHUNK):
                d = hamming_distances(self.hashes[lo : lo + _KEY_CHUNK], query)
                hit = np.flatnonzero(d <= max_distance)
                out_q.append(np.full(len(hit), qi, dtype=np.int64))
                out_p.append(hit + lo)
                out_d.append(d[hit])
        q, pos, dist = np.concatenate(out_q), np.concatenate(out_p).astype(np.int64), np.concatenate(out_d)
        order = np.lexsort((pos, dist, q))
        return q[order], pos[order], dist[order]

    def _probe(self, queries: HashArray, max_distance: int, radii: tuple[int, ...]) -> Found:
        starts, widths = self.layout.starts, self.layout.widths
        # each hash as two 16-byte halves: element 2i is words 0-1 of row i, 2i + 1 words 2-3
        halves = self.hashes.view(np.dtype((np.void, 16))).reshape(-1)
        qhalves = np.ascontiguousarray(queries).view(np.dtype((np.void, 16))).reshape(-1, 2)
        q_first, q_second = np.ascontiguousarray(qhalves[:, 0]), np.ascontiguousarray(qhalves[:, 1])
        qkeys = [_block_keys(queries, s, w) for s, w in zip(starts, widths, strict=True)]
        found: list[npt.NDArray[np.uint64]] = []
        nq = len(queries)
        if nq > 256:
            raise ValueError("search a segment with at most 256 queries at a time")
        for b, radius in enumerate(radii):
            if radius < 0:
                continue
            masks = _ball(widths[b], radius)
            probes = (qkeys[b][:, None] ^ masks[None, :]).astype(np.int64)
            directory = self.dirs[b]
            lo = directory.take(probes, mode="clip").astype(np.int64)
            probes += 1
            counts = directory.take(probes, mode="clip").astype(np.int64)
            del probes
            counts -= lo
            # split the queries so that no batch verifies more than _CANDIDATE_BATCH candidates
            cum = np.cumsum(counts.sum(axis=1))
            cuts = np.searchsorted(cum, np.arange(_CANDIDATE_BATCH, int(cum[-1]), _CANDIDATE_BATCH), side="right")
            bounds = np.unique(np.concatenate(([0], cuts, [nq])))
            for a, z in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
                c = counts[a:z].ravel()
                nz = np.flatnonzero(c)
                if not len(nz):
                    continue
                c = c[nz]
                per_query = counts[a:z].sum(axis=1)
                positions = _ragged_positions(lo[a:z].ravel()[nz], c)
                entries = self._postings(b, positions)
                del positions
                # first half (128 bits): almost every non-match is already too far
                x = halves.take(entries * 2, mode="clip").view(np.uint64).reshape(-1, 2)
                x ^= np.repeat(q_first[a:z], per_query).view(np.uint64).reshape(-1, 2)
                c2 = _popcount(x)
                d_first = np.add(c2[:, 0], c2[:, 1], dtype=np.uint16)
                near = np.flatnonzero(d_first <= max_distance)
                del x, c2
                if not len(near):
                    continue
                near_per_query = np.diff(np.searchsorted(near, np.cumsum(per_query)), prepend=0)
                qrow = np.repeat(np.arange(a, z, dtype=np.int64), near_per_query)
                entries = entries[near]
                x = halves.take(entries * 2 + 1, mode="clip").view(np.uint64).reshape(-1, 2)
                x ^= q_second.take(qrow, mode="clip").view(np.uint64).reshape(-1, 2)
                c2 = _popcount(x)
                dist = d_first[near]
                dist += c2[:, 0]
                dist += c2[:, 1]
                hit = np.flatnonzero(dist <= max_distance)
                if not len(hit):
                    continue
                qrow = qrow[hit]
                # (query, distance, entry) packed in one sortable word: 9 + 9 + 32 bits
                key = qrow.astype(np.uint64) << np.uint64(41)
                key |= dist[hit].astype(np.uint64) << np.uint64(32)
                key |= entries[hit].astype(np.uint64)
                found.append(key)
        if not found:
            e = np.zeros(0, dtype=np.int64)
            return e, e, np.zeros(0, dtype=np.uint16)
        # A hash near the query on several blocks was found once per block: keep it once.
        keys = np.concatenate(found) if len(found) > 1 else found[0]
        keys.sort()
        if len(keys) > 1:
            keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
        return (
            (keys >> np.uint64(41)).astype(np.int64),
            (keys & np.uint64(0xFFFFFFFF)).astype(np.int64),
            ((keys >> np.uint64(32)) & np.uint64(0x1FF)).astype(np.uint16),
        )

    def _expand_duplicates(
        self, q: IntArray, pos: IntArray, dist: npt.NDArray[np.uint16]
    ) -> tuple[IntArray, IntArray, npt.NDArray[np.uint16]]:
        if not len(self.dup_rep) or not len(pos):
            return q, pos, dist
        if self._has_dups is None:
            flags = np.zeros(self.n, dtype=bool)
            flags[self.dup_rep] = True
            self._has_dups = flags
        has = np.flatnonzero(self._has_dups[pos])
        if not len(has):
            return q, pos, dist
        g = np.searchsorted(self.dup_rep, pos[has])
        c = self.dup_off[g + 1] - self.dup_off[g]
        members = self.dup_members[_ragged_positions(self.dup_off[g], c)].astype(np.int64)
        return (
            np.concatenate([q, np.repeat(q[has], c)]),
            np.concatenate([pos, members]),
            np.concatenate([dist, np.repeat(dist[has], c)]),
        )


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
        return sum(seg.remove(seg.positions_of(wanted)) for seg in self._segments)

    def compact(self) -> None:
        """Rebuild as one segment holding only live hashes (ids kept)."""
        hashes, ids = self.export()
        self._segments = []
        if len(hashes):
            contiguous = int(ids[-1] - ids[0]) == len(ids) - 1
            self._segments.append(_Segment(hashes, int(ids[0]), None if contiguous else ids))

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
