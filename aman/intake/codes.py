"""Case references and follow-up codes.

Both use an alphabet without look-alike characters (no 0/O, 1/I/L, U), so a reference read
aloud over the phone or copied by hand survives. A reference is AMN- and 8 characters; a
follow-up code is 16 characters (log2(30**16) ≈ 78.5 bits), kept only as a keyed hash.
"""

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_PREFIX = "AMN"
REFERENCE_PATTERN = re.compile(r"^AMN-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$")
CODE_LENGTH = 16
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def _random(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_reference() -> str:
    body = _random(8)
    return f"{REFERENCE_PREFIX}-{body[:4]}-{body[4:]}"


def new_follow_up_code() -> str:
    body = _random(CODE_LENGTH)
    return "-".join(body[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalize_reference(value: str) -> str:
    """Accept 'amn 7k3q 9xz2', 'AMN7K3Q9XZ2' and the like; return the canonical form or ''."""
    compact = re.sub(r"[\s\-_.]", "", value or "").upper()[:32]
    if compact.startswith(REFERENCE_PREFIX):
        compact = compact[len(REFERENCE_PREFIX) :]
    if len(compact) != 8:
        return ""
    candidate = f"{REFERENCE_PREFIX}-{compact[:4]}-{compact[4:]}"
    return candidate if REFERENCE_PATTERN.match(candidate) else ""


def normalize_code(value: str) -> str:
    compact = re.sub(r"[\s\-_.]", "", value or "").upper()[:64].translate(_CONFUSABLE)
    if len(compact) != CODE_LENGTH or any(c not in ALPHABET for c in compact):
        return ""
    return "-".join(compact[i : i + 4] for i in range(0, CODE_LENGTH, 4))
