"""Generated bad input for the credential verifier and the key-set parser (issue 18).

Whatever arrives, the verifier answers with reasons (a `VerificationResult`) and the key-set
parser with a `CredentialError`: never another exception. Bounded in examples and time so the
suite stays within seconds; longer runs: raise `max_examples` by hand.
"""

from __future__ import annotations

import copy
import json

import pytest
from credential_issuer import DURING, make_hub
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ungp_credentials.errors import CredentialError
from ungp_credentials.keys import read_key_set
from ungp_credentials.limits import DocumentLimits
from ungp_credentials.verify import verify_credential

SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=30,
)
BOUNDED = settings(
    max_examples=60, deadline=2_000, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    return make_hub(tmp_path_factory.mktemp("fuzz"))


@BOUNDED
@given(document=JSON)
def test_any_json_gets_reasons_not_an_exception(hub, document):
    result = verify_credential(json.dumps(document), hub.key_set(), [], DURING)
    assert not result.valid and result.reasons


@BOUNDED
@given(text=st.binary(max_size=200) | st.text(max_size=200))
def test_any_bytes_get_reasons_not_an_exception(hub, text):
    result = verify_credential(text, hub.key_set(), [], DURING)
    assert not result.valid and result.reasons


def _paths(node, path=()):
    yield path
    children = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, value in children:
        yield from _paths(value, (*path, key))


@settings(BOUNDED, max_examples=40)
@given(data=st.data())
def test_a_signed_credential_with_any_part_replaced_is_refused_with_reasons(hub, data):
    signed = hub.issue()
    path = data.draw(st.sampled_from([p for p in _paths(signed) if p]))
    replacement = data.draw(JSON)
    tampered = copy.deepcopy(signed)
    holder = tampered
    for step in path[:-1]:
        holder = holder[step]
    if holder[path[-1]] == replacement:
        return
    holder[path[-1]] = replacement
    result = verify_credential(tampered, hub.key_set(), [hub.status_list()], DURING)
    assert not result.valid and result.reasons  # eddsa-jcs-2022 signs every JSON value


@BOUNDED
@given(document=JSON | st.lists(JSON, max_size=3))
def test_any_key_set_is_read_or_refused_with_a_reason(document):
    try:
        methods = read_key_set(document)
    except CredentialError as exc:
        assert str(exc)
    else:
        assert isinstance(methods, dict)


@BOUNDED
@given(text=st.text(alphabet='[]{}":,0a ', max_size=400))
def test_limits_parse_answers_value_error_or_too_large(text):
    try:
        DocumentLimits(max_depth=8, max_values=50).parse(text)
    except (ValueError, CredentialError):
        pass
