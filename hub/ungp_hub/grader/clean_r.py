"""The clean R process for an R notebook's test cells: R embedded in a fork of the executor.

Why embedded and not ``exec R``: the executor is not dumpable, so the trainee's processes
(same uid 1000) cannot read its memory or file descriptors; ``execve`` of a binary the user
can read makes a process dumpable again, and a dumpable R would let the trainee's kernel
open ``/proc/PID/mem`` and rewrite the tests' functions. A fork that loads ``libR.so``
(``Rf_initialize_R``, as rpy2 does) never execs, so it stays non-dumpable
(``tests/integration/test_r_kernel.py`` checks it from the trainee's kernel). It is forked
before the trainee's kernel starts and holds two pipes the kernel never had; its library
path is the image's only (never the trainee's ``~/R``), and ``--vanilla`` skips every
profile a trainee could write.

What it runs: ``clean_interpreter.R`` (the test cells, trainee values as data via
``values.R``); the executor's side is :class:`RIsolatedTests`. Standard library only.
"""

from __future__ import annotations

import os
import sys
from multiprocessing.connection import Connection
from pathlib import Path

from .isolated_tests import IsolatedTests

HERE = Path(__file__).parent
R_ENVIRONMENT = {  # what the `R` shell script sets before it execs R (Debian's layout)
    "R_HOME": "/usr/lib/R",
    "R_SHARE_DIR": "/usr/share/R/share",
    "R_INCLUDE_DIR": "/usr/share/R/include",
    "R_DOC_DIR": "/usr/share/R/doc",
    "R_LIBS_SITE": "/usr/local/lib/R/site-library:/usr/lib/R/site-library",
    "R_LIBS_USER": "/nonexistent",  # the trainee writes ~/R: never on this library path
}


class PipePair:
    """A two-pipe duplex with the ``Connection`` methods IsolatedTests uses."""

    def __init__(self, read_fd: int, write_fd: int):
        self.reader = Connection(read_fd, writable=False)
        self.writer = Connection(write_fd, readable=False)

    def send_bytes(self, data: bytes) -> None:
        self.writer.send_bytes(data)

    def recv_bytes(self) -> bytes:
        return self.reader.recv_bytes()

    def poll(self, timeout: float) -> bool:
        return self.reader.poll(timeout)


def _r_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def start(cwd: str) -> tuple[int, PipePair]:
    """Fork the clean R process; returns (pid, the executor's end). Before any event loop."""
    os.makedirs(cwd, exist_ok=True)
    to_r_read, to_r_write = os.pipe()
    from_r_read, from_r_write = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        os.close(to_r_read)
        os.close(from_r_write)
        return pid, PipePair(from_r_read, to_r_write)
    try:
        from .forked_kernel import not_dumpable

        not_dumpable()
        os.close(to_r_write)
        os.close(from_r_read)
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        keep = {to_r_read, from_r_write}
        for fd in range(3, 1024):
            if fd not in keep:
                try:
                    os.close(fd)
                except OSError:
                    pass
        os.chdir(cwd)
        os.environ.update(R_ENVIRONMENT)
        _embed_r(f"ungp_serve({to_r_read}, {from_r_write}, {_r_string(str(HERE / 'values.R'))})")
    finally:
        os._exit(0)


def _embed_r(call: str) -> None:
    """Start R in this process (no exec) and evaluate ``call`` after clean_interpreter.R."""
    import ctypes

    lib = ctypes.CDLL(
        str(Path(R_ENVIRONMENT["R_HOME"]) / "lib" / "libR.so"), mode=ctypes.RTLD_GLOBAL
    )
    args = [b"R", b"--vanilla", b"--silent", b"--no-echo"]
    lib.Rf_initialize_R(len(args), (ctypes.c_char_p * len(args))(*args))
    ctypes.c_size_t.in_dll(lib, "R_CStackLimit").value = ctypes.c_size_t(-1).value
    ctypes.c_int.in_dll(lib, "R_Interactive").value = 0
    lib.setup_Rmainloop()
    lib.R_ParseEvalString.restype = ctypes.c_void_p
    lib.R_ParseEvalString.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    runner = _r_string(str(HERE / "clean_interpreter.R"))
    code = f"{{ source({runner}); try({call}, silent = TRUE); invisible(NULL) }}"
    lib.R_ParseEvalString(code.encode(), ctypes.c_void_p.in_dll(lib, "R_GlobalEnv"))


def trainee_code(body: str) -> str:
    """R code for the trainee's kernel: values.R's functions, then ``body``, in a local scope
    (nothing is left in the trainee's global environment)."""
    values = (HERE / "values.R").read_text()
    return f"local({{\n{values}\n{body}\n}})"


class RIsolatedTests(IsolatedTests):
    """The clean R process, seen from the executor: the same exchange as Python's, except
    that R itself says which names a cell needs (op "need"), and the trainee's kernel runs
    R code to write its values and to call its functions."""

    @classmethod
    def start(cls, cwd: str, output_limit: int) -> RIsolatedTests:
        pid, conn = start(cwd)
        return cls(pid, conn, output_limit)  # type: ignore[arg-type]

    def refusal(self, names: list[str], reason: str) -> bytes:
        import json

        return json.dumps({n: {"t": "refused", "why": reason} for n in names}).encode()

    def export_code(self, names: list[str], path: str) -> str:
        wanted = "c(" + ", ".join(_r_string(n) for n in names) + ")"
        return trainee_code(
            f"wanted <- {wanted}\n"
            "out <- lapply(wanted, function(n) if (exists(n, envir = globalenv(), "
            "inherits = FALSE)) ungp_values$encode(get(n, envir = globalenv())) else NULL)\n"
            "names(out) <- wanted\nout <- out[!vapply(out, is.null, logical(1))]\n"
            'out[["(packages)"]] <- ungp_values$encode(.packages())\n'
            "writeLines(jsonlite::toJSON(out, auto_unbox = TRUE, null = 'null', na = 'null'), "
            f"{_r_string(path)})"
        )

    def serve_code(self, request_path: str, path: str) -> str:
        return trainee_code(
            f"request <- jsonlite::fromJSON({_r_string(request_path)}, simplifyVector = FALSE)\n"
            "answer <- tryCatch({\n"
            "  args <- lapply(request$args, ungp_values$decode, on_function = function() "
            'stop("a function cannot be given to the trainee\'s code"))\n'
            "  keys <- unlist(lapply(request$names, function(k) if (is.null(k)) '' else k))\n"
            "  if (length(keys) == length(args)) names(args) <- keys\n"
            "  f <- get(request$name, envir = globalenv())\n"
            "  capture.output(value <- do.call(f, args), type = 'output')\n"
            "  list(ok = ungp_values$encode(value))\n"
            "}, error = function(e) list(error = list(class(e)[1], conditionMessage(e))))\n"
            f"writeLines(jsonlite::toJSON(answer, auto_unbox = TRUE, null = 'null', "
            f"na = 'null'), {_r_string(path)})"
        )
