"""The one error type that means "the input is bad": the CLI turns it into exit 2."""

from __future__ import annotations

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
        return _printable(f"{text} ({self.hint})" if self.hint else text)


def _printable(text: str) -> str:
    """Control characters from the data escaped, so a message can never drive the terminal it is printed on."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


def _rebuild(problem: str, file: str | None, column: str | None, rows: tuple[int, ...], hint: str) -> InputError:
    """Unpickle an InputError."""
    return InputError(problem, file=file, column=column, rows=rows, hint=hint)


def _rows_phrase(rows: Sequence[int]) -> str:
    """'row 3' / 'rows 3, 7, 9 and 12 more'."""
    shown = ", ".join(str(r) for r in rows[:MAX_ROWS_NAMED])
    more = len(rows) - MAX_ROWS_NAMED
    label = "row" if len(rows) == 1 else "rows"
    return f"{label} {shown}" + (f" and {more} more" if more > 0 else "")
