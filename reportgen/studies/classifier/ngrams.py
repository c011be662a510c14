"""Exact, vectorised n-grams: scikit-learn's ``CountVectorizer`` fit (the vocabulary) and transform (the counts), in numpy.

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
ASCII it is counted by scikit-learn itself.

``top_ngrams`` chooses the vocabulary as ``CountVectorizer(max_features=k).fit``
does (its most frequent n-grams, ties cut as its unstable argsort cuts them): the
same tokens, numbered in the alphabetical order of their strings (a foreign
document's tokens found by scikit-learn's own tokenizer), every n-gram one integer
key sorting as its string, and ``numpy.unique`` for the sums. Both are checked
against ``CountVectorizer`` in ``tests/test_ngrams.py``.
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


def top_ngrams(
    texts: Sequence[str], ngram_range: tuple[int, int] = (1, 1), max_features: int | None = None, dtype: Any = None
) -> tuple[str, ...]:
    """The n-grams scikit-learn's ``CountVectorizer`` keeps when fitted with ``max_features``: the same terms, in its order.

    scikit-learn counts every n-gram of every document in Python, sorts the terms
    alphabetically, sums each term's counts over the corpus and keeps the first
    ``max_features`` of ``(-sums).argsort()`` (numpy's quicksort: not stable, so which
    of several tied terms survive the cut depends on the whole array). Here the
    tokens get integer ids in the alphabetical order of their strings and each
    n-gram one integer key whose order is the order of its string (a token is made
    of word characters, all above the joining space, so "ab" < "ab cd" < "abc" as
    (ab,) < (ab, cd) < (abc,)); ``numpy.unique`` then gives the terms in scikit-learn's
    order with their sums, and the very same argsort runs on the very same array.

    Parameters
    ----------
    texts : sequence of str
        The training documents.
    ngram_range : tuple of int
        The analyzer's ``(min_n, max_n)``.
    max_features : int, optional
        How many of the most frequent n-grams to keep (all when None).
    dtype : numpy dtype, optional
        The vectorizer's ``dtype`` (``numpy.int64`` when None; ``numpy.float64`` for a
        ``TfidfVectorizer``): the sums scikit-learn sorts have the type of its matrix's.

    Returns
    -------
    tuple of str
        ``CountVectorizer(ngram_range=ngram_range, max_features=max_features, dtype=dtype)
        .fit(texts).get_feature_names_out()``, alphabetical.

    Raises
    ------
    ValueError
        Not one n-gram in the texts (scikit-learn's "empty vocabulary").
    """
    import numpy as np

    dtype = np.dtype(np.int64 if dtype is None else dtype)
    texts = list(texts)
    low, high = ngram_range
    words, code, doc = _all_tokens(list(texts))  # a copy: typographic punctuation is rewritten in place
    if (len(words) + 1) ** high >= _KEY_LIMIT:  # keys would overflow int64: scikit-learn chooses
        return _sklearn_top(texts, ngram_range, max_features, dtype)
    keys, sums = _ngram_sums(code, doc, len(words) + 1, low, high)
    if not keys.size:
        raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
    if max_features is not None and keys.size > max_features:
        # scikit-learn's own cut, on sums of its own type (numpy sums an int32 as int64, as scipy does).
        sums = sums.astype(np.zeros(0, dtype=dtype).sum().dtype)
        keys = keys[np.sort((-sums).argsort()[:max_features])]
    return tuple(_term(int(k), words, len(words) + 1, high) for k in keys)


def _sklearn_top(texts: list[str], ngram_range: tuple[int, int], max_features: int | None, dtype: Any) -> tuple[str, ...]:
    """scikit-learn's own choice of vocabulary (the reference ``top_ngrams`` reproduces)."""
    from sklearn.feature_extraction.text import CountVectorizer

    fitted = CountVectorizer(ngram_range=ngram_range, max_features=max_features, dtype=dtype).fit(texts)
    return tuple(str(t) for t in fitted.get_feature_names_out())


def _all_tokens(texts: list[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Every token of every document: the distinct ones sorted (Python's order), and each token's id and document.

    ASCII documents are read in numpy; the others (a handful: "schrödinger") by
    scikit-learn's own preprocessor and tokenizer, their tokens joined to the same ids.
    """
    import numpy as np

    vectorised, other = _ascii_documents(texts)
    ours = [texts[i] for i in vectorised]
    data, starts = _joined(ours)
    token_start, token_length = _tokens(data)
    doc = vectorised[np.searchsorted(starts, token_start, side="right") - 1] if ours else np.zeros(0, dtype=np.int64)
    found, code = _distinct_tokens(_lower_bytes()[data], token_start, token_length)
    theirs = _sklearn_tokens([texts[i] for i in other])
    words = sorted(set(found).union(*theirs))
    if theirs or found != words:  # foreign tokens among ours: renumber ours in the whole order
        index = {w: i for i, w in enumerate(words)}
        code = np.array([index[w] for w in found], dtype=np.int64)[code]
        code = np.concatenate([code, np.array([index[w] for t in theirs for w in t], dtype=np.int64)])
        doc = np.concatenate([doc, np.repeat(other, [len(t) for t in theirs])])
    return words, code, doc


def _distinct_tokens(lower: np.ndarray, start: np.ndarray, length: np.ndarray) -> tuple[list[str], np.ndarray]:
    """The distinct tokens of lower-cased ASCII bytes, sorted, and each token's index among them.

    A token of up to 8 bytes is exactly one 64-bit integer (its bytes, zero-padded:
    tokens hold no NUL), so most tokens are told apart by an integer sort; the longer
    ones, fewer, by a dictionary of their strings. Only the few distinct tokens are
    then sorted as Python strings.
    """
    import numpy as np

    code = np.zeros(start.size, dtype=np.int64)
    if not start.size:
        return [], code
    padded = np.zeros(lower.size + 8, dtype=np.uint8)  # zero padding: the view never reads past the end
    padded[: lower.size] = lower
    view = np.ndarray(shape=(lower.size + 1,), dtype="<u8", buffer=padded, strides=(1,))  # 8 bytes at every offset
    mask = np.array([(1 << (8 * m)) - 1 for m in range(9)], dtype=np.uint64)  # the low m bytes
    short = np.flatnonzero(length <= 8)
    key = view[start[short]] & mask[length[short]]
    keys = np.unique(key)  # a sort, then a search each: 3 times faster than return_inverse's argsort
    code[short] = np.searchsorted(keys, key)
    found = [int(k).to_bytes(8, "little").rstrip(b"\0").decode("ascii") for k in keys]
    long = np.flatnonzero(length > 8)
    if long.size:  # numbered in Python: no fixed-width array as wide as the longest token
        text = lower.tobytes().decode("ascii")
        index: dict[str, int] = {}
        numbers = [index.setdefault(text[s : s + n], len(index)) for s, n in zip(start[long].tolist(), length[long].tolist())]
        code[long] = np.array(numbers, dtype=np.int64) + len(found)
        found += list(index)
    order = sorted(range(len(found)), key=found.__getitem__)
    rank = np.empty(len(found), dtype=np.int64)
    rank[order] = np.arange(len(found))
    return [found[i] for i in order], rank[code]


def _sklearn_tokens(texts: list[str]) -> list[list[str]]:
    """Each document's tokens as scikit-learn's word analyzer finds them (lower-cased, its token pattern)."""
    if not texts:
        return []
    from sklearn.feature_extraction.text import CountVectorizer

    vectorizer = CountVectorizer()
    preprocess, tokenize = vectorizer.build_preprocessor(), vectorizer.build_tokenizer()
    return [tokenize(preprocess(t)) for t in texts]


def _ngram_sums(code: np.ndarray, doc: np.ndarray, base: int, low: int, high: int) -> tuple[np.ndarray, np.ndarray]:
    """Every distinct n-gram's key (sorted: alphabetical order) and how often it occurs in all the documents.

    An n-gram of ids (i1, ..., in) is the integer with digits i1+1, ..., in+1 then
    zeros, ``high`` digits in base ``base``: a shorter n-gram sorts before the
    longer ones it starts, as its string does.
    """
    import numpy as np

    keys = [np.zeros(0, dtype=np.int64)]
    for n in range(low, high + 1):
        count = code.size - n + 1
        if count <= 0:
            continue
        key = np.zeros(count, dtype=np.int64)
        for k in range(n):
            key = key * base + (code[k : k + count] + 1)
        inside = doc[:count] == doc[n - 1 : n - 1 + count]  # a window within one document
        keys.append(key[inside] * base ** (high - n))
    return np.unique(np.concatenate(keys), return_counts=True)


def _term(key: int, words: list[str], base: int, high: int) -> str:
    """The n-gram a key stands for (words joined by one space, as scikit-learn writes it)."""
    digits = []
    for _ in range(high):
        key, digit = divmod(key, base)
        digits.append(digit)
    return " ".join(words[d - 1] for d in reversed(digits) if d)


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
