"""The scripts a public dashboard page needs, served by the dashboards service itself.

nbconvert's HTML (the public page is a static render) loads require.js, MathJax and the
widget manager (`@jupyter-widgets/html-manager`, which draws the widgets from the state
papermill saved) from public CDNs by default: at an offline workshop the page stays blank.
nbconvert has a setting for each URL (`HTMLExporter.require_js_url`, `mathjax_url`,
`widget_renderer_url`), so the render points them at `{service prefix}assets/...` and the
service serves each from a copy already on the hub host:

- `require/`: the require.js JupyterHub ships for its own pages;
- `html-manager/`: the `dist/` folder of the npm package, installed next to
  configurable-http-proxy (`<venv>/node/node_modules`, see the Makefile);
- `mathjax/`: MathJax 2 from the `jupyter_server_mathjax` package, when it is installed;
- `mermaid/`: the ES module build of the npm package `mermaid` (its `dist/mermaid.esm.min.mjs`
  and the chunks it imports, installed like html-manager), which pages with a Mermaid
  diagram import: the public pages through the `ungp-public` nbconvert template, private
  (Voila) dashboards through the `ungp` Voila template (both in `jupyter/`).

A missing copy is served as 404 (the page then lacks widgets or typeset maths), never
fetched from elsewhere.
"""

from __future__ import annotations

import importlib.util
import shlex
import sys
from pathlib import Path

HTML_MANAGER_PACKAGE = "@jupyter-widgets/html-manager"
MERMAID_PACKAGE = "mermaid"
MERMAID_MODULE = "mermaid/mermaid.esm.min.mjs"  # under the assets URL
# jupyter/: the page templates (nbconvert's for public pages, Voila's for private ones);
# on JUPYTER_PATH wherever a page is made
TEMPLATES_ROOT = Path(__file__).parent / "jupyter"
PUBLIC_TEMPLATE = "ungp-public"
MATHJAX_CONFIG = "TeX-AMS_CHTML-full,Safe"  # nbconvert's default configuration


def default_node_modules() -> Path:
    """Where `make` installs the hub's npm packages (as for configurable-http-proxy)."""
    return Path(sys.prefix) / "node" / "node_modules"


def _jupyterhub_require() -> Path | None:
    try:
        from jupyterhub._data import DATA_FILES_PATH
    except ImportError:
        return None
    return Path(DATA_FILES_PATH) / "static" / "components" / "requirejs"


def _mathjax() -> Path | None:
    spec = importlib.util.find_spec("jupyter_server_mathjax")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "static"


def asset_roots(node_modules: Path | None = None) -> dict[str, Path]:
    """Asset name -> the folder it is served from; only folders that exist on this host."""
    modules = node_modules or default_node_modules()
    candidates = {
        "require": _jupyterhub_require(),
        "html-manager": modules / HTML_MANAGER_PACKAGE / "dist",
        "mathjax": _mathjax(),
        "mermaid": modules / MERMAID_PACKAGE / "dist",
    }
    return {name: path for name, path in candidates.items() if path and path.is_dir()}


def exporter_options(assets_url: str) -> list[str]:
    """nbconvert flags that make the HTML load its scripts from `assets_url` (ends with /)."""
    return [
        f"--HTMLExporter.require_js_url={assets_url}require/require.js",
        f"--HTMLExporter.widget_renderer_url={assets_url}html-manager/embed-amd.js",
        f"--HTMLExporter.mathjax_url={assets_url}mathjax/MathJax.js?config={MATHJAX_CONFIG}",
        # Mermaid: from assets_url too, by the template (nbconvert has no setting for it)
        f"--template={PUBLIC_TEMPLATE}",
    ]


def shell_words(options: list[str]) -> str:
    return " ".join(shlex.quote(o) for o in options)
