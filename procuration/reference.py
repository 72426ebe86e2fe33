"""Request references: 6 characters of Crockford base32, random, typed by people.

The alphabet has no I, L, O or U so that a reference read aloud or copied by hand has no
look-alikes; on input the look-alikes are mapped back (O->0, I/L->1) and separators ignored.
"""

from __future__ import annotations

import secrets

from procuration.errors import InvalidReferenceError

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 6
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = str.maketrans("", "", " -\t._")
_VALID = frozenset(ALPHABET)


def normalize(text: str) -> str:
    """What the officer meant: upper case, look-alikes mapped, separators dropped.

    Never raises; `parse` decides whether the result is a reference.
    """
    return text.upper().translate(_SEPARATORS).translate(_LOOKALIKES)


def invalid_characters(normalized: str) -> str:
    """The characters of an already-normalized text that no reference can contain."""
    return "".join(sorted({c for c in normalized if c not in _VALID}))


def parse(text: str) -> str:
    """The canonical reference for `text`, or InvalidReferenceError saying why not."""
    value = normalize(text)
    if not value:
        raise InvalidReferenceError("empty")
    bad = invalid_characters(value)
    if bad:
        raise InvalidReferenceError("bad-character", bad)
    if len(value) < LENGTH:
        raise InvalidReferenceError("too-short", str(len(value)))
    if len(value) > LENGTH:
        raise InvalidReferenceError("too-long", str(len(value)))
    return value


def is_reference(text: str) -> bool:
    try:
        parse(text)
    except InvalidReferenceError:
        return False
    return True


def generate() -> str:
    """A fresh random reference (30 bits from the OS CSPRNG); uniqueness is the caller's."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
