"""Code that runs INSIDE the sandbox's kernel: snapshot it before the submission, reset it later.

The executor sends this module's source to the warm kernel before any submitted code arrives
and calls ``install(modules, name)``. That imports the warm modules, records the pristine
state of everything a submission could use to change how a test cell runs or how its failure
is reported (IPython's input and AST transformers, event callbacks, custom exception
handlers, ``sys.excepthook``, stdout/stderr, trace and profile functions, builtins, the
dictionaries, functions and classes of the warm modules and of IPython/ipykernel), and makes
the kernel process non-dumpable (its memory cannot be read or written by other processes of
the same user). Before every test cell the executor calls the returned guard, which puts all
of that back and stops threads the submission started.

This file must not import anything from ungp_hub: it runs in the kernel's namespace only.
"""

from __future__ import annotations

import sys
import types

SHELL_MODULES = (
    "IPython.core.interactiveshell",
    "IPython.core.displayhook",
    "IPython.core.displaypub",
    "IPython.core.events",
    "IPython.core.inputtransformer2",
    "IPython.core.ultratb",
    "ipykernel.zmqshell",
    "ipykernel.ipkernel",
    "ipykernel.kernelbase",
    "ipykernel.iostream",
    "ipykernel.displayhook",
    "builtins",
)


def _functions_and_classes(module: types.ModuleType) -> tuple[list, list]:
    functions, classes = [], []
    for value in list(vars(module).values()):
        if isinstance(value, types.FunctionType):
            functions.append((value, value.__code__, value.__defaults__, value.__kwdefaults__))
        elif isinstance(value, type):
            try:
                classes.append((value, dict(vars(value))))
            except TypeError:
                continue
    return functions, classes


def not_dumpable() -> None:
    try:
        import ctypes

        ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 4
    except Exception:  # noqa: BLE001 - not on Linux: nothing to harden
        pass


def install(modules: list[str], name: str):  # noqa: C901 - one snapshot, one reset
    import importlib
    import threading

    shell = get_ipython()  # noqa: F821 - defined in the kernel's namespace
    for module_name in modules:
        try:
            importlib.import_module(module_name)
        except Exception:  # noqa: BLE001 - a course image without that library
            continue
    watched = [m for m in (*modules, *SHELL_MODULES) if m in sys.modules]
    pristine_modules = {m: sys.modules[m] for m in watched}
    module_dicts = {m: dict(vars(sys.modules[m])) for m in watched}
    functions, classes = [], []
    for m in watched:
        f, c = _functions_and_classes(sys.modules[m])
        functions += f
        classes += c
    manager = shell.input_transformer_manager
    lists = [
        shell.ast_transformers,
        shell.input_transformers_cleanup,
        shell.input_transformers_post,
        manager.cleanup_transforms,
        manager.line_transforms,
        manager.token_transformers,
    ]
    list_copies = [list(x) for x in lists]
    callbacks = {k: list(v) for k, v in shell.events.callbacks.items()}
    shell_attrs = dict(vars(shell))
    sys_attrs = {
        k: getattr(sys, k) for k in ("excepthook", "displayhook", "stdout", "stderr", "stdin")
    }
    custom = (shell.custom_exceptions, shell.CustomTB)
    threads = set(sys._current_frames())

    def guard() -> None:
        _stop_new_threads(threads)  # first: a thread could re-patch what is restored below
        for m, module in pristine_modules.items():
            sys.modules[m] = module
            namespace = vars(module)
            if m != "builtins":
                for key in [k for k in namespace if k not in module_dicts[m] and k[:2] != "__"]:
                    del namespace[key]
            namespace.update(module_dicts[m])
        for function, code, defaults, kwdefaults in functions:
            function.__code__ = code
            function.__defaults__ = defaults
            function.__kwdefaults__ = kwdefaults
        for cls, attributes in classes:
            current = vars(cls)
            for key in [k for k in current if k not in attributes]:
                try:
                    delattr(cls, key)
                except (AttributeError, TypeError):
                    pass
            for key, value in attributes.items():
                if current.get(key) is not value:
                    try:
                        setattr(cls, key, value)
                    except (AttributeError, TypeError):
                        pass
        for target, copy in zip(lists, list_copies, strict=True):
            target[:] = copy
        for key in list(shell.events.callbacks):
            shell.events.callbacks[key] = list(callbacks.get(key, []))
        for key in [k for k in vars(shell) if callable(getattr(type(shell), k, None))]:
            if vars(shell)[key] is not shell_attrs.get(key):
                delattr(shell, key)  # an instance attribute hiding one of the shell's methods
        shell.custom_exceptions, shell.CustomTB = custom
        for key, value in sys_attrs.items():
            setattr(sys, key, value)
        sys.settrace(None)
        sys.setprofile(None)
        threading.settrace(None)
        threading.setprofile(None)

    not_dumpable()
    holder = types.ModuleType(name)
    holder.guard = guard
    sys.modules[name] = holder
    return guard


def _runs_submitted_code(frame) -> bool:
    """True if a thread's stack holds code from the notebook (cells, exec'd strings).

    Library code comes from files on disk; cells are compiled under ipykernel's temporary
    file names (or <ipython-input-...>), strings under <string>.
    """
    import os

    while frame is not None:
        name = frame.f_code.co_filename
        if "/ipykernel_" in name or not (name.startswith("<frozen") or os.path.isfile(name)):
            return True
        frame = frame.f_back
    return False


def _stop_new_threads(known: set, wait: float = 1.0) -> None:
    """Stop the threads that run the submission's code (they could re-patch checks).

    Threads are found with ``sys._current_frames`` (which also sees threads started with
    ``_thread``). Idle library threads (a thread pool waiting for work, dask's workers) are
    left alone: stopping them would break honest code in later cells. A submission thread
    that does not stop in time makes the guard fail, and the test cell scores zero.
    """
    import ctypes
    import threading
    import time

    me = threading.get_ident()
    frames = sys._current_frames()
    others = [i for i, f in frames.items()
              if i not in known and i != me and _runs_submitted_code(f)]  # fmt: skip
    for ident in others:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident),
                                                   ctypes.py_object(SystemExit))  # fmt: skip
    deadline = time.monotonic() + wait
    while True:
        alive = [ident for ident in others if ident in sys._current_frames()]
        if not alive:
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"{len(alive)} threads started by the submission did not stop")
        time.sleep(0.01)
