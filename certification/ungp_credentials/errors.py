"""Errors meant for users of the credential format (CLI messages, HTTP 4xx reasons)."""

from __future__ import annotations


class CredentialError(Exception):
    """Base class: something about a credential, key or status list a user must fix."""


class UnknownContextError(CredentialError):
    """A JSON-LD context URL that the static loader does not hold (there is no network)."""


class CanonicalizationError(CredentialError):
    """A document that cannot be turned into canonical form (bad JSON-LD, undefined terms)."""


class ProofError(CredentialError):
    """A proof that cannot be created or checked (wrong options, bad proofValue, bad key)."""


class KeyStoreError(CredentialError):
    """A missing or damaged issuer key directory."""


class StatusListError(CredentialError):
    """A status list that is malformed, too short, or an index out of its range."""
