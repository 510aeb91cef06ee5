"""The multi-index behind HashIndex: one immutable segment of hashes, searched exactly.

Every bank hash within ``max_distance`` of a query is found; nothing is approximate:

- The 256 bits are cut into m blocks of about ``log2(n) - 1`` bits (12 blocks of 21-22 bits at
  10 million hashes). Each block has a directory (bucket offsets, direct-addressed) and a posting
  list (the positions of the hashes, sorted by that block's value).
- Pigeonhole: if every block i has a radius t_i and ``sum(t_i + 1) > max_distance``, a hash
  within ``max_distance`` of the query is within t_i of it on at least one block. A query probes,
  in each block, every bucket within t_i of its own block value; the radii are chosen by a cost
  model (probes against candidates), so any ``max_distance`` is served exactly, by a brute-force
  scan when that is cheaper.
- Candidates are verified with XOR and popcount over uint64 words, the first 128 bits first. A
  hash near the query on several blocks is kept only from the first block whose radius it meets.
- Identical hashes are indexed once (one representative, the others listed beside it), so a hash
  submitted thousands of times does not make a hot bucket.
- Withdrawal: ``remove`` drops positions at once and overwrites the stored hash with zeros unless
  an identical live hash still needs it.
"""

from __future__ import annotations

import contextlib
import ctypes
import math
import sys
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import numpy as np
import numpy.typing as npt

from aman.hashing.codec import HashArray

HASH_BITS = 256
DEFAULT_MAX_DISTANCE = 31
MAX_BLOCK_BITS = 22
MIN_BLOCK_BITS = 8
# Cost model (nanoseconds on the reference machine), used only to pick radii and brute force.
_COST_PROBE = 15.0
_COST_CANDIDATE = 25.0
_COST_SCAN = 3.0
_CANDIDATE_BATCH = 1 << 18
_KEY_CHUNK = 1 << 20
_COMPACT_POSTINGS_ABOVE = 1 << 22

IntArray = npt.NDArray[np.int64]
_HALF = np.dtype((np.void, 16))  # 128 bits: two words of a hash, moved as one item
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
        if self.n:
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
            counts = np.bincount((combined >> np.uint64(32)).astype(np.int64) - k0, minlength=k1 - k0)
            starts = np.cumsum(counts)
            starts -= counts
            starts += offset
            directory[k0:k1] = starts
            del counts, starts
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
        """Bytes held by the segment's arrays (the hashes included)."""
        return sum(int(x.nbytes) for x in self.arrays().values())

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
        halves = self.hashes.view(_HALF).reshape(-1)
        qhalves = np.ascontiguousarray(queries).view(_HALF).reshape(-1, 2)
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
                del c2
                if not len(near):
                    continue
                x_near = x.view(_HALF).reshape(-1)[near].view(np.uint64).reshape(-1, 2)
                del x
                # A hash within radius on an earlier block is (or will be) found through that
                # block: drop it here. First the earlier blocks that lie in the first half.
                again = self._found_earlier(x_near, b, radii, first_half=True)
                if again is not None:
                    keep = np.flatnonzero(~again)
                    near = near[keep]
                    x_near = x_near.view(_HALF).reshape(-1)[keep].view(np.uint64).reshape(-1, 2)
                    if not len(near):
                        continue
                near_per_query = np.diff(np.searchsorted(near, np.cumsum(per_query)), prepend=0)
                qrow = np.repeat(np.arange(a, z, dtype=np.int64), near_per_query)
                entries = entries[near]
                x4 = np.empty((len(near), 4), dtype=np.uint64)
                x4[:, :2] = x_near
                x4[:, 2:] = halves.take(entries * 2 + 1, mode="clip").view(np.uint64).reshape(-1, 2)
                x4[:, 2:] ^= q_second.take(qrow, mode="clip").view(np.uint64).reshape(-1, 2)
                c2 = _popcount(x4[:, 2:])
                dist = d_first[near]
                dist += c2[:, 0]
                dist += c2[:, 1]
                ok = dist <= max_distance
                again = self._found_earlier(x4, b, radii, first_half=False)
                if again is not None:
                    ok &= ~again
                hit = np.flatnonzero(ok)
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

    def _found_earlier(
        self, x: npt.NDArray[np.uint64], block: int, radii: tuple[int, ...], *, first_half: bool
    ) -> npt.NDArray[np.bool_] | None:
        """Which XORed candidates are within radius on a probed block before ``block``.

        With ``first_half`` only blocks inside bits 0-127 (x may hold just those two words);
        otherwise only the blocks that reach into bits 128-255.
        """
        out: npt.NDArray[np.bool_] | None = None
        for e in range(block):
            start, width = self.layout.starts[e], self.layout.widths[e]
            if radii[e] < 0 or (start + width <= 128) != first_half:
                continue
            within = _popcount(_block_keys(x, start, width)) <= radii[e]
            out = within if out is None else out | within
        return out

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
