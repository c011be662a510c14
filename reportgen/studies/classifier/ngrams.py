"""Exact, vectorised n-gram counts for a fixed vocabulary: scikit-learn's ``CountVectorizer.transform``, in numpy.

scikit-learn's default word analyzer lower-cases a document, takes every run of two
or more word characters (``(?u)\\b\\w\\w+\\b``) as a token and joins 1..n
consecutive tokens with one space; ``transform`` then counts, per document, every
occurrence of a vocabulary n-gram (overlapping ones too). It does so in Python,
document by document (about 16 µs a transcription). Here the documents are joined
into one byte array and the same steps run over all of them at once:

1. word bytes by table lookup, token bounds where a run of them starts and ends,
   runs shorter than two bytes dropped (a one-letter word vanishes between
   its neighbours, as in scikit-learn);
2. each token's lower-cased bytes packed into 64-bit keys (an unaligned view of
   the bytes at its start) and matched exactly against the vocabulary's words:
   an integer code per token;
3. per n, the codes of n consecutive tokens of the same document combined into
   one integer and matched against the vocabulary's n-grams; the hits counted
   per document and vocabulary column.

This is exact only where Python's ``str.lower`` and ``\\w`` act byte by byte,
that is on ASCII text. A document with other characters is first stripped of
the few typographic punctuation marks (curly quotes, dashes, the ellipsis, the
no-break space) that neither ``\\w`` nor ``str.lower`` touch, by replacing them
with a space (another non-word character: same tokens); if it is still not
ASCII it is counted by scikit-learn itself. The result is checked against
``CountVectorizer`` in ``tests/test_ngrams.py``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import scipy.sparse as sp

#: Non-ASCII characters that are not word characters and that ``str.lower`` leaves alone: a space is as good.
_PUNCTUATION = (
    "\u00a0\u00ab\u00bb"  # no-break space, guillemets
    "\u2010\u2011\u2012\u2013\u2014\u2015"  # hyphens and dashes
    "\u2018\u2019\u201a\u201b\u201c\u201d\u201e"  # curly quotes
    "\u2026\u2032\u2033"  # ellipsis, primes
)
_SAFE = re.compile("[" + re.escape("".join(c for c in _PUNCTUATION if not re.match(r"(?u)\w", c) and c.lower() == c)) + "]")
#: Window keys are int64: (distinct words + 1) ** n must stay below this, else scikit-learn counts (500 3-grams stay far below).
_KEY_LIMIT = 1 << 62
#: Documents counted at once: about 25 MB of temporary arrays for transcriptions of 80 characters (125 MB for 100,000).
_BLOCK = 20_000
#: A vocabulary word that an ASCII document can hold: what the analyzer makes of ASCII text.
_ASCII_TOKEN = re.compile(r"[0-9a-z_]{2,}")


def count_ngrams(
    texts: Sequence[str], vocabulary: Sequence[str], ngram_range: tuple[int, int] = (1, 1), dtype: Any = None
) -> sp.csr_matrix:
    """Count the vocabulary's n-grams in each text, exactly as scikit-learn's ``CountVectorizer`` does.

    Parameters
    ----------
    texts : sequence of str
        The documents (missing text is the caller's to replace, by "" for instance).
    vocabulary : sequence of str
        The n-grams counted, in column order (words joined by one space, as scikit-learn writes them).
    ngram_range : tuple of int
        The analyzer's ``(min_n, max_n)``: an n-gram of another length is never counted.
    dtype : numpy dtype, optional
        The counts' type (``numpy.int64``, scikit-learn's default, when None).

    Returns
    -------
    scipy.sparse.csr_matrix
        Documents by vocabulary, equal (same dtype, sorted indices, no stored zeros) to
        ``CountVectorizer(ngram_range=ngram_range, vocabulary=vocabulary, dtype=dtype).transform(texts)``.
        Sparse like scikit-learn's, so that ``TfidfTransformer`` weighs the very same matrix.

    Raises
    ------
    ValueError
        An empty vocabulary or one with a repeated n-gram (as scikit-learn).
    """
    import numpy as np

    dtype = np.dtype(np.int64 if dtype is None else dtype)
    vocabulary = [str(v) for v in vocabulary]
    if not vocabulary:
        raise ValueError("empty vocabulary passed to count_ngrams")
    if len(set(vocabulary)) != len(vocabulary):
        raise ValueError("the vocabulary repeats an n-gram")
    low, high = ngram_range
    texts = list(texts)
    if (len({w for v in vocabulary for w in v.split(" ")}) + 1) ** high >= _KEY_LIMIT:
        return _sklearn_counts(texts, vocabulary, ngram_range, dtype)
    vectorised, other = _ascii_documents(texts)
    ours = [texts[i] for i in vectorised]
    rows, cols = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for first in range(0, len(ours), _BLOCK):  # a block at a time: the per-byte and per-token arrays stay small
        r, c = _vectorised_hits(ours[first : first + _BLOCK], vocabulary, low, high)
        rows.append(r + first)
        cols.append(c)
    rows, cols = vectorised[np.concatenate(rows)], np.concatenate(cols)
    data = np.ones(rows.size, dtype=dtype)
    if other.size:  # documents scikit-learn must read itself: its own counts, put in their rows
        theirs = _sklearn_counts([texts[i] for i in other], vocabulary, ngram_range, dtype).tocoo()
        rows = np.concatenate([rows, other[theirs.row]])
        cols = np.concatenate([cols, theirs.col])
        data = np.concatenate([data, theirs.data])
    return _csr(rows, cols, data, (len(texts), len(vocabulary)), dtype)


def _sklearn_counts(texts: list[str], vocabulary: list[str], ngram_range: tuple[int, int], dtype: Any) -> sp.csr_matrix:
    """scikit-learn's own counts of the documents (the reference this module reproduces)."""
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(ngram_range=ngram_range, vocabulary=vocabulary, dtype=dtype).transform(texts)


def _ascii_documents(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Split the documents in two: those counted here (made ASCII in place) and those left to scikit-learn (indices)."""
    import numpy as np

    if "".join(texts).isascii():  # the usual case, checked at C speed
        return np.arange(len(texts)), np.zeros(0, dtype=np.int64)
    ascii = np.fromiter((t.isascii() for t in texts), dtype=bool, count=len(texts))
    for i in np.flatnonzero(~ascii):
        stripped = _SAFE.sub(" ", texts[i])  # a regex: str.translate with a dict is 6 times slower
        if stripped.isascii():  # only punctuation was foreign: same tokens once it is a space
            texts[i], ascii[i] = stripped, True
    return np.flatnonzero(ascii), np.flatnonzero(~ascii)


def _csr(rows: np.ndarray, cols: np.ndarray, data: np.ndarray, shape: tuple[int, int], dtype: Any) -> sp.csr_matrix:
    """The hits summed into a canonical CSR matrix (sorted indices, duplicates summed), as scikit-learn returns."""
    import scipy.sparse as sp

    matrix = sp.coo_matrix((data, (rows, cols)), shape=shape, dtype=dtype).tocsr()
    matrix.sum_duplicates()
    matrix.sort_indices()
    return matrix


def _vectorised_hits(texts: list[str], vocabulary: list[str], low: int, high: int) -> tuple[np.ndarray, np.ndarray]:
    """(document, column) of every vocabulary n-gram occurrence in ASCII documents: one entry per occurrence."""
    import numpy as np

    empty = np.zeros(0, dtype=np.int64)
    grams = [v.split(" ") for v in vocabulary]
    # An n-gram counts only if its length is in range and every word is a token an ASCII document can hold.
    usable = [j for j, g in enumerate(grams) if low <= len(g) <= high and all(_ASCII_TOKEN.fullmatch(w) for w in g)]
    if not texts or not usable:
        return empty, empty
    words = sorted({w for j in usable for w in grams[j]})
    data, starts = _joined(texts)
    token_start, token_length = _tokens(data)
    doc = np.searchsorted(starts, token_start, side="right") - 1
    code = _codes(data, token_start, token_length, words)
    other = len(words)  # the code of a token that is no vocabulary word
    index = {w: i for i, w in enumerate(words)}
    rows, cols = [empty], [empty]
    for n in range(low, high + 1):
        columns = [j for j in usable if len(grams[j]) == n]
        if not columns or code.size < n:
            continue
        count = code.size - n + 1
        key = np.zeros(count, dtype=np.int64)
        for k in range(n):  # the n codes of the window in base (other + 1): a unique integer per word sequence
            key = key * (other + 1) + code[k : k + count]
        wanted = np.array([_gram_key([index[w] for w in grams[j]], other + 1) for j in columns], dtype=np.int64)
        column = _lookup(key, wanted, (other + 1) ** n)
        hit = column >= 0
        hit &= doc[:count] == doc[n - 1 : n - 1 + count]  # the window must not run over into the next document
        where = np.flatnonzero(hit)
        rows.append(doc[where])
        cols.append(np.asarray(columns, dtype=np.int64)[column[where]])
    return np.concatenate(rows), np.concatenate(cols)


def _lookup(key: np.ndarray, wanted: np.ndarray, size: int) -> np.ndarray:
    """For each key, the position of the equal one in ``wanted`` (distinct keys below ``size``), -1 if none."""
    import numpy as np

    if size <= 1 << 22:  # a table indexed by the key: one gather (a 4 MB table at most)
        table = np.full(size, -1, dtype=np.int64)
        table[wanted] = np.arange(wanted.size)
        return table[key]
    order = np.argsort(wanted)
    at = np.minimum(np.searchsorted(wanted[order], key), wanted.size - 1)
    return np.where(wanted[order][at] == key, order[at], -1)


def _gram_key(codes: list[int], base: int) -> int:
    """An n-gram's word codes as one integer (the window keys' numbering)."""
    key = 0
    for c in codes:
        key = key * base + c
    return key


def _joined(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The ASCII documents as one byte array, each followed by a NUL (a non-word byte), and where each starts."""
    import numpy as np

    joined = "\0".join(texts) + "\0"
    data = np.frombuffer(joined.encode("ascii"), dtype=np.uint8)
    starts = np.zeros(len(texts), dtype=np.int64)
    if joined.count("\0") == len(texts):  # no NUL of their own: the NULs are the bounds (no Python loop)
        starts[1:] = np.flatnonzero(data == 0)[:-1] + 1
    else:
        lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
        np.cumsum(lengths[:-1] + 1, out=starts[1:])
    return data, starts


def _tokens(data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and length of every run of two or more word bytes ([0-9A-Za-z_]): the analyzer's tokens."""
    import numpy as np

    word = np.zeros(data.size + 2, dtype=bool)  # False on both sides: every run starts and ends
    word[1:-1] = _word_bytes()[data]
    edges = np.flatnonzero(word[1:] != word[:-1])
    start, end = edges[0::2], edges[1::2]
    keep = end - start >= 2
    return start[keep], (end - start)[keep]


def _codes(data: np.ndarray, start: np.ndarray, length: np.ndarray, words: list[str]) -> np.ndarray:
    """Each token's index in ``words`` (sorted, ASCII), ``len(words)`` for any other token.

    A token's lower-cased bytes are read eight at a time as little-endian 64-bit
    integers (an unaligned view at every byte), the bytes past its end masked
    off: a word of up to 8·p bytes is then exactly its length and p integers.
    """
    import numpy as np

    longest = max(len(w) for w in words)
    parts = -(-longest // 8)
    lower = np.zeros(data.size + 8 * parts, dtype=np.uint8)  # zero padding: the view never reads past the end
    lower[: data.size] = _lower_bytes()[data]
    view = np.ndarray(shape=(data.size + 8 * parts - 7,), dtype="<u8", buffer=lower, strides=(1,))
    mask = np.array([(1 << (8 * m)) - 1 for m in range(9)], dtype=np.uint64)  # the low m bytes
    ours = np.array(
        [[int.from_bytes(w.encode("ascii")[8 * p : 8 * p + 8], "little") for p in range(parts)] for w in words], dtype=np.uint64
    )
    ours_length = np.array([len(w) for w in words], dtype=np.int64)
    code = np.full(start.size, len(words), dtype=np.int64)
    fits = np.flatnonzero(length <= longest)
    s, n = start[fits], length[fits]
    keys = [view[s + 8 * p] & mask[np.clip(n - 8 * p, 0, 8)] for p in range(parts)]
    # Candidates by the first key (the words sorted by it), then every key and the length must agree: exact.
    order = np.argsort(ours[:, 0], kind="stable")
    at = np.searchsorted(ours[order, 0], keys[0])
    found = np.zeros(fits.size, dtype=bool)
    # Several words can share a first key (a long word and its 8-byte prefixes): try each word sharing it.
    for shift in range(len(words)):
        j = at + shift
        inside = j < len(words)
        j = np.where(inside, j, 0)
        word = order[j]
        same_first = inside & (ours[word, 0] == keys[0])
        if not same_first.any():
            break
        match = same_first & ~found & (ours_length[word] == n)
        for p in range(1, parts):
            match &= ours[word, p] == keys[p]
        code[fits[match]] = word[match]
        found |= match
    return code


def _word_bytes() -> np.ndarray:
    """True for the ASCII word bytes (what ``\\w`` matches in ASCII text)."""
    import numpy as np

    table = np.zeros(256, dtype=bool)
    table[np.frombuffer(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz", dtype=np.uint8)] = True
    return table


def _lower_bytes() -> np.ndarray:
    """Each byte lower-cased as ``str.lower`` does for ASCII (A-Z only)."""
    import numpy as np

    table = np.arange(256, dtype=np.uint8)
    table[ord("A") : ord("Z") + 1] += 32
    return table
