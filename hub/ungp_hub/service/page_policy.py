"""The Content-Security-Policy of the hub services' own HTML pages.

The progress, certification and dashboards pages show what trainees and analysts typed
(names, titles, assignment names, credential fields), always through Tornado's autoescaping
templates, and none of them has a script of its own. This policy makes that a rule the
browser enforces: no script at all (inline or loaded), no plug-ins, no framing, forms only to
the same origin; inline styles and same-origin or ``data:`` images stay allowed. The
formgrader's policy (in the instructor's own server) is in
``ungp_hub.exchange.client.formgrader_frame``.
"""

from __future__ import annotations

SERVICE_PAGES = "; ".join(
    [
        "default-src 'none'",
        "style-src 'unsafe-inline'",
        "img-src 'self' data:",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)
