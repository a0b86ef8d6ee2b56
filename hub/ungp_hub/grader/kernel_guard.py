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


def _not_dumpable() -> None:
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
    threads = {t.ident for t in threading.enumerate()}

    def guard() -> None:
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
        _stop_new_threads(threads)

    _not_dumpable()
    holder = types.ModuleType(name)
    holder.guard = guard
    sys.modules[name] = holder
    return guard


def _stop_new_threads(known: set) -> None:
    """Raise SystemExit in every thread the submission started (they could re-patch checks)."""
    import ctypes
    import threading

    for thread in threading.enumerate():
        if thread.ident not in known and thread is not threading.current_thread():
            ctypes.pythonapi.PyThreadState_SetAsyncExc(
                ctypes.c_ulong(thread.ident), ctypes.py_object(SystemExit)
            )
