"""The exploration's analyses: pure functions of the rows and the settings, returning frozen results.

Nothing here plots or writes prose. Every table the report, the summary and
the dashboard show is computed once here, so the renderers only lay it out.

Choices, each stated in the report:

- Shares carry Wilson 95 % intervals; means carry t-based 95 % intervals.
- Claims and opinions are compared on one scale for every variable: the
  probability that a random claim video has the larger value (Cliff's delta =
  2p - 1), with the Mann-Whitney U test. It needs no assumption about the
  heavy-tailed shape of the counts.
- Associations between categories: chi-square test of independence and
  Cramér's V (0 none, 1 complete), so they rank beside the differences.
- Correlations are Spearman's by default (rank-based: robust to the long
  right tails of the counts).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from reportgen import schema
from reportgen.studies.exploration.results import (
    Band,
    BandChart,
    ColumnInfo,
    Crosstab,
    Dashboard,
    DashboardView,
    Difference,
    Distribution,
    Engineered,
    ExplorationResults,
    Finding,
    GroupValue,
    RateByGroup,
    Share,
)
from reportgen.studies.exploration.settings import ExplorationSettings

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from reportgen.data import Dataset

CLAIM = "claim_status"
BAN = "author_ban_status"
VERIFIED = "verified_status"
VIEWS = "video_view_count"
#: The counts the dashboard bands, in the order management asked for them.
BANDED = ("video_view_count", "video_like_count", "video_share_count", "video_download_count")
#: Engineered rates: name -> (numerator, denominator).
RATES = {
    "likes_per_view": ("video_like_count", VIEWS),
    "shares_per_view": ("video_share_count", VIEWS),
    "comments_per_view": ("video_comment_count", VIEWS),
}
LENGTH = "transcription_length"
#: At most this many bands a chart (the lowest power-of-ten edges are merged first).
MAX_BANDS = 6
#: The strongest correlations between different variables that join the ranked findings.
TOP_CORRELATIONS = 3
Z95 = 1.959963984540054


def explore(dataset: Dataset, settings: ExplorationSettings) -> ExplorationResults:
    """Inspect the columns, engineer the variables, run the EDA and count the dashboard's views.

    Parameters
    ----------
    dataset : Dataset
        ``frame`` holds the rows as the loader gives them (missing values may be
        present: every figure here counts the rows where it is defined);
        ``summary`` says how many rows the file holds.
    settings : ExplorationSettings

    Returns
    -------
    ExplorationResults
        Without figures (drawn later) and without a comparison to an earlier build.
    """
    if dataset.all_rows is not None:  # a sample: every figure below is computed over every usable row instead
        from reportgen.studies.exploration.all_rows import explore_all_rows

        return explore_all_rows(dataset, settings)
    frame = dataset.frame
    levels = _levels(frame, CLAIM)
    engineered_frame = engineer(frame)
    claim = frame[CLAIM].astype(str).where(frame[CLAIM].notna()) if CLAIM in frame else None
    columns = inspect_columns(frame, dataset.summary.missing_by_column, dataset.summary.rows_read)
    engineered = tuple(_engineered(engineered_frame, name, claim, levels) for name in (LENGTH, *RATES) if name in engineered_frame)
    claimed = frame[frame[CLAIM].notna()] if CLAIM in frame else frame.iloc[:0]
    numeric = [c for c in schema.COUNTS if c in frame]
    distributions = tuple(
        _distribution(claimed.loc[claimed[CLAIM].astype(str) == g, c], c, g) for c in numeric for g in levels
    )
    comparable = list(engineered_frame.columns)  # the counts, then the engineered variables
    differences = tuple(
        d for c in comparable if len(levels) == 2 and (d := _difference(engineered_frame, c, claim, levels)) is not None
    )
    rates = tuple(
        RateByGroup(rate, by, tuple(_group_value(engineered_frame.loc[frame[by].astype(str) == g, rate], g) for g in _levels(frame, by)))
        for rate in RATES
        if rate in engineered_frame
        for by in (CLAIM, BAN)
        if by in frame
    )
    corr_columns, corr = correlation(engineered_frame, frame, settings.correlation)
    ban_by_claim = crosstab(frame, CLAIM, BAN)
    verified_by_claim = crosstab(frame, CLAIM, VERIFIED)
    findings = rank_findings(differences, (ban_by_claim, verified_by_claim), corr_columns, corr, settings)
    return ExplorationResults(
        data=dataset.summary,
        rows_analysed=len(frame),
        claim_missing=int(frame[CLAIM].isna().sum()) if CLAIM in frame else len(frame),
        columns=columns,
        engineered=engineered,
        claim_balance=shares(frame[CLAIM]) if CLAIM in frame else (),
        ban_overall=shares(frame[BAN]) if BAN in frame else (),
        ban_by_claim=ban_by_claim,
        verified_by_claim=verified_by_claim,
        distributions=distributions,
        differences=differences,
        rates=rates,
        correlation_method=settings.correlation,
        correlation_columns=corr_columns,
        correlation=corr,
        findings=findings,
        dashboard=dashboard(frame, settings.bands),
    )


# --- inspection ---------------------------------------------------------------

_KINDS = {schema.ROW_NUMBER: "row number", schema.VIDEO_ID: "identifier", schema.TRANSCRIPTION: "text"}
_ROLES = {schema.ROW_NUMBER: "row number", schema.VIDEO_ID: "identifier", schema.TRANSCRIPTION: "free text", CLAIM: "outcome"}


def inspect_columns(
    frame: pd.DataFrame,
    missing_in_file: dict[str, int],
    rows_read: int,
    extent: dict[str, tuple[int, float | None, float | None]] | None = None,
) -> tuple[ColumnInfo, ...]:
    """Every column read, in file order: type, non-null and missing counts, distinct values, range, use.

    Missing counts are the file's (the loader counts them before any row is
    dropped) where the loader reports them, else the frame's. ``extent`` gives
    each column's (distinct, minimum, maximum) over every usable row when the
    frame is a sample of them (``describe.extent``).
    """
    out = []
    for column in (c for c in schema.COLUMNS if c in frame):
        values = frame[column]
        missing = int(missing_in_file.get(column, values.isna().sum()))
        kind = _KINDS.get(column, "count" if column in schema.COUNTS else "category")
        numeric = kind in ("count", "row number")
        present = values.dropna()
        role = _ROLES.get(column, "feature")
        distinct, low, high = extent[column] if extent else (int(present.nunique()), *_range(present, numeric))
        out.append(
            ColumnInfo(
                column=column,
                kind=kind,
                dtype=str(values.dtype),
                non_null=rows_read - missing,
                missing=missing,
                distinct=distinct,
                minimum=low if numeric else None,
                maximum=high if numeric else None,
                role=role,
                # Ids and row numbers name a row; free text is used through its length, never as itself.
                used=role in ("outcome", "feature"),
            )
        )
    return tuple(out)


def _range(present: pd.Series, numeric: bool) -> tuple[float | None, float | None]:
    """The minimum and maximum of a numeric column's present values (None for text or no values)."""
    if not numeric or not len(present):
        return None, None
    return float(present.min()), float(present.max())


def engineer(frame: pd.DataFrame) -> pd.DataFrame:
    """The numeric columns plus the engineered variables (a rate is undefined where views are 0 or missing)."""
    import numpy as np
    import pandas as pd

    out = pd.DataFrame(index=frame.index)
    for c in schema.COUNTS:
        if c in frame:
            out[c] = pd.to_numeric(frame[c], errors="coerce").astype("float64")
    if schema.TRANSCRIPTION in frame:
        text = frame[schema.TRANSCRIPTION]
        out[LENGTH] = text.str.len().astype("float64").where(text.notna())
    for name, (numerator, denominator) in RATES.items():
        if numerator in out and denominator in out:
            base = out[denominator].where(out[denominator] > 0)
            out[name] = (out[numerator] / base).replace([np.inf, -np.inf], np.nan)
    return out


def _engineered(values: pd.DataFrame, name: str, claim: pd.Series | None, levels: tuple[str, ...]) -> Engineered:
    """One engineered variable described overall and by claim status."""
    column = values[name].dropna()
    numerator, denominator = RATES.get(name, (schema.TRANSCRIPTION, ""))
    by_claim = tuple(_group_value(values.loc[claim == g, name], g) for g in levels) if claim is not None else ()
    return Engineered(
        name=name,
        kind="length" if name == LENGTH else "rate",
        numerator=numerator,
        denominator=denominator,
        n=len(column),
        mean=_f(column.mean()),
        median=_f(column.median()),
        minimum=_f(column.min()),
        maximum=_f(column.max()),
        by_claim=by_claim,
    )


# --- EDA ------------------------------------------------------------------------


def _levels(frame: pd.DataFrame, column: str) -> tuple[str, ...]:
    """The schema's levels of a category present in the rows, in display order (others after, sorted)."""
    if column not in frame:
        return ()
    return levels_of(set(frame[column].dropna().astype(str).unique()), column)


def levels_of(seen: set[str], column: str) -> tuple[str, ...]:
    """The labels ``seen`` in ``column`` in display order: the schema's first, others after, sorted."""
    known = [v for v in schema.CATEGORIES.get(column, ()) if v in seen]
    return (*known, *sorted(seen - set(known)))


def wilson(count: int, n: int) -> tuple[float, float]:
    """The Wilson score 95 % interval of ``count / n`` ((0, 1) when n is 0)."""
    if n == 0:
        return 0.0, 1.0
    p = count / n
    centre = (p + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / (1 + Z95**2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def shares(values: pd.Series) -> tuple[Share, ...]:
    """Each level's count and share of the non-missing values, with its Wilson interval."""
    present = values.dropna().astype(str)
    n = len(present)
    counts = present.value_counts()
    out = []
    name = str(values.name or "values")
    return shares_of({str(k): int(v) for k, v in counts.items()}, _levels(present.to_frame(name), name))


def shares_of(counts: dict[str, int], levels: tuple[str, ...]) -> tuple[Share, ...]:
    """Each level's count and share of all ``counts``, with its Wilson interval."""
    n = sum(counts.values())
    out = []
    for level in levels:
        k = int(counts.get(level, 0))
        low, high = wilson(k, n)
        out.append(Share(level, k, k / n if n else 0.0, low, high))
    return tuple(out)


def crosstab(frame: pd.DataFrame, rows: str, columns: str) -> Crosstab:
    """Counts of ``columns`` within each level of ``rows``, row shares, chi-square and Cramér's V."""
    both = frame[[rows, columns]].dropna().astype(str) if rows in frame and columns in frame else None
    found = {(str(r), str(c)): int(k) for (r, c), k in both.value_counts().items()} if both is not None else {}
    return crosstab_of(found, rows, columns, _levels(frame, rows), _levels(frame, columns))


def crosstab_of(
    found: dict[tuple[str, str], int], rows: str, columns: str, row_levels: tuple[str, ...], col_levels: tuple[str, ...]
) -> Crosstab:
    """The ``Crosstab`` of the counts ``found`` of each (row level, column level): shares, chi-square and Cramér's V."""
    from scipy.stats import chi2_contingency

    counts = {r: {c: 0 for c in col_levels} for r in row_levels}
    for (r, c), k in found.items():
        counts[r][c] = int(k)
    n = sum(sum(row.values()) for row in counts.values())
    shares_ = {r: {c: (k / sum(row.values()) if sum(row.values()) else 0.0) for c, k in row.items()} for r, row in counts.items()}
    table = [[counts[r][c] for c in col_levels] for r in row_levels]
    usable = len(row_levels) >= 2 and len(col_levels) >= 2 and all(sum(col) for col in zip(*table)) and all(map(sum, table))
    if usable:
        chi2, p, dof, _ = chi2_contingency(table, correction=False)
        v = math.sqrt(chi2 / (n * (min(len(row_levels), len(col_levels)) - 1)))
    else:
        chi2, p, dof, v = 0.0, 1.0, 0, 0.0
    return Crosstab(rows, columns, counts, shares_, n, float(chi2), int(dof), float(p), float(v))


def _distribution(values: pd.Series, column: str, group: str) -> Distribution:
    """Quantiles of one count in one group."""
    v = values.dropna().astype("float64")
    q = v.quantile([0.0, 0.25, 0.5, 0.75, 1.0]).tolist() if len(v) else [math.nan] * 5
    return Distribution(column, group, len(v), _f(q[0]), _f(q[1]), _f(q[2]), _f(q[3]), _f(q[4]), _f(v.mean()))


def _group_value(values: pd.Series, group: str) -> GroupValue:
    """Mean with its t 95 % interval, and median, of one group (None where undefined)."""
    v = values.dropna().astype("float64")
    n = len(v)
    if n == 0:
        return GroupValue(group, 0, None, None, None, None)
    return group_value_of(group, n, float(v.mean()), float(v.std(ddof=1)) if n >= 2 else None, float(v.median()))


def group_value_of(group: str, n: int, mean: float | None, sd: float | None, median: float | None) -> GroupValue:
    """The ``GroupValue`` of a group of ``n`` values with this mean, SD (ddof=1) and median."""
    from scipy.stats import t

    if n == 0:
        return GroupValue(group, 0, None, None, None, None)
    if n < 2 or sd is None:
        return GroupValue(group, n, mean, None, None, median)
    half = float(t.ppf(0.975, n - 1)) * sd / math.sqrt(n)
    return GroupValue(group, n, mean, mean - half, mean + half, median)


def _difference(values: pd.DataFrame, column: str, claim: pd.Series | None, levels: tuple[str, ...]) -> Difference | None:
    """Claims against opinions on ``column``: probability of superiority, Cliff's delta, Mann-Whitney p."""
    from scipy.stats import mannwhitneyu

    if claim is None:
        return None
    first = values.loc[claim == levels[0], column].dropna()
    second = values.loc[claim == levels[1], column].dropna()
    if len(first) == 0 or len(second) == 0:
        return None
    u, p = mannwhitneyu(first, second, alternative="two-sided")
    sup = float(u) / (len(first) * len(second))
    return Difference(column, levels[0], levels[1], float(first.median()), float(second.median()), sup, 2 * sup - 1, float(p))


def correlation(values: pd.DataFrame, frame: pd.DataFrame, method: str) -> tuple[tuple[str, ...], tuple[tuple[float | None, ...], ...]]:
    """The correlation matrix of the duration, the counts and the transcription length (pairwise complete rows)."""
    columns = tuple(c for c in (*schema.COUNTS, LENGTH) if c in values and values[c].notna().sum() > 2)
    matrix = values[list(columns)].corr(method=method)
    return columns, tuple(tuple(_f(matrix.loc[a, b]) if not math.isnan(matrix.loc[a, b]) else None for b in columns) for a in columns)


def rank_findings(
    differences: tuple[Difference, ...],
    tables: tuple[Crosstab, ...],
    corr_columns: tuple[str, ...],
    corr: tuple[tuple[float | None, ...], ...],
    settings: ExplorationSettings,
) -> tuple[Finding, ...]:
    """The largest effects first: differences (|Cliff's delta|), associations (V) and the strongest correlations (|r|)."""
    candidates = [("difference", d.column, "Cliff's delta", d.cliffs_delta, d.p_value) for d in differences]
    candidates += [("association", f"{t.rows} ~ {t.columns}", "Cramér's V", t.cramers_v, t.p_value) for t in tables if t.dof]
    measure = "Spearman rho" if settings.correlation == "spearman" else "Pearson r"
    pairs = [
        (abs(corr[i][j]), corr_columns[i], corr_columns[j], corr[i][j])
        for i in range(len(corr_columns))
        for j in range(i + 1, len(corr_columns))
        if corr[i][j] is not None
    ]
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    candidates += [("correlation", f"{a} ~ {b}", measure, r, None) for _, a, b, r in pairs[:TOP_CORRELATIONS]]
    candidates.sort(key=lambda c: (-abs(c[3]), c[1]))
    return tuple(
        Finding(rank, kind, subject, measure_, round(value, 6), round(abs(value), 6), p)
        for rank, (kind, subject, measure_, value, p) in enumerate(candidates[: settings.findings], start=1)
    )


# --- dashboard -------------------------------------------------------------------


def band_edges(values: pd.Series, banding: str) -> tuple[float, ...]:
    """The inner edges of the bands of one count: powers of ten inside its range, or its quartiles."""
    v = values.dropna()
    if v.empty:
        return ()
    quartiles = v.quantile([0.25, 0.5, 0.75]).tolist() if banding == "quartiles" else []
    return edges_of(float(v.min()), float(v.max()), quartiles, banding)


def edges_of(low: float, high: float, quartiles: list[float], banding: str) -> tuple[float, ...]:
    """The inner band edges of a count ranging from ``low`` to ``high`` (``quartiles`` read only when banding by them)."""
    if banding == "quartiles":
        edges = sorted({float(math.ceil(q)) for q in quartiles})
        return tuple(e for e in edges if low < e <= high)
    edges = [10.0**k for k in range(1, 16) if low < 10.0**k <= high]
    return tuple(edges[-(MAX_BANDS - 1) :]) if edges else ()


def _status(frame: pd.DataFrame) -> np.ndarray:
    """Each row's claim status as text, "" where it is missing (such a row counts as neither)."""
    import numpy as np

    claim = frame[CLAIM]
    return np.where(claim.isna().to_numpy(), "", claim.astype(str).to_numpy())


def _band_chart(column: str, values: np.ndarray, status: np.ndarray, edges: tuple[float, ...]) -> BandChart:
    """Claims and opinions in each band of ``values`` (a row missing its value counts in no band)."""
    import numpy as np

    index = np.searchsorted(np.asarray(edges, dtype="float64"), values, side="right")
    index[np.isnan(values)] = -1
    lows = (0.0, *edges)
    highs = (*edges, None)
    bands = []
    for i, (lo, hi) in enumerate(zip(lows, highs)):
        claims, opinions = int(((index == i) & (status == "claim")).sum()), int(((index == i) & (status == "opinion")).sum())
        bands.append(Band(lo, hi, claims, opinions, _ratio(claims, claims + opinions)))
    return BandChart(column, tuple(bands))


def dashboard(frame: pd.DataFrame, banding: str) -> Dashboard:
    """Every filter combination's claim and opinion totals and band charts (band edges from all rows).

    The columns are read into arrays once and each view is a mask over them: the twelve views cost
    what one reading of the frame does.
    """
    import numpy as np

    banded = [c for c in BANDED if c in frame]
    edges = {c: band_edges(frame[c].astype("float64"), banding) for c in banded}
    verified, ban = _levels(frame, VERIFIED), _levels(frame, BAN)
    status = _status(frame)
    values = {c: frame[c].astype("float64").to_numpy() for c in banded}
    level_rows = {(c, v): (frame[c].astype(str) == v).to_numpy() for c, levels in ((VERIFIED, verified), (BAN, ban)) for v in levels}
    views = []
    for v in ("all", *verified):
        for b in ("all", *ban):
            rows = np.ones(len(frame), dtype=bool)
            if v != "all":
                rows &= level_rows[VERIFIED, v]
            if b != "all":
                rows &= level_rows[BAN, b]
            charts = tuple(_band_chart(c, values[c][rows], status[rows], edges[c]) for c in banded)
            claims, opinions = int((status[rows] == "claim").sum()), int((status[rows] == "opinion").sum())
            views.append(DashboardView(v, b, claims, opinions, _ratio(claims, claims + opinions), charts))
    return Dashboard(banding, verified, ban, tuple(views))


def _ratio(part: int, whole: int) -> float | None:
    """part / whole, None for an empty whole."""
    return part / whole if whole else None


def _f(x: float) -> float:
    """A plain float."""
    return float(x)
