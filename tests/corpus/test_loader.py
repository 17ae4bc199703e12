"""The corpus loader on every input format and every kind of bad input (fixtures in tests/corpus/fixtures/)."""
from __future__ import annotations

import hashlib
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

import analysis
from analysis import config
from analysis.corpus.loader import REPORT_COLUMNS, CorpusError, load_corpus, write_corpus_tables

MIXED = Path(__file__).parent / "fixtures" / "mixed"
TODAY = date(2026, 1, 1)


@pytest.fixture(scope="module")
def mixed():
    return load_corpus(MIXED, today=TODAY)


def by_id(corpus, report_id):
    frame = corpus.all_reports.set_index("report_id")
    return frame.loc[report_id]


def test_every_file_is_accounted_for(mixed):
    files = sorted(p.relative_to(MIXED).as_posix() for p in MIXED.rglob("*") if p.is_file())
    assert sorted(mixed.inputs["path"]) == files
    analysed = set(mixed.all_reports["path"])
    rejected = {p.split("#")[0] for p in mixed.rejected["path"]}
    for path, status in mixed.inputs[["path", "status"]].itertuples(index=False):
        assert status in {"analysed", "duplicate", "rejected", "manifest"}
        if status in {"analysed", "duplicate"}:
            assert path in analysed
        if status == "rejected":
            assert path in rejected


@pytest.mark.parametrize("path, reason", [
    ("empty.txt", "empty file"),
    ("blank.txt", "only whitespace"),
    ("binary.txt", "binary file"),
    ("photo.png", "unsupported file type '.png'"),
    ("report.pdf", "unsupported file type '.pdf'"),
    ("boilerplate_only.txt", "no article text left"),
    ("export.jsonl#line 2", "text field is empty"),
    ("export.jsonl#line 3", "invalid JSON"),
    ("export.csv#row 2", "text field is empty"),
    ("manifest.csv row 4", "missing file 'missing.txt'"),
    ("manifest.csv row 5", "outside the corpus folder"),
])
def test_bad_inputs_are_rejected_with_a_reason(mixed, path, reason):
    reasons = dict(mixed.rejected.itertuples(index=False))
    assert path in reasons, f"{path} not rejected: {sorted(reasons)}"
    assert reason in reasons[path]


def test_invalid_manifest_date_is_a_warning_and_the_report_kept(mixed):
    warnings = dict(mixed.warnings.itertuples(index=False))
    assert "invalid published date '31/02/2019'" in warnings["legacy.txt"]
    legacy = by_id(mixed, "legacy")
    assert legacy["outlet"] == "Old Town Herald" and legacy["published"] == ""


def test_implausible_record_date_is_left_empty_with_a_warning(mixed):
    record = by_id(mixed, "export.json#2")
    assert record["published"] == "" and "0001-11-30" in record["warnings"]


def test_duplicates_are_kept_once(mixed):
    dupes = mixed.duplicates.set_index("report_id")
    # plain.txt is described by the manifest, so it is the one kept.
    assert dupes.loc["copy", "duplicate_of"] == "plain" and dupes.loc["copy", "duplicate_kind"] == "exact"
    assert dupes.loc["copy_reformatted", "duplicate_of"] == "plain"
    assert dupes.loc["copy_reformatted", "duplicate_kind"] == "normalised"
    assert "plain" in set(mixed.reports["report_id"]) and "copy" not in set(mixed.reports["report_id"])


def test_manifest_values_win_and_extra_columns_are_kept(mixed):
    plain = by_id(mixed, "plain")
    assert plain["outlet"] == "Example Gazette" and plain["outlet_method"] == "manifest"
    assert plain["url"] == "https://gazette.test/arms"
    assert plain["published"] == "2020-03-12" and plain["published_method"] == "manifest"
    assert plain["collector"] == "alice"


def test_plain_text_capture(mixed):
    plain = by_id(mixed, "plain")
    assert plain["title"] == "Minister denies arms deal"
    assert plain["text"].startswith("The defence minister denied")
    assert "Leave a Reply" not in plain["text"] and "Leave a Reply" in plain["removed_lines"]
    assert "breadcrumb" in plain["removed_lines"]


@pytest.mark.parametrize("report_id, encoding, needle", [
    ("bom", "utf-8-sig", "Delegates from both sides"),
    ("utf16", "utf-16", "port of Misrata"),
    ("legacy", "cp1252", "Owners of cafés in the capital said the “new levy”"),
])
def test_encodings(mixed, report_id, encoding, needle):
    row = by_id(mixed, report_id)
    assert row["encoding"] == encoding
    assert needle in row["text"]
    assert "\ufeff" not in row["text"] and "\ufeff" not in row["title"]


def test_markdown_capture(mixed):
    notes = by_id(mixed, "notes")
    assert notes["title"] == "Drone strike reported near airport"
    assert "on Friday, local media reported." in notes["text"]
    assert "](" not in notes["text"] and "**" not in notes["text"]


def test_html_page_main_text_and_metadata(mixed):
    page = by_id(mixed, "page")
    assert page["title"] == "Militia leader arrested in dawn raid"
    assert page["outlet"] == "The Example Times" and "og:site_name" in page["outlet_method"]
    assert page["published"] == "2020-01-15" and page["published_precision"] == "day"
    assert "article:published_time" in page["published_evidence"]
    assert page["url"] == "https://example-times.test/2020/01/15/militia-leader-arrested"
    text = page["text"]
    assert "dawn raid on Wednesday" in text and "family would appeal" in text
    for junk in ("cookies", "tracking", "font-family", "Sport", "Share on Facebook", "All rights reserved"):
        assert junk not in text


def test_truncated_html_still_loads(mixed):
    page = by_id(mixed, "truncated")
    assert page["outlet"] == "Energy Wire"
    assert "Oil output fell by a third" in page["text"]


def test_json_jsonl_csv_and_gzip_records(mixed):
    a1 = by_id(mixed, "export.jsonl#a1")
    assert (a1["title"], a1["outlet"], a1["published"], a1["url"]) == (
        "Flights suspended at Mitiga", "Wire One", "2019-09-01", "https://wire-one.test/a1")
    j1 = by_id(mixed, "export.json#1")
    assert j1["outlet"] == "Desert Post" and "Residents said" in j1["text"]
    c1 = by_id(mixed, "export.csv#1")
    assert c1["title"] == "Talks collapse" and c1["outlet"] == "Agency X"
    assert c1["published"] == "2019-12-07" and "month/day/year assumed" in c1["published_evidence"]
    gz = by_id(mixed, "archive#1")
    assert gz["outlet"] == "Gz News" and gz["published"] == "2020-02-02"


def test_report_table_invariants(mixed):
    reports = mixed.all_reports
    assert reports["report_id"].is_unique
    assert list(reports.columns[: len(REPORT_COLUMNS) - 1]) == REPORT_COLUMNS[:-1]
    assert reports.columns[-1] == "text"
    assert not reports.drop(columns=["n_words"]).isna().any().any()
    assert (reports["n_words"] > 0).all()
    parsed = reports.loc[reports["published"] != "", "published"]
    assert parsed.str.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?").all()
    assert list(reports["report_id"]) == sorted(reports["report_id"])


def test_strict_mode_raises_naming_the_files():
    with pytest.raises(CorpusError, match="empty.txt"):
        load_corpus(MIXED, strict=True, today=TODAY)


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CorpusError, match="corpus folder not found"):
        load_corpus(tmp_path / "nope")


def test_inputs_are_never_modified(tmp_path):
    copy = tmp_path / "corpus"
    shutil.copytree(MIXED, copy)
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in copy.rglob("*") if p.is_file()}
    load_corpus(copy, today=TODAY)
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in copy.rglob("*") if p.is_file()}
    assert before == after


def test_hidden_files_are_listed_not_dropped(tmp_path):
    (tmp_path / "a.txt").write_text("Title\n\nSome body text here, the ministry said.\n")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    corpus = load_corpus(tmp_path)
    assert ".DS_Store" in set(corpus.rejected["path"])


def test_tables_are_written_atomically_and_identically(tmp_path, mixed):
    first = write_corpus_tables(mixed, tmp_path / "one")
    second = write_corpus_tables(load_corpus(MIXED, today=TODAY), tmp_path / "two")
    for name in first:
        assert first[name].read_bytes() == second[name].read_bytes(), name
    assert not list((tmp_path / "one").glob(".*.tmp"))
    reread = pd.read_csv(first["reports.csv"], keep_default_na=False)
    assert list(reread["report_id"]) == list(mixed.all_reports["report_id"])
    assert set(pd.read_csv(first["rejected.csv"]).columns) == {"path", "reason"}


# The seeds: what the captures themselves show.
@pytest.fixture(scope="module")
def seeds():
    return load_corpus(config.SEEDS_DIR)


def test_seeds_are_byte_identical_to_the_shared_originals():
    shared = config.REPO_ROOT.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("../shared/seeds is absent (fresh clone)")
    for original in shared.iterdir():
        assert (config.SEEDS_DIR / original.name).read_bytes() == original.read_bytes()


def test_seed_outlets_with_evidence(seeds):
    reports = seeds.reports.set_index("report_id")
    assert reports.loc["000_02c06ce5a6f07898", "outlet"] == "LIBYAPROSPECT"
    assert "translates here" in reports.loc["000_02c06ce5a6f07898", "outlet_evidence"]
    assert reports.loc["003_b8dc84c3be759f24", "outlet"] == "The New Arab"
    republished = reports.loc["002_da6047f014b8b818"]
    assert (republished["outlet"], republished["original_outlet"]) == ("Global Research", "MintPress News")
    assert "Staff Writer" in republished["original_outlet_evidence"]
    assert reports.loc["001_292d3e5d46efdbf2", "outlet"] == ""  # the capture does not say


def test_seed_dates_and_the_site_banner(seeds):
    reports = seeds.reports.set_index("report_id")
    new_arab = reports.loc["003_b8dc84c3be759f24"]
    assert (new_arab["published"], new_arab["published_precision"], new_arab["published_method"]) == ("2019-12-07", "day", "dateline")
    russia = reports.loc["004_8220224270669d94"]
    assert russia["published"] == ""  # the banner is not the article's date
    assert russia["banner_date"] == "2024-03-04" and "not the article date" in russia["banner_date_evidence"]


def test_seed_boilerplate_removed_and_audited(seeds):
    text = "\n".join(seeds.reports["text"])
    for junk in ("Leave a Reply", "Your email address", "Check Also", "Read more:", "Follow us on Twitter",
                 "Disclaimer:", "contains copyrighted material", "Home /", "3 min read", "Click to enlarge"):
        assert junk not in text, junk
    removed = "\n".join(seeds.reports["removed_lines"])
    for junk in ("Leave a Reply", "Check Also", "Read more:", "Disclaimer:"):
        assert junk in removed
    assert seeds.rejected.empty and len(seeds.reports) == 5


def test_load_corpus_unpacks_as_reports_and_rejected():
    reports, rejected = analysis.load_corpus()
    assert len(reports) == 5 and list(rejected.columns) == ["path", "reason"]


WIRE_IDS = Path(__file__).parent / "fixtures" / "wire_ids"


def test_report_ids_keep_the_dots_of_wire_file_names():
    """Only the last suffix is dropped: ``APW20210303.0117.txt`` is ``APW20210303.0117``, not ``APW20210303``;
    names that would still collide (``story.txt``, ``story.html``) keep their suffix, the same way every run."""
    from analysis.corpus.loader import report_stem

    ids = sorted(load_corpus(WIRE_IDS).reports["report_id"])
    assert ids == ["APW20210303.0117", "APW20210304.0023", "XIE20210305.0042", "story.html", "story.txt"]
    assert sorted(load_corpus(WIRE_IDS).reports["report_id"]) == ids
    assert report_stem("exports/archive.jsonl.gz") == "exports/archive"
    assert report_stem("a/b.c/report.v2.TXT") == "a/b.c/report.v2"
