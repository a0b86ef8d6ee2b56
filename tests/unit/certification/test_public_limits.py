"""The public verification pages under hostile input (issue 18): a costly credential runs in a
worker process with a time limit while the pages and `health` keep answering; too many at
once get 503 with Retry-After; too large or too deep input gets 4xx with the reason."""

from __future__ import annotations

import json
import threading
import time

import pytest
import requests
from ungp_hub.certification.service import PUBLIC_MAX_BODY, Context
from ungp_hub.certification.verifying import VerificationWorkers

from .test_service import Clock, hub  # noqa: F401 - the running service fixture

TIME_LIMIT = 3.0


@pytest.fixture
def service_context(certifier, office) -> Context:
    """One verification slot, a short time limit: what the tests below push against."""
    return Context(
        certifier, office, None, frozenset(), Clock(), verifier=VerificationWorkers(1, TIME_LIMIT)
    )


def poison_credential(method: str, nodes: int = 8) -> str:
    """1.6 KB, within every size limit, but a complete graph of blank nodes: RDFC-1.0 must try
    every ordering of them (7 nodes took 37 s; 8 take many minutes)."""
    knows = [
        {"id": f"_:b{i}", "knows": [{"id": f"_:b{j}"} for j in range(nodes) if j != i]}
        for i in range(nodes)
    ]
    return json.dumps(
        {
            "@context": [
                "https://www.w3.org/ns/credentials/v2",
                "https://www.w3.org/ns/credentials/examples/v2",
            ],
            "type": ["VerifiableCredential"],
            "issuer": "https://hub.example.org/services/certification/issuer",
            "credentialSubject": {"knows": knows},
            "proof": {
                "type": "DataIntegrityProof",
                "cryptosuite": "eddsa-rdfc-2022",
                "proofPurpose": "assertionMethod",
                "verificationMethod": method,
                "proofValue": "z" + "1" * 64,  # 64 zero bytes: checked, never valid
            },
        }
    )


def upload(base: str, text: str, answers: dict, name: str) -> None:
    started = time.monotonic()
    answer = requests.post(f"{base}verify/", data={"text": text}, timeout=60)
    answers[name] = (answer, time.monotonic() - started)


def test_costly_credential_is_stopped_while_pages_and_health_answer(hub):  # noqa: F811
    base, _, _ = hub
    answers: dict = {}
    method = requests.get(f"{base}issuer", timeout=10).json()["assertionMethod"][0]
    poison = poison_credential(method)
    worker = threading.Thread(target=upload, args=(base, poison, answers, "poison"))
    worker.start()
    time.sleep(0.5)  # the poison upload holds the only slot now
    for path in ("verify/", "health", "issuer"):
        started = time.monotonic()
        page = requests.get(base + path, timeout=10)
        assert page.status_code == 200, (path, page.text)
        assert time.monotonic() - started < 1, path
    started = time.monotonic()
    busy = requests.post(f"{base}verify/", data={"text": "{}"}, timeout=10)
    assert time.monotonic() - started < 1
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "5"
    assert "try again in 5 seconds" in busy.text
    worker.join(30)
    poison, took = answers["poison"]
    assert poison.status_code == 422
    assert f"took more than {TIME_LIMIT:g} seconds" in poison.text
    assert took < TIME_LIMIT + 10  # not minutes: the worker was stopped (slack: a loaded CI)
    after = requests.post(f"{base}verify/", data={"text": "{}"}, timeout=30)  # slot free again
    assert after.status_code == 200 and "missing required field" in after.text


def test_too_large_upload_is_refused_before_it_is_read(hub):  # noqa: F811
    base, _, _ = hub
    text = json.dumps({"pad": "x" * PUBLIC_MAX_BODY})
    answer = requests.post(f"{base}verify/", files={"credential": ("c.json", text)}, timeout=30)
    assert answer.status_code == 413
    assert f"at most {PUBLIC_MAX_BODY:,} bytes" in answer.text


def test_body_on_a_public_get_is_refused(hub):  # noqa: F811
    base, _, _ = hub
    answer = requests.get(f"{base}issuer", data=b"x" * 1000, timeout=30)
    assert answer.status_code == 413 and "takes no body" in answer.text


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"a":' * 1_000 + "1" + "}" * 1_000, "at most 32 levels"),
        (json.dumps({"v": list(range(5_000))}), "more than 1,000 JSON values"),
        ("{not json", "not valid JSON"),
    ],
)
def test_bad_credentials_get_4xx_with_the_reason(hub, text, reason):  # noqa: F811
    base, _, _ = hub
    answer = requests.post(f"{base}verify/", data={"text": text}, timeout=30)
    assert answer.status_code == 422
    assert reason in answer.text
    assert "Traceback" not in answer.text
