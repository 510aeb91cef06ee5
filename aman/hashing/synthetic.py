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
    if len(out) == 0 or int(flips.max()) == 0:
        return out
    if flips.min() < 0 or flips.max() > 256:
        raise ValueError("flips must be between 0 and 256")
    step = 1 << 16
    for lo in range(0, len(out), step):
        hi = min(len(out), lo + step)
        k = flips[lo:hi]
        kmax = int(k.max())
        if kmax == 0:
            continue
        rows = np.arange(hi - lo)
        # partial Fisher-Yates shuffle of 0..255 per row: the first kmax entries are distinct bits
        perm = np.tile(np.arange(256, dtype=np.int64), (hi - lo, 1))
        for j in range(kmax):
            r = j + (rng.random(hi - lo) * (256 - j)).astype(np.int64)
            a, b = perm[rows, j].copy(), perm[rows, r]
            perm[rows, j], perm[rows, r] = b, a
        bits = perm[:, :kmax]
        use = np.arange(kmax)[None, :] < k[:, None]
        ones = np.left_shift(np.uint64(1), (bits % 64).astype(np.uint64))
        for w in range(4):
            out[lo:hi, w] ^= np.where(use & (bits // 64 == w), ones, np.uint64(0)).sum(axis=1, dtype=np.uint64)
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
