"""The one error type that means "the input is bad": the CLI turns it into exit 2.

Also what a failure amounts to for the user (:func:`explain`): a file-system
error that the user's paths or machine cause (permission, a read-only or full
disk, a name too long...) is bad input naming the path, not a surprise; and
:func:`printable`, through which every line reportgen prints passes.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Sequence
from pathlib import Path

MAX_ROWS_NAMED = 5


class InputError(Exception):
    """A problem with what the user gave us: a file, a column, some rows.

    Parameters
    ----------
    problem : str
        What is wrong, in one sentence.
    file : Path or str, optional
        The file at fault.
    column : str, optional
        The column at fault.
    rows : sequence of int, optional
        1-based data row numbers (the first row under the header is row 1);
        at most five are named, with the total.
    hint : str, optional
        What the user can do about it.
    """

    def __init__(
        self,
        problem: str,
        *,
        file: Path | str | None = None,
        column: str | None = None,
        rows: Sequence[int] = (),
        hint: str = "",
    ) -> None:
        self.problem = problem
        self.file = str(file) if file is not None else None
        self.column = column
        self.rows = [int(r) for r in rows]
        self.hint = hint
        super().__init__(self.message())

    def __reduce__(self):
        """Pickle by fields, so the error survives the trip back from a worker process unchanged."""
        return (_rebuild, (self.problem, self.file, self.column, tuple(self.rows), self.hint))

    def message(self) -> str:
        """The full one-line message, starting with ``error:``."""
        where = []
        if self.file:
            where.append(self.file)
        if self.column is not None:
            where.append(f"column '{self.column}'")
        if self.rows:
            where.append(_rows_phrase(self.rows))
        text = "error: " + (": ".join([", ".join(where), self.problem]) if where else self.problem)
        return printable(f"{text} ({self.hint})" if self.hint else text)


def printable(text: str) -> str:
    """``text`` with every character that is not printable escaped as Python writes it (``\\x1b``, ``\\n``, ``\\u202e``).

    File names, titles and data reach the terminal only through this, so none
    of them can move the cursor, set the window title or reorder the line.
    Escaping is idempotent: the escapes are themselves printable.

    Parameters
    ----------
    text : str
        One line (a newline in it is escaped too; print lines one by one).

    Returns
    -------
    str
    """
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


_printable = printable  # the old private name, kept for callers not yet moved to the public one

# The file-system failures that the user's paths or machine cause, each with
# what it means and what to do: exit 2 naming the path, as for any bad input.
# Left out on purpose (they stay exit 1, "unexpected"): EIO (a failing disk is
# not fixed by changing the command), EXDEV (reportgen renames only within one
# folder, so it would be a bug), EMFILE/ENFILE (a descriptor leak is ours).
ENVIRONMENT_ERRORS: dict[int, tuple[str, str]] = {
    errno.EACCES: ("permission denied", "check the permissions of that path, or choose another place"),
    errno.EPERM: ("operation not permitted", "check the permissions of that path, or choose another place"),
    errno.EROFS: ("read-only file system", "choose a place on a writable disk"),
    errno.ENOSPC: ("no space left on the device", "free some space on that disk, or write to another one"),
    errno.EDQUOT: ("disk quota exceeded", "free some space within your quota, or write to another disk"),
    errno.EFBIG: ("file too large for this file system", "write to a disk whose file system takes large files"),
    errno.ENAMETOOLONG: ("file name too long for the file system", "use a shorter file or folder name"),
    errno.ENOTDIR: ("a part of this path is a file, not a folder", "check the path"),
    errno.EISDIR: ("is a folder where a file is needed", "check the path"),
    errno.EEXIST: ("already exists where a new folder or file must go", "move it, or choose another path"),
    errno.ENOENT: ("no such file or folder", "check that the path exists and can hold files"),
    errno.ELOOP: ("too many levels of symbolic links", "check the symbolic links along the path"),
    errno.EBUSY: ("in use by the system (a mount point, say)", "choose a folder inside it, or another path"),
}

# Writing through an open file reports these without a file name: the path
# being written is named instead.
_NAMELESS_WRITE_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def explain(exc: BaseException, writing: Path | str | None = None) -> InputError | None:
    """The bad-input error a failure amounts to, or None when it is a surprise (exit 1).

    Parameters
    ----------
    exc : BaseException
        What was raised.
    writing : Path or str, optional
        The file or folder being written, named when a full disk reports no
        file name (as writes through an open file do).

    Returns
    -------
    InputError or None
        ``exc`` itself when it is an InputError; for an ``OSError`` whose
        errno is in :data:`ENVIRONMENT_ERRORS` and whose path is known, an
        InputError naming that path; otherwise None.
    """
    if isinstance(exc, InputError):
        return exc
    if not isinstance(exc, OSError) or exc.errno not in ENVIRONMENT_ERRORS:
        return None
    path = _path_of(exc.filename)
    if path is None and exc.errno in _NAMELESS_WRITE_ERRORS and writing is not None:
        path = str(writing)
    if path is None:
        return None  # no path to name: the user could not act on it
    second = _path_of(exc.filename2)
    problem, hint = ENVIRONMENT_ERRORS[exc.errno]
    return InputError(problem, file=f"{path} -> {second}" if second else path, hint=hint)


def unexpected_line(exc: BaseException) -> str:
    """``error: unexpected failure: <type>: <message>``, escaped: the line for a surprise."""
    return printable(f"error: unexpected failure: {type(exc).__name__}: {exc}")


def _path_of(name: object) -> str | None:
    """A file name from an OSError as text; None for none, or a descriptor number."""
    if isinstance(name, (str, bytes, os.PathLike)):
        return os.fsdecode(name)
    return None


def _rebuild(problem: str, file: str | None, column: str | None, rows: tuple[int, ...], hint: str) -> InputError:
    """Unpickle an InputError."""
    return InputError(problem, file=file, column=column, rows=rows, hint=hint)


def _rows_phrase(rows: Sequence[int]) -> str:
    """'row 3' / 'rows 3, 7, 9 and 12 more'."""
    shown = ", ".join(str(r) for r in rows[:MAX_ROWS_NAMED])
    more = len(rows) - MAX_ROWS_NAMED
    label = "row" if len(rows) == 1 else "rows"
    return f"{label} {shown}" + (f" and {more} more" if more > 0 else "")
