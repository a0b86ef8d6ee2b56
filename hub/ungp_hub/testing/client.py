"""A person in front of the hub, over HTTP: log in, start a server, run a cell in a kernel."""

from __future__ import annotations

import json
import time
import uuid
from urllib.parse import urlparse

import requests
import websocket

from .wait import wait_for


class HubUser:
    def __init__(self, base_url: str, name: str):
        self.base_url = base_url.rstrip("/")
        self.name = name
        self.session = requests.Session()

    def _xsrf_headers(self) -> dict[str, str]:
        token = self.session.cookies.get("_xsrf", path="/hub/")
        return {"X-XSRFToken": token} if token else {}

    def login(self, password: str) -> requests.Response:
        self.session.get(f"{self.base_url}/hub/login", timeout=30)
        data = {"username": self.name, "password": password, "_xsrf": self._xsrf_cookie()}
        return self.session.post(
            f"{self.base_url}/hub/login", data=data, timeout=30, allow_redirects=False
        )

    def _xsrf_cookie(self) -> str:
        for cookie in self.session.cookies:
            if cookie.name == "_xsrf":
                return cookie.value
        return ""

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"X-XSRFToken": self._xsrf_cookie(), **kwargs.pop("headers", {})}
        return self.session.request(
            method, f"{self.base_url}/hub/api{path}", headers=headers, timeout=60, **kwargs
        )

    def start_server(self) -> requests.Response:
        return self.api("POST", f"/users/{self.name}/server")

    def server_model(self) -> dict:
        return self.api("GET", f"/users/{self.name}").json().get("servers", {}).get("", {})

    def wait_ready(self, timeout: float = 180) -> dict:
        return wait_for(
            lambda: (model := self.server_model()) and model.get("ready") and model,
            timeout,
            f"{self.name}'s server to be ready",
            interval=0.5,
        )

    def stop_server(self) -> requests.Response:
        return self.api("DELETE", f"/users/{self.name}/server")

    def new_token(self) -> str:
        response = self.api("POST", f"/users/{self.name}/tokens", json={"note": "tests"})
        response.raise_for_status()
        return response.json()["token"]


def run_cell(base_url: str, user: str, token: str, code: str, timeout: float = 60) -> str:
    """Start a kernel on the user's server, run code, return its stdout (and stop the kernel)."""
    return run_in_kernel(f"{base_url.rstrip('/')}/user/{user}", token, code, timeout=timeout)


def run_in_kernel(
    server_url: str, token: str, code: str, kernel: str | None = None, timeout: float = 180
) -> str:
    """Run code as one notebook cell in a new kernel of the single-user server at
    `server_url` (its default kernelspec unless `kernel`); return what the cell printed.

    Raises RuntimeError with the error's name and message when the cell fails. The kernel is
    shut down after, so a test leaves no kernel running in the server it borrowed.
    """
    server = server_url.rstrip("/")
    headers = {"Authorization": f"token {token}"}
    body = {"name": kernel} if kernel else {}
    response = requests.post(f"{server}/api/kernels", headers=headers, json=body, timeout=60)
    response.raise_for_status()
    kernel_id = response.json()["id"]
    try:
        return _execute(kernel_channels_url(server, kernel_id), token, code, timeout)
    finally:
        requests.delete(f"{server}/api/kernels/{kernel_id}", headers=headers, timeout=30)


def kernel_channels_url(server_url: str, kernel_id: str) -> str:
    """The kernel's websocket: wss behind TLS (a kit's or Ansible's hub), ws otherwise."""
    parsed = urlparse(server_url.rstrip("/"))
    scheme = "wss" if parsed.scheme == "https" else "ws"
    return f"{scheme}://{parsed.netloc}{parsed.path}/api/kernels/{kernel_id}/channels"


def _execute(ws_url: str, token: str, code: str, timeout: float) -> str:
    conn = wait_for(
        lambda: websocket.create_connection(
            ws_url, header=[f"Authorization: token {token}"], timeout=timeout
        ),
        timeout,
        "the kernel's websocket",
    )
    msg_id = uuid.uuid4().hex
    conn.send(
        json.dumps(
            {
                "header": {
                    "msg_id": msg_id,
                    "msg_type": "execute_request",
                    "session": msg_id,
                    "username": "test",
                    "version": "5.3",
                },
                "parent_header": {},
                "metadata": {},
                "content": {"code": code, "silent": False, "store_history": False},
                "channel": "shell",
            }
        )
    )
    output, error = [], None
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            message = json.loads(conn.recv())
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = message["msg_type"]
            if kind == "stream":
                output.append(message["content"]["text"])
            elif kind in ("execute_result", "display_data"):
                output.append(message["content"]["data"].get("text/plain", "") + "\n")
            elif kind == "error":
                error = f"{message['content']['ename']}: {message['content']['evalue']}"
            elif kind == "status" and message["content"]["execution_state"] == "idle":
                break
    finally:
        conn.close()
    if error:
        raise RuntimeError(f"the cell failed: {error}")
    return "".join(output)


def spawn_progress(user: HubUser, timeout: float = 120) -> list[dict]:
    """Read the spawn progress event stream until it ends; return the events."""
    response = user.session.get(
        f"{user.base_url}/hub/api/users/{user.name}/server/progress",
        headers={"X-XSRFToken": user._xsrf_cookie()},
        stream=True,
        timeout=timeout,
    )
    events = []
    for line in response.iter_lines(decode_unicode=True):
        if line and line.startswith("data:"):
            event = json.loads(line[5:])
            events.append(event)
            if event.get("failed") or event.get("ready"):
                break
    response.close()
    return events
