"""Keep one TLS connection's failure from closing the others (CPython issue 148594).

CPython's ``ssl`` module does not clear OpenSSL's per-thread error queue before
``SSL_read_ex``/``SSL_write_ex``. OpenSSL 3.4+ records a failed system call (a write to a
socket whose peer has gone: EPIPE) on that queue, so the next read on any *healthy* TLS
socket of the same thread, one that only has nothing to read yet, is reported as
``BrokenPipeError`` and tornado closes it. In a Dask cluster this happens at every worker
start: the nanny hangs up its registration call while the scheduler answers it (EPIPE), and
the scheduler then drops the client's connections ("scheduler-connection-lost", the trainee's
first computation cancelled in about half of the runs; measured with strace and a stack of
every socket close in the scheduler, 2026-12).

:func:`install` wraps the reads and writes of ``ssl.SSLSocket`` and ``ssl.SSLObject`` so that
each first clears the queue, as OpenSSL's documentation asks of every caller of
``SSL_get_error``. It is installed at interpreter start-up (``ungp_hub_tls.pth``) only where
``UNGP_TLS_CLEAR_ERRORS`` is set: the Dask schedulers and workers and the users' servers,
whose kernels hold the clients. Remove it once the user image's Python has the fix.
"""

from __future__ import annotations

import ctypes
import functools
import ssl
from collections.abc import Callable
from typing import Any

ENV = "UNGP_TLS_CLEAR_ERRORS"
_METHODS = ("read", "write", "recv", "recv_into", "send", "sendall", "do_handshake", "unwrap")


def _libcrypto() -> ctypes.CDLL:
    """The libcrypto ``_ssl`` is linked to (already loaded: dlopen returns it)."""
    for name in (f"libcrypto.so.{ssl.OPENSSL_VERSION_INFO[0]}", "libcrypto.so"):
        try:
            return ctypes.CDLL(name)
        except OSError:
            continue
    raise OSError("libcrypto not found")


def _clearing(method: Callable[..., Any], clear: Callable[[], None]) -> Callable[..., Any]:
    @functools.wraps(method)
    def call(*args: Any, **kwargs: Any) -> Any:
        clear()
        return method(*args, **kwargs)

    call.__ungp_clears_errors__ = True  # type: ignore[attr-defined]
    return call


def install() -> bool:
    """Wrap the I/O methods once; False if libcrypto cannot be found (nothing changed)."""
    try:
        clear = _libcrypto().ERR_clear_error
    except (OSError, AttributeError):
        return False
    clear.restype = None
    clear.argtypes = []
    for cls in (ssl.SSLSocket, ssl.SSLObject):
        for name in _METHODS:
            method = cls.__dict__.get(name)
            if method is not None and not getattr(method, "__ungp_clears_errors__", False):
                setattr(cls, name, _clearing(method, clear))
    return True
