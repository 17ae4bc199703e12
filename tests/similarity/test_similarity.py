"""TF-IDF similarity, shared passages and term contributions (issue 4)."""
from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from hypothesis import given, settings as hypothesis_settings, strategies as st

from analysis.labels import report_labels
import pytest

from analysis.similarity import alignment_records, passages, report_similarity as rs, sentence_arrays, term_contributions
from analysis import config
from analysis.similarity import minhash, neighbours, term_extraction, tfidf

matplotlib.use("Agg")

FIXTURES = Path(__file__).parent / "fixtures"
HOR_PHRASE = "the commander of the army of the House of Representatives (HoR), General Khalifa Haftar"


def reports_from_folder(folder: Path, outlet: str = "") -> pd.DataFrame:
    """The corpus table built from ``*.txt`` files: title = first non-empty line, text = the rest."""
    rows = []
    for path in sorted(folder.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        first = next(i for i, line in enumerate(lines) if line.strip())
        text = "\n".join(lines[first + 1 :]).strip()
        rows.append({"report_id": path.stem, "path": path.name, "title": lines[first].strip(),
                     "outlet": outlet, "text": text, "n_words": len(text.split())})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def fixture_reports() -> pd.DataFrame:
    return reports_from_folder(FIXTURES)


@pytest.fixture(scope="module")
def fixture_comparison(fixture_reports) -> rs.Comparison:
    return rs.compare_reports(fixture_reports)


def pair_row(comparison: rs.Comparison, a: str, b: str) -> pd.Series:
    a, b = min(a, b), max(a, b)
    rows = comparison.pairs[(comparison.pairs["report_a"] == a) & (comparison.pairs["report_b"] == b)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_identical_texts_score_one_and_are_flagged(fixture_reports):
    original = fixture_reports[fixture_reports["report_id"] == "01_original"]
    twin = original.assign(report_id="01_twin", title="Another headline", outlet="Other outlet")
    other = fixture_reports[fixture_reports["report_id"] == "05_unrelated_football"]
    comparison = rs.compare_reports(pd.concat([original, twin, other], ignore_index=True))
    row = pair_row(comparison, "01_original", "01_twin")
    assert row["cosine"] == pytest.approx(1.0, abs=1e-6)
    assert row["near_duplicate"]
    assert row["shared_share"] == pytest.approx(1.0)
    assert not row["shared_prose"] and not row["shared_quotation"]  # a near-duplicate is flagged as that alone
    assert pd.isna(row["same_outlet"])  # one outlet unknown (""): not known to be the same
    shared = comparison.passages[comparison.passages["report_b"] == "01_twin"]
    assert (shared["score"] == 1.0).all() and (shared["match"] == "verbatim").all()
    assert len(shared) == row["shared_passages"] == 6


def test_syndicated_copy_is_top_pair_and_flagged(fixture_comparison):
    pairs = fixture_comparison.pairs
    top = pairs.iloc[0]
    assert (top["report_a"], top["report_b"]) == ("01_original", "02_syndicated")
    assert top["near_duplicate"] and top["shared_passages"] == 6
    assert top["cosine"] > 0.8
    # The copy is the only near-duplicate in the corpus.
    assert pairs["near_duplicate"].sum() == 1


def test_unrelated_texts_score_low(fixture_comparison):
    pairs = fixture_comparison.pairs
    unrelated = pairs[pairs["report_a"].str.contains("unrelated") | pairs["report_b"].str.contains("unrelated")]
    assert len(unrelated) == 9
    assert unrelated["cosine"].max() < 0.05
    assert not unrelated["near_duplicate"].any() and (unrelated["shared_passages"] == 0).all()
    related = pair_row(fixture_comparison, "01_original", "04_same_subject")["cosine"]
    assert related > unrelated["cosine"].max()


def test_shared_phrase_in_a_different_story_is_shared_prose(fixture_comparison):
    row = pair_row(fixture_comparison, "01_original", "03_same_phrase")
    assert row["shared_prose"] and not row["shared_quotation"] and not row["near_duplicate"]
    assert row["shared_passages"] == 1 and pd.isna(row["same_outlet"])  # the fixtures name no outlet
    shared = fixture_comparison.passages
    shared = shared[(shared["report_a"] == "01_original") & (shared["report_b"] == "03_same_phrase")]
    assert shared["match"].tolist() == ["phrase"] and shared["kind"].tolist() == ["prose"]
    assert "largest commercial port in western Libya" in shared["sentence_b"].iloc[0]


def test_passage_offsets_point_into_text(fixture_reports, fixture_comparison):
    texts = dict(zip(fixture_reports["report_id"], fixture_reports["text"]))
    for row in fixture_comparison.passages.itertuples():
        assert texts[row.report_a][row.start_a : row.end_a] == row.sentence_a
        assert texts[row.report_b][row.start_b : row.end_b] == row.sentence_b


def test_multiword_names_are_single_terms():
    from analysis.pipeline import nlp
    from analysis.similarity import term_extraction

    doc = nlp.parse_texts([f"Algeria has sent a strong warning to {HOR_PHRASE}, on Monday."], cache_dir=False)[0]
    terms = term_extraction.doc_terms(doc)
    assert "house of representatives" in terms and "khalifa haftar" in terms
    assert "the" not in terms and "," not in terms and "(" not in terms
    assert "send" in terms  # lemma, not "sent"
    assert "house" not in term_extraction.doc_terms(doc)  # the name's words are not counted twice
    assert "house" in term_extraction.doc_terms(doc, keep_names=False)


def test_regex_terms_keep_names_without_spacy():
    terms = term_extraction.regex_terms(f"In Cairo, {HOR_PHRASE} met the Central Bank of Libya.")
    assert "house of representatives" in terms and "general khalifa haftar" in terms
    assert "central bank of libya" in terms and "in cairo" not in terms and "cairo" in terms
    assert "the" not in terms


def test_two_reports_keep_a_vocabulary_and_one_report_has_nothing_to_compare(fixture_reports):
    two = fixture_reports[fixture_reports["report_id"].isin(["01_original", "04_same_subject"])]
    comparison = rs.compare_reports(two)
    assert len(comparison.vectors.vocabulary) > 50  # no df pruning emptied it
    assert len(comparison.pairs) == 1 and 0 < comparison.pairs["cosine"].iloc[0] < 1
    one = rs.compare_reports(fixture_reports.head(1))
    assert one.path == "nothing to compare" and one.pairs.empty and one.passages.empty
    assert list(one.pairs.columns) == rs.SIMILARITY_COLUMNS


def test_empty_text_report_does_not_break(fixture_reports):
    blank = fixture_reports.head(2).copy()
    blank.loc[blank.index[1], "text"] = ""
    comparison = rs.compare_reports(blank, rs.SimilaritySettings(analyzer="regex"))
    assert comparison.pairs["cosine"].tolist() == [0.0]


def _random_corpus(n: int, seed: int = 7) -> tuple[list[str], list[list[str]]]:
    rng = np.random.default_rng(seed)
    words = [f"w{i}" for i in range(400)]
    docs = [list(rng.choice(words, size=rng.integers(5, 60))) for _ in range(n)]
    docs[3] = list(docs[10])  # an exact duplicate: a tie at cosine 1
    docs[20] = []  # an empty report
    return [f"r{i:03d}" for i in range(n)], docs


@pytest.mark.parametrize("k, block", [(1, 7), (3, 16), (5, 1000)])
def test_blocked_top_k_equals_dense_top_k(k, block):
    ids, docs = _random_corpus(120)
    vectors = tfidf.tfidf_vectors(ids, docs)
    dense = neighbours.top_k_dense(vectors, k)
    blocked = neighbours.top_k_blocked(vectors, k, block_size=block)
    pd.testing.assert_frame_equal(dense, blocked)
    # Every non-empty report has exactly its k best neighbours in the table.
    sims = tfidf.cosine_matrix(vectors)
    for i in (0, 3, 50):
        row = sims[i].copy()
        row[i] = -1
        kth = np.sort(row)[-k]
        got = blocked[(blocked["report_a"] == ids[i]) | (blocked["report_b"] == ids[i])]
        assert (got["cosine"] >= 0).all()
        assert (got["cosine"].round(6) >= round(kth, 6) - 1e-6).sum() >= k


def test_large_corpus_path_uses_top_k_and_lsh(fixture_reports):
    settings = rs.SimilaritySettings(analyzer="regex", all_pairs_max_reports=3, top_k=1)
    comparison = rs.compare_reports(fixture_reports, settings)
    assert comparison.path == "top-k"
    assert list(comparison.pairs.columns) == rs.SIMILARITY_COLUMNS
    assert len(comparison.pairs) < 15  # not every pair
    top = comparison.pairs.iloc[0]
    assert (top["report_a"], top["report_b"], top["near_duplicate"]) == ("01_original", "02_syndicated", True)


def test_minhash_lsh_finds_the_copy(fixture_reports):
    found = minhash.near_duplicate_candidates(fixture_reports["report_id"].tolist(), fixture_reports["text"].tolist())
    assert found == [("01_original", "02_syndicated")]


def test_term_contributions_sum_to_the_cosine(fixture_comparison):
    vectors = fixture_comparison.vectors
    full = term_contributions.pair_term_contributions(vectors, "01_original", "04_same_subject", n_terms=10_000)
    cosine = pair_row(fixture_comparison, "01_original", "04_same_subject")["cosine"]
    assert full["contribution"].sum() == pytest.approx(cosine, abs=1e-4)
    assert full["contribution"].is_monotonic_decreasing
    assert "central bank of libya" in full["term"].tolist()[:5]
    top = fixture_comparison.top_terms
    assert list(top.columns) == term_contributions.TERM_COLUMNS
    assert top.groupby(["report_a", "report_b"]).size().max() <= 10


def test_sentences_split_on_line_breaks_and_keep_offsets():
    text = "First line without stop\nSecond sentence here. Third one follows here!  \n\nshort"
    spans = passages.sentence_spans(text)
    assert [text[s:e] for s, e in spans] == ["First line without stop", "Second sentence here.", "Third one follows here!", "short"]
    assert [s.text for s in passages.sentences(text, min_words=3)] == [
        "First line without stop", "Second sentence here.", "Third one follows here!"]


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .!?\"')\n\t\u00a0\u2028ÉZ9")), max_size=60))
def test_sentence_spans_are_the_trimmed_lines_of_each_punctuation_sentence(text):
    # the shortcut for a sentence on one line gives what splitting every sentence at line breaks gives
    bounds, pos = [], 0
    for m in passages._SENTENCE_END.finditer(text):
        bounds.append((pos, m.start()))
        pos = m.end()
    bounds.append((pos, len(text)))
    assert passages.sentence_spans(text) == [span for s, e in bounds for span in passages._split_lines(text, s, e)]


def test_seed_shared_prose_phrase_is_found():
    seeds = reports_from_folder(config.SEEDS_DIR)
    comparison = rs.compare_reports(seeds)
    row = pair_row(comparison, "000_02c06ce5a6f07898", "004_8220224270669d94")
    assert row["shared_prose"] and not row["shared_quotation"] and not row["near_duplicate"]
    shared = comparison.passages[(comparison.passages["report_a"] == "000_02c06ce5a6f07898")
                                 & (comparison.passages["report_b"] == "004_8220224270669d94")]
    assert any(HOR_PHRASE in s for s in shared["sentence_a"]) and any(HOR_PHRASE in s for s in shared["sentence_b"])
    assert not comparison.pairs["near_duplicate"].any()


def test_tables_are_written_identically_twice(fixture_comparison, tmp_path):
    paths = config.output_paths(tmp_path).ensure()
    first = {k: p.read_bytes() for k, p in rs.write_tables(fixture_comparison, paths).items()}
    second = {k: p.read_bytes() for k, p in rs.write_tables(fixture_comparison, paths).items()}
    assert first == second
    table = pd.read_csv(paths.table("similarity.csv"))
    assert list(table.columns[:5]) == ["report_a", "report_b", "cosine", "shared_passages", "near_duplicate"]
    assert (table["report_a"] < table["report_b"]).all()
    shared = pd.read_csv(paths.table("shared_passages.csv"))
    assert list(shared.columns[:5]) == ["report_a", "report_b", "sentence_a", "sentence_b", "score"]


def test_labels_are_readable_and_unique():
    reports = pd.DataFrame({"report_id": ["a", "b", "c"], "outlet": ["Libya Observer", "Libya Observer", ""],
                            "title": ["A very long headline about the port strike that goes on and on"] * 2 + [""]})
    labels = report_labels(reports)
    assert labels["a"].startswith("Libya Observer — A very long headline") and labels["a"].endswith("… [a]")
    assert labels["a"] != labels["b"] and labels["c"] == "c"


def test_figures_draw_for_two_and_many_reports(fixture_reports, fixture_comparison):
    from analysis.similarity import similarity_figures

    fig, data = similarity_figures.similarity_heatmap(fixture_comparison)
    assert len(data) == 36 and data["cosine"].between(0, 1).all()
    order = data.drop_duplicates("row")["report_a"].tolist()
    # Clustering puts the original and its copy side by side.
    assert abs(order.index("01_original") - order.index("02_syndicated")) == 1
    fig2, terms = similarity_figures.top_terms_chart(fixture_comparison)
    assert set(terms["report_a"] + "|" + terms["report_b"]) >= {"01_original|02_syndicated"}
    two = rs.compare_reports(fixture_reports.head(2))
    fig3, data3 = similarity_figures.similarity_heatmap(two)
    assert len(data3) == 4
    small = similarity_figures.heatmap_reports(fixture_comparison, max_reports=2)
    assert small == ["01_original", "02_syndicated"]
    import matplotlib.pyplot as plt

    plt.close("all")


# ---------------------------------------------------------------- large corpora: parallel top-k, LSH


@pytest.fixture
def top_k_here(monkeypatch):
    """Top-k in this process: each forked one would load numba anew (the forked path has its own test)."""
    from analysis.similarity import cosine_top_cells

    monkeypatch.setattr(cosine_top_cells, "IN_FORKED_PROCESS", False)


def _random_sparse_vectors(n: int, seed: int) -> tfidf.TfidfVectors:
    """L2-normalised random sparse rows with exact duplicates (ties at cosine 1) and an empty row."""
    from scipy import sparse

    rng = np.random.default_rng(seed)
    X = sparse.random(n, 300, density=0.05, format="csr", random_state=seed, dtype=np.float64)
    X = sparse.vstack([X, X[:3], sparse.csr_matrix((1, 300))]).tocsr()  # rows n..n+2 duplicate rows 0..2
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    X = sparse.diags(np.where(norms > 0, 1 / np.where(norms > 0, norms, 1), 0)) @ X
    X = sparse.csr_matrix(X)
    X.sort_indices()
    ids = [f"d{i:04d}" for i in rng.permutation(X.shape[0])]
    return tfidf.TfidfVectors(ids, X, np.array([f"t{j}" for j in range(300)], dtype=object))


@pytest.mark.parametrize("k, threads, margin", [(1, 1, 5), (3, 2, 5), (10, 2, 5), (5, 1, 0), (3, 2, 0)])
def test_sparse_top_k_equals_dense_top_k_on_a_random_sparse_matrix(k, threads, margin, top_k_here):
    # rows n..n+2 duplicate rows 0..2: ties at cosine 1; margin 0 sends every tied row to the exact recompute
    vectors = _random_sparse_vectors(150, seed=k)
    dense = neighbours.top_k_dense(vectors, k)
    pd.testing.assert_frame_equal(neighbours.top_k_sparse(vectors, k, threads=threads, margin=margin), dense)
    pd.testing.assert_frame_equal(neighbours.top_k_blocked(vectors, k, block_size=7), dense)


@pytest.mark.parametrize("k", [1, 3, 5])
def test_sparse_top_k_equals_dense_top_k_on_terms(k, top_k_here):
    ids, docs = _random_corpus(120)
    vectors = tfidf.tfidf_vectors(ids, docs)
    dense = neighbours.top_k_dense(vectors, k)
    for threads in (1, 2):
        for margin in (0, 5):
            for dense_share in (None, 0.0, 2.0):  # the default split, every term dense, none
                pd.testing.assert_frame_equal(
                    neighbours.top_k_sparse(vectors, k, threads=threads, margin=margin, dense_share=dense_share), dense)


def test_sparse_top_k_equals_dense_top_k_on_the_fixture_corpus(fixture_reports, top_k_here):
    terms = tfidf.report_terms(fixture_reports.sort_values("report_id"), "regex")
    vectors = tfidf.tfidf_vectors(sorted(fixture_reports["report_id"]), terms)
    for k in (1, 2, 8):
        dense = neighbours.top_k_dense(vectors, k)
        for margin in (0, 5):
            pd.testing.assert_frame_equal(neighbours.top_k_sparse(vectors, k, threads=2, margin=margin), dense)


def test_parallel_regex_terms_equal_serial(fixture_reports, monkeypatch):
    texts = fixture_reports["text"].tolist() * 3
    serial = [term_extraction.regex_terms(t) for t in texts]
    monkeypatch.setattr(term_extraction, "PARALLEL_TERMS_MIN_REPORTS", 2)
    assert term_extraction.regex_terms_many(texts, workers=2) == serial
    assert term_extraction.regex_terms_many(texts, keep_names=False, workers=2) == [
        term_extraction.regex_terms(t, keep_names=False) for t in texts]


def _perturbed_copy(text: str) -> str:
    """A light rewrite: a header, the second sentence dropped, two words changed."""
    sentences = text.split(". ")
    words = (sentences[0] + ". " + ". ".join(sentences[2:])).split(" ")
    words[3], words[-4] = "reportedly", "officials"
    return "UPDATED: this story has been republished.\n\n" + " ".join(words)


def test_minhash_lsh_finds_a_perturbed_copy_among_many(fixture_reports):
    original = fixture_reports.set_index("report_id").loc["04_same_subject", "text"]
    rng = np.random.default_rng(3)
    vocabulary = [f"word{i}" for i in range(2000)]
    texts = [" ".join(rng.choice(vocabulary, size=150)) for _ in range(300)] + [original, _perturbed_copy(original)]
    ids = [f"r{i:03d}" for i in range(300)] + ["x_original", "y_copy"]
    found = minhash.near_duplicate_candidates(ids, texts)
    assert ("x_original", "y_copy") in found
    assert len(found) <= 3  # random texts share no shingle
    # deterministic, and the same in one or several processes
    assert minhash.near_duplicate_candidates(ids, texts) == found
    sigs1, mask1 = minhash.minhash_signatures(texts, workers=1)
    sigs2, mask2 = minhash.minhash_signatures(texts, workers=2)
    assert (sigs1 == sigs2).all() and (mask1 == mask2).all()


def test_minhash_signatures_estimate_jaccard_and_handle_short_texts():
    rng = np.random.default_rng(5)
    words = [f"w{i}" for i in range(5000)]
    base = list(rng.choice(words, size=600))
    half = base[:300] + list(rng.choice(words, size=300))  # shares about a third of the shingles
    sigs, mask = minhash.minhash_signatures([" ".join(base), " ".join(base), " ".join(half), "", "two words"])
    assert mask.tolist() == [True, True, True, False, True]
    assert (sigs[0] == sigs[1]).all()
    jaccard = len(minhash.shingles(" ".join(base)) & minhash.shingles(" ".join(half))) / len(
        minhash.shingles(" ".join(base)) | minhash.shingles(" ".join(half)))
    assert abs((sigs[0] == sigs[2]).mean() - jaccard) < 0.15
    assert (sigs[4] != np.iinfo(np.uint64).max).all()  # a one-shingle text fills every bin


@hypothesis_settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.lists(st.integers(0, 2), min_size=2, max_size=2), max_size=40), weak_hash=st.booleans())
def test_lsh_bands_pair_every_two_equal_rows(rows, weak_hash):
    values = np.array(rows, dtype=np.uint64).reshape(len(rows), 2)
    expected = sorted(i * len(rows) + j for i in range(len(rows)) for j in range(i + 1, len(rows)) if rows[i] == rows[j])
    with pytest.MonkeyPatch.context() as patch:
        if weak_hash:  # rows that differ share a hash: the groups must come from the values themselves
            patch.setattr(minhash, "_mix64", lambda h: h % np.uint64(2))
        assert sorted(minhash._equal_rows(values).tolist()) == expected


def test_minhash_signatures_are_the_same_on_every_run_and_machine():
    # recorded from the signatures of this commit's parent, which hashed words one Python call at a time:
    # a user's stored candidates stay valid across versions and machines
    texts = ["Khalifa Haftar met Israeli intelligence officers in Cairo in 2017 and again in 2018, the report said.",
             "", "two words", "Ισραήλ και Λιβύη: the port of Benghazi was closed on Tuesday, officials said."]
    sigs, mask = minhash.minhash_signatures(texts, num_perm=64, workers=1)
    digest = hashlib.sha256(sigs.astype("<u8").tobytes() + mask.tobytes()).hexdigest()
    assert digest == "83dd2c23c7aa58c790034b5c6790cb3f93c51be9cdd5d4865188fa2af14fb847"


def test_shingle_hashes_cover_the_shingle_set():
    text = "The cat sat on the mat and the cat sat on the mat"
    hashes = minhash.shingle_hashes(text)
    assert len(set(hashes.tolist())) == len(minhash.shingles(text))
    assert minhash.shingle_hashes("a b").shape == (1,) and minhash.shingle_hashes("").shape == (0,)


def _serial_and_parallel(reports, monkeypatch, tmp_path, **constants):
    """``compare_reports`` serially, then in forked workers; each with an empty pair cache (a warm one would hide the workers)."""
    settings = rs.SimilaritySettings(analyzer="regex", all_pairs_max_reports=3, top_k=3, align_min_cosine=0.0)
    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "serial")
    serial = rs.compare_reports(reports, settings)
    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "parallel")
    for name, value in {"PARALLEL_ALIGN_MIN_PAIRS": 1, **constants}.items():
        monkeypatch.setattr(rs, name, value)
    monkeypatch.setattr(term_extraction, "n_workers", lambda: 2)
    calls = []
    in_processes = rs._align_in_processes
    monkeypatch.setattr(rs, "_align_in_processes", lambda *a: calls.append(len(a[0])) or in_processes(*a))
    parallel = rs.compare_reports(reports, settings)
    assert calls and calls[0] == len(serial.pairs) > 2  # every pair went to the workers
    return serial, parallel


@pytest.mark.parametrize("compiled_from", [2000, 1])
def test_parallel_alignment_equals_serial(fixture_reports, monkeypatch, tmp_path, compiled_from):
    # compiled_from=1: the workers filter candidates with the kernels the parent loaded before forking them
    serial, parallel = _serial_and_parallel(fixture_reports, monkeypatch, tmp_path,
                                            COMPILED_ALIGN_MIN_PAIRS=compiled_from)
    pd.testing.assert_frame_equal(serial.pairs, parallel.pairs)
    pd.testing.assert_frame_equal(serial.passages, parallel.passages)
    assert serial.pairs["shared_passages"].sum() > 0


def test_parallel_alignment_with_evictions_equals_serial(fixture_reports, monkeypatch, tmp_path):
    # one pair per task and a one-report cache: workers evict and re-split reports between tasks
    serial, parallel = _serial_and_parallel(fixture_reports, monkeypatch, tmp_path,
                                            ALIGN_CHUNK_PAIRS=1, ALIGN_CACHE_REPORTS=1)
    pd.testing.assert_frame_equal(serial.pairs, parallel.pairs)
    pd.testing.assert_frame_equal(serial.passages, parallel.passages)


def test_partly_cached_alignment_equals_a_cold_one(fixture_reports, monkeypatch, tmp_path):
    # a rerun after one report is added: pairs without it come from the pair cache, pairs with it are aligned
    settings = rs.SimilaritySettings(analyzer="regex", align_min_cosine=0.0)
    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cold")
    cold = rs.compare_reports(fixture_reports, settings)
    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "grown")
    added = fixture_reports["report_id"].iloc[0]
    rs.compare_reports(fixture_reports[fixture_reports["report_id"] != added], settings)
    aligned = []
    align = rs._align
    monkeypatch.setattr(rs, "_align", lambda to_align, *a, **kw: aligned.append(to_align) or align(to_align, *a, **kw))
    grown = rs.compare_reports(fixture_reports, settings)
    warm = rs.compare_reports(fixture_reports, settings)
    assert len(aligned) == 1 and (aligned[0][["report_a", "report_b"]] == added).any(axis=1).all()
    assert 0 < len(aligned[0]) < len(cold.pairs) and cold.passages["report_a"].ne(added).any()
    for run in (grown, warm):
        pd.testing.assert_frame_equal(cold.pairs, run.pairs)
        pd.testing.assert_frame_equal(cold.passages, run.passages)


def test_large_corpus_with_no_pair_to_align(fixture_reports, monkeypatch, tmp_path):
    # top-k path, no pair similar enough to align and no LSH candidate: an empty alignment, not a crash
    monkeypatch.setattr(config, "CACHE_DIR", tmp_path)
    monkeypatch.setattr(neighbours, "near_duplicate_candidates", lambda *a, **kw: [])
    settings = rs.SimilaritySettings(analyzer="regex", all_pairs_max_reports=2, align_min_cosine=1.5)
    comparison = rs.compare_reports(fixture_reports, settings)
    assert comparison.path == "top-k" and len(comparison.pairs) > 0 and comparison.passages.empty
    assert comparison.pairs["shared_passages"].eq(0).all() and not comparison.pairs["near_duplicate"].any()


def test_alignment_records_give_each_pair_its_own_passages_back():
    texts = {"a": "Über alles. Second one here.", "b": "Über alles! Second one here. Third", "c": "Third—and «last»"}
    cells = [("a", "b", 1.0, "verbatim", 2, 0, 0, 0, 11, 0, 11), ("a", "b", 0.9375, "verbatim", 3, 0, 0, 12, 28, 12, 28),
             ("b", "c", 0.6667, "rewrite", 1, 1, 0, 29, 34, 0, 5)]
    shared = pd.DataFrame([(a, b, texts[a][sa:ea], texts[b][sb:eb], score, kind, run, ra, rb, sa, ea, sb, eb)
                           for a, b, score, kind, run, ra, rb, sa, ea, sb, eb in cells], columns=passages.PASSAGE_COLUMNS)
    summary = pd.DataFrame([("b", "c", 1, 0.1, False), ("a", "b", 2, 0.9, True), ("a", "c", 0, 0.0, False)],
                           columns=passages.SUMMARY_COLUMNS)
    keys = {pair: "-".join(pair) for pair in zip(summary["report_a"], summary["report_b"])}
    for block in (1, 2, 10):
        items = dict(alignment_records.encode(keys, shared, summary, block=block))
        assert sorted(items) == ["a-b", "a-c", "b-c"] and all(map(alignment_records.readable, items.values()))
        assert len(items["a-c"]) == alignment_records.SUMMARY_RECORD.itemsize  # no passage: its summary alone
        back_shared, back_summary = alignment_records.decode({pair: items[key] for pair, key in keys.items()}, texts)
        pd.testing.assert_frame_equal(back_summary, summary)  # in the order asked; sentences cut from the texts
        pd.testing.assert_frame_equal(back_shared.sort_values(["report_a", "report_b"], kind="mergesort")
                                      .reset_index(drop=True), shared)
    none_shared = alignment_records.decode({("a", "c"): items["a-c"]}, texts)[0]
    pd.testing.assert_frame_equal(none_shared, passages.shared_passages(summary.iloc[:0], {})[0])
    value = items["a-b"]
    assert not alignment_records.readable(value[:-1]) and not alignment_records.readable(value + b"\0")
    assert not alignment_records.readable({"summary": [0], "passages": []}) and not alignment_records.readable(b"")
    with pytest.raises(AssertionError):
        list(alignment_records.encode(keys, shared.iloc[:2], summary))  # a pair's passages missing
    with pytest.raises(AssertionError):
        list(alignment_records.encode(keys, shared.iloc[[0, 2, 1]], summary))  # passages of another pair
    with pytest.raises(AssertionError):
        list(alignment_records.encode(keys, shared.assign(match="copy"), summary))  # a match kind it cannot store


def test_an_unreadable_cached_pair_is_aligned_again(fixture_reports, monkeypatch, tmp_path):
    from analysis.pipeline import result_store

    settings = rs.SimilaritySettings(analyzer="regex", align_min_cosine=0.0)
    monkeypatch.setattr(config, "CACHE_DIR", tmp_path)
    cold = rs.compare_reports(fixture_reports, settings)
    store = tmp_path / "features" / "alignment.sqlite"
    with sqlite3.connect(store) as db:
        keys = [k for (k,) in db.execute("SELECT key FROM results ORDER BY key")]
    result_store.put_many(store, [(keys[0], b"\1\2"), (keys[1], {"summary": [], "passages": []})])
    warm = rs.compare_reports(fixture_reports, settings)
    pd.testing.assert_frame_equal(cold.pairs, warm.pairs)
    pd.testing.assert_frame_equal(cold.passages, warm.passages)
    assert all(map(alignment_records.readable, result_store.get_many(store, keys).values()))


def test_locality_order_puts_pairs_that_share_a_report_next_to_each_other():
    # a chain r00-r01-...-r19 listed in a shuffled order, with shuffled ends
    rng = np.random.default_rng(0)
    names = [f"r{i:02d}" for i in rng.permutation(20)]
    chain = [(names[i], names[i + 1]) if rng.random() < 0.5 else (names[i + 1], names[i]) for i in range(19)]
    pairs = pd.DataFrame([chain[i] for i in rng.permutation(19)], columns=["report_a", "report_b"])
    order = rs.locality_order(pairs)
    assert sorted(order.tolist()) == list(range(19))
    walked = pairs.iloc[order]
    links = list(zip(walked["report_a"], walked["report_b"]))
    assert all(set(x) & set(y) for x, y in zip(links, links[1:]))
    assert rs.locality_order(pairs.iloc[:0]).tolist() == []


def _random_report_pair(seed: int):
    """Two random 'reports' that copy some sentences, repeat some (within a report) and rewrite others."""
    rng = np.random.default_rng(seed)
    vocab = ["the", "of", "army", "house", "general", "said", "port", "libya", "and", "a"]

    def sentence(words=None):
        return passages.Sentence(0, 0, "", tuple(words if words is not None else rng.choice(vocab, size=rng.integers(4, 14))))

    sents_a = [sentence() for _ in range(30)]
    sents_b = [sentence() for _ in range(30)]
    sents_b[:5] = sents_a[:5]  # copied once: locked to their copy
    sents_a[5] = sents_a[6] = sents_b[5]  # twice in a, once in b: not locked
    sents_b[7] = sents_b[8] = sents_a[7]  # once in a, twice in b: not locked
    sents_a[9] = sents_b[9] = sents_a[0]  # a copied sentence repeated in both
    for i in range(10, 16):  # light rewrites of copied sentences, competing with the copies
        words = list(sents_a[i - 10].words)
        words[int(rng.integers(len(words)))] = str(rng.choice(vocab))
        sents_b[i] = sentence(words)
    order = rng.permutation(len(sents_b))
    return sents_a, [sents_b[i] for i in order]


@pytest.mark.parametrize("compiled", [False, True])
@pytest.mark.parametrize("few", [0.0, 1.0])
@pytest.mark.parametrize("dense", [True, False])
@pytest.mark.parametrize("collide", [False, True])
@pytest.mark.parametrize("seed", [11, 12, 13, 14])
def test_alignment_shortcuts_match_difflib(seed, collide, dense, few, compiled, monkeypatch):
    """The exact shortcuts of ``align_sentences`` (identical sentences, locked copies, n-gram and overlap bounds) change nothing.

    With ``collide``, token and n-gram hashes collide all the time (the mixing
    constant is 0): the shortcuts skip less, and still change nothing. Without
    ``dense``, shared entries are counted by sorting, as for reports of
    hundreds of sentences. ``few`` makes the bounds' joins take every
    sentence's entries (0) or only those of the sentences still tested (1).
    ``compiled``: the same shortcuts by the numba kernels.
    """
    from difflib import SequenceMatcher

    if collide:
        monkeypatch.setattr(passages, "_MIX", np.uint64(0))
    if not dense:
        monkeypatch.setattr(passages, "_DENSE_PAIRS", 0)
    monkeypatch.setattr(passages, "_FEW_SENTENCES", few)
    sents_a, sents_b = _random_report_pair(seed)
    for settings in (passages.AlignmentSettings(), passages.AlignmentSettings(phrase_min_words=4, rewrite_threshold=0.4),
                     passages.AlignmentSettings(phrase_min_words=1),
                     # even a copy is no verbatim or rewrite match: locked copies are phrases or nothing
                     passages.AlignmentSettings(verbatim_threshold=1.01, rewrite_threshold=1.01, phrase_min_words=6,
                                                phrase_min_content=2)):
        got = passages.align_sentences(sents_a, sents_b, settings, compiled=compiled)
        # reference: every candidate through difflib, as before the shortcuts
        cands = []
        for ia, s in enumerate(sents_a):
            for ib, o in enumerate(sents_b):
                if len(set(zip(s.words, s.words[1:])) & set(zip(o.words, o.words[1:]))) < 2:
                    continue
                m = SequenceMatcher(None, s.words, o.words, autojunk=False)
                score, run = m.ratio(), m.find_longest_match(0, len(s.words), 0, len(o.words))
                if score >= settings.verbatim_threshold:
                    kind = "verbatim"
                elif score >= settings.rewrite_threshold:
                    kind = "rewrite"
                elif run.size >= settings.phrase_min_words and passages._content_words(
                        s.words[run.a : run.a + run.size]) >= settings.phrase_min_content:
                    kind = "phrase"
                else:
                    continue
                cands.append((score, run.size, ia, ib, kind, run.a, run.b))
        cands.sort(key=lambda c: (-c[0], -c[1], c[2], c[3]))
        used_a, used_b, expected = set(), set(), []
        for score, run, ia, ib, kind, run_a, run_b in cands:
            if ia in used_a or ib in used_b:
                continue
            used_a.add(ia)
            used_b.add(ib)
            expected.append({"ia": ia, "ib": ib, "score": round(score, 4), "match": kind, "longest_run": run,
                             "run_a": run_a, "run_b": run_b})
        assert got == sorted(expected, key=lambda m: (m["ia"], m["ib"]))
        assert got


_WORDS = st.lists(st.sampled_from(["the", "of", "army", "house", "said", "port", "libya", "a"]), max_size=30)


@hypothesis_settings(max_examples=300, deadline=None)
@given(_WORDS, _WORDS)
def test_compiled_sequence_matcher_equals_difflib(a, b):
    """The alignment's ``SequenceMatcher`` (cydifflib) gives difflib's ratio and longest match, ties included."""
    import difflib

    ours = passages.SequenceMatcher(None, a, b, autojunk=False)
    reference = difflib.SequenceMatcher(None, a, b, autojunk=False)
    assert ours.ratio() == reference.ratio()
    assert tuple(ours.find_longest_match(0, len(a), 0, len(b))) == tuple(reference.find_longest_match(0, len(a), 0, len(b)))
    assert [tuple(m) for m in ours.get_matching_blocks()] == [tuple(m) for m in reference.get_matching_blocks()]


def test_sentence_words_are_each_word_lowercased():
    """Lower-casing a sentence at once gives each word's own lower case (final sigma, dotted I, title case, ß)."""
    text = ("ΟΔΟΣ ΣΑΣ Σ ΑΣ. Officials in İSTANBUL and ǅUKIĆ met. ΣΣΣ ʰΣ straße STRASSE ＦＵＬＬ.\n"
            "Ünïcödé Ⅻ ΌΣΟΣ ΣΟΦΟΣ_ΣΑΣ 42ΑΣ done")
    got = [s.words for s in passages.sentences(text, min_words=1)]
    expected = [tuple(w.lower() for w in sentence_arrays.WORD.findall(text[start:end]))
                for start, end in passages.sentence_spans(text)]
    assert got == expected
    assert "οδος" in got[0] and "i̇stanbul" in got[1]


def test_regex_terms_of_a_large_corpus_share_one_string_per_term(monkeypatch):
    # workers send each chunk's own copies of the words; the parent keeps one object per distinct term
    monkeypatch.setattr(term_extraction, "PARALLEL_TERMS_MIN_REPORTS", 2)
    texts = [f"The general said the port of Benghazi was closed on day {i}." for i in range(600)]
    serial = term_extraction.regex_terms_many(texts, workers=1)
    parallel = term_extraction.regex_terms_many(texts, workers=2)
    assert parallel == serial
    objects = {}
    for terms in parallel:
        for term in terms:
            assert objects.setdefault(term, term) is term
    assert len(objects) == len({t for terms in serial for t in terms}) > 500


def test_shared_strings_keeps_the_first_copy_of_each_term():
    shared = {}
    first = term_extraction.shared_strings([["port", "".join(["gen", "eral"])]], shared)
    again = term_extraction.shared_strings([["".join(["po", "rt"])], [], ["general", "port"]], shared)
    assert again == [["port"], [], ["general", "port"]]
    assert again[0][0] is first[0][0] and again[2][0] is first[0][1] and again[2][1] is first[0][0]


def test_term_codes_number_terms_by_first_appearance_and_give_the_lists_back():
    lists = [["port", "general", "port"], [], ["benghazi", "general"], ["port"]]
    codes = term_extraction.TermCodes.from_lists(lists)
    assert codes.vocabulary.tolist() == ["port", "general", "benghazi"]
    assert codes.codes.tolist() == [0, 1, 0, 2, 1, 0]
    assert codes.lengths.tolist() == [3, 0, 2, 1]
    assert len(codes) == 4 and codes[2] == ["benghazi", "general"] and codes.lists() == lists == list(codes)
    empty = term_extraction.TermCodes.from_lists([])
    assert len(empty) == 0 and empty.lists() == [] and len(empty.vocabulary) == 0


@pytest.mark.parametrize("chunk", [1, 7, 250])
def test_parallel_term_codes_equal_serial(monkeypatch, chunk):
    # two workers number their chunks with vocabularies of their own; renumbered in order, the codes are one
    # process's, also when a term is new to one worker but was met by the other in an earlier chunk
    monkeypatch.setattr(term_extraction, "PARALLEL_TERMS_MIN_REPORTS", 2)
    monkeypatch.setattr(term_extraction, "TERMS_CHUNK_REPORTS", chunk)
    rng = np.random.default_rng(chunk)
    words = ["port", "general", "Benghazi", "closed", "Tripoli", "Haftar", "Cairo", "envoy", "talks", "oil"]
    texts = [f"The {' '.join(rng.choice(words, size=6))} said on day {i % 37}." for i in range(600)]
    serial = term_extraction.regex_term_codes(texts, workers=1)
    for _ in range(2):  # a second call starts from new vocabularies
        parallel = term_extraction.regex_term_codes(texts, workers=2)
        assert parallel.vocabulary.tolist() == serial.vocabulary.tolist()
        assert np.array_equal(parallel.codes, serial.codes) and np.array_equal(parallel.lengths, serial.lengths)
        assert parallel.lists() == [term_extraction.regex_terms(t) for t in texts]


def _sklearn_tfidf(term_lists, **settings):
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer=lambda terms: terms, lowercase=False, **settings)
    try:
        matrix = vectorizer.fit_transform(term_lists)
    except ValueError:  # every term pruned
        return None
    from scipy import sparse

    matrix = sparse.csr_matrix(matrix, dtype=np.float64)
    matrix.sort_indices()
    return matrix, vectorizer.get_feature_names_out()


_TERMS = st.sampled_from(["port", "general", "haftar", "khalifa haftar", "benghazi", "ισραήλ", "Zeta", "ärger",
                          "port's", "2019", "a b", "libya", "cairo", "tripoli", "moscow"])


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    term_lists=st.lists(st.lists(_TERMS, max_size=25), min_size=1, max_size=12),
    sublinear_tf=st.booleans(), smooth_idf=st.booleans(), norm=st.sampled_from(["l2", "l1", None]),
    min_df=st.one_of(st.integers(1, 4), st.floats(0.0, 1.0)), max_df=st.one_of(st.integers(1, 12), st.floats(0.0, 1.0)),
)
def test_tfidf_vectors_equal_scikit_learns_bit_for_bit(term_lists, sublinear_tf, smooth_idf, norm, min_df, max_df):
    settings = dict(sublinear_tf=sublinear_tf, smooth_idf=smooth_idf, norm=norm, min_df=min_df, max_df=max_df)
    ids = [f"r{i}" for i in range(len(term_lists))]
    expected = _sklearn_tfidf(term_lists, **settings) if any(term_lists) else None
    for given_terms in (term_lists, term_extraction.TermCodes.from_lists(term_lists)):
        got = tfidf.tfidf_vectors(ids, given_terms, **settings)
        if expected is None:
            assert got.matrix.shape == (len(ids), 0) and len(got.vocabulary) == 0
            continue
        matrix, vocabulary = expected
        assert got.vocabulary.tolist() == vocabulary.tolist()
        for part in ("indptr", "indices"):
            assert np.array_equal(getattr(got.matrix, part), getattr(matrix, part))
        assert got.matrix.data.tobytes() == matrix.data.tobytes()  # the same bits, not merely close
    whole = tfidf._term_counts(term_extraction.TermCodes.from_lists(term_lists))
    for block_terms in (1, 7):  # counted a few reports at a time: the same matrix
        part = tfidf._term_counts(term_extraction.TermCodes.from_lists(term_lists), block_terms=block_terms)
        assert all(np.array_equal(getattr(part, a), getattr(whole, a)) for a in ("indptr", "indices", "data"))
        assert part.shape == whole.shape


@pytest.mark.parametrize("name, value", [("min_df", 0), ("min_df", 1.5), ("max_df", 0), ("max_df", "all"),
                                         ("max_df", True)])
def test_tfidf_vectors_name_a_bad_document_frequency_setting(name, value):
    with pytest.raises(ValueError, match=name):
        tfidf.tfidf_vectors(["a", "b"], [["port"], ["port", "general"]], **{name: value})


@pytest.mark.parametrize("dtype", ["str", object])
def test_texts_by_id_reads_the_column_it_was_given(dtype):
    column = pd.Series(["Haftar visited Cairo.", "", "Ισραήλ και Λιβύη"], dtype=dtype)
    texts = rs.TextsByID(["r2", "r0", "r1"], column)
    assert dict(texts) == {"r2": "Haftar visited Cairo.", "r0": "", "r1": "Ισραήλ και Λιβύη"}
    assert type(texts["r1"]) is str and len(texts) == 3 and list(texts) == ["r2", "r0", "r1"]
    with pytest.raises(KeyError):
        texts["r3"]
    with pytest.raises(AssertionError):
        rs.TextsByID(["r0", "r0", "r1"], column)


def test_alignment_worker_keeps_the_reports_it_needs_soonest(fixture_reports, monkeypatch):
    texts = rs.TextsByID(fixture_reports["report_id"].tolist(), fixture_reports["text"])
    ids = sorted(texts)[:4]
    frame = lambda *pairs: pd.DataFrame(list(pairs), columns=["report_a", "report_b"])
    tasks = [frame((ids[0], ids[1]), (ids[1], ids[2])), frame((ids[2], ids[3])), frame((ids[1], ids[3]))]
    uses = {ids[0]: [0], ids[1]: [0, 2], ids[2]: [0, 1], ids[3]: [1, 2]}
    monkeypatch.setattr(rs, "ALIGN_CACHE_REPORTS", 1)

    def start():
        state = dict(settings=rs.SimilaritySettings(), docs=None, texts=texts, spans={}, tasks=tasks, uses=uses)
        monkeypatch.setattr(rs, "_ALIGN_STATE", state)
        return state

    state = start()
    shared, summary = rs._align_task(0, 1)
    # ids[0]: no later task; ids[1] is next needed two tasks on, ids[2] one task on: only ids[2] fits
    assert list(state["sentences"]) == [ids[2]] and set(state["prepared"]) <= {ids[2]}
    reference = passages.shared_passages(tasks[0], {rid: passages.sentences(texts[rid]) for rid in ids[:3]})
    pd.testing.assert_frame_equal(summary, reference[1])
    pd.testing.assert_frame_equal(shared, reference[0])
    rs._align_task(1, 1)
    assert list(state["sentences"]) == [ids[3]]
    rs._align_task(2, 1)
    assert not state["sentences"] and not state["prepared"]
    # going back from task 2, ids[3] (task 1) comes before ids[1] (task 0)
    state = start()
    rs._align_task(2, -1)
    assert list(state["sentences"]) == [ids[3]]


def test_task_queue_hands_out_each_task_once_and_keeps_workers_in_their_runs():
    import multiprocessing

    queue = rs._TaskQueue(7, 2, multiprocessing.get_context("fork"))  # runs: tasks 0-2 and 3-6
    assert [queue.join(), queue.join(), queue.join()] == [0, 1, 0]
    assert [queue.take(0) for _ in range(3)] == [(0, 1), (1, 1), (2, 1)]
    assert queue.take(0) == (6, -1)  # its run done, worker 0 takes the other's from the back
    assert [queue.take(1), queue.take(1), queue.take(0)] == [(3, 1), (4, 1), (5, -1)]
    assert queue.take(0) is None and queue.take(1) is None
    three = rs._TaskQueue(10, 3, multiprocessing.get_context("fork"))  # runs: 0-2, 3-5, 6-9
    taken = [three.take(w % 3) for w in range(12)]
    assert sorted(t[0] for t in taken if t) == list(range(10)) and taken[-2:] == [None, None]
    assert taken[:3] == [(0, 1), (3, 1), (6, 1)]


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 4)), max_size=20),
       st.lists(st.tuples(st.integers(0, 6), st.integers(0, 4)), max_size=20))
def test_join_pairs_every_entry_with_each_equal_id(a, b):
    # ids repeat on both sides (a word pair in several sentences); the keys come in a's order, then b's
    a_ids, a_rows = (np.array(x, dtype=np.int64) for x in zip(*sorted(a))) if a else (passages._EMPTY,) * 2
    b_ids, b_rows = (np.array(x, dtype=np.int64) for x in zip(*sorted(b))) if b else (passages._EMPTY,) * 2
    expected = [ra * 5 + rb for ia, ra in sorted(a) for ib, rb in sorted(b) if ia == ib]
    assert passages._join(a_ids, a_rows, b_ids, b_rows, 5).tolist() == expected


_SENTENCE_WORDS = st.lists(st.lists(st.sampled_from(["the", "of", "s", "said", "army", "house", "port", "libya"]),
                                    min_size=1, max_size=16), min_size=1, max_size=6)


@hypothesis_settings(max_examples=300, deadline=None)
@given(_SENTENCE_WORDS, _SENTENCE_WORDS)
def test_prepared_tables_count_what_two_sentences_share(words_a, words_b):
    """A report's tables give what each pair of sentences shares: distinct bigrams, and words with multiplicity.

    The words include common ones ("the", "of", "s", "said", counted apart
    from the tokens) and repeated sentences (not ``single``).
    """
    from collections import Counter

    sents_a = [passages.Sentence(0, 0, "", tuple(w)) for w in words_a]
    sents_b = [passages.Sentence(0, 0, "", tuple(w)) for w in words_b]
    pa, pb = passages._Prepared(sents_a), passages._Prepared(sents_b)
    n_b = len(sents_b)
    keys = np.arange(len(sents_a) * n_b)
    pairs = [(sents_a[k // n_b].words, sents_b[k % n_b].words) for k in keys]
    shared_words = [sum((Counter(x) & Counter(y)).values()) for x, y in pairs]
    shared_bigrams = [len(set(zip(x, x[1:])) & set(zip(y, y[1:]))) for x, y in pairs]
    dense = passages._DENSE_PAIRS
    try:
        for threshold in (dense, 0):  # counted in an array of every sentence pair, then by sorting
            passages._DENSE_PAIRS = threshold
            assert passages._shared_words(pa, pb, keys, n_b).tolist() == shared_words
            assert passages._bigram_candidates(pa, pb, n_b).tolist() == [k for k in keys if shared_bigrams[k] >= 2]
    finally:
        passages._DENSE_PAIRS = dense
    assert np.bincount(passages._join(pa.ids, pa.rows, pb.ids, pb.rows, n_b), minlength=len(keys)).tolist() == shared_bigrams
    copies = Counter(map(tuple, words_a))
    assert pa.single.tolist() == [copies[s.words] == 1 for s in sents_a]


@hypothesis_settings(max_examples=300, deadline=None)
@given(_SENTENCE_WORDS | st.just([]), _SENTENCE_WORDS, st.sampled_from([(8, 0.6, 0.9), (4, 0.4, 0.9), (1, 0.6, 0.9), (3, 1.01, 1.01)]),
       st.booleans(), st.booleans())
def test_compiled_candidates_equal_the_numpy_ones(words_a, words_b, thresholds, collide, dense):
    """The numba filter hands difflib the same sentence pairs and the same locked copies as the numpy one,
    on reports of any size (none included), with repeated and copied sentences, and with colliding hashes;
    counting shared entries in an array of every sentence pair or by sorting them (``dense``)."""
    from analysis.similarity.kernels import passage_kernels

    n, rewrite, verbatim = thresholds
    settings = passages.AlignmentSettings(phrase_min_words=n, rewrite_threshold=rewrite, verbatim_threshold=verbatim)
    sents_a = [passages.Sentence(0, 0, "", tuple(w)) for w in words_a]
    sents_b = [passages.Sentence(0, 0, "", tuple(w)) for w in words_b] + sents_a[:2]  # copies to lock
    mix, dense_pairs = passages._MIX, passage_kernels.DENSE_PAIRS
    try:
        if collide:
            passages._MIX = np.uint64(0)
        passage_kernels.DENSE_PAIRS = dense_pairs if dense else 0
        pa, pb = passages._Prepared(sents_a), passages._Prepared(sents_b)
        keys, locked = passages._candidates(pa, pb, sents_a, sents_b, settings)
        got_keys, got_locked = passages._compiled_candidates(pa, pb, sents_a, sents_b, settings)
    finally:
        passages._MIX, passage_kernels.DENSE_PAIRS = mix, dense_pairs
    assert got_keys.tolist() == keys.tolist() and got_locked == locked


_WORDY = st.text(alphabet=st.sampled_from(list("abcXYZ019_ .,!\n\t'’-") + ["é", "Ü", "ß", "Σ", "ς", "İ", "ǅ", "Ⅻ", "٣",
                                                                            "\u0301", "ﬁ", "𝐀", "\ud800"]), max_size=80)


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.lists(_WORDY, max_size=6))
def test_words_found_on_code_points_are_the_findall_words(texts):
    # the words MinHash shingles, and their BLAKE2b hashes, whatever the batch (texts with Σ or İ go by findall)
    counts, hashes = minhash._text_word_hashes(texts)
    words = [minhash._SHINGLE_WORD.findall(t.lower()) for t in texts]
    assert counts.tolist() == [len(w) for w in words]
    flat = [x for w in words for x in w]
    assert hashes.tolist() == minhash._word_hashes(flat, len(flat)).tolist()


def test_compiled_pair_cosines_are_scipys_bit_for_bit(monkeypatch):
    vectors = _random_sparse_vectors(200, seed=4)
    rng = np.random.default_rng(4)
    ids = vectors.report_ids
    pairs = sorted({tuple(sorted((ids[a], ids[b]))) for a, b in rng.integers(0, len(ids), (600, 2)) if a != b})
    monkeypatch.setattr(neighbours, "COMPILED_COSINES_MIN_PAIRS", 10**9)
    by_scipy = neighbours.pair_cosines(vectors, pairs)
    monkeypatch.setattr(neighbours, "COMPILED_COSINES_MIN_PAIRS", 1)
    pd.testing.assert_frame_equal(neighbours.pair_cosines(vectors, pairs), by_scipy, check_exact=True)
    assert len(by_scipy) == len(pairs) and (by_scipy["cosine"] > 0).any()
