"""The fenced blocks of README.md and docs/*.md, with where each command block runs.

Every block that holds commands starts with a visible, machine-readable comment saying where a
reader runs it, so that a test can run it there and a reader knows where to type it:

    # where: host (the checkout, after make up)
    # where: trainee terminal           (also instructor, analyst, admin)
    # where: trainee notebook           (python and r blocks: a notebook cell)
    # where: not run by the docs test: <why>

Blocks of output, samples and configuration use another language (```text, ```yaml, ...) and
are not commands. A block with no language at all is refused: a reader cannot tell which it is.
Markdown is read with markdown-it-py (CommonMark), so fences inside list items count too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

SHELL = frozenset({"bash", "sh", "shell", "console"})
NOTEBOOK = {"python": "python3", "py": "python3", "r": "ir"}  # language -> kernel name
NOT_COMMANDS = frozenset({"text", "yaml", "yml", "json", "toml", "ini", "csv", "dockerfile"})
ROLES = frozenset({"trainee", "candidate", "instructor", "analyst", "admin"})
SKIP_PREFIX = "not run by the docs test:"
WHERE_LINE = re.compile(r"^#\s*where:\s*(?P<place>.+?)\s*$")
PLACE = re.compile(r"^(?P<place>host|(?P<role>\w+) (?P<kind>terminal|notebook))\b(?P<note>.*)$")
# Generated or historical pages: not instructions a reader follows.
EXCLUDED = ("docs/changelog.md", "docs/decisions.md")


class DocsBlockError(ValueError):
    """A block the docs test cannot place; the message names the file and line."""


@dataclass(frozen=True)
class Where:
    """Where a block runs: kind is host, terminal, notebook or skip (with the reason in note)."""

    kind: str
    role: str = ""
    note: str = ""

    @property
    def runs(self) -> bool:
        return self.kind != "skip"


@dataclass(frozen=True)
class Command:
    """One command (shell: a logical line; notebook: the whole block as one cell)."""

    file: str
    line: int
    text: str

    @property
    def id(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Block:
    file: str
    line: int
    language: str
    where: Where | None
    commands: tuple[Command, ...]

    @property
    def id(self) -> str:
        return f"{self.file}:{self.line}"


def doc_files(root: Path) -> list[Path]:
    """README.md and docs/*.md; not docs/decisions/ or docs/reference/ (generated), nor the
    changelog and decision log."""
    files = [root / "README.md", *sorted((root / "docs").glob("*.md"))]
    return [path for path in files if path.relative_to(root).as_posix() not in EXCLUDED]


def collect(root: Path) -> list[Block]:
    """Every fenced block of the docs; DocsBlockError on a block the test cannot place."""
    blocks: list[Block] = []
    for path in doc_files(root):
        blocks.extend(parse(path.read_text(), path.relative_to(root).as_posix()))
    return blocks


def parse(markdown: str, name: str) -> Iterator[Block]:
    for token in MarkdownIt("commonmark").parse(markdown):
        if token.type != "fence" or token.map is None:
            continue
        fence_line = token.map[0] + 1
        language = token.info.strip().split(maxsplit=1)[0].lower() if token.info.strip() else ""
        where = f"{name}:{fence_line}"
        if not language:
            raise DocsBlockError(
                f"{where}: a fenced block without a language; use ```text for output or "
                "samples, or a command language (bash, sh, python, r) with a where-line"
            )
        if language not in SHELL and language not in NOTEBOOK:
            if language not in NOT_COMMANDS:
                raise DocsBlockError(
                    f"{where}: unknown block language {language!r}; commands use one of "
                    f"{sorted(SHELL | NOTEBOOK.keys())}, other blocks one of {sorted(NOT_COMMANDS)}"
                )
            yield Block(name, fence_line, language, None, ())
            continue
        lines = token.content.splitlines()
        placed = _where(lines[0] if lines else "", where, language)
        first = fence_line + 2  # the line after the where-line
        if language in SHELL:
            commands = tuple(_shell_commands(lines[1:], name, first))
        else:
            commands = _cell(lines[1:], name, first)
        yield Block(name, fence_line, language, placed, commands)


def _where(line: str, where: str, language: str) -> Where:
    found = WHERE_LINE.match(line.strip())
    if not found:
        raise DocsBlockError(
            f"{where}: a {language} block must start with a where-line, e.g. "
            "`# where: host (the checkout, after make up)`, `# where: trainee terminal`, "
            f"`# where: trainee notebook` or `# where: {SKIP_PREFIX} <why>`"
        )
    place = found["place"]
    if place.startswith(SKIP_PREFIX):
        reason = place[len(SKIP_PREFIX) :].strip()
        if not reason:
            raise DocsBlockError(f"{where}: say why the block is not run: `{SKIP_PREFIX} <why>`")
        return Where("skip", note=reason)
    parsed = PLACE.match(place)
    if not parsed or (parsed["role"] and parsed["role"] not in ROLES):
        raise DocsBlockError(
            f"{where}: unknown place {place!r}; use host, <role> terminal or <role> notebook "
            f"(roles: {', '.join(sorted(ROLES))}) or `{SKIP_PREFIX} <why>`"
        )
    kind = parsed["kind"] or "host"
    if kind == "notebook" and language in SHELL:
        raise DocsBlockError(f"{where}: a {language} block runs in a terminal, not a notebook")
    if kind != "notebook" and language in NOTEBOOK:
        raise DocsBlockError(f"{where}: a {language} block runs in a notebook cell")
    return Where(kind, parsed["role"] or "", parsed["note"].strip(" ()"))


def _shell_commands(lines: list[str], name: str, first: int) -> Iterator[Command]:
    """Logical lines: backslash continuations joined, blank and comment-only lines dropped."""
    pending: list[str] = []
    start = first
    for number, line in enumerate(lines, start=first):
        if not pending:
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            start = number
        pending.append(line)
        if not line.rstrip().endswith("\\"):
            yield Command(name, start, "\n".join(pending))
            pending = []
    if pending:
        raise DocsBlockError(f"{name}:{start}: the command's last line ends with a backslash")


def _cell(lines: list[str], name: str, first: int) -> tuple[Command, ...]:
    code = "\n".join(lines).strip("\n")
    if not code:
        return ()
    offset = next(i for i, line in enumerate(lines) if line.strip())
    return (Command(name, first + offset, code),)
