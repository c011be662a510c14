"""ngrams: exactly scikit-learn's CountVectorizer counts and choice of vocabulary, and the classifier's features unchanged.

The reference is always scikit-learn itself: ``CountVectorizer(vocabulary=...).transform``
for ``count_ngrams`` (equal matrices: same dtype, same sorted indices, no stored zeros),
``CountVectorizer(max_features=...).fit(...).get_feature_names_out()`` for ``top_ngrams``
(the same terms in the same order), on hand-picked traps, on random texts built from
the same traps, and on the real file's transcriptions.
"""

from __future__ import annotations

import builtins
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from reportgen import schema
from reportgen.studies.classifier import ngrams
from reportgen.studies.classifier.analysis import Encoder, _ngram_features, _text, columns, split_rows
from reportgen.studies.classifier.ngrams import count_ngrams, top_ngrams
from reportgen.studies.classifier.settings import ClassifierSettings

REAL = Path("/work/shared/data/tiktok_dataset.csv")
#: Terms no text below holds, or no analyzer can produce (upper case, one letter, stray spaces, 4 words in a 1-3 range).
STRANGERS = ("absent", "Ha", "a", "ha  ha", " ha", "x y", "ha ha ha ha", "café", "naïve idea", "straße", "ǆ", "under_score 42")


def reference(texts, vocabulary, ngram_range=(1, 3), dtype=np.int64):
    """scikit-learn's own counts."""
    return CountVectorizer(ngram_range=ngram_range, vocabulary=list(vocabulary), dtype=dtype).transform(texts)


def vocabulary_of(texts, ngram_range=(1, 3), extra=STRANGERS) -> list[str]:
    """Every n-gram the texts hold (scikit-learn's analyzer) and the strangers, shuffled out of sorted order."""
    try:
        found = CountVectorizer(ngram_range=ngram_range).fit(texts).get_feature_names_out().tolist()
    except ValueError:  # not one word in the texts
        found = []
    terms = list(dict.fromkeys([*found, *extra]))
    return terms[::-1]  # the column order is the vocabulary's, not an alphabetical one


def assert_same(ours, theirs) -> None:
    """Equal sparse matrices down to the storage: dtype, shape, sorted indices, no stored zeros."""
    assert ours.format == "csr" and ours.dtype == theirs.dtype and ours.shape == theirs.shape
    assert ours.has_sorted_indices and theirs.has_sorted_indices
    assert np.array_equal(ours.indptr, theirs.indptr)
    assert np.array_equal(ours.indices, theirs.indices)
    assert np.array_equal(ours.data, theirs.data)


CASES = {
    "one-letter words vanish between words": ["a b c", "x a y", "i am a cat", "to a b be"],
    "underscores and digits are word characters": ["snake_case 42 x1 1x __ _a a_ 2025 4 u2"],
    "overlapping repeats": ["ha ha ha", "ha ha ha ha ha", "the the the the", "ha"],
    "upper case": ["HA Ha hA ha", "THE Claim That", "ÉCOLE École"],
    "punctuation runs": ["...the---news!!!said,,,the;news", "ha.ha,ha", "'quoted' \"words\" (in) [brackets]", "a-b c-d"],
    "empty texts": ["", " ", "   \t\n", "!!!", "a"],
    "non-ascii letters and accents": ["café naïve idea", "straße STRASSE", "ǅ ǆ Ǆ", "ΣΑΣ σας", "İstanbul", "日本語 テキスト"],
    "typographic punctuation": ["dog’s sense", "“quoted” — dash – and… ellipsis", "«guillemets»\u00a0no\u2011break"],
    "no vocabulary word": ["zzz yyy"],
    "whitespace of all kinds": ["the\nnews\tsaid\r\nthe\x0bnews\x0cfinal", "line\u2028separator", "nul\0byte"],
}


@pytest.mark.parametrize("texts", CASES.values(), ids=CASES.keys())
@pytest.mark.parametrize("ngram_range", [(1, 1), (1, 3), (2, 3), (3, 3)])
def test_equal_to_count_vectorizer_on_the_traps(texts, ngram_range):
    vocabulary = vocabulary_of([t for case in CASES.values() for t in case], (1, 3))
    assert_same(count_ngrams(texts, vocabulary, ngram_range), reference(texts, vocabulary, ngram_range))


def test_documents_counted_a_block_at_a_time_keep_their_rows(monkeypatch):
    monkeypatch.setattr(ngrams, "_BLOCK", 3)
    texts = [t for case in CASES.values() for t in case]
    vocabulary = vocabulary_of(texts)
    assert_same(count_ngrams(texts, vocabulary, (1, 3)), reference(texts, vocabulary, (1, 3)))


def test_a_text_with_no_vocabulary_word_is_a_row_of_zeros():
    counts = count_ngrams(["zzz yyy", "the news"], ["the", "the news", "news"], (1, 2))
    assert counts.toarray().tolist() == [[0, 0, 0], [1, 1, 1]]


def test_overlapping_occurrences_are_all_counted():
    counts = count_ngrams(["ha ha ha", "Ha. ha! HA?"], ["ha ha", "ha ha ha", "ha"], (1, 3))
    assert counts.toarray().tolist() == [[2, 1, 3], [2, 1, 3]]


def test_no_text_and_no_vocabulary():
    assert_same(count_ngrams([], ["the"], (1, 1)), reference([], ["the"], (1, 1)))
    with pytest.raises(ValueError):
        count_ngrams(["the"], [], (1, 1))
    with pytest.raises(ValueError):
        count_ngrams(["the"], ["the", "the"], (1, 1))


def test_the_counts_take_the_dtype_asked_for():
    texts = ["the news the", "news"]
    assert_same(count_ngrams(texts, ["news", "the"], (1, 1), np.float64), reference(texts, ["news", "the"], (1, 1), np.float64))


def test_documents_left_to_scikit_learn_are_only_those_with_foreign_letters(monkeypatch):
    seen = []
    original = ngrams._sklearn_counts

    def spy(texts, *args):
        seen.extend(texts)
        return original(texts, *args)

    monkeypatch.setattr(ngrams, "_sklearn_counts", spy)
    texts = ["plain text", "dog’s “quoted” — text…", "café text", "ΣΑΣ"]
    vocabulary = ["text", "dog", "caf", "café text"]
    assert_same(count_ngrams(texts, vocabulary, (1, 2)), reference(texts, vocabulary, (1, 2)))
    assert seen == ["café text", "ΣΑΣ"]


def test_a_vocabulary_too_large_for_int64_keys_is_counted_by_scikit_learn(monkeypatch):
    monkeypatch.setattr(ngrams, "_KEY_LIMIT", 10)
    texts = ["the news said the news", "news said"]
    vocabulary = ["the news said", "news said", "the", "news"]
    assert_same(count_ngrams(texts, vocabulary, (1, 3)), reference(texts, vocabulary, (1, 3)))


def test_no_pyarrow_needed(monkeypatch):
    """Counted with numpy alone: the pandas-only install (no pyarrow) gets the same speed and numbers."""
    real_import = builtins.__import__

    def without_pyarrow(name, *args, **kwargs):
        if name.split(".")[0] == "pyarrow":
            raise ImportError("no pyarrow here")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_pyarrow)
    texts = ["The news said the news", "a dog’s news"]
    vocabulary = ["news", "the news", "dog"]
    assert_same(count_ngrams(texts, vocabulary, (1, 2)), reference(texts, vocabulary, (1, 2)))


#: The traps as pieces a random text is made of.
PIECES = st.sampled_from(
    ["ha", "the", "news", "a", "I", "HA", "Ha", "x1", "_", "__", "42", "7", "é", "café", "École", "ß", "Σ", "ς", "İ", "ǅ",
     "’", "“", "—", "…", "\u00a0", " ", "  ", "\n", "\t", ".", "!!", "'", "-", "\0", "日本"]
)  # fmt: skip
TEXTS = st.lists(st.lists(PIECES, max_size=25).map("".join), max_size=12)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=TEXTS, ngram_range=st.sampled_from([(1, 1), (1, 2), (1, 3), (2, 2), (2, 3), (3, 3)]))
def test_equal_to_count_vectorizer_on_random_texts(texts, ngram_range):
    vocabulary = vocabulary_of([*texts, "ha ha ha the news", "x1 __ 42"], (1, 3))
    assert_same(count_ngrams(texts, vocabulary, ngram_range), reference(texts, vocabulary, ngram_range))


@pytest.fixture(scope="module")
def real_texts() -> list[str]:
    if not REAL.exists():
        pytest.skip(f"{REAL} is absent")
    return pd.read_csv(REAL)[schema.TRANSCRIPTION].astype("string").fillna("").astype(str).tolist()


@pytest.mark.parametrize("size", [20, 300])
def test_equal_to_count_vectorizer_on_the_real_transcriptions(real_texts, size):
    fitted = CountVectorizer(ngram_range=(1, 3), max_features=size).fit(real_texts[::2])
    vocabulary = fitted.get_feature_names_out().tolist()
    assert_same(count_ngrams(real_texts, vocabulary, (1, 3)), fitted.transform(real_texts))


TFIDF = [{}, {"sublinear_tf": True}, {"norm": "l1"}, {"norm": None, "smooth_idf": False}, {"use_idf": False}]


@pytest.mark.parametrize("options", TFIDF, ids=[str(o) for o in TFIDF])
def test_tfidf_features_are_the_vectorizers_bit_for_bit(real_texts, options):
    vectorizer = TfidfVectorizer(ngram_range=(1, 3), max_features=20, **options).fit(real_texts[::3])
    vocabulary = tuple(vectorizer.get_feature_names_out())
    ours = _ngram_features(vectorizer, vocabulary, real_texts)
    assert ours.dtype == np.float64 and np.array_equal(ours, vectorizer.transform(real_texts).toarray())


@pytest.mark.parametrize("kind", ["counts", "tfidf"])
def test_the_encoders_features_are_unchanged_with_missing_and_foreign_text(kind):
    from reportgen.synthetic import generate

    frame = generate(rows=600, seed=3)
    text = frame[schema.TRANSCRIPTION].astype("string")
    text.iloc[::7] = pd.NA  # missing text is ""
    text.iloc[1::11] = "Café “news” — ΣΑΣ naïve"
    text.iloc[2::13] = ""
    frame[schema.TRANSCRIPTION] = text
    encoder = Encoder.fit(frame.iloc[:400], ClassifierSettings(text_features=kind))
    assert encoder.vectorizer is not None
    grams = encoder.transform(frame)[:, -len(encoder.vocabulary) :]
    assert np.array_equal(grams, encoder.vectorizer.transform(_text(frame)).toarray().astype(float))


# --- top_ngrams: the vocabulary CountVectorizer(max_features=...) chooses ---------------------------------------------


def reference_top(texts, ngram_range=(1, 3), max_features=None, dtype=np.int64):
    """scikit-learn's own choice, or its ValueError's message when the texts hold no n-gram."""
    try:
        fitted = CountVectorizer(ngram_range=ngram_range, max_features=max_features, dtype=dtype).fit(texts)
    except ValueError as error:
        return str(error)
    return tuple(fitted.get_feature_names_out())


def ours_top(texts, ngram_range=(1, 3), max_features=None, dtype=np.int64):
    """top_ngrams, or its ValueError's message."""
    try:
        return top_ngrams(texts, ngram_range, max_features, dtype)
    except ValueError as error:
        return str(error)


TOP_CASES = {
    **CASES,
    "prefix tokens": ["ab abc ab_ ab1 abc_d ab cd", "ab cd abc ab", "abcd abc_ ab_c a_b", "ab abc ab"],
    "digits and underscores around letters": ["_a a_ __ 0a a0 09 90 _0 0_ aa zz", "a_ _a 0a a0 aa"],
    "long tokens past 8 bytes": [
        "internationalization internationalisation international internationally",
        "internationa internation international interna" + "x" * 200,
        "x" * 200 + " " + "x" * 201 + " " + "x" * 199 + " " + "x" * 200,
    ],
    "repeated n-grams": ["the news the news the news", "news the news", "the the the the the"],
    "foreign tokens sort after ascii ones": ["schrödinger cats zebra", "schrodinger schrödinger z zz", "über uber ü"],
}


@pytest.mark.parametrize("texts", TOP_CASES.values(), ids=TOP_CASES.keys())
@pytest.mark.parametrize("ngram_range", [(1, 1), (1, 3), (2, 3), (3, 3)])
@pytest.mark.parametrize("max_features", [1, 3, 20, None])
def test_top_ngrams_are_count_vectorizers_on_the_traps(texts, ngram_range, max_features):
    for dtype in (np.int64, np.float64):
        assert ours_top(texts, ngram_range, max_features, dtype) == reference_top(texts, ngram_range, max_features, dtype)


def test_top_ngrams_of_all_the_traps_together():
    texts = [t for case in TOP_CASES.values() for t in case]
    for max_features in (5, 50, None):
        assert ours_top(texts, (1, 3), max_features) == reference_top(texts, (1, 3), max_features)


def test_string_order_is_key_order_for_prefix_tokens():
    """The claim top_ngrams rests on: n-grams sort as their strings when the keys sort as tuples (shorter first)."""
    texts = ["ab abc ab cd ab_ ab1 a1b abc d", "ab_ ab ab abc 10 1_ 1a", "abc ab ab_ x0 ab1 ab"]
    terms = top_ngrams(texts, (1, 3))
    assert list(terms) == sorted(terms) and len(set(terms)) == len(terms)
    assert terms == reference_top(texts, (1, 3))


def test_the_cut_breaks_ties_as_numpys_quicksort_does():
    """Ties at the cut: the terms kept are those of numpy's unstable argsort of the sums in alphabetical order."""
    rng = np.random.default_rng(0)
    unstable = 0
    for trial in range(40):
        n = int(rng.integers(17, 80))
        times = rng.integers(1, 4, n)
        words = [f"w{i:03d}" for i in range(n)]
        texts = [" ".join(w for w, t in zip(words, times) for _ in range(t))]
        for dtype in (np.int64, np.float64):
            expected = reference_top(texts, (1, 1), 5, dtype)
            assert top_ngrams(texts, (1, 1), 5, dtype) == expected
            stable = tuple(words[i] for i in np.sort((-times.astype(dtype)).argsort(kind="stable")[:5]))
            unstable += expected != stable
    assert unstable, "no tie broken out of order: the trap was not armed"


def test_no_ngram_at_all_is_scikit_learns_value_error():
    for texts, ngram_range in [([], (1, 1)), (["", "a", "!!"], (1, 3)), (["two words", "three more words"], (4, 4))]:
        with pytest.raises(ValueError, match="empty vocabulary"):
            top_ngrams(texts, ngram_range, 20)
        with pytest.raises(ValueError, match="empty vocabulary"):
            CountVectorizer(ngram_range=ngram_range, max_features=20).fit(texts)


def test_only_foreign_documents_are_tokenized_by_scikit_learn(monkeypatch):
    seen = []
    original = ngrams._sklearn_tokens

    def spy(texts):
        seen.extend(texts)
        return original(texts)

    monkeypatch.setattr(ngrams, "_sklearn_tokens", spy)
    texts = ["plain text", "dog’s “quoted” — text…", "schrödinger text", "ΣΑΣ σας text"]
    assert top_ngrams(texts, (1, 2), 3) == reference_top(texts, (1, 2), 3)
    assert seen == ["schrödinger text", "ΣΑΣ σας text"]
    assert texts[1] == "dog’s “quoted” — text…"  # the caller's list is left as it was


def test_keys_too_large_for_int64_leave_the_choice_to_scikit_learn(monkeypatch):
    calls = []
    original = ngrams._sklearn_top
    monkeypatch.setattr(ngrams, "_KEY_LIMIT", 10)
    monkeypatch.setattr(ngrams, "_sklearn_top", lambda *a: calls.append(a) or original(*a))
    texts = ["the news said the news", "news said"]
    assert top_ngrams(texts, (1, 3), 2) == reference_top(texts, (1, 3), 2)
    assert len(calls) == 1


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    texts=TEXTS,
    ngram_range=st.sampled_from([(1, 1), (1, 2), (1, 3), (2, 2), (2, 3), (3, 3)]),
    max_features=st.one_of(st.none(), st.integers(1, 12)),
    dtype=st.sampled_from([np.int64, np.float64]),
)
def test_top_ngrams_are_count_vectorizers_on_random_texts(texts, ngram_range, max_features, dtype):
    assert ours_top(texts, ngram_range, max_features, dtype) == reference_top(texts, ngram_range, max_features, dtype)


@pytest.fixture(scope="module")
def real_training() -> tuple[pd.DataFrame, np.ndarray]:
    """The real file's usable rows for the classifier and its training rows (as the study splits them)."""
    if not REAL.exists():
        pytest.skip(f"{REAL} is absent")
    frame = pd.read_csv(REAL)
    study = ClassifierSettings()
    needed = [c for c in columns(study) if c != schema.TRANSCRIPTION]
    frame = frame[~frame[needed].isna().any(axis=1)].reset_index(drop=True)
    y = (frame[study.target].astype(str) == study.positive_class).to_numpy().astype(int)
    train, _, _ = split_rows(y, study)
    return frame, train


@pytest.mark.parametrize("ngram_range", [(1, 3), (2, 3), (1, 1)])
@pytest.mark.parametrize("max_features", [20, 300, None])
def test_top_ngrams_are_count_vectorizers_on_the_real_training_transcriptions(real_training, ngram_range, max_features):
    frame, train = real_training
    texts = _text(frame.iloc[train])
    assert not "".join(texts).isascii()  # "schrödinger": some documents are read by scikit-learn's tokenizer
    for dtype in (np.int64, np.float64):
        assert top_ngrams(texts, ngram_range, max_features, dtype) == reference_top(texts, ngram_range, max_features, dtype)


def _old_encoder(encoder: Encoder, train: pd.DataFrame, kind: str) -> Encoder:
    """The encoder as it was fitted before top_ngrams: scikit-learn's vectorizer fitted on the training rows."""
    vectorizer = (TfidfVectorizer if kind == "tfidf" else CountVectorizer)(ngram_range=(1, 3), max_features=20)
    vectorizer.fit(_text(train))
    vocabulary = tuple(str(v) for v in vectorizer.get_feature_names_out())
    return Encoder(encoder.numeric, encoder.levels, vectorizer, vocabulary, encoder.names, encoder.groups)


@pytest.mark.parametrize("kind", ["counts", "tfidf"])
def test_the_encoders_whole_feature_matrix_is_unchanged_on_the_real_file(real_training, kind):
    frame, train = real_training
    encoder = Encoder.fit(frame.iloc[train], ClassifierSettings(text_features=kind))
    old = _old_encoder(encoder, frame.iloc[train], kind)
    assert encoder.vocabulary == old.vocabulary and len(encoder.vocabulary) == 20
    assert encoder.vectorizer.vocabulary_ == old.vectorizer.vocabulary_
    assert np.array_equal(encoder.vectorizer.get_feature_names_out(), old.vectorizer.get_feature_names_out())
    assert type(encoder.vectorizer) is type(old.vectorizer) and encoder.vectorizer.ngram_range == old.vectorizer.ngram_range
    ours = encoder.transform(frame)
    assert ours.dtype == np.float64 and np.array_equal(ours, old.transform(frame))
    texts = _text(frame)
    assert np.array_equal(encoder.vectorizer.transform(texts).toarray(), old.vectorizer.transform(texts).toarray())


def test_the_encoders_idf_is_tfidf_vectorizers_bit_for_bit(real_training):
    frame, train = real_training
    encoder = Encoder.fit(frame.iloc[train], ClassifierSettings(text_features="tfidf"))
    fitted = TfidfVectorizer(ngram_range=(1, 3), max_features=20).fit(_text(frame.iloc[train]))
    assert encoder.vectorizer.idf_.dtype == fitted.idf_.dtype and np.array_equal(encoder.vectorizer.idf_, fitted.idf_)


@pytest.mark.parametrize("kind", ["counts", "tfidf"])
def test_the_encoder_leaves_no_document_to_scikit_learns_analyzer(real_training, monkeypatch, kind):
    """The point of top_ngrams: fitting reads the ~11,000 transcriptions in numpy, not one by one in Python."""
    analysed = []
    original = CountVectorizer._count_vocab

    def spy(self, raw_documents, fixed_vocab):
        documents = list(raw_documents)
        analysed.append(len(documents))
        return original(self, documents, fixed_vocab)

    monkeypatch.setattr(CountVectorizer, "_count_vocab", spy)
    frame, train = real_training
    assert Encoder.fit(frame.iloc[train], ClassifierSettings(text_features=kind)).vectorizer is not None
    # TF-IDF's document frequencies are count_ngrams', which leaves the few foreign documents ("schrödinger") to scikit-learn.
    foreign = ngrams._ascii_documents(_text(frame.iloc[train]))[1].size
    assert sum(analysed) == (foreign if kind == "tfidf" else 0) and foreign < 50


def test_no_word_in_the_training_rows_gives_no_text_features():
    from reportgen.synthetic import generate

    frame = generate(rows=50, seed=1)
    frame[schema.TRANSCRIPTION] = "a ! b"
    encoder = Encoder.fit(frame, ClassifierSettings())
    assert encoder.vectorizer is None and encoder.vocabulary == ()
