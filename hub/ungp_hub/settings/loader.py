"""Read, override from the environment, validate and complete the site settings file.

Environment variables ``UNGP_<SECTION>__<KEY>`` (double underscore between levels, e.g.
``UNGP_HUB__BIND_URL`` or ``UNGP_CULLER__TIMEOUT=600``) override the file; their values are
read as YAML scalars, so numbers and booleans keep their type.
"""

from __future__ import annotations

import copy
import difflib
import os
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from ..errors import UserError

ENV_PREFIX = "UNGP_"


class SettingsError(UserError, ValueError):
    """The settings are wrong; the message names the file and the key."""


@cache
def schema() -> dict[str, Any]:
    text = resources.files("ungp_hub.settings").joinpath("schema.yaml").read_text()
    return yaml.safe_load(text)


class Settings:
    """Validated settings with every default filled in; read with ``get("a.b.c")``."""

    def __init__(self, data: dict[str, Any], source: Path | None):
        self.data = data
        self.source = source

    def get(self, dotted: str) -> Any:
        node: Any = self.data
        for part in dotted.split("."):
            node = node[part]
        return node

    @property
    def state_dir(self) -> Path:
        return Path(self.get("hub.state_dir"))

    @property
    def data_dir(self) -> Path:
        return Path(self.get("docker.data_dir") or self.state_dir / "data")


DEFAULT_SITE_SETTINGS = "/etc/ungp-hub/settings.yaml"


def site_settings_file(given: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The settings file of the running hub: `given`, else $UNGP_SETTINGS, else
    /etc/ungp-hub/settings.yaml. jupyterhub_config.py and every hub service use this rule
    (the hub passes UNGP_SETTINGS to its services); an empty $UNGP_SETTINGS means defaults
    only, as `load_settings("")` does."""
    if given:
        return given
    environ = os.environ if environ is None else environ
    return environ.get("UNGP_SETTINGS", DEFAULT_SITE_SETTINGS)


def load_settings(path: Path | str | None, environ: Mapping[str, str] | None = None) -> Settings:
    """Load the settings file at ``path`` (None: defaults only) and the UNGP_ overrides."""
    environ = os.environ if environ is None else environ
    source = Path(path).resolve() if path else None
    raw = _read_yaml(source) if source else {}
    _apply_environment(raw, environ)
    _validate(raw, source)
    data = _with_defaults(raw, schema(), schema())
    state_dir = Path(data["hub"]["state_dir"]).expanduser()
    if not state_dir.is_absolute():
        state_dir = (source.parent if source else Path.cwd()) / state_dir
    data["hub"]["state_dir"] = str(state_dir.resolve())
    return Settings(data, source)


def _read_yaml(source: Path) -> dict[str, Any]:
    try:
        text = source.read_text()
    except OSError as error:
        raise SettingsError(f"cannot read the settings file {source}: {error.strerror}") from None
    try:
        raw = yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"{source}, line {mark.line + 1}, column {mark.column + 1}" if mark else source
        raise SettingsError(
            f"the settings file is not valid YAML ({where}): {error.problem}"
        ) from None
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise SettingsError(f"{source}: the settings file must be a mapping of sections")
    return raw


def _apply_environment(raw: dict[str, Any], environ: Mapping[str, str]) -> None:
    for name, value in sorted(environ.items()):
        if not name.startswith(ENV_PREFIX) or "__" not in name:
            continue
        keys = [part.lower() for part in name[len(ENV_PREFIX) :].split("__")]
        node = raw
        for key in keys[:-1]:
            node = node.setdefault(key, {})
            if not isinstance(node, dict):
                raise SettingsError(f"environment variable {name} sets inside a non-mapping")
        node[keys[-1]] = yaml.safe_load(value) if value else value


def _validate(raw: dict[str, Any], source: Path | None) -> None:
    validator = jsonschema.Draft202012Validator(schema())
    problems = [_describe(error) for error in validator.iter_errors(raw)]
    if problems:
        origin = f"in {source}" if source else "in the environment"
        lines = "\n  ".join(sorted(problems))
        raise SettingsError(f"invalid settings {origin}:\n  {lines}")


def _describe(error: jsonschema.ValidationError) -> str:
    path = ".".join(str(part) for part in error.absolute_path)
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        unknown = sorted(set(error.instance) - set(allowed))
        words = []
        for key in unknown:
            dotted = f"{path}.{key}" if path else key
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else f" (known: {', '.join(allowed)})"
            words.append(f"unknown setting '{dotted}'{hint}")
        return "; ".join(words)
    return f"setting '{path or '(top)'}': {error.message}"


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if not ref:
        return node
    target: Any = root
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    return {**target, **{k: v for k, v in node.items() if k != "$ref"}}


def _with_defaults(value: Any, node: dict[str, Any], root: dict[str, Any]) -> Any:
    node = _resolve(node, root)
    if node.get("type") != "object":
        return value
    given = value if isinstance(value, dict) else {}
    result = copy.deepcopy(node.get("default", {})) if isinstance(node.get("default"), dict) else {}
    result.update(copy.deepcopy(given))
    for key, child in node.get("properties", {}).items():
        child = _resolve(child, root)
        if key in result:
            result[key] = _with_defaults(result[key], child, root)
        elif "default" in child:
            result[key] = _with_defaults(copy.deepcopy(child["default"]), child, root)
        elif child.get("type") == "object":
            result[key] = _with_defaults({}, child, root)
    return result
