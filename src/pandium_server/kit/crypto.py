"""AES-256-GCM for secrets at rest.

Every ciphertext is ``nonce (12 bytes) || ciphertext+tag`` and is stored beside the id of
the key that made it. The associated data names the row it belongs to (account, owner and
connector), so a ciphertext copied into another row does not decrypt.
``PANDIUM_ENCRYPTION_KEYS`` lists base64 keys of 32 bytes: the first encrypts, all decrypt.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

log = logging.getLogger(__name__)

KEY_FILE = "encryption.key"


class CryptoError(Exception):
    """A secret could not be decrypted (wrong row, unknown key, or tampered data)."""


@dataclass(frozen=True)
class Sealed:
    key_id: str
    blob: bytes


def key_id_of(key: bytes) -> str:
    return hashlib.sha256(b"pandium-key-id:" + key).hexdigest()[:12]


def new_key() -> str:
    """A fresh key in the form PANDIUM_ENCRYPTION_KEYS takes."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


class Keyring:
    """The configured keys; the first one encrypts."""

    def __init__(self, encoded_keys: list[str]) -> None:
        self._keys: dict[str, AESGCM] = {}
        self.primary_id: str | None = None
        for encoded in encoded_keys:
            raw = base64.urlsafe_b64decode(encoded.strip() + "==")
            if len(raw) != 32:
                raise ValueError("every encryption key must be 32 bytes, base64-encoded")
            kid = key_id_of(raw)
            self._keys.setdefault(kid, AESGCM(raw))
            self.primary_id = self.primary_id or kid

    @classmethod
    def parse(cls, value: str | None) -> Keyring:
        return cls([k for k in (value or "").split(",") if k.strip()])

    @property
    def ready(self) -> bool:
        return self.primary_id is not None

    def seal(self, plaintext: bytes, context: str) -> Sealed:
        if self.primary_id is None:
            raise CryptoError("no encryption key is configured (PANDIUM_ENCRYPTION_KEYS)")
        nonce = os.urandom(12)
        blob = nonce + self._keys[self.primary_id].encrypt(nonce, plaintext, context.encode())
        return Sealed(self.primary_id, blob)

    def open(self, sealed: Sealed, context: str) -> bytes:
        key = self._keys.get(sealed.key_id)
        if key is None:
            raise CryptoError(f"no configured key has id {sealed.key_id}")
        try:
            return key.decrypt(sealed.blob[:12], sealed.blob[12:], context.encode())
        except InvalidTag:
            raise CryptoError("the secret does not belong here or was altered") from None


def quickstart_key(data_dir: Path) -> str:
    """The embedded quickstart's key: read from the data dir, or made there (mode 0600)."""
    path = data_dir.expanduser().resolve() / KEY_FILE
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = new_key()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    log.warning(
        "No PANDIUM_ENCRYPTION_KEYS set: generated a key in %s. Back it up; credentials "
        "stored with it cannot be read without it.",
        path,
    )
    return key
