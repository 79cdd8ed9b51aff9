"""Masking of phone numbers and e-mails for roles that do not need them (see ``access.py``)."""

from __future__ import annotations


def mask_email(email: str | None) -> str | None:
    """``ann.lee@example.com`` → ``a***@example.com``: enough to recognise, not to contact."""
    if not email or "@" not in email:
        return email
    local, domain = email.split("@", 1)
    return f"{local[:1]}***@{domain}"


def mask_phone(phone: str | None) -> str | None:
    """Keep the first three and last two digits: ``+86 138 1234 5678`` → ``+861********78``.

    Every other digit becomes ``*``; separators are dropped so the length of a group gives nothing away.
    """
    if not phone:
        return phone
    digits = [c for c in phone if c.isdigit()]
    if len(digits) <= 5:
        return "*" * len(digits)
    prefix = "+" if phone.strip().startswith("+") else ""
    return prefix + "".join(digits[:3]) + "*" * (len(digits) - 5) + "".join(digits[-2:])
