"""PDQ image hashing and exact hash-bank matching. No Django import.

The interface the app uses (see docs/hashing.md)::

    from aman.hashing import HashIndex, hash_file, hash_image

    result = hash_file("photo.jpg")     # FileHashes: md5, sha256 and, for an image, PdqHashes
    result.pdq.hash, result.pdq.quality, result.pdq.dihedral, result.pdq.low_quality

    index = HashIndex.build(bank_hashes, ids=bank_pks)   # exact, every hash within 31 bits
    index.search(query_hashes)                           # SearchResult (query, id, distance)
    index.remove([pk])                                   # withdrawal: gone from the index
"""

from aman.hashing.codec import HashFormatError, ParsedHashes, from_hex, hamming, read_hash_file, to_hex
from aman.hashing.index import DEFAULT_MAX_DISTANCE, HashIndex, Match, SearchResult, brute_force

__all__ = [
    "DEFAULT_MAX_DISTANCE",
    "HashFormatError",
    "HashIndex",
    "Match",
    "ParsedHashes",
    "SearchResult",
    "brute_force",
    "from_hex",
    "hamming",
    "read_hash_file",
    "to_hex",
]
