"""The certification service: a tornado app run by JupyterHub as a managed service.

Public (no account): ``verify/`` (upload form), ``verify/<id>`` (the QR target; the holder's
name only as ``certification.public_name`` allows), ``issuer`` (the key set), ``status/1`` (the
Bitstring Status List credential). Signed in through the hub (OAuth cookie, or a hub token for
the API): ``/`` my certificates and exam sittings, ``consent`` (show my name publicly or not),
``credentials/<id>.json|.pdf``, ``api/exams/<track>/fetch|submit``; hub admins: ``admin``
(list, search, revoke). Refusals (:class:`CertificationError`) become 4xx with a reason.

The public pages face the internet: they read at most `PUBLIC_MAX_BODY` bytes of a request
(none for a GET), and verify in worker processes with a time limit and a fixed number of slots
(:mod:`.verifying`), so no anonymous request can hold the event loop.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import nbformat
from jupyterhub.services.auth import HubOAuthCallbackHandler, HubOAuthenticated
from tornado import ioloop, web
from traitlets import Float, Int
from ungp_credentials import CredentialError
from ungp_credentials.limits import DEFAULT_LIMITS

from ..service.app import HubService, service_prefix, tornado_app
from ..service.directory import hub_model
from ..service.handlers import UserErrorAnswers
from ..service.page_policy import SERVICE_PAGES
from ..service.public import BoundedBody
from .errors import ExamRefused, NotFound, RegistryError
from .exams import read_submission
from .grading import grade_and_issue, grade_waiting, sandbox_runner
from .holders import NameSource, hub_names, no_names, shows_name
from .issuing import Certifier
from .office import ExamOffice, Runner
from .pdf import certificate_pdf
from .registry import Sitting
from .verifying import VerificationWorkers, VerifierBusy

log = logging.getLogger("ungp_hub.certification")
CERTIFICATION = "certification"
TEMPLATES = Path(__file__).parent / "templates"
#: The largest body a public page reads: the verifier's own limit for one credential (a
#: credential of this hub is about 3 KB; 256 KB leaves room for images embedded by other
#: issuers), form fields included.
PUBLIC_MAX_BODY = DEFAULT_LIMITS.max_bytes


@dataclass
class Context:
    certifier: Certifier
    office: ExamOffice
    runner: Runner | None
    admins: frozenset[str]
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    full_name: NameSource = no_names
    public_name: str = "consent"  # certification.public_name: consent, always or never
    verifier: VerificationWorkers = field(default_factory=VerificationWorkers)


class PageHandler(UserErrorAnswers):
    ctx: Context
    service = "the certification service"

    def initialize(self, ctx: Context) -> None:
        self.ctx = ctx

    def render(self, template_name: str, **kwargs: Any) -> Any:
        """A template page: no script may run in it (ungp_hub.service.page_policy)."""
        self.set_header("Content-Security-Policy", SERVICE_PAGES)
        return super().render(template_name, **kwargs)

    @property
    def wants_json(self) -> bool:
        return "/api/" in self.request.path or "application/json" in self.request.headers.get(
            "Accept", ""
        )

    def answer(self, status: int, message: str) -> None:
        """JSON for the API and JSON clients, a page for browsers."""
        if status == VerifierBusy.status:
            self.set_header("Retry-After", str(self.ctx.verifier.retry_after))
        if self.wants_json:
            self.finish({"reason": message})
        else:
            self.render("message.html", title=f"Error {status}", message=message)

    def render_result(
        self, document: Any, result: Any, found: Any = None, show_name: bool = True
    ) -> None:
        """``show_name`` False: the page says the name is withheld and where to find it."""
        subject = document.get("credentialSubject", {}) if isinstance(document, dict) else {}
        holder = subject.get("name", "") if isinstance(subject, dict) else ""
        self.render(
            "verify_result.html",
            result=result,
            document=document,
            found=found,
            holder=holder if show_name else None,
            account_name=found is not None and holder == found.candidate,
            public_name=self.ctx.public_name,
        )


# -- public -----------------------------------------------------------------------------------
class PublicHandler(BoundedBody, PageHandler):
    """A page anyone may ask for: a bounded body (`BoundedBody`), heavy work in a worker."""

    async def verified(self, document: Any) -> Any:
        """The verification result, worked out by a worker process (`Context.verifier`)."""
        return await self.ctx.verifier.verify(self.ctx.certifier, document, self.ctx.clock())


class VerifyFormHandler(PublicHandler):
    max_body = PUBLIC_MAX_BODY

    def check_xsrf_cookie(self) -> None:
        """Public and read-only: uploading a credential changes nothing on the hub."""

    def get(self) -> None:
        self.render("verify_form.html")

    async def post(self) -> None:
        arguments, files = self.form()
        uploads = files.get("credential")
        text = uploads[0]["body"] if uploads else b"".join(arguments.get("text", [b""])[:1])
        if not text.strip():
            raise ExamRefused("choose a credential JSON file, or paste its text", 400)
        result = await self.verified(text)
        try:
            document = DEFAULT_LIMITS.parse(text)
        except (ValueError, CredentialError):
            document = None
        if any(c.name in ("json", "limits") and c.passed is False for c in result.checks):
            self.set_status(422)  # not a credential this verifier takes: the page says why
        self.render_result(document, result)


class VerifyIdHandler(PublicHandler):
    async def get(self, credential_id: str) -> None:
        try:
            found = self.ctx.certifier.registry.credential(credential_id)
        except RegistryError:
            await self.imported(credential_id)
            return
        result = await self.verified(found.document)
        if self.wants_json:
            self.finish(result.to_json())
            return
        consented = self.ctx.certifier.registry.name_consent(found.candidate)
        self.render_result(
            found.credential, result, found, shows_name(self.ctx.public_name, consented)
        )

    async def imported(self, credential_id: str) -> None:
        """A certificate of an offline workshop whose results this hub imported."""
        certifier = self.ctx.certifier
        record = certifier.imported.record(credential_id.lower())
        if record is None:
            raise NotFound(f"this hub issued no credential {credential_id}")
        result = await self.verified(record["document"])
        if self.wants_json:
            self.finish(result.to_json())
            return
        # Nobody at the offline workshop was asked: only "always" shows the name.
        self.render_result(
            json.loads(record["document"]), result, show_name=self.ctx.public_name == "always"
        )


class JSONDocHandler(PublicHandler):
    def initialize(self, ctx: Context, what: str) -> None:
        self.ctx, self.what = ctx, what

    def get(self) -> None:
        document = (
            self.ctx.certifier.key_set()
            if self.what == "keys"
            else self.ctx.certifier.status_list()
        )
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-cache")
        self.finish(json.dumps(document, indent=2))


# -- signed in --------------------------------------------------------------------------------
class UserHandler(HubOAuthenticated, PageHandler):
    @property
    def user(self) -> dict[str, Any]:
        return self.current_user

    @property
    def is_admin(self) -> bool:
        """From the user model the hub gave (its ``admin`` field) or the settings' admins."""
        return bool(self.user.get("admin")) or self.user["name"] in self.ctx.admins

    async def hub_admin(self) -> bool:
        """Ask the hub (service token, read:users) when the OAuth model has no ``admin``."""
        if self.is_admin or "admin" in self.user:
            return self.is_admin
        auth, name = self.hub_auth, self.user["name"]
        try:
            model = await hub_model(auth.api_url, auth.api_token, f"users/{quote(name, safe='')}")
        except Exception:  # the hub is down or refuses: not an admin, and say why in the log
            log.exception("cannot ask the hub whether %s is an admin", name)
            return False
        return bool(model and model.get("admin"))


class HomeHandler(UserHandler):
    @web.authenticated
    async def get(self) -> None:
        name = self.user["name"]
        now = self.ctx.clock()
        tracks = [t for t in self.ctx.office.programme.tracks.values() if t.offered]
        registry = self.ctx.certifier.registry
        try:
            full_name = await self.ctx.full_name(name)
        except Exception:  # the page still works; the name shows on the next visit
            log.exception("cannot read the full name of %s from the hub", name)
            full_name = ""
        self.render(
            "home.html",
            name=name,
            is_admin=await self.hub_admin(),
            now=now,
            tracks=tracks,
            credentials=registry.credentials(candidate=name),
            sittings=registry.sittings(candidate=name),
            verify_url=self.ctx.certifier.verify_url,
            full_name=full_name,
            public_name=self.ctx.public_name,
            consented=registry.name_consent(name),
        )


class ConsentHandler(UserHandler):
    @web.authenticated
    def post(self) -> None:
        """The holder's choice: show their name on the public pages of their certificates."""
        if self.ctx.public_name != "consent":
            raise ExamRefused(
                f"this hub {'always' if self.ctx.public_name == 'always' else 'never'} shows "
                "holders' names on its public verification pages; nothing to choose",
                409,
            )
        public = self.get_body_argument("public", "") == "yes"
        name = self.user["name"]
        self.ctx.certifier.registry.set_name_consent(name, public, self.ctx.clock().isoformat())
        shows = "shows" if public else "hides"
        log.info("%s %s their name on public verification pages", name, shows)
        self.redirect(self.settings["prefix"])


class CredentialFileHandler(UserHandler):
    @web.authenticated
    def get(self, credential_id: str, kind: str) -> None:
        try:
            found = self.ctx.certifier.registry.credential(credential_id)
        except RegistryError:
            raise NotFound(f"no credential {credential_id}") from None
        if found.candidate != self.user["name"] and not self.is_admin:
            raise NotFound(f"no credential {credential_id} of yours")
        filename = f"certificate-{found.track}-{found.id[:8]}"
        if kind == "json":
            self.set_header("Content-Type", "application/ld+json")
            self.set_header("Content-Disposition", f'attachment; filename="{filename}.json"')
            self.finish(json.dumps(found.credential, indent=2, ensure_ascii=False))
            return
        track = self.ctx.office.programme.track(found.track)
        pdf = certificate_pdf(
            found.name,
            track.title,
            self.ctx.certifier.issuer_name,
            found.issued_at,
            found.valid_until,
            f"urn:uuid:{found.id}",
            self.ctx.certifier.verify_url(found.id),
        )
        self.set_header("Content-Type", "application/pdf")
        self.set_header("Content-Disposition", f'attachment; filename="{filename}.pdf"')
        self.finish(pdf)


def _sitting_json(sitting: Sitting) -> dict[str, Any]:
    return sitting.receipt()


class FetchHandler(UserHandler):
    @web.authenticated
    def post(self, track_id: str) -> None:
        name, now = self.user["name"], self.ctx.clock()
        holds = any(
            c.revoked_at is None and datetime.fromisoformat(c.valid_until) > now
            for c in self.ctx.certifier.registry.credentials(candidate=name, track=track_id)
        )
        sitting = self.ctx.office.start(name, track_id, now, holds)
        notebook = self.ctx.office.notebook(sitting)
        log.info(
            "%s fetched %s (sitting %s, deadline %s)",
            name,
            sitting.exam,
            sitting.id,
            sitting.deadline,
        )
        self.finish(
            {
                "sitting": _sitting_json(sitting),
                "notebook": notebook,
                "filename": f"{sitting.exam}.ipynb",
            }
        )


class SubmitHandler(UserHandler):
    @web.authenticated
    async def post(self, track_id: str) -> None:
        name, now = self.user["name"], self.ctx.clock()
        body = self.request.body
        try:
            wrapped = json.loads(body)
        except ValueError:
            raise ExamRefused("the submission is not JSON (send the notebook file)", 400) from None
        if isinstance(wrapped, dict) and "notebook" in wrapped and "cells" not in wrapped:
            body = json.dumps(wrapped["notebook"]).encode()
        sitting = self.ctx.office.submit(name, track_id, body, now)
        log.info(
            "%s submitted %s (sitting %s, sha256 %s)",
            name,
            sitting.exam,
            sitting.id,
            sitting.submission_sha256,
        )
        answer: dict[str, Any] = {"receipt": _sitting_json(sitting)}
        if self.ctx.runner is None:
            answer["grading"] = "waiting: the hub grades it when its grader is available"
        else:
            answer.update(await grade_and_issue(self.ctx, sitting))
        self.set_status(201)
        self.finish(answer)


class SittingsHandler(UserHandler):
    @web.authenticated
    def get(self) -> None:
        sittings = self.ctx.certifier.registry.sittings(candidate=self.user["name"])
        self.finish({"sittings": [_sitting_json(s) for s in sittings]})


class AdminHandler(UserHandler):
    async def require_admin(self) -> None:
        if not await self.hub_admin():
            raise web.HTTPError(403, "only hub admins manage certificates")

    @web.authenticated
    async def get(self) -> None:
        await self.require_admin()
        query = self.get_argument("q", "").strip()
        found = self.ctx.certifier.registry.credentials(text=query or None)
        self.render("admin.html", credentials=found, query=query, message="")

    @web.authenticated
    async def post(self) -> None:
        await self.require_admin()
        credential_id = self.get_body_argument("id")
        reason = self.get_body_argument("reason", "").strip()
        revoked = self.ctx.certifier.revoke(
            credential_id, reason, self.user["name"], self.ctx.clock()
        )
        log.info("%s revoked %s: %s", self.user["name"], revoked.id, reason)
        found = self.ctx.certifier.registry.credentials()
        self.render(
            "admin.html", credentials=found, query="", message=f"Revoked {revoked.id}: {reason}"
        )


def make_app(ctx: Context, prefix: str) -> web.Application:
    """The certification pages and API under `prefix`."""
    prefix = service_prefix(prefix)
    kwargs = {"ctx": ctx}
    routes = [
        ("", HomeHandler, kwargs),
        ("consent", ConsentHandler, kwargs),
        ("verify/?", VerifyFormHandler, kwargs),
        (r"verify/([0-9a-fA-F-]{36})", VerifyIdHandler, kwargs),
        ("issuer", JSONDocHandler, {**kwargs, "what": "keys"}),
        ("status/1", JSONDocHandler, {**kwargs, "what": "status"}),
        (r"credentials/([0-9a-fA-F-]{36})\.(json|pdf)", CredentialFileHandler, kwargs),
        (r"api/exams/([a-z0-9-]+)/fetch", FetchHandler, kwargs),
        (r"api/exams/([a-z0-9-]+)/submit", SubmitHandler, kwargs),
        ("api/sittings", SittingsHandler, kwargs),
        ("admin", AdminHandler, kwargs),
        ("oauth_callback", HubOAuthCallbackHandler, {}),
    ]
    return tornado_app(
        CERTIFICATION,
        prefix,
        routes,
        template_path=str(TEMPLATES),
        cookie_secret=os.urandom(32),
        prefix=prefix,
    )


class CertificationService(HubService):
    """The certification service, as JupyterHub runs it: the site settings' programme,
    issuer and grading; signed-in exam submissions up to 30 MB (`max_body_size`), public
    pages far less (`PUBLIC_MAX_BODY`, read as it streams in)."""

    name = CERTIFICATION

    verify_slots = Int(
        2,
        help="""How many public verifications run at once, each in its own worker process
        (one per core is plenty: one takes well under a second). A request beyond that is
        answered 503 with Retry-After at once.""",
    ).tag(config=True)

    verify_time_limit = Float(
        10.0,
        help="""Seconds one verification may take before its worker process is killed and the
        request answered 422 (a credential takes well under a second; this stops crafted
        documents that are costly to canonicalise).""",
    ).tag(config=True)

    def make_app(self) -> web.Application:
        from ..courses.folders import courses_dir
        from .modules import gradebook_check
        from .setup import build_context
        from .site import public_url, state_root, tracks_file

        settings = self.settings
        section = settings.get("certification")
        self.max_body_size = 30_000_000
        if section["grading"] == "host":
            from .runner import run_on_host

            self.log.warning(
                "grading exam notebooks ON THE HUB HOST (certification.grading: host): "
                "only for tests, a submission is arbitrary code"
            )
            runner: Runner | None = run_on_host
        else:
            runner = sandbox_runner(settings.source)
            if runner is None:
                self.log.warning("no sandboxed grader: submissions wait as 'submitted'")
        self.ctx = build_context(
            state_root(settings),
            tracks_file(settings),
            public_url(settings),
            section["issuer_name"],
            gradebook_check(courses_dir(settings.state_dir), settings.get("courses.gradebook_url")),
            runner,
            frozenset(settings.get("hub.admin_users")),
        )
        self.ctx.public_name = section["public_name"]
        self.ctx.verifier = VerificationWorkers(self.verify_slots, self.verify_time_limit)
        self.ctx.full_name = hub_names(
            os.environ["JUPYTERHUB_API_URL"], os.environ["JUPYTERHUB_API_TOKEN"]
        )
        return make_app(self.ctx, self.prefix)

    async def on_start(self) -> None:
        """Grade the sittings left waiting (the service stopped, or had no grader)."""
        ioloop.IOLoop.current().add_callback(grade_waiting, self.ctx)

    def describe(self) -> str:
        grading = self.settings.get("certification.grading")
        return f"(state in {self.ctx.certifier.root}, grading: {grading})"


__all__ = ["CertificationService", "Context", "make_app", "nbformat", "read_submission"]
