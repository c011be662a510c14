"""The data layer: check the file, parse it, type its values, and give each study its rows and summary.

- ``files``: what the input is before it is parsed (size limit, magic bytes),
  its sha256 and the fingerprint that proves the bytes analysed are the bytes hashed.
- ``parse``: the header and the rows as text (Arrow's reader, pandas' to name a bad row).
- ``values``: counts, ids and categories typed, or refused naming column and rows.
- ``summary``: rows dropped with reasons, warnings, the refusals of unusable data.
- ``table``: one reading of the file for every study of a build (``Table``),
  each study's ``Dataset`` from it, and ``load_dataset`` for the regression alone.

Nothing heavy is imported here: pandas is imported by the functions that read.
"""

from reportgen.data.files import (
    MAX_INPUT_DEFAULT,
    MAX_INPUT_ENV,
    FileState,
    Fingerprint,
    check_file,
    fingerprint,
    max_input_bytes,
    sha256_of,
)
from reportgen.data.summary import DUPLICATE_ID, DUPLICATE_ROW, MISSING
from reportgen.data.table import (
    Dataset,
    Table,
    analysed_columns,
    columns_for,
    load_dataset,
    load_studies,
    read_table,
    regression_dataset,
    study_dataset,
)

__all__ = [
    "DUPLICATE_ID",
    "DUPLICATE_ROW",
    "MAX_INPUT_DEFAULT",
    "MAX_INPUT_ENV",
    "MISSING",
    "Dataset",
    "FileState",
    "Fingerprint",
    "Table",
    "analysed_columns",
    "check_file",
    "columns_for",
    "fingerprint",
    "load_dataset",
    "load_studies",
    "max_input_bytes",
    "read_table",
    "regression_dataset",
    "sha256_of",
    "study_dataset",
]
