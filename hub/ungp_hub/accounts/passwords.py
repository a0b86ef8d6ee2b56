"""Passwords for login slips: easy to type from paper, hard to guess."""

import secrets

# No 0/O, 1/l/I: they are misread on paper.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def slip_password(groups: int = 3, size: int = 4) -> str:
    """e.g. 'k7pq-m3xt-9wbz': 12 random characters of 31 (about 59 bits)."""
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(size)) for _ in range(groups))
