"""A small client of the hub's REST API, authenticated as the ``ungp-cli`` service.

The token is the one the hub registered for the ``ungp-cli`` service at start, read from the
state folder of the same settings. A command run with other settings than the running hub's
(the usual slip: the demo of `make up` without `--settings settings/demo.yaml`) reads another
token, or none: both end in a message that names the settings file and the state folder, and
nothing is created on the way.
"""

from __future__ import annotations

from urllib.parse import quote, urlparse, urlunparse

import requests

from ..errors import UserError
from ..settings import Settings
from ..state import StateDir, StateMissing

TOKEN_NAME = "cli-api-token"


class HubUnreachable(UserError, RuntimeError):
    pass


class HubRequestFailed(UserError, RuntimeError):
    """The hub answered, but not with what the command needed (the message says why)."""


def api_url(settings: Settings) -> str:
    parsed = urlparse(settings.get("hub.bind_url"))
    host = parsed.hostname or "127.0.0.1"
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    return urlunparse(parsed._replace(netloc=f"{host}:{parsed.port or 8000}", path="/hub/api"))


def _settings_name(settings: Settings) -> str:
    return str(settings.source) if settings.source else "the defaults (no settings file found)"


class HubAPI:
    def __init__(self, base_url: str, token: str, origin: str = ""):
        """`origin` says where the token came from, for the message if the hub refuses it."""
        self.base_url = base_url.rstrip("/")
        self.origin = origin
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"token {token}"

    @classmethod
    def from_settings(cls, settings: Settings) -> HubAPI:
        """The API of the hub run with `settings`; never creates its state folder or token."""
        state = StateDir(settings.state_dir)
        token_file = state.path / "secrets" / TOKEN_NAME
        name = _settings_name(settings)
        state.require(settings.source)
        try:
            token = token_file.read_text().strip()
        except OSError:
            raise StateMissing(
                f"no hub token at {token_file}: the hub of {name} has not started with the "
                f"state folder {state.path}. {_WHAT_TO_PASS}"
            ) from None
        origin = f"{token_file} (state folder of {name})"
        return cls(api_url(settings), token, origin)

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        """Send a request; a refused token or a silent hub raise a user-facing error."""
        try:
            response = self.session.request(method, self.base_url + path, timeout=30, **kwargs)
        except requests.ConnectionError:
            raise HubUnreachable(
                f"the hub does not answer at {self.base_url}; start it (`make up` or "
                "`ungp hub run`) and try again"
            ) from None
        if response.status_code in (401, 403):
            where = f"the token from {self.origin}" if self.origin else "this token"
            raise HubRequestFailed(
                f"the hub at {self.base_url} refused {where} (HTTP {response.status_code}): "
                f"the running hub was started with other settings. {_WHAT_TO_PASS}"
            )
        return response

    def expect(self, response: requests.Response, *codes: int) -> requests.Response:
        """`response` if its status is one of `codes`, else a user-facing error."""
        if response.status_code in codes:
            return response
        request = response.request
        path = urlparse(request.url or "").path if request else "?"
        raise HubRequestFailed(
            f"the hub answered HTTP {response.status_code} to {request.method if request else ''} "
            f"{path}: {_reason(response)} (the hub's log says more)"
        )

    def user_names(self) -> set[str]:
        names: set[str] = set()
        offset = 0
        while True:
            response = self.request("GET", "/users", params={"offset": offset, "limit": 200})
            page = self.expect(response, 200).json()
            names |= {user["name"] for user in page}
            if len(page) < 200:
                return names
            offset += 200

    def group_path(self, group: str) -> str:
        return "/groups/" + quote(group, safe="")


_WHAT_TO_PASS = (
    "Pass the settings file of the running hub with --settings FILE or UNGP_SETTINGS=FILE "
    "(the demo of `make up`: --settings settings/demo.yaml, from the checkout)."
)


def _reason(response: requests.Response) -> str:
    try:
        return str(response.json().get("message") or response.reason)
    except (ValueError, AttributeError):
        return response.reason or response.text[:200]
