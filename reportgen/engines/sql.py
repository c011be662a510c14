"""The SQL the SQL engines share: every check and count of the data layer as a query.

Each builder returns plain SQL text over a table of the file's rows as text
(``raw``: a ``_row`` column, the 1-based data row number, then the columns
read, missing values as NULL) or of the typed rows (``typed``). Plain SQL that
DuckDB and Spark SQL both accept (``CAST``, ``TRY_CAST``, ``CASE``, ``COUNT``,
``SUM``, ``ROW_NUMBER() OVER (...)``); where the two dialects spell a function
differently the builder takes a ``Dialect``. The meaning of each query is that
of the pandas code it stands for in ``reportgen.data.values`` and
``reportgen.data.summary``, named in its docstring.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportgen import schema
from reportgen.data.summary import DUPLICATE_ID, DUPLICATE_ROW, MISSING

#: The text pandas' CSV reader reads as missing (``pandas._libs.parsers.STR_NA_VALUES``, its default
#: ``na_values``): an SQL engine reads the same text as NULL, so both engines drop the same rows.
NA_TEXT: tuple[str, ...] = (
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
)  # fmt: skip

#: An id as an export writes it (``values._ID_TEXT``): digits, maybe a sign, maybe a zero fraction.
ID_PATTERN = r"\+?[0-9]+(\.0*)?"


@dataclass(frozen=True)
class Dialect:
    """How one SQL engine spells what plain SQL does not say alike."""

    #: ``{x}`` matches the regular expression ``{p}`` as a whole.
    full_match: str
    #: ``{x}`` with every run of white space made one space (``{x}`` already trimmed).
    one_space: str


DUCKDB = Dialect(full_match="regexp_full_match({x}, '{p}')", one_space="regexp_replace({x}, '\\s+', ' ', 'g')")
# Spark runs with spark.sql.parser.escapedStringLiterals on (reportgen.engines.spark.session): its string
# literals then keep a backslash as written, as standard SQL and DuckDB do, so one pattern text serves both.
SPARK = Dialect(full_match="({x} RLIKE '^(?:{p})$')", one_space="regexp_replace({x}, '\\s+', ' ')")


def quote(name: str) -> str:
    """A column name as an SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def as_number(column: str) -> str:
    """The number a count's text spells, NULL where it spells none (``pd.to_numeric(errors="coerce")``).

    "1_000" and "NaN"-like spellings are not numbers to pandas, so not here either.
    """
    c = quote(column)
    return f"CASE WHEN instr({c}, '_') > 0 THEN NULL ELSE TRY_CAST({c} AS DOUBLE) END"


def missing_counts(table: str, columns: Sequence[str]) -> str:
    """One row: the rows, then each column's missing values (``raw.isna().sum()``)."""
    parts = ", ".join(f"COUNT(*) - COUNT({quote(c)})" for c in columns)
    return f"SELECT COUNT(*), {parts} FROM {table}"


def count_problems(column: str, limit: float | None, number: str | None = None) -> tuple[tuple[str, str, str], ...]:
    """(what, condition, hint) of each way a count's value is refused, in ``values._counts_column``'s order.

    Conditions are over the column's text ``c`` and its number ``n``, on rows where the text is present.
    ``number`` names a column that already holds ``as_number(column)``, so a scan of every check converts
    each value once (the conditions then read that column); by default they convert the text themselves.
    """
    n = f"({number or as_number(column)})"
    finite = f"(NOT isnan({n}) AND {n} NOT IN (CAST('inf' AS DOUBLE), CAST('-inf' AS DOUBLE)))"
    problems = [
        ("text where a number belongs", f"({n} IS NULL OR isnan({n}))", ""),
        ("negative count", f"{n} < 0", ""),
        ("count that is not a whole number", f"{finite} AND {n} <> round({n})", ""),
        ("infinite value", f"{n} IN (CAST('inf' AS DOUBLE), CAST('-inf' AS DOUBLE))", ""),
    ]
    if limit is not None:
        problems.append(
            (
                "implausibly large value",
                f"{n} > {limit!r}",
                f"this column holds at most {limit:,.0f}; a larger value is a corrupt field or a unit error",
            )
        )
    return tuple(problems)


def problem_counts(table: str, checks: Sequence[tuple[str, str]]) -> str:
    """One row: for each (column, condition), the rows where the column is present and the condition holds."""
    parts = ", ".join(f"SUM(CASE WHEN {quote(c)} IS NOT NULL AND ({cond}) THEN 1 ELSE 0 END)" for c, cond in checks)
    return f"SELECT {parts} FROM {table}"


def rows_where(table: str, column: str, condition: str, value: str | None = None) -> str:
    """The row numbers (and ``value``, when given) where ``column`` is present and ``condition`` holds, in file order."""
    shown = f", {value}" if value else ""
    return f"SELECT _row{shown} FROM {table} WHERE {quote(column)} IS NOT NULL AND ({condition}) ORDER BY _row"


def distinct_values(table: str, column: str) -> str:
    """Each present value of ``column`` once, in the order it first appears (``values.dropna().unique()``)."""
    c = quote(column)
    return f"SELECT {c}, MIN(_row) AS first FROM {table} WHERE {c} IS NOT NULL GROUP BY {c} ORDER BY first"


def id_key(dialect: Dialect) -> str:
    """The id as the digits of the integer it spells (no sign, zero fraction or leading zeros): "007" and "7.0" are one id.

    Text, not a number, so ids of any length compare as ``values._id_column``'s integers do.
    """
    digits = f"split_part(ltrim(trim({quote(schema.VIDEO_ID)}), '+'), '.', 1)"
    stripped = f"ltrim({digits}, '0')"
    return f"CASE WHEN {stripped} = '' THEN '0' ELSE {stripped} END"


def id_not_digits(dialect: Dialect) -> str:
    """An id that is not written in digits (``values._ID_TEXT``)."""
    return "NOT " + dialect.full_match.format(x=f"trim({quote(schema.VIDEO_ID)})", p=ID_PATTERN)


def category_value(column: str, fixes: dict[str, str]) -> str:
    """A category's text with each spelling in ``fixes`` replaced by its allowed one (``values._category_values``)."""
    c = quote(column)
    if not fixes:
        return c
    whens = " ".join(f"WHEN {literal(v)} THEN {literal(fixed)}" for v, fixed in fixes.items())
    return f"CASE {c} {whens} ELSE {c} END"


def literal(text: str) -> str:
    """A string as an SQL literal."""
    return "'" + text.replace("'", "''") + "'"


def typed_select(raw: str, columns: Sequence[str], dialect: Dialect, fixes: dict[str, dict[str, str]]) -> str:
    """Every row typed (``values.typed``): counts as DOUBLE, the id as its key, categories in their allowed spelling.

    ``fixes`` maps a category column to {spelling found: allowed spelling}.
    """
    parts = ["_row"]
    for column in columns:
        if column in schema.COUNTS:
            parts.append(f"CAST({quote(column)} AS DOUBLE) AS {quote(column)}")
        elif column == schema.VIDEO_ID:
            parts.append(f"{id_key(dialect)} AS {quote(column)}")
        elif column in schema.CATEGORIES:
            parts.append(f"{category_value(column, fixes.get(column, {}))} AS {quote(column)}")
        else:
            parts.append(quote(column))
    return f"SELECT {', '.join(parts)} FROM {raw}"


def drop_flags(typed: str, columns: Sequence[str], needed: Sequence[str]) -> str:
    """Each row with why it is dropped for a study reading ``columns`` (``summary.drop_unusable``), NULL when kept.

    ``columns`` include the id. Columns: ``_row``, ``reason``, ``repeat`` (the row repeats an
    earlier one in ``columns``, id or not: ``DataSummary.duplicate_rows``) and ``repeat_id``
    (its id, missing or not, appeared earlier: ``Table.duplicate_ids``). A row is a repeat of
    an earlier one whatever happened to that one, as in pandas' ``duplicated``.
    """
    key = ", ".join(quote(c) for c in columns)
    missing = " OR ".join(f"{quote(c)} IS NULL" for c in needed) or "FALSE"
    has_id = f"{quote(schema.VIDEO_ID)} IS NOT NULL"
    return (
        "SELECT _row, "
        f"CASE WHEN {missing} THEN {literal(MISSING)} "
        f"WHEN repeat AND {has_id} THEN {literal(DUPLICATE_ROW)} "
        f"WHEN repeat_id AND {has_id} THEN {literal(DUPLICATE_ID)} END AS reason, repeat, repeat_id "
        "FROM (SELECT *, "
        f"ROW_NUMBER() OVER (PARTITION BY {key} ORDER BY _row) > 1 AS repeat, "
        f"ROW_NUMBER() OVER (PARTITION BY {quote(schema.VIDEO_ID)} ORDER BY _row) > 1 AS repeat_id "
        f"FROM {typed}) AS t"
    )


def drop_summary(flags: str) -> str:
    """Rows dropped by reason, with the repeats counted apart: ``reason, rows`` (reason NULL for the rows kept)."""
    return f"SELECT reason, COUNT(*) FROM {flags} GROUP BY reason"


def label_counts(table: str, column: str) -> str:
    """Rows of each label of ``column``: ``label, rows``."""
    c = quote(column)
    return f"SELECT {c}, COUNT(*) FROM {table} GROUP BY {c}"
