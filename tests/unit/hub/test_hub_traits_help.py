"""Every configurable trait of ours says what it does (style guide rule)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import ungp_hub
from traitlets.config import Configurable


def our_configurables():
    for module_info in pkgutil.walk_packages(ungp_hub.__path__, "ungp_hub."):
        # Skip test helpers, the CLI entry point and traitlets config files (run, not imported).
        name = module_info.name
        if ".testing" in name or name.endswith(("__main__", "_config_file")):
            continue
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Configurable) and cls.__module__ == module.__name__:
                yield cls


def test_at_least_the_spawner_is_found():
    names = {cls.__name__ for cls in our_configurables()}
    assert "UngpDockerSpawner" in names


def test_every_trait_we_add_has_help():
    missing = []
    for cls in our_configurables():
        own = set(cls.class_own_traits(config=True))
        for name in own:
            if not (cls.class_traits()[name].help or "").strip():
                missing.append(f"{cls.__name__}.{name}")
    assert not missing, f"traits without help: {missing}"
