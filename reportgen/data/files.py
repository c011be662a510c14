"""File checks: what the input is before a byte of it is parsed, and its digest.

- Files larger than ``REPORTGEN_MAX_INPUT_BYTES`` (default 1 GiB; accepts a
  whole number of bytes, optionally with K, M, G or T: ``500M``, ``2G``...)
  are refused before reading. A build holds about five bytes of memory per byte of CSV beside some 150 MB of
  libraries (measured: a 45 MB, 300,000-row file peaks at 350 MB resident), so
  the default keeps a build of the largest accepted file within about 6 GB.
- A workbook, an archive or UTF-16 text is told by its first bytes and refused
  with what to do instead.
- The bytes analysed are the bytes hashed: the file's state (size, times,
  inode) is recorded before it is hashed (``fingerprint``) and compared once it
  has been read; a file that changed in between is refused rather than
  recorded under a digest that does not describe the rows analysed.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from reportgen.errors import InputError

MAX_INPUT_ENV = "REPORTGEN_MAX_INPUT_BYTES"
MAX_INPUT_DEFAULT = 1 << 30

_EXPORT_CSV = "export the sheet as CSV UTF-8"
_MAGIC = {
    b"PK\x03\x04": ("a ZIP archive (or an .xlsx workbook)", _EXPORT_CSV),
    b"\xd0\xcf\x11\xe0": ("an Excel .xls workbook", _EXPORT_CSV),
    b"\x1f\x8b": ("a gzip-compressed file", "decompress it first"),
    b"\xff\xfe": ("UTF-16 text", "save it as CSV UTF-8"),
    b"\xfe\xff": ("UTF-16 text", "save it as CSV UTF-8"),
}
_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
# A whole number of bytes with an optional binary unit: 2G, 2GB, 2GiB, 500M, 1048576.
_SIZE_TEXT = re.compile(r"([0-9]+)\s*(?:([KMGT])I?)?B?")


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, read in chunks so size never matters."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class FileState(NamedTuple):
    """What changes when a file is written, replaced or appended to.

    Size catches an append even within one tick of the file-system clock;
    ctime catches a rewrite whose mtime was set back (``cp -p``, ``touch -r``).
    """

    device: int
    inode: int
    size: int
    mtime_ns: int
    ctime_ns: int


class Fingerprint(str):
    """A file's hex sha256 that also remembers the file's state when it was hashed.

    A ``str``, so it travels as the digest through the build keys and the
    pipeline unchanged; the loader compares ``state`` with the file once it
    has read it, so a file that changed after hashing is never analysed
    under that digest, and a large file is still hashed only once.
    """

    state: FileState


def fingerprint(path: Path) -> Fingerprint:
    """The sha256 of the input file, with its state taken just before hashing.

    Raises
    ------
    InputError
        The file cannot be read.
    """
    with reading(path):
        before = file_state(path)
        digest = Fingerprint(sha256_of(path))
    digest.state = before
    return digest


def file_state(path: Path) -> FileState:
    """The file's ``FileState`` now."""
    st = path.stat()
    return FileState(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


@contextmanager
def reading(path: Path) -> Iterator[None]:
    """An OS error while reading the input (permission, I/O) as an InputError naming the file."""
    import errno

    try:
        yield
    except OSError as exc:
        denied = exc.errno in (errno.EACCES, errno.EPERM)
        reason = exc.strerror or type(exc).__name__
        hint = "check that your user may read it" if denied else ""
        raise InputError(f"the file cannot be read: {reason}", file=path, hint=hint) from None


def max_input_bytes() -> int:
    """The size limit of an input file: ``REPORTGEN_MAX_INPUT_BYTES`` or 1 GiB.

    Raises
    ------
    InputError
        The variable is set to something that is not a size.
    """
    text = os.environ.get(MAX_INPUT_ENV, "").strip().upper()
    if not text:
        return MAX_INPUT_DEFAULT
    # Whole numbers only: "inf", "nan", "-5", "1e9" and "1.5G" are refused rather than guessed at.
    size = _SIZE_TEXT.fullmatch(text)
    limit = int(size[1]) * _UNITS[size[2] or ""] if size else 0
    if limit <= 0:
        given = os.environ[MAX_INPUT_ENV]
        raise InputError(f"{MAX_INPUT_ENV} must be a size such as 2G, 500M or a number of bytes, not {given!r}")
    return limit


def size_text(n: int) -> str:
    """Bytes in the largest binary unit that keeps a whole part: '3.0 GiB'."""
    for unit, factor in (("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= factor:
            return f"{n / factor:.1f} {unit}"
    return f"{n} bytes"


def check_file(path: Path, limit: int | None = -1) -> None:
    """Refuse what is not a readable, non-empty text file of a size this machine can take.

    ``limit`` is the largest size accepted: by default ``max_input_bytes()``
    (the pandas engine's); None for an engine that reads out of core.
    """
    with reading(path):
        _check_file(path, max_input_bytes() if limit == -1 else limit)


def _check_file(path: Path, limit: int | None) -> None:
    """``check_file`` without the translation of OS errors."""
    if not path.exists():
        raise InputError("file not found", file=path, hint="check the path passed to --data")
    if not path.is_file():
        raise InputError("not a file", file=path, hint="pass the CSV file itself, not a folder")
    size = path.stat().st_size
    if limit is not None and size > limit:
        raise InputError(
            f"the file is {size_text(size)}, above the {size_text(limit)} limit for one build",
            file=path,
            # Only the pandas engine has this limit: DuckDB reads out of core.
            hint=f"read it out of core with --engine duckdb (pip install 'reportgen[duckdb]'); or filter or split the export; "
            f"or, on a machine with about six times that much free memory, raise the limit, "
            f"e.g. {MAX_INPUT_ENV}={-(-size // (1 << 30))}G",
        )
    with path.open("rb") as fh:
        head = fh.read(4)
    if not head:
        raise InputError("the file is empty", file=path)
    for magic, (what, hint) in _MAGIC.items():
        if head.startswith(magic):
            what = "an Excel .xlsx workbook" if magic == b"PK\x03\x04" and _is_xlsx(path) else what
            raise InputError(f"this is {what}, not a CSV", file=path, hint=hint)


def _is_xlsx(path: Path) -> bool:
    """A ZIP archive that holds an Excel workbook part."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            return any(name.startswith("xl/") for name in archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return False
