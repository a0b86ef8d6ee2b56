"""The one error the SDG indicator methods raise on purpose."""

from __future__ import annotations


class SDGDataError(ValueError):
    """Inputs cannot give a valid indicator as they are; the message says how to fix them."""
