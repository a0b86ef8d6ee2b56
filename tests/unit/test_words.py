"""One word per role (docs/architecture.md, "Words"): the drifting synonyms stay out.

Prose is what is checked: the docs outside code, the package's comments, docstrings and
templates, and every message string. Code spans (`...`, ``...``) and quoted names ("student")
are identifiers, not prose, so nbgrader's own ``student_id`` or a ``--student`` flag pass.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

from testpolicy import REPO_ROOT

PACKAGE = REPO_ROOT / "hub" / "ungp_hub"
# Words that name no role of ours anywhere, in prose or in messages.
NEVER = re.compile(r"\b(teachers?|administrators?|site admins?|participants?)\b", re.I)
# nbgrader's word: only as an identifier, never in our prose.
NOT_IN_PROSE = re.compile(r"\bstudents?\b", re.I)
CODE = re.compile(r"```.*?```|``[^`]*``|`[^`\n]*`|\"[\w.\[\]/-]*\"", re.S)


def prose_of_markdown(text: str) -> str:
    return CODE.sub(" ", text)


def python_prose(path: Path) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(comments and docstrings, other string literals) of a module, with line numbers."""
    source = path.read_text()
    tree = ast.parse(source)
    docstrings = {
        node.body[0].value.lineno
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
        and isinstance(node.body[0].value.value, str)
    }
    prose, strings = [], []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT or (
            token.type == tokenize.STRING and token.start[0] in docstrings
        ):
            prose.append((token.start[0], token.string))
        elif token.type == tokenize.STRING or token.type == getattr(tokenize, "FSTRING_MIDDLE", -1):
            strings.append((token.start[0], token.string))
    return prose, strings


def offences(text: str, where: str, words: list[re.Pattern]) -> list[str]:
    return [
        f"{where}: {match.group(0)!r} in {line.strip()[:90]!r}"
        for line in CODE.sub(" ", text).splitlines()
        for pattern in words
        for match in pattern.finditer(line)
    ]


def all_offences() -> list[str]:
    found = []
    pages = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").rglob("*.md"))]
    for page in pages:
        text = prose_of_markdown(page.read_text())
        found += offences(text, str(page.relative_to(REPO_ROOT)), [NEVER, NOT_IN_PROSE])
    for path in sorted(PACKAGE.rglob("*")):
        where = str(path.relative_to(REPO_ROOT))
        if path.suffix == ".py":
            prose, strings = python_prose(path)
            for line, text in prose:
                found += offences(text, f"{where}:{line}", [NEVER, NOT_IN_PROSE])
            for line, text in strings:
                found += offences(text, f"{where}:{line}", [NEVER])
        elif path.suffix in (".html", ".txt", ".md"):
            text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|<[^>]*>", " ", path.read_text())
            found += offences(text, where, [NEVER, NOT_IN_PROSE])
    return found


def test_the_check_finds_the_synonyms_and_spares_identifiers():
    text = (
        "The teacher asks a site admin; participants wait.\n"
        "Each student submits.\n"
        'nbgrader\'s `student_id`, ``--student``, the "students" field.\n'
    )
    found = offences(text, "page", [NEVER, NOT_IN_PROSE])
    assert [f.split("'")[1] for f in found] == ["teacher", "site admin", "participants", "student"]


def test_one_word_per_role_in_docs_and_the_package():
    found = all_offences()
    assert not found, "use the words of docs/architecture.md (Words):\n" + "\n".join(found)
