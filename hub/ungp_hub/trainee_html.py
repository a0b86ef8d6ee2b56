"""HTML a trainee controls, made inert before staff see it.

A trainee writes the Markdown of their notebooks and every byte their code displays
(``text/html``, ``text/markdown``, ``application/javascript`` outputs). The formgrader and
``generate_feedback`` turn both into HTML pages served on the hub's origin, where a staff
member's browser holds their session: nbconvert's ``HTMLExporter`` passes raw HTML in
Markdown through unless ``sanitize_html`` is on, and nbgrader's ``formgrade`` template renders
Markdown cells with ``markdown2html`` without ever asking for it. ``TraineeHTMLExporter``
closes both: every Markdown rendering and every HTML output goes through
``clean_trainee_html``, and the templates' own sanitised paths are switched on (JavaScript
and widget outputs are left out).

The allowlist is bleach's (the sanitiser nbconvert itself uses), widened to what notebooks
need to read well: headings, paragraphs, tables, images, code. What is not on it is shown
escaped, as text, so an instructor sees what the trainee tried instead of it running.
"""

from __future__ import annotations

import copy
import html
import re
from typing import Any

from bleach.css_sanitizer import CSSSanitizer
from bleach.sanitizer import Cleaner
from bs4 import BeautifulSoup
from jinja2 import pass_context
from nbconvert.exporters import HTMLExporter
from nbformat import NotebookNode

ALLOWED_TAGS = frozenset(
    {
        *("a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup"),
        *("dd", "del", "details", "div", "dl", "dt", "em", "figcaption", "figure"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark"),
        *("ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary"),
        *("sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "var"),
    }
)
# No id or name: a trainee's element must not take the name of one the page's scripts look up.
GLOBAL_ATTRIBUTES = frozenset({"class", "title", "lang", "dir", "align", "style"})
TAG_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "type"},
    "col": {"span"},
    "colgroup": {"span"},
    "details": {"open"},
}
# Elements removed with what they hold: pandas puts a <style scoped> block before each table,
# whose CSS would otherwise show as text (and could restyle the grading page).
DROPPED_WITH_CONTENT = ("style",)
PROTOCOLS = frozenset({"http", "https", "mailto", "data"})
DATA_IMAGE = re.compile(r"^data:image/(png|jpe?g|gif|webp|svg\+xml)[;,]")
CONTROL = re.compile(r"[\s\x00-\x1f\x7f]+")


def _attribute_allowed(tag: str, name: str, value: str) -> bool:
    """bleach's attribute filter; a ``data:`` URL only as an image's source, as an image."""
    if name not in GLOBAL_ATTRIBUTES and name not in TAG_ATTRIBUTES.get(tag, ()):
        return False
    if name in ("href", "src"):
        url = CONTROL.sub("", value).lower()
        if url.startswith("data:"):
            return tag == "img" and DATA_IMAGE.match(url) is not None
    return True


_CLEANER = Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_attribute_allowed,
    protocols=PROTOCOLS,
    strip=False,
    strip_comments=True,
    css_sanitizer=CSSSanitizer(),
)


def clean_trainee_html(html: str | bytes) -> str:
    """Return ``html`` with nothing left that can run script or reach another origin's code.

    Disallowed tags are escaped (visible as text), disallowed attributes (``on*``, ``id``,
    ``srcset``...) and URLs with other schemes (``javascript:``) are dropped, style
    attributes keep only bleach's allowed CSS properties.
    """
    text = html.decode("utf-8", "replace") if isinstance(html, bytes) else str(html)
    if "<style" in text.lower():
        soup = BeautifulSoup(text, "html.parser")
        for element in soup.find_all(DROPPED_WITH_CONTENT):
            element.decompose()
        text = str(soup)
    return _CLEANER.clean(text)


class TraineeHTMLExporter(HTMLExporter):
    """nbconvert's ``HTMLExporter`` for notebooks a trainee wrote, shown to someone else.

    Used by the formgrader's submission pages and by ``generate_feedback`` (set as
    ``GenerateFeedback.exporter_class``). Sanitising is not a setting here: it is always on,
    and it also covers templates that call ``markdown2html`` directly (nbgrader's
    ``formgrade`` and ``feedback``).
    """

    def from_notebook_node(
        self, nb: NotebookNode, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[str, dict[str, Any]]:
        """nbgrader's templates write a cell's ``grade_id`` into the page unescaped (as an
        element id and as text); a submitted notebook's metadata is the trainee's."""
        nb = copy.deepcopy(nb)
        for cell in nb.cells:
            grading = cell.get("metadata", {}).get("nbgrader", {})
            if isinstance(grading.get("grade_id"), str):
                grading["grade_id"] = html.escape(grading["grade_id"], quote=True)
        return super().from_notebook_node(nb, resources, **kw)

    @pass_context
    def markdown2html(self, context, source: str) -> str:  # noqa: ANN001
        return clean_trainee_html(super().markdown2html(context, source))

    def default_filters(self):  # noqa: ANN201
        yield from super().default_filters()
        yield ("clean_html", clean_trainee_html)

    def _init_resources(self, resources):  # noqa: ANN001, ANN202
        resources = super()._init_resources(resources)
        resources["should_sanitize_html"] = True
        return resources
