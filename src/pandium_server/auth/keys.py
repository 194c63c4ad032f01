"""API key format: ``pdm_`` + 32 base62 characters (≈190 bits of entropy)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
from dataclasses import dataclass

KEY_PREFIX = "pdm_"
PREFIX_LENGTH = 12
_ALPHABET = string.ascii_letters + string.digits
_RANDOM_LENGTH = 32


@dataclass(frozen=True)
class NewKey:
    plaintext: str
    prefix: str
    key_hash: str
    last4: str


def hash_key(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def generate_key() -> NewKey:
    """A fresh key and the only parts of it we store."""
    plaintext = KEY_PREFIX + "".join(secrets.choice(_ALPHABET) for _ in range(_RANDOM_LENGTH))
    return NewKey(plaintext, plaintext[:PREFIX_LENGTH], hash_key(plaintext), plaintext[-4:])


def looks_like_key(candidate: str) -> bool:
    return (
        candidate.startswith(KEY_PREFIX)
        and len(candidate) == len(KEY_PREFIX) + _RANDOM_LENGTH
        and all(c in _ALPHABET for c in candidate[len(KEY_PREFIX) :])
    )


def hashes_match(stored_hash: str, candidate_hash: str) -> bool:
    """Constant-time comparison of two hex digests."""
    return hmac.compare_digest(stored_hash.encode(), candidate_hash.encode())
