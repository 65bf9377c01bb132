"""User-facing errors: each one becomes a single line naming the file and the problem."""

from __future__ import annotations


class FiclensError(Exception):
    """An error the user can act on; the CLI prints it as one line, never a traceback."""


class InputError(FiclensError):
    """A file that cannot be read as a story."""

    def __init__(self, path: str, problem: str):
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class LibraryError(FiclensError):
    """A library database that cannot be opened or queried."""
