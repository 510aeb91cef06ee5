"""Synthetic hash banks for tests and benchmarks: uniformly random, and clustered like real banks.

Real banks are clustered: the same picture is reported many times, re-encoded, resized or
cropped a little, so many hashes sit within a few bits of a few thousand originals. Nothing here
comes from real images.
"""

from __future__ import annotations

import numpy as np

from aman.hashing.codec import HashArray


def random_hashes(n: int, *, seed: int = 0) -> HashArray:
    """n uniformly random 256-bit hashes."""
    rng = np.random.default_rng(seed)
    return rng.integers(0, np.iinfo(np.uint64).max, size=(n, 4), dtype=np.uint64, endpoint=True)


def flip_bits(hashes: HashArray, flips: np.ndarray, *, seed: int = 0) -> HashArray:
    """A copy of each row with ``flips[i]`` distinct random bits flipped (exact distance flips[i])."""
    rng = np.random.default_rng(seed)
    out = np.array(hashes, dtype=np.uint64, copy=True)
    flips = np.asarray(flips, dtype=np.int64)
    if len(out) == 0:
        return out
    # Distinct bits per row: rank 256 random keys per row and take the first k.
    # Done in blocks of rows so memory stays small.
    step = 65536
    for lo in range(0, len(out), step):
        hi = min(len(out), lo + step)
        k = flips[lo:hi]
        kmax = int(k.max()) if len(k) else 0
        if kmax == 0:
            continue
        bits = (
            np.argpartition(rng.random((hi - lo, 256)), kmax - 1, axis=1)[:, :kmax]
            if kmax < 256
            else np.tile(np.arange(256), (hi - lo, 1))
        )
        use = np.arange(kmax)[None, :] < k[:, None]
        rows = np.broadcast_to(np.arange(lo, hi)[:, None], bits.shape)[use]
        b = bits[use]
        masks = np.zeros((hi - lo, 4), dtype=np.uint64)
        np.bitwise_or.at(masks, (rows - lo, b // 64), np.left_shift(np.uint64(1), (b % 64).astype(np.uint64)))
        out[lo:hi] ^= masks
    return out


def clustered_hashes(
    n: int, *, seeds: int = 5000, max_flips: int = 24, seed: int = 0
) -> tuple[HashArray, HashArray, np.ndarray]:
    """n near-duplicates of ``seeds`` random originals, each 0..max_flips bits away from its own.

    Returns (bank, originals, which original each bank row came from).
    """
    rng = np.random.default_rng(seed)
    originals = random_hashes(seeds, seed=seed + 1)
    which = rng.integers(0, seeds, size=n)
    flips = rng.integers(0, max_flips + 1, size=n)
    return flip_bits(originals[which], flips, seed=seed + 2), originals, which
