"""Publication-date parsing and byte decoding."""
from datetime import date

import pytest

from analysis.corpus.dates import DateError, find_date_line, parse_date
from analysis.corpus.decoding import DecodeError, decode_bytes, normalise_text

TODAY = date(2026, 1, 1)


@pytest.mark.parametrize("text, iso, precision", [
    ("07 December, 2019", "2019-12-07", "day"),
    ("Monday , 4 March 2024", "2024-03-04", "day"),
    ("2019-12-07T23:30:00-05:00", "2019-12-07", "day"),
    ("Dec. 7, 2019", "2019-12-07", "day"),
    ("December 2019", "2019-12", "month"),
    ("2019-12", "2019-12", "month"),
    ("2015", "2015", "year"),
    ("20191207", "2019-12-07", "day"),
    ("12/7/2019", "2019-12-07", "day"),
    ("31/12/2019", "2019-12-31", "day"),
    ("3rd of March 2020", "2020-03-03", "day"),
])
def test_parse_date(text, iso, precision):
    parsed = parse_date(text, TODAY)
    assert (parsed.iso, parsed.precision) == (iso, precision)


@pytest.mark.parametrize("text", ["0001-11-30", "2050-01-01", "2019-02-30", "31/02/2019", "yesterday", "", "2019-13"])
def test_implausible_dates_are_refused(text):
    with pytest.raises(DateError):
        parse_date(text, TODAY)


def test_date_lines():
    assert find_date_line("Published: 7 Dec 2019", TODAY).iso == "2019-12-07"
    assert find_date_line("3 min read", TODAY) is None
    assert find_date_line("In 2015, Israel had done the same while the marshal was walking on Sirte.", TODAY) is None


def test_decoding_and_normalisation():
    assert decode_bytes("naïve “quote”".encode("cp1252")) == ("naïve “quote”", "cp1252")
    assert decode_bytes("x".encode("utf-16"))[0] == "x"
    with pytest.raises(DecodeError, match="PDF"):
        decode_bytes(b"%PDF-1.7 rest")
    # a single legacy byte in an English page: the pound sign of Latin-1/Windows-1252, not Shift-JIS
    assert decode_bytes(b"Mutu, a \xa315.8m signing from Parma last year.") == ("Mutu, a \u00a315.8m signing from Parma last year.", "cp1252")
    cyrillic = "Привет мир, это тест на кириллице и немного больше текста".encode("cp1251")
    assert decode_bytes(cyrillic)[0].startswith("Привет")
    assert normalise_text("e\u0301\r\nline  \r\n\ufeff") == "\u00e9\nline"
