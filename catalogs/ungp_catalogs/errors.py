"""User-facing errors of the catalogue tools.

Every class here is raised deliberately with a message that says what is wrong and how to fix
it; the CLI prints the message and exits 1. Anything else that escapes is an internal error.
"""

from __future__ import annotations


class CatalogError(Exception):
    """Base of errors meant for users of the catalogue (CLI, notebooks)."""


class ChecksumMismatch(CatalogError):
    """A data file's bytes differ from the sha256 recorded in the catalogue."""

    def __init__(self, entry: str, path: str, expected: str, actual: str) -> None:
        self.entry, self.path, self.expected, self.actual = entry, path, expected, actual
        super().__init__(
            f"entry '{entry}': file {path} is corrupted or was modified "
            f"(sha256 {actual[:16]}..., catalogue says {expected[:16]}...). "
            "Refusing to return its data. Rebuild the data with `ungp catalog build` "
            "or restore the file, then run `ungp catalog validate`."
        )


class MissingDataFile(CatalogError):
    """A file listed by a catalogue entry does not exist."""

    def __init__(self, entry: str, path: str) -> None:
        self.entry, self.path = entry, path
        super().__init__(
            f"entry '{entry}': file {path} is missing. Rebuild the data with "
            "`ungp catalog build` or restore the file, then run `ungp catalog validate`."
        )


class MalformedCatalog(CatalogError):
    """A catalogue YAML file cannot be parsed or lacks required keys."""

    def __init__(self, path: str, line: int | None, problem: str) -> None:
        self.path, self.line, self.problem = path, line, problem
        where = f"{path}, line {line}" if line is not None else path
        super().__init__(
            f"malformed catalogue file {where}: {problem}. Fix the file or rebuild the "
            "catalogue with `ungp catalog build`."
        )


class UnknownEntry(CatalogError):
    """An entry name that is not in the catalogue."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        self.name, self.suggestions = name, suggestions
        hint = (
            f" Did you mean: {', '.join(suggestions)}?"
            if suggestions
            else " Run `ungp catalog list` to see the entries."
        )
        super().__init__(f"no catalogue entry named '{name}'.{hint}")


class CatalogNotFound(CatalogError):
    """The data directory has no root catalogue."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(
            f"no catalogue at {path}. Build one with `ungp catalog build --scale small "
            "--out DIR`, or point UNGP_DATA_DIR / --data (or UNGP_CATALOG) at an existing one."
        )


class BuildError(CatalogError):
    """A domain generator broke the build contract (e.g. missing metadata)."""
