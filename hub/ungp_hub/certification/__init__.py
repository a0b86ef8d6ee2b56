"""Certification: tracks, per-candidate exams, issuing, revocation and public verification.

See docs/certification.md. The credential format itself is ``ungp_credentials``.
"""
