"""PDQ image hashing and exact hash-bank matching. No Django import.

The interface the app uses (see docs/hashing.md)::

    from aman.hashing import HashIndex, hash_file, hash_image

    result = hash_file("photo.jpg")     # FileHashes: md5, sha256 and, for an image, PdqHashes
    result.pdq.hash, result.pdq.quality, result.pdq.dihedral, result.pdq.low_quality

    index = HashIndex.build(bank_hashes, ids=bank_pks)   # exact, every hash within 31 bits
    index.search(query_hashes)                           # SearchResult (query, id, distance)
    index.remove([pk])                                   # withdrawal: gone from the index

The image side (Pillow, pdqhash) is imported on first use, so matching alone does not load it.
"""

from typing import Any

from aman.hashing.codec import HashFormatError, ParsedHashes, from_hex, hamming, read_hash_file, to_hex
from aman.hashing.index import DEFAULT_MAX_DISTANCE, HashIndex, Match, SearchResult, brute_force

_LAZY = {
    "hash_file": "aman.hashing.files",
    "FileHashes": "aman.hashing.files",
    "hash_image": "aman.hashing.pdq",
    "PdqHashes": "aman.hashing.pdq",
    "ImageError": "aman.hashing.pdq",
    "QUALITY_THRESHOLD": "aman.hashing.pdq",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'aman.hashing' has no attribute {name!r}")


__all__ = [
    "DEFAULT_MAX_DISTANCE",
    "QUALITY_THRESHOLD",
    "FileHashes",
    "HashFormatError",
    "HashIndex",
    "ImageError",
    "Match",
    "ParsedHashes",
    "PdqHashes",
    "SearchResult",
    "brute_force",
    "from_hex",
    "hamming",
    "hash_file",
    "hash_image",
    "read_hash_file",
    "to_hex",
]
