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

    def __reduce__(self):
        """Pickle with both fields, so a worker process (pool or Spark) can hand the error back."""
        return (type(self), (self.path, self.problem))


class LibraryError(FiclensError):
    """A library database that cannot be opened or queried."""


def unexpected(exc: BaseException) -> str:
    """How a bug is told to the user: one line naming the exception, and where to get the traceback."""
    message = str(exc).splitlines()[0] if str(exc) else ""
    what = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return f"unexpected error ({what}); run with --debug for details"
