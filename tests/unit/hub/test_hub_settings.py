"""The site settings file: defaults, validation that names the key, environment overrides."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from testpolicy import REPO_ROOT
from ungp_hub.settings import SettingsError, load_settings, schema
from ungp_hub.settings.example import settings_example
from ungp_hub.settings.loader import _resolve
from ungp_hub.settings.reference import settings_reference


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "settings.yaml"
    path.write_text(text)
    return path


def test_defaults_fill_every_key(tmp_path):
    settings = load_settings(write(tmp_path, "hub:\n  state_dir: state\n"), environ={})
    assert settings.get("hub.bind_url") == "http://127.0.0.1:8000"
    assert settings.get("profiles.trainee.memory") == "2G"
    assert settings.get("culler.timeout") == 3600
    # A relative state_dir is taken from the settings file's folder.
    assert settings.state_dir == tmp_path / "state"
    assert settings.data_dir == tmp_path / "state" / "data"


def test_partial_profile_keeps_the_other_defaults(tmp_path):
    settings = load_settings(write(tmp_path, "profiles:\n  trainee: {memory: 1G}\n"), environ={})
    assert settings.get("profiles.trainee") == {
        "cpu": 1.0,
        "memory": "1G",
        "pids": 512,
        "image": "",
        "server_extensions_off": ["nbgrader.server_extensions.formgrader", "jupyter_lsp"],
    }


def test_unknown_key_is_named_with_a_suggestion(tmp_path):
    with pytest.raises(SettingsError) as caught:
        load_settings(write(tmp_path, "culler:\n  timout: 10\n"), environ={})
    message = str(caught.value)
    assert "unknown setting 'culler.timout'" in message
    assert "did you mean 'timeout'" in message
    assert str(tmp_path / "settings.yaml") in message


def test_unknown_section_lists_the_known_ones(tmp_path):
    with pytest.raises(SettingsError, match=r"unknown setting 'dockr'.*did you mean 'docker'"):
        load_settings(write(tmp_path, "dockr: {}\n"), environ={})


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("culler:\n  timeout: 5\n", "culler.timeout"),
        ("profiles:\n  trainee: {memory: 2GB}\n", "profiles.trainee.memory"),
        ("hub:\n  spawner: kubernetes\n", "hub.spawner"),
        ("auth:\n  type: dummy\n", "auth.type"),
        ("profiles:\n  analyst: {cpu: 0}\n", "profiles.analyst.cpu"),
    ],
)
def test_bad_values_name_the_key(tmp_path, text, key):
    with pytest.raises(SettingsError, match=f"setting '{key}'"):
        load_settings(write(tmp_path, text), environ={})


def test_malformed_yaml_names_file_and_line(tmp_path):
    path = write(tmp_path, "hub:\n  bind_url: http://x\n  state_dir: [unclosed\n")
    with pytest.raises(SettingsError, match=r"settings\.yaml, line \d+, column \d+"):
        load_settings(path, environ={})


def test_environment_overrides_the_file_and_keeps_types(tmp_path):
    path = write(tmp_path, "culler:\n  timeout: 600\n")
    env = {"UNGP_CULLER__TIMEOUT": "900", "UNGP_CULLER__ENABLED": "false", "UNGP_SETTINGS": "x"}
    settings = load_settings(path, environ=env)
    assert settings.get("culler.timeout") == 900
    assert settings.get("culler.enabled") is False


def test_bad_environment_override_is_reported(tmp_path):
    with pytest.raises(SettingsError, match="unknown setting 'hub.bind_ur'"):
        load_settings(None, environ={"UNGP_HUB__BIND_UR": "x"})


def test_kitchen_sink_example_sets_every_key_and_validates():
    path = REPO_ROOT / "settings" / "example.yaml"
    assert path.read_text() == settings_example(), "run `make docs` to regenerate it"
    settings = load_settings(path, environ={})
    given = yaml.safe_load(path.read_text())

    def keys(node: dict, prefix: str = "") -> set[str]:
        found = set()
        for key, value in node.items():
            dotted = f"{prefix}{key}"
            found.add(dotted)
            if isinstance(value, dict):
                found |= keys(value, dotted + ".")
        return found

    assert keys(given) == keys(settings.data), "example.yaml must set every key of the schema"


def test_demo_settings_validate():
    settings = load_settings(REPO_ROOT / "settings" / "demo.yaml", environ={})
    assert settings.get("hub.demo") is True
    assert settings.state_dir == REPO_ROOT / "state"


def test_every_schema_key_is_documented():
    def walk(node: dict, path: str):
        for key, child in node.get("properties", {}).items():
            child = _resolve(child, schema())
            if child.get("type") == "object" and "properties" in child:
                yield from walk(child, f"{path}.{key}")
            else:
                yield f"{path}.{key}", child

    undocumented = [path for path, node in walk(schema(), "") if not node.get("description")]
    assert not undocumented


def test_reference_doc_is_generated_from_the_schema():
    committed = (REPO_ROOT / "docs" / "reference" / "settings.md").read_text()
    assert committed == settings_reference(), "run `make docs` to regenerate the reference"
