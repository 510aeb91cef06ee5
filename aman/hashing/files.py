"""Hashes of any file: MD5 and SHA-256 always, PDQ too when the file is an image."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from aman.hashing.pdq import ImageError, PdqHashes, hash_image

_READ = 1 << 20


@dataclass(frozen=True)
class FileHashes:
    """MD5 and SHA-256 of the bytes; ``pdq`` is None when the file is not a decodable image."""

    md5: str
    sha256: str
    pdq: PdqHashes | None
    size: int


def digests(stream: BinaryIO) -> tuple[str, str, int]:
    """MD5 and SHA-256 (hex) of a stream read to its end, in 1 MiB pieces, and its length."""
    md5, sha = hashlib.md5(usedforsecurity=False), hashlib.sha256()
    size = 0
    while chunk := stream.read(_READ):
        md5.update(chunk)
        sha.update(chunk)
        size += len(chunk)
    return md5.hexdigest(), sha.hexdigest(), size


def hash_file(path: str | Path, *, unletterbox: bool = True) -> FileHashes:
    """MD5 and SHA-256 of any file and, for an image, its PDQ hashes (letterbox removed)."""
    with open(path, "rb") as stream:
        md5, sha, size = digests(stream)
        stream.seek(0)
        try:
            pdq = hash_image(stream, unletterbox=unletterbox)
        except ImageError:
            pdq = None
    return FileHashes(md5=md5, sha256=sha, pdq=pdq, size=size)
