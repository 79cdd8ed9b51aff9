"""Masking of phone numbers and e-mails for roles that do not need them (see ``access.py``)."""

from __future__ import annotations

import re


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


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A run of digits written like a phone (spaces, dots, dashes, brackets, a leading +) that does not
# continue a word or a code: the 2026 in DY-2026-000386 or the 01 in BJ01-… are not phones.
_PHONE = re.compile(r"(?<![0-9A-Za-z-])\+?\(?\d[\d ().-]{5,}\d(?![0-9A-Za-z])")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _mask_phone_match(match: re.Match) -> str:
    text = match.group(0)
    digits = sum(c.isdigit() for c in text)
    # 7–15 digits is a phone (E.164 has at most 15); longer runs are order or tracking numbers
    if not 7 <= digits <= 15 or _DATE.fullmatch(text):
        return text
    return mask_phone(text) or text


def mask_contact(text: str | None) -> str | None:
    """Every e-mail and phone number inside a free text (a ticket's contact or subject) masked.

    The ticket's contact is whatever the customer gave (a phone in any format, an e-mail, a name), so
    the text is scanned rather than classified; a name or an order number stays as it is.
    """
    if not text:
        return text
    masked = _EMAIL.sub(lambda match: mask_email(match.group(0)) or "", text)
    return _PHONE.sub(_mask_phone_match, masked)
