"""Finding the time expressions of a text or a parsed report and tabulating them for the corpus."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
import pandas as pd

from analysis.timeline.time_lexicon import (
    TimeExpression,
    _MONTH_RE,
    _NUM_RE,
    _TZ_RE,
    _UNIT_RE,
    _WEEKDAY_RE,
    _clean,
    _latest_quarter,
    _point,
    _quarter_interval,
)
from analysis.timeline.time_normaliser import normalise
from analysis.timeline.time_periods import _parse_duration_or_set


#: The files whose code computes a report's time expressions (its cache key).
CODE_FILES = tuple(f"timeline/{name}.py" for name in
                   ("temporal", "time_lexicon", "time_absolute", "time_normaliser", "time_periods", "time_modifiers"))

_SIGNALS = {"since": "since", "before": "before", "after": "after", "until": "until", "till": "until",
            "by": "", "prior": "before"}

#: a named zone of wire copy, capitalised: "Moscow time", "Baghdad time"
_ZONE_RE = r"(?-i:[A-Z][a-z]+) time"
_CARDINAL_RE = r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|eighteen|twenty|thirty|forty|fifty)"
_EXTRA_PATTERNS = [
    rf"\b{_WEEKDAY_RE} (?:morning|afternoon|evening|night)s\b",
    rf"\b(?:early|mid|late|the beginning of|the end of|the middle of|the start of)[- ](?:the )?(?:\d{{4}}s?|'\d0s)\b",
    rf"\b(?:(?:last|this|next|this past|this coming) )?{_WEEKDAY_RE}(?: (?:morning|afternoon|evening|night))?\b",
    rf"\b(?:the )?(?:(?:early|late|mid)[- ])?(?:spring|summer|autumn|fall|winter)(?: of| ,)? \d{{4}}\b",
    rf"\b(?:in )?recent (?:days|weeks|months|years)\b",
    r"\b(?:recently|lately|nowadays|currently|now|the future|the past)\b",
    rf"\b(?:the )?(?:last|past|previous|next|coming) (?:(?:{_NUM_RE}) )?{_UNIT_RE}\b",
    rf"\b(?:{_NUM_RE}) {_UNIT_RE} (?:ago|earlier|later)\b",
    r"\b(?:before|after|prior to) (?:that|then)\b",
    rf"\b(?:the )?(?:\d{{3}}0'?s|'\d0s)\b",
    rf"\b(?:{_MONTH_RE} )?\d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}\b",
    rf"\b\d{{1,2}} {_MONTH_RE},? \d{{4}}\b",
    rf"\b(?:19|20)\d\d\b",
    rf"\b(?:today|yesterday|tomorrow|tonight|last night|this (?:morning|afternoon|evening))\b",
    rf"\b\d{{1,2}}(?::\d\d)? ?[ap]\.m\.(?: {_TZ_RE}\b)?(?:,? (?:on )?(?:{_WEEKDAY_RE}|{_MONTH_RE} \d{{1,2}}\b))?",
    rf"\b(?:noon|midnight)(?: {_TZ_RE}\b)?(?:,? (?:on )?{_WEEKDAY_RE})?",
    # wire-service clock times ("1600 GMT", "0930 local time", "at 2100 hours"); "hours" alone only after a
    # preposition, so that "1500 hours of community service" stays a length
    rf"\b(?:[01]\d|2[0-3]):?[0-5]\d ?(?:{_TZ_RE}|{_ZONE_RE}|(?:hours|hrs|h)\b ?(?:{_TZ_RE}|{_ZONE_RE}))\b"
    rf"(?:,? (?:on )?(?:{_WEEKDAY_RE}|{_MONTH_RE} \d{{1,2}}\b))?",
    rf"(?<=\b(?:at|by) )(?:[01]\d|2[0-3]):?[0-5]\d ?(?:hours|hrs|h)\b(?:,? (?:on )?{_WEEKDAY_RE})?",
    r"\b(?:(?:last|next|this) )?(?:Christmas(?: Day| Eve)?|New Year's (?:Day|Eve)|Thanksgiving(?: Day)?|Election Day|"
    r"Independence Day|Halloween|Easter(?: Sunday| Monday)?|Good Friday|Labou?r Day|Memorial Day|Veterans'? Day|"
    r"Valentine's Day|Presidents'? Day|Columbus Day|Mother's Day|Father's Day)\b",
    rf"\b(?:each|every) (?:{_WEEKDAY_RE}|{_MONTH_RE}|{_UNIT_RE}|spring|summer|autumn|fall|winter)\b",
    rf"\b(?:each|every) (?:{_WEEKDAY_RE} )?(?:morning|afternoon|evening|night)\b",
    rf"\b(?:\d+|{_CARDINAL_RE}) (?:and|or|to) (?:\d+|{_CARDINAL_RE}) {_UNIT_RE}\b",
    r"\b(?:the )?(?:(?:comparable|corresponding|same) )?(?:year-ago|year-earlier|[12]\d{3}|latest|most recent)"
    r"(?: fiscal)?(?: (?:first|second|third|fourth))?(?: fiscal)? (?:quarter|period)\b",
    rf"\b(?:each|every) (?:other|{_NUM_RE}) {_UNIT_RE}\b",
    rf"\b(?:once|twice|(?:{_NUM_RE}) times) (?:a|an|per) {_UNIT_RE}\b",
]
_EXTRA_RE = re.compile("|".join(f"(?:{p})" for p in _EXTRA_PATTERNS), re.IGNORECASE)
_LEADING_JUNK = re.compile(r"^(?:in|on|at(?! least\b)|during|since|from|until|till|by|before|after|of|for|between|over|within|throughout)\s+", re.I)
_PERIOD_OF = re.compile(rf"((?:the )?(?:first|last|final|latest) (?:{_NUM_RE}) (?:days|weeks|months|quarters|years)) of (?=\S)", re.I)
_ENDED = re.compile(r"\s+(?:ended|ending|ends)\s+(?=\S)", re.I)
#: words TimeML leaves outside a time expression: "just last month", "the Dec. 21, 1988", "both 1990"
_LEADING_WORDS = re.compile(
    r"^(?:(?:just|both|barely|only|as (?:early|late|long|soon|recently) as|least)\s+"
    rf"|the\s+(?={_MONTH_RE}\s)|an?\s+(?=(?:{_MONTH_RE}(?![a-z])|\d|(?:first|second|third|fourth|fifth|\d+(?:st|nd|rd|th))\b|"
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty)\b)))", re.I)
_TRAILING_WORDS = re.compile(r"\s+(?:and|or|as|near)$", re.I)
_NOT_TIME = re.compile(r"^(?![12]\d{3}$)\d+(?:[.,]\d+)?%?$|^[\w-]+-(?:year|month|week|day)s?-old$|\byears? old$|^(?:age|aged)\b", re.I)


_FUTURE_AUX = ("will", "'ll", "shall", "would", "'d", "might", "may")
_PLAN_HEADS = {"plan", "schedule", "set", "ready", "expect", "intend", "go", "prepare", "hope", "aim"}


def _clause_tense(doc, start_char: int, end_char: int) -> str:
    """``past``/``future``/``present``/``""`` from the verb the expression hangs on (spaCy tags)."""
    span = doc.char_span(start_char, end_char, alignment_mode="expand")
    if span is None:
        return ""
    token = span.root
    for _ in range(4):
        if token.pos_ in ("VERB", "AUX") or token.head.i == token.i:
            break
        token = token.head
    if token.pos_ not in ("VERB", "AUX"):
        return ""
    auxes = [c for c in token.children if c.dep_ in ("aux", "auxpass")]
    if any(c.lower_ in _FUTURE_AUX for c in auxes):
        return "future"
    # "planned to leave Thursday", "is scheduled to close Monday": the plan is past, its object is ahead
    if (token.dep_ == "xcomp" and any(c.tag_ == "TO" for c in auxes)
            and token.head.lemma_.lower() in _PLAN_HEADS):
        return "future"
    if token.tag_ == "VBN" and auxes and all(c.tag_ in ("VBZ", "VBP") and c.lower_ not in ("has", "have", "'ve")
                                             for c in auxes):
        # "the vote is scheduled for Tuesday": a present passive, not a past
        return "future" if token.lemma_.lower() in _PLAN_HEADS else ""
    if token.tag_ in ("VBD", "VBN") or any(c.tag_ == "VBD" for c in auxes):
        return "past"
    if token.tag_ in ("VBZ", "VBP") and token.lemma_.lower() not in ("say", "be", "have", "tell") \
            and span.root.dep_ != "poss":
        return "present"  # "meets the delegation Friday": the news present looks ahead
    return ""


def _candidate_spans(text: str, doc=None) -> list[tuple[int, int, str]]:
    """Character spans of candidate time expressions: spaCy DATE/TIME entities united with this module's patterns."""
    spans: list[tuple[int, int, str]] = []
    if doc is not None:
        for ent in doc.ents:
            if ent.label_ in ("DATE", "TIME"):
                spans.append((ent.start_char, ent.end_char, "spacy"))
    for m in _EXTRA_RE.finditer(text):
        spans.append((m.start(), m.end(), "rule"))
    spans.sort()
    merged: list[list] = []
    for start, end, origin in spans:
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            if origin not in merged[-1][2]:
                merged[-1][2] += "+" + origin
        else:
            merged.append([start, end, origin])
    split: list[list] = []
    for start, end, origin in merged:
        # "the quarter ended Sept. 30": TimeML marks the period and the date as two expressions
        m = _ENDED.search(text[start:end]) or _PERIOD_OF.match(text[start:end])
        if m and m.start() > 0 or m and m.re is _PERIOD_OF:
            if m.re is _PERIOD_OF:  # "the first nine months of 1997": a length, then the date it lies in
                split.append([start, start + m.end(1), origin + "+of"])
                split.append([start + m.end(), end, origin + "+of"])
                continue
            split.append([start, start + m.start(), origin + "+ended"])
            split.append([start + m.end(), end, origin + "+ended"])
        else:
            split.append([start, end, origin])
    out = []
    for start, end, origin in split:
        piece = text[start:end]
        m = _LEADING_JUNK.match(piece)
        if m and m.end() < len(piece) and not re.match(r"(?:before|after) (?:that|then)", piece, re.I):
            start += m.end()
            piece = text[start:end]
        m = _LEADING_WORDS.match(piece)
        if m and m.end() < len(piece):
            start += m.end()
        m = _TRAILING_WORDS.search(text[start:end])
        if m and m.start() > 0:
            end = start + m.start()
        while end > start and text[end - 1] in " ,.;:)'\"’":
            end -= 1
        if re.search(r"[a-z]['’]s$", text[start:end], re.I):
            end -= 2  # "last year's results": TimeML leaves the possessive outside the expression
        while start < end and text[start] in " ,(\"'‘":
            start += 1
        if end > start and not _NOT_TIME.match(text[start:end]):
            out.append((start, end, origin))
    return out


def find_time_expressions(text: str, published: date | str | None = None, doc=None) -> list[TimeExpression]:
    """Find and normalise every time expression of ``text``.

    Accepts the text, its publication date (a ``date``, an ISO string of day
    precision, or ``None``/"" when unknown: relative expressions then stay
    unresolved) and optionally the spaCy ``Doc`` of the same text (its
    ``DATE``/``TIME`` entities and verb tenses are used). Returns the
    expressions in text order, with character offsets into ``text``.
    Expressions that point back ("two years earlier") are anchored to the
    previous absolute date found before them.
    """
    anchor = _as_date(published)
    previous: TimeExpression | None = None
    found: list[TimeExpression] = []
    for start, end, origin in _split_coordinated(text, _merge_ranges(text, _candidate_spans(text, doc), anchor), anchor):
        before = text[max(0, start - 12):start].lower().split()
        signal = _SIGNALS.get(before[-1], "") if before else ""
        if before and before[-1] == "to" and len(before) > 1 and before[-2] == "prior":
            signal = "before"
        tense = _clause_tense(doc, start, end) if doc is not None else ""
        if re.search(r"\bas (?:soon|early) as\s*$", text[max(0, start - 20):start], re.I):
            tense = "future"  # "as soon as Tuesday": the earliest of what is still ahead
        expr = normalise(text[start:end], anchor=anchor, previous=previous, tense=tense, signal=signal)
        if expr.rule == "unparsed" and origin.endswith("+apposition"):
            first = text[start:end].split(",")[0]
            expr = replace(normalise(first, anchor=anchor, previous=previous, tense=tense, signal=signal),
                           text=text[start:end])
        if expr.rule == "unparsed" and origin == "rule":
            continue
        if expr.rule == "year" and _bare_clock_time(text, start, end, anchor):
            expr = replace(normalise(f"{text[start:end]} hours", anchor=anchor, tense=tense), text=text[start:end])
        elif expr.rule.startswith("clock") and re.fullmatch(r"\d{4} ?(?:hours|hrs|h)", text[start:end], re.I) \
                and not re.search(r"\b(?:at|by|around|about|until|till|before|after|from|since)\s+$",
                                  text[max(0, start - 8):start], re.I):
            # "served 1500 hours of community service": a length; "at 2100 hours" is the clock
            expr = _parse_duration_or_set(_clean(text[start:end]), text[start:end]) or expr
        if expr.rule == "unparsed" and text[start:end] == "May" and _is_month_may(doc, start, end, text):
            expr = replace(normalise("month of May", anchor=anchor, previous=previous, tense=tense, signal=signal),
                           text="May")
        if anchor and not expr.resolved and not expr.value and expr.timex and _ANAPHORIC_NO_PREVIOUS.search(expr.rule):
            expr = _timeml_dct_value(expr, anchor, tense)
        if anchor and re.fullmatch(r"\d{4}", expr.value) \
                and expr.rule.startswith(("n-units-", "earlier-", "ago-", "before-", "year-ago")) \
                and re.fullmatch(r"(?:about |nearly |almost |some |just )?(?:a|one) year (?:ago|earlier|before)"
                                 r"|(?:the )?year-(?:ago|earlier)", _clean(expr.text)):
            expr = _quarter_context(expr, text, start, end, found, anchor)
        if "+ended" in origin and re.fullmatch(r"(?:the |its |their )?(?:fiscal |financial )?year", text[start:end], re.I):
            # "the year ended March 31": TimeML marks the period as a length, the date carries the time
            expr = replace(expr, type="DURATION", value="P1Y", start=None, end=None, precision="", relative=False,
                           anchor="", rule="year-ended", resolved=True)
        if expr.type == "SET" and re.fullmatch(r"(?:quarterly|annual|yearly|monthly|weekly)", text[start:end], re.I) \
                and re.match(r" [a-z]", text[end:end + 2]):
            expr = replace(expr, timex=False)  # "quarterly dividend": an adjective, not a TimeML expression
        expr = _locate(replace(expr, start_char=start, end_char=end), text)
        m = re.fullmatch(rf"(.*?\b{_UNIT_RE}(?: and a half)?)\s+later", text[start:end], re.I)
        if m and not expr.parts and expr.type in ("DATE", "TIME"):
            # "three days later": TimeML marks the length as the TIMEX3 and "later" as a signal
            length = normalise(m.group(1))
            if length.type == "DURATION":
                expr = replace(expr, parts=(replace(length, start_char=start, end_char=start + len(m.group(1))),))
        found.append(expr)
        if expr.is_date and not expr.relative and expr.start is not None:
            previous = expr  # what "two years earlier" or "that year" will point back to
    return found


def _bare_clock_time(text: str, start: int, end: int, anchor: date | None) -> bool:
    """"Arrived at 1600": four digits after "at" that read as a clock time and not as a year near the report's.

    A year written after "at" is rare ("at 1995 prices"), and then close to the anchor; "at 1600" in a report of
    2000 is a time of day (with no anchor, any year before 1900 is read so).
    """
    m = re.fullmatch(r"([01]\d|2[0-3])[0-5]\d", text[start:end])
    if not m or not re.search(r"\bat\s+$", text[max(0, start - 4):start], re.I):
        return False
    year = int(text[start:end])
    return year < 1900 if anchor is None else abs(year - anchor.year) > 100


def _is_month_may(doc, start: int, end: int, text: str) -> bool:
    """"May" the month, not the modal: a proper noun or noun of spaCy's date entity, or followed by a day or year."""
    if re.match(r"\s+(?:\d{1,2}(?:st|nd|rd|th)?\b|of \d{4}|\d{4})", text[end:end + 12]):
        return True
    if doc is None:
        return False
    span = doc.char_span(start, end)
    return bool(span is not None and span[0].pos_ in ("PROPN", "NOUN")
                and any(e.label_ == "DATE" and e.start_char <= start and end <= e.end_char for e in doc.ents))


_ANAPHORIC_NO_PREVIOUS = re.compile(r"^(?:(?:earlier|later|before|after|on)-no-anchor|.*-no-previous)$")


def _timeml_dct_value(expr: TimeExpression, anchor: date, tense: str) -> TimeExpression:
    """TimeML's value for an anaphoric expression ("a year earlier") of a text with no earlier date.

    TimeML then reads it against the document creation time; this toolkit does not date an event
    with such a reading, so the interval stays empty and the expression unresolved — only the
    TIMEX3 value (``timex``) carries TimeML's reading, and the rule says so.
    """
    dct = _point("", anchor, anchor, "day", anchor.isoformat(), "publication")
    reading = normalise(expr.text, anchor=anchor, previous=dct, tense=tense)
    if not reading.resolved or not reading.value:
        return expr
    return replace(expr, value=reading.value, rule=expr.rule + "+timeml-dct-value")


def _quarter_context(expr: TimeExpression, text: str, start: int, end: int, found: list[TimeExpression],
                     anchor: date) -> TimeExpression:
    """"A year ago" in a sentence (or after one) about a quarter's results is that quarter a year back (TimeML reading)."""
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
    if not re.search(r"\bquarter", text[left:start], re.I):  # or the sentence before, which the figure continues
        left = max(text.rfind(". ", 0, max(left - 2, 0)), text.rfind("\n", 0, max(left - 2, 0))) + 1
    stop = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    sentence = text[left:min(stop) if stop else len(text)]
    if not re.search(r"\bquarter\b|\bquarterly\b", sentence, re.I):
        return expr
    quarters = [e for e in found if e.start_char >= left and e.precision == "quarter" and e.start is not None
                and e.start.year > int(expr.value)]  # the quarter compared with, not the year-ago one
    if quarters:
        y, q = quarters[-1].start.year - 1, (quarters[-1].start.month - 1) // 3 + 1
    else:
        y, q = _latest_quarter(anchor)
        y = y - 1 if not expr.anchor.startswith("previous:") else int(expr.value)
    if not expr.resolved:  # the TimeML value only; the interval stays empty
        return replace(expr, value=f"{y}-Q{q}", rule=expr.rule + "+quarter-context")
    start_day, end_day = _quarter_interval(y, q)
    return replace(expr, value=f"{y}-Q{q}", start=start_day, end=end_day, precision="quarter",
                   rule=expr.rule + "+quarter-context")


_CONNECTOR = re.compile(r"^\s*(?:-|–|—|to|through|thru|until|till|and|or)\s*$", re.I)


def _merge_ranges(text: str, spans: list[tuple[int, int, str]], anchor: date | None) -> list[tuple[int, int, str]]:
    """Join "2015" + "and" + "2016" (two entities) into one range span when the whole reads as a range."""
    out: list[tuple[int, int, str]] = []
    for span in spans:
        if out and _CONNECTOR.match(text[out[-1][1]:span[0]]):
            joined = normalise(text[out[-1][0]:span[1]], anchor=anchor)
            if joined.rule.startswith("range"):
                out[-1] = (out[-1][0], span[1], out[-1][2] + "+range")
                continue
        out.append(span)
    return out


_COORDINATOR = re.compile(r"\s*(?:,\s*and|,\s*or|,|\band\b|\bor\b|\bto\b)\s+", re.I)


def _split_coordinated(text: str, spans: list[tuple[int, int, str]], anchor: date | None) -> list[tuple[int, int, str]]:
    """A span the grammar cannot read whole but whose coordinated pieces it reads ("Friday to December's",
    "40, eight years from now") becomes those pieces: TimeML annotates coordinated expressions separately."""
    out: list[tuple[int, int, str]] = []
    for start, end, origin in spans:
        piece = text[start:end]
        if normalise(piece, anchor=anchor).rule != "unparsed":
            out.append((start, end, origin))
            continue
        pieces = []
        cursor = start
        for m in _COORDINATOR.finditer(piece):
            if re.match(r"(?:a )?half\b", piece[m.end():], re.I):
                continue  # "a minute and a half" is one length
            pieces.append((cursor, start + m.start()))
            cursor = start + m.end()
        pieces.append((cursor, end))
        readable = [(a, b) for a, b in pieces if b > a and normalise(text[a:b], anchor=anchor).rule != "unparsed"
                    and not _NOT_TIME.match(text[a:b])]
        values = {normalise(text[a:b], anchor=anchor).value for a, b in readable}
        if len(pieces) > 1 and readable and len(readable) > 1 and len(values) == 1 and "," in piece:
            out.append((start, end, origin + "+apposition"))  # "this coming Sunday, March eighth": one day, said twice
        elif len(pieces) > 1 and readable:
            out.extend((a, b, origin + "+split") for a, b in readable)
        else:
            out.append((start, end, origin))
    return out


def _locate(expr: TimeExpression, text: str) -> TimeExpression:
    """Give the parts of a range their character offsets in ``text``."""
    if not expr.parts:
        return expr
    piece = text[expr.start_char:expr.end_char].lower().replace("’", "'")
    left, right = expr.parts
    i = piece.find(left.text.strip().lower())
    j = piece.rfind(right.text.strip().lower())
    if i < 0 or j < 0 or j < i:
        return replace(expr, parts=())
    base = expr.start_char
    parts = (replace(left, start_char=base + i, end_char=base + i + len(left.text.strip())),
             replace(right, start_char=base + j, end_char=base + j + len(right.text.strip())))
    parts = tuple(replace(p, text=text[p.start_char:p.end_char]) for p in parts)
    return replace(expr, parts=parts)


def _as_date(published) -> date | None:
    if published is None or published == "" or (isinstance(published, float) and pd.isna(published)):
        return None
    if isinstance(published, date):
        return published
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", str(published).strip())
    return date(*map(int, m.groups())) if m else None  # a month or a year is no anchor for "Monday"


def expression_record(expr: TimeExpression) -> dict:
    """A flat, CSV-ready dict of ``expr`` (ISO dates, empty strings when unknown)."""
    return {
        "date_text": expr.text, "type": expr.type, "timex": expr.value,
        "start": expr.start.isoformat() if expr.start else "", "end": expr.end.isoformat() if expr.end else "",
        "precision": expr.precision, "modifier": expr.modifier, "relative": bool(expr.relative),
        "anchor": expr.anchor, "rule": expr.rule, "resolved": bool(expr.resolved),
        "start_char": expr.start_char, "end_char": expr.end_char,
    }


TIME_COLUMNS = ["report_id", "start_char", "end_char", "date_text", "type", "timex", "start", "end", "precision",
                "modifier", "relative", "anchor", "rule", "resolved"]


def time_expressions(reports: pd.DataFrame, docs: dict | None = None) -> pd.DataFrame:
    """Every time expression of every report.

    Accepts the corpus ``reports`` frame (``report_id``, ``text``,
    ``published``) and optionally ``{report_id: Doc}`` from
    ``analysis.nlp.parse_reports``; without them each report's expressions
    come from the per-report cache of :mod:`analysis.features` (computed from
    the cached parse when missing). Returns one row per expression with
    ``TIME_COLUMNS``, sorted by report and offset.
    """
    def compute(report, doc):
        return [expression_record(e) for e in find_time_expressions(report.text, report.published, doc)]

    if docs is None:
        from analysis.pipeline import features

        results = features.per_report(reports, "time_expressions", features.code_version(*CODE_FILES), compute,
                                      extra=lambda report: str(report.published), desc="time expressions")
    else:
        results = [compute(report, docs.get(report.report_id)) for report in reports.itertuples(index=False)]
    rows = [{"report_id": rid, **row} for rid, found in zip(reports["report_id"], results) for row in found]
    frame = pd.DataFrame(rows, columns=TIME_COLUMNS)
    return frame.sort_values(["report_id", "start_char"], kind="stable").reset_index(drop=True)


def expression_summary(expressions: pd.DataFrame) -> pd.DataFrame:
    """Counts of :func:`time_expressions` rows by ``type``, ``precision`` and whether resolved (sorted)."""
    if expressions.empty:
        return pd.DataFrame(columns=["type", "precision", "resolved", "n"])
    counts = expressions.groupby(["type", "precision", "resolved"], dropna=False).size().rename("n").reset_index()
    return counts.sort_values(["type", "precision", "resolved"]).reset_index(drop=True)
