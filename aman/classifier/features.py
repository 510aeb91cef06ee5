"""Feature hashing over character and word n-grams, vectorised with numpy. No Django import.

A batch of prepared texts becomes a sparse matrix in CSR form (``indptr``, ``indices``,
``data``): character n-grams of each text (padded with a space at both ends, n from
``char_min`` to ``char_max``) and word unigrams and bigrams, hashed into ``2**bits`` buckets,
weighted by ``1 + log(count)``, optionally by an inverse-document-frequency vector, and
L2-normalised per text. The same function serves training and inference, so the two can never
drift apart; the hash is a fixed polynomial with a splitmix64 finaliser, stable across Python
processes and platforms (Python's own ``hash`` is salted per process and is not used).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

_P = np.uint64(1_000_003)
_P_WORD = np.uint64(0x100000001B3)
_C1 = np.uint64(0xBF58476D1CE4E5B9)
_C2 = np.uint64(0x94D049BB133111EB)
_WORD_SEED = np.uint64(0x5851F42D4C957F2D)
_BIGRAM_SEED = np.uint64(0x14057B7EF767814F)
_MAX_WORD_CACHE = 500_000


@dataclass(frozen=True)
class HashingConfig:
    bits: int = 20
    char_min: int = 2
    char_max: int = 5
    words: bool = True
    word_bigrams: bool = True

    @property
    def n_features(self) -> int:
        return 1 << self.bits

    def to_json(self) -> dict:
        return {
            "bits": self.bits,
            "char_min": self.char_min,
            "char_max": self.char_max,
            "words": self.words,
            "word_bigrams": self.word_bigrams,
        }

    @classmethod
    def from_json(cls, data: dict) -> HashingConfig:
        return cls(**{k: data[k] for k in ("bits", "char_min", "char_max", "words", "word_bigrams")})


@dataclass
class Csr:
    """A sparse batch: rows are texts, columns hash buckets."""

    indptr: np.ndarray  # int64, n_rows + 1
    indices: np.ndarray  # int64 bucket of each stored value
    data: np.ndarray  # float32 weights
    n_rows: int


def _mix(x: np.ndarray, seed: np.uint64, bits: int) -> np.ndarray:
    """splitmix64 finaliser of ``x ^ seed``, keeping the top ``bits`` bits."""
    x = x ^ seed
    x = (x ^ (x >> np.uint64(30))) * _C1
    x = (x ^ (x >> np.uint64(27))) * _C2
    x = x ^ (x >> np.uint64(31))
    return (x >> np.uint64(64 - bits)).astype(np.int64)


_word_cache: dict[str, int] = {}


def _word_hash(word: str) -> int:
    h = _word_cache.get(word)
    if h is None:
        b = word.encode("utf-8")
        h = zlib.crc32(b) | (zlib.adler32(b) << 32)
        if len(_word_cache) >= _MAX_WORD_CACHE:
            _word_cache.clear()
        _word_cache[word] = h
    return h


def hash_pairs(texts: list[str], config: HashingConfig) -> tuple[np.ndarray, np.ndarray]:
    """Return (row, bucket) for every n-gram occurrence in ``texts`` (duplicates kept)."""
    n = len(texts)
    rows_out: list[np.ndarray] = []
    buckets_out: list[np.ndarray] = []
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    padded = [f" {t} " for t in texts]
    lengths = np.fromiter((len(p) for p in padded), dtype=np.int64, count=n)
    joined = "\x00".join(padded)
    cp = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    starts = np.zeros(n, np.int64)
    np.cumsum(lengths[:-1] + 1, out=starts[1:])
    ends = starts + lengths
    row_of_pos = np.repeat(np.arange(n, dtype=np.int64), lengths + 1)[: len(cp)]
    end_of_pos = ends[row_of_pos]
    positions = np.arange(len(cp), dtype=np.int64)

    h = cp.copy()
    for k in range(2, config.char_max + 1):
        h = h[:-1] * _P + cp[k - 1 :]
        if k < config.char_min:
            continue
        m = len(h)
        valid = positions[:m] + k <= end_of_pos[:m]
        rows_out.append(row_of_pos[:m][valid])
        buckets_out.append(_mix(h[valid], np.uint64(k), config.bits))

    if config.words:
        tok_hashes: list[int] = []
        tok_rows: list[int] = []
        for r, t in enumerate(texts):
            toks = t.split()
            tok_hashes.extend(_word_hash(w) for w in toks)
            tok_rows.extend([r] * len(toks))
        if tok_hashes:
            wh = np.array(tok_hashes, dtype=np.uint64)
            wr = np.array(tok_rows, dtype=np.int64)
            rows_out.append(wr)
            buckets_out.append(_mix(wh, _WORD_SEED, config.bits))
            if config.word_bigrams and len(wh) > 1:
                same = wr[:-1] == wr[1:]
                bg = wh[:-1][same] * _P_WORD + wh[1:][same]
                rows_out.append(wr[:-1][same])
                buckets_out.append(_mix(bg, _BIGRAM_SEED, config.bits))
    return np.concatenate(rows_out), np.concatenate(buckets_out)


def vectorize(texts: list[str], config: HashingConfig, idf: np.ndarray | None = None) -> Csr:
    """Hash ``texts`` into an L2-normalised CSR batch with sublinear term frequencies."""
    n = len(texts)
    rows, buckets = hash_pairs(texts, config)
    keys = (rows << np.int64(config.bits)) | buckets
    keys, counts = np.unique(keys, return_counts=True)
    rows = keys >> np.int64(config.bits)
    indices = keys & np.int64(config.n_features - 1)
    data = (1.0 + np.log(counts)).astype(np.float32)
    if idf is not None:
        data *= idf[indices]
    norms = np.sqrt(np.bincount(rows, weights=data.astype(np.float64) ** 2, minlength=n))
    norms[norms == 0] = 1.0
    data /= norms[rows].astype(np.float32)
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    return Csr(indptr=indptr, indices=indices, data=data, n_rows=n)


def linear_scores(batch: Csr, weights: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """``batch @ weights + bias`` for a dense (n_features, k) weight matrix, in numpy."""
    k = weights.shape[1]
    out = np.zeros((batch.n_rows, k), np.float64)
    if len(batch.indices):
        contrib = weights[batch.indices]
        contrib *= batch.data[:, None]
        nonempty = batch.indptr[:-1] < batch.indptr[1:]
        sums = np.add.reduceat(contrib, batch.indptr[:-1][nonempty], axis=0)
        out[nonempty] = sums
    return out + bias[None, :]
