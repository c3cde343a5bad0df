"""Password-protect an Office attachment (ECMA-376 Agile encryption via msoffcrypto-tool).

The password is held in memory only: it is shown to the user once and shared with the
recipient through another channel (phone, in person). It is never written to a file or a log.
"""

from __future__ import annotations

import io
import secrets

from rectify_xl.errors import OutputError

__all__ = ["decrypt_bytes", "encrypt_bytes", "generate_password", "is_encrypted"]

# No 0/O, 1/l/I: the recipient types what they were told on the phone.
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def generate_password(length: int = 12) -> str:
    """A random password from an unambiguous alphabet (about 70 bits at 12 characters)."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def encrypt_bytes(data: bytes, password: str) -> bytes:
    """An .xlsx/.docx as bytes → the same file encrypted (opens in Excel/WPS with the password)."""
    from msoffcrypto.format.ooxml import OOXMLFile  # lazy: only the encrypt path needs it

    if not password:
        raise OutputError("附件加密密码不能为空")
    out = io.BytesIO()
    try:
        OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    except Exception as exc:  # msoffcrypto raises its own and zipfile errors; never echo the password
        raise OutputError(f"附件加密失败：{type(exc).__name__}") from exc
    return out.getvalue()


def is_encrypted(data: bytes) -> bool:
    import msoffcrypto

    try:
        return bool(msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted())
    except Exception:  # not an Office file at all
        return False


def decrypt_bytes(data: bytes, password: str) -> bytes:
    """For checks and tests; raises msoffcrypto's InvalidKeyError on a wrong password."""
    import msoffcrypto

    office = msoffcrypto.OfficeFile(io.BytesIO(data))
    office.load_key(password=password)
    out = io.BytesIO()
    office.decrypt(out, verify_integrity=True)
    return out.getvalue()
