"""Splitting the hub image's lock into wheels and source-only packages keeps every hash."""

from ungp_hub.usb.hub_image import split_lock

LOCK = """\
jupyterhub-nativeauthenticator==1.3.0 \\
    --hash=sha256:aaaa
    # via -r requirements.in
onetimepass==1.0.1 \\
    --hash=sha256:bbbb
    # via jupyterhub-nativeauthenticator
six==1.17.0 \\
    --hash=sha256:cccc
    # via
    #   onetimepass
"""


def test_split_lock_moves_whole_blocks():
    kept, taken = split_lock(LOCK, {"onetimepass"})
    assert taken.splitlines() == [
        "onetimepass==1.0.1 \\",
        "    --hash=sha256:bbbb",
        "    # via jupyterhub-nativeauthenticator",
    ]
    assert "onetimepass==" not in kept
    assert "sha256:aaaa" in kept and "sha256:cccc" in kept
    assert kept + taken != LOCK and sorted((kept + taken).splitlines()) == sorted(LOCK.splitlines())
