"""Site settings: one human-readable YAML file, validated against ``schema.yaml``."""

from .loader import Settings, SettingsError, load_settings, schema, site_settings_file

__all__ = ["Settings", "SettingsError", "load_settings", "schema", "site_settings_file"]
