"""The settings reference (docs/reference/settings.md), generated from the schema."""

from __future__ import annotations

import json
from typing import Any

from .loader import _resolve, schema


def settings_reference() -> str:
    root = schema()
    lines = [
        "# Settings reference",
        "",
        "Generated from `hub/ungp_hub/settings/schema.yaml` by `ungp settings reference`;",
        "do not edit by hand. Every key may be overridden by an environment variable",
        "`UNGP_<SECTION>__<KEY>` (upper case, `__` between levels).",
        "",
    ]
    for section, node in root["properties"].items():
        lines += [f"## `{section}`", "", node.get("description", ""), ""]
        lines += ["| key | default | meaning |", "| --- | --- | --- |"]
        lines += _rows(section, node, root)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _rows(prefix: str, node: dict[str, Any], root: dict[str, Any]) -> list[str]:
    rows = []
    for key, child in node.get("properties", {}).items():
        child = _resolve(child, root)
        dotted = f"{prefix}.{key}"
        if child.get("type") == "object" and "properties" in child and "default" not in child:
            rows += _rows(dotted, child, root)
            continue
        default = json.dumps(child.get("default")) if "default" in child else ""
        meaning = child.get("description", "")
        if "enum" in child:
            meaning += f" One of: {', '.join(map(str, child['enum']))}."
        if child.get("type") == "object" and "properties" in child:
            parts = [f"`{k}`: {v.get('description', '')}" for k, v in child["properties"].items()]
            meaning += " Keys: " + " ".join(parts)
        rows.append(f"| `{dotted}` | `{default}` | {meaning.strip()} |")
    return rows
