"""Signed, expiring session tokens, so a sign-in survives a reload, a bookmark and a new tab.

A token is ``<payload>.<signature>``: the payload is URL-safe base64 of ``{"u": user, "exp": unix time,
"n": random nonce}``, the signature HMAC-SHA256 of the payload with a 32-byte key kept in
``config/session_secret`` (created readable by its owner only). Signing out puts the token's nonce in
``config/revoked_sessions`` until the token would have expired anyway, so a copied cookie stops working.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from pathlib import Path

from core.settings import session_hours, session_secret_file

COOKIE_NAME = "omniops_session"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def secret(path: Path | None = None) -> bytes:
    """The signing key, made on first use with mode 0600 (O_EXCL, so two servers starting agree)."""
    path = path or session_secret_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w") as out:
                out.write(secrets.token_hex(32))
    return bytes.fromhex(path.read_text().strip())


def sign(payload: dict, key: bytes) -> str:
    body = _b64(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode())
    return f"{body}.{_b64(hmac.new(key, body.encode(), hashlib.sha256).digest())}"


def unsign(token: str, key: bytes, now: float) -> dict | None:
    """The payload of a token signed with ``key`` that has not expired at ``now``; None otherwise."""
    body, _, signature = token.partition(".")
    expected = _b64(hmac.new(key, body.encode(), hashlib.sha256).digest())
    if not signature or not hmac.compare_digest(signature, expected):
        return None
    try:
        payload = json.loads(_unb64(body))
    except ValueError:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("exp"), (int, float)):
        return None
    return payload if payload["exp"] > now else None


def new_token(username: str, now: float | None = None) -> str:
    now = time.time() if now is None else now
    payload = {"u": username, "exp": int(now + 3600 * session_hours()), "n": secrets.token_hex(8)}
    return sign(payload, secret())


def _revoked_file() -> Path:
    return session_secret_file().parent / "revoked_sessions"


def _revoked(now: float) -> dict[str, float]:
    """Nonce → expiry of the signed-out tokens that have not expired yet."""
    path = _revoked_file()
    if not path.exists():
        return {}
    entries = {}
    for line in path.read_text().splitlines():
        nonce, _, expiry = line.partition(" ")
        if expiry and float(expiry) > now:
            entries[nonce] = float(expiry)
    return entries


def username_from(token: str | None, now: float | None = None) -> str | None:
    """Who a cookie's token belongs to, or None if it is missing, forged, expired or signed out."""
    if not token:
        return None
    now = time.time() if now is None else now
    payload = unsign(token, secret(), now)
    if payload is None or payload.get("n") in _revoked(now):
        return None
    return str(payload.get("u") or "") or None


def revoke(token: str | None, now: float | None = None) -> None:
    """Sign-out: the token no longer opens a session, here or in any other tab."""
    now = time.time() if now is None else now
    payload = unsign(token or "", secret(), now)
    if payload is None:
        return
    entries = _revoked(now) | {str(payload.get("n")): float(payload["exp"])}
    path = _revoked_file()
    temporary = path.with_suffix(".tmp")
    temporary.write_text("".join(f"{nonce} {expiry:.0f}\n" for nonce, expiry in entries.items()))
    temporary.chmod(0o600)
    temporary.replace(path)
