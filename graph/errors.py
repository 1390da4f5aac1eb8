"""Errors that name the file, the line and the problem."""

from __future__ import annotations

from pathlib import Path


class KGError(Exception):
    """Base of the errors the CLI turns into exit codes."""

    exit_code = 2


class SeedError(KGError):
    """Bad input in a seed file: ``path:line: message``."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = Path(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line else f"{self.path}"
        super().__init__(f"{where}: {message}")


class SeedErrors(KGError):
    """Several seed errors found in one pass; the message lists them all."""

    def __init__(self, errors: list[SeedError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


class DataInvalid(KGError):
    """The data does not conform (SHACL violation or a failed check)."""

    exit_code = 1
