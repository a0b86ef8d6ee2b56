"""Site settings: one human-readable YAML file, validated against ``schema.yaml``."""

from .loader import Settings, SettingsError, load_settings, schema

__all__ = ["Settings", "SettingsError", "load_settings", "schema"]
