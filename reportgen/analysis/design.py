"""One design matrix, built once from the training rows and shared by every fit.

Continuous predictors are standardised with training means and SDs (so fits are
well conditioned and a coefficient is "per SD"); categories become treatment
dummies against their first level in schema order (claim, active).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from reportgen import schema
from reportgen.errors import InputError

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

INTERCEPT = "Intercept"
#: The engagement counts ``[model] log1p_counts`` transforms (duration is a length, not a heavy-tailed count).
LOG1P_COLUMNS: tuple[str, ...] = tuple(c for c in schema.COUNTS if c != "video_duration_sec")


def log1p_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every column of ``LOG1P_COLUMNS`` it holds replaced by log(1 + count).

    Examples
    --------
    >>> import pandas as pd
    >>> log1p_counts(pd.DataFrame({"video_view_count": [0.0, 9.0], "video_duration_sec": [9.0, 9.0]})).round(3).to_dict("list")
    {'video_view_count': [0.0, 2.303], 'video_duration_sec': [9.0, 9.0]}
    """
    import numpy as np

    out = frame.copy()
    for c in LOG1P_COLUMNS:
        if c in out.columns:
            out[c] = np.log1p(out[c].astype(float))
    return out


@dataclass(frozen=True)
class DesignSpec:
    """How to turn rows into model columns; fitted on training rows only."""

    continuous: tuple[str, ...]
    categorical: tuple[str, ...]
    levels: dict[str, tuple[str, ...]]  # non-reference levels, one dummy each
    reference: dict[str, str]
    means: dict[str, float]
    sds: dict[str, float]
    constant: tuple[str, ...]  # predictors left out: one value only in training

    @property
    def features(self) -> tuple[str, ...]:
        """The predictors the design carries, continuous first."""
        return self.continuous + self.categorical

    def column_names(self) -> list[str]:
        """Intercept, continuous columns, then ``feature[level]`` dummies."""
        dummies = [f"{c}[{lvl}]" for c in self.categorical for lvl in self.levels[c]]
        return [INTERCEPT, *self.continuous, *dummies]

    def feature_of(self) -> dict[str, str]:
        """Design column -> the predictor it comes from."""
        out = {c: c for c in self.continuous}
        out.update({f"{c}[{lvl}]": c for c in self.categorical for lvl in self.levels[c]})
        return out

    def restrict(self, features: tuple[str, ...]) -> DesignSpec:
        """The same scaling and levels for a subset of the predictors."""
        keep = set(features)
        return DesignSpec(
            continuous=tuple(c for c in self.continuous if c in keep),
            categorical=tuple(c for c in self.categorical if c in keep),
            levels={c: v for c, v in self.levels.items() if c in keep},
            reference={c: v for c, v in self.reference.items() if c in keep},
            means={c: v for c, v in self.means.items() if c in keep},
            sds={c: v for c, v in self.sds.items() if c in keep},
            constant=self.constant,
        )

    def select(self, X: np.ndarray, subset: DesignSpec) -> np.ndarray:
        """Columns of this design's matrix that ``subset`` keeps: no rebuild."""
        names = self.column_names()
        return X[:, [names.index(n) for n in subset.column_names()]]

    def matrix(self, frame: pd.DataFrame) -> np.ndarray:
        """The design matrix of ``frame`` (float64, intercept first)."""
        import numpy as np

        parts = [np.ones(len(frame))]
        parts += [(frame[c].to_numpy(float) - self.means[c]) / self.sds[c] for c in self.continuous]
        for c in self.categorical:
            values = frame[c].astype(str).to_numpy()
            parts += [(values == lvl).astype(float) for lvl in self.levels[c]]
        return np.column_stack(parts)


def design_spec(train: pd.DataFrame, features: tuple[str, ...]) -> DesignSpec:
    """Learn scaling and reference levels from the training rows.

    A predictor with one value only is left out (``DesignSpec.constant``);
    when every predictor is, an ``InputError`` says so.
    """
    continuous, categorical, constant = [], [], []
    means, sds, levels, reference = {}, {}, {}, {}
    for name in features:
        if name in schema.CATEGORIES:
            counts = train[name].astype(str).value_counts()
            if len(counts) < 2:
                constant.append(name)
                continue
            categorical.append(name)
            present = [lvl for lvl in schema.CATEGORIES[name] if lvl in counts.index]
            reference[name], levels[name] = present[0], tuple(present[1:])
        else:
            sd = float(train[name].std())
            if not sd > 0:
                constant.append(name)
                continue
            continuous.append(name)
            means[name], sds[name] = float(train[name].mean()), sd
    if not continuous and not categorical:
        raise InputError(
            f"no predictor varies in the training rows: {', '.join(constant)} each hold one value only",
            column=constant[0] if constant else None,
            hint="the model needs at least one predictor with two or more values",
        )
    return DesignSpec(tuple(continuous), tuple(categorical), levels, reference, means, sds, tuple(constant))
