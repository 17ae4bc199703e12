"""Attributions of one parsed report: who is cited as saying what, sentence by sentence."""
from __future__ import annotations

import re

from spacy.tokens import Doc, Token
from analysis.sources.aliases import AliasTable, as_alias_table

from analysis.sources.attribution_parts import (
    Attribution,
    _cue_ok,
    _can_speak,
    _cue_tokens,
    _matchers,
    _plausible_source,
    _resolve_relative,
    _source_tokens,
    _subject_of,
)
from analysis.sources.cue_words import PLURAL_PRONOUNS, QUANTIFIERS, RELATIVE_PRONOUNS, SUBJECT_DEPS
from analysis.sources.source_types import _Context, _canonical_of, _classify, _person_registry, _relay_of


# --- extraction ------------------------------------------------------------------
def _candidates(doc: Doc) -> list[tuple[Token, Token, str, Token | None]]:
    """(source head, cue head, rule, relative pronoun or None) found by the matchers, cues outside quotations."""
    dep, tok = _matchers(doc.vocab)
    found: list[tuple[Token, Token, str, Token | None]] = []
    for match_id, ids in dep(doc):
        rule = doc.vocab.strings[match_id]
        cue = doc[ids[0]]
        if rule == "SUBJECT":
            if not _cue_ok(cue):
                continue
            # "Y quoted X": Y is a source here and X, found by RELAY_OBJECT, the upstream one
            found.append((_resolve_relative(doc[ids[1]]), cue, rule, _relative(doc[ids[1]])))
        elif rule == "AGENT":
            if _cue_ok(cue):
                found.append((doc[ids[2]], cue, rule, None))
        elif rule == "NO_SUBJECT":
            if any(c.dep_ in SUBJECT_DEPS or c.dep_ == "agent" for c in cue.children) or not _cue_ok(cue):
                continue
            if cue.lemma_.lower() in ("quote", "cite") and any(c.dep_ == "dobj" for c in cue.children):
                continue
            if (cue.dep_ == "pcomp" and cue.head.lower_ == "as" and cue.head.head.lemma_.lower() in ("quote", "cite")
                    and any(c.dep_ == "dobj" for c in cue.head.head.children)):
                continue  # "Y quoted X as saying": X speaks (RELAY_OBJECT), not Y
            subj = _subject_of(cue)
            if subj is not None:
                found.append((_resolve_relative(subj), cue, rule, _relative(subj)))
        elif rule == "RELAY_OBJECT":
            found.append((doc[ids[1]], cue, rule, None))
        elif rule == "NOUN_CUE":
            poss = next((c for c in cue.children if c.dep_ == "poss"), None)
            if poss is not None:
                found.append((poss, cue, rule, None))
            elif cue.lemma_.lower() == "report" and not any(c.dep_ == "det" for c in cue.children):
                found.append((cue, cue, rule, None))
    for match_id, start, end in tok(doc):
        rule = doc.vocab.strings[match_id]
        last = doc[end - 1]
        pobj = next((c for c in last.children if c.dep_ == "pobj"), None)
        if pobj is None and end < len(doc):
            # the parser sometimes hangs the object elsewhere: take the next noun phrase head
            nxt = doc[end:min(end + 8, len(doc))]
            pobj = next((t for t in nxt if t.pos_ in ("NOUN", "PROPN", "PRON") and t.head.i not in range(end, end + 8)
                         or t.dep_ == "pobj"), None)
        if pobj is not None:
            found.append((pobj, doc[start], rule, None))
    quoted = _quoted_regions(doc)
    # a cue inside a quotation belongs to the quoted speaker's own words, not to the report
    return [f for f in found if not _inside(f[1].idx, quoted)]


def _relative(tok: Token) -> Token | None:
    """``tok`` when it is a relative pronoun standing for a source, else ``None``."""
    return tok if tok.lower_ in RELATIVE_PRONOUNS and tok.head.dep_ == "relcl" else None


def _quoted_regions(doc: Doc) -> list[tuple[int, int]]:
    """Character ranges between opening and closing quotation marks, paragraph by paragraph.

    Curly quotes pair as opened/closed; straight double quotes toggle. An
    unclosed quote runs to the end of its paragraph (multi-paragraph quotes).
    """
    text = doc.text
    regions: list[tuple[int, int]] = []
    open_at: int | None = None
    for i, ch in enumerate(text):
        if ch == "\n":
            if open_at is not None:
                regions.append((open_at, i))
                open_at = None
        elif ch == "“" or (ch == '"' and open_at is None) or (ch == "`" and text[i:i + 2] == "``" and open_at is None):
            open_at = i if open_at is None else open_at
        elif ch in "”\"" or (ch == "'" and text[i:i + 2] == "''"):
            if open_at is not None:
                regions.append((open_at, i))
                open_at = None
    if open_at is not None:
        regions.append((open_at, len(text)))
    return regions


#: A wire dateline opening a paragraph: "MOSCOW, August 17 (Xinhua) --", "WASHINGTON (Reuters) -".
_DATELINE = re.compile(
    r"(?m)^[ \t]*[A-Z][A-Z.'\-]+(?:[ ][A-Z][A-Z.'\-]+){0,3}"      # the city, in capitals
    r"(?:,[ ]*[A-Z][a-z]+\.?(?:[ ]+\d{1,2})?(?:,[ ]*\d{4})?)?"       # ", August 17", ", Aug. 17, 2000"
    r"[ ]*(?:\([^()\n]{1,40}\))?[ ]*(?:--|—|–|-)[ ]*")               # "(Xinhua)" and the dash


def dateline_regions(text: str) -> list[tuple[int, int]]:
    """Character ranges of wire datelines ("MOSCOW, August 17 (Xinhua) --") at paragraph starts.

    The place, date and agency credit of a dateline belong to the report, not to an attribution.
    """
    return [(m.start(), m.end()) for m in _DATELINE.finditer(text)]


def _out_of_dateline(head: Token, regions: list[tuple[int, int]]) -> Token | None:
    """``head`` when it lies outside every dateline; for a dateline word, the phrase after the dash it governs."""
    region = next(((s, e) for s, e in regions if s <= head.idx < e), None)
    if region is None:
        return head
    # "MOSCOW, ... -- Deputy Prime Minister Ilya Klebanov said": the parser makes the city the subject
    after = [t for t in head.subtree if t.idx >= region[1] and t.head.idx < region[1]
             and t.pos_ in ("PROPN", "NOUN", "PRON")]
    return after[0] if after else None


def _inside(pos: int, regions: list[tuple[int, int]]) -> bool:
    return any(s < pos < e for s, e in regions)


def _skip_heading(head: Token, cue: Token) -> Token:
    """A subheading glued to the next sentence ("Allies in the desert\n\nIran ... denies") is not the speaker."""
    if head.i >= cue.i:
        return head
    breaks = [t.i for t in head.doc[head.i:cue.i] if t.is_space and "\n" in t.text]
    if not breaks:
        return head
    after = head.doc[breaks[-1] + 1]
    subtree = {t.i for t in head.subtree}
    if after.i in subtree and after.i < cue.i:
        # the phrase head of the part after the break
        while after.head.i in subtree and after.head.i > breaks[-1] and after.head.i != after.i:
            after = after.head
        return after
    return head


def _nearest_speaker(found: list[Attribution], att: Attribution, cue: Token) -> Attribution | None:
    """The first-hand attribution of the same sentence closest to a "quoting/citing" cue ("X said, quoting Y")."""
    same = [a for a in found if a.sent_start == att.sent_start and not a.upstream]
    if not same:
        return None
    return min(same, key=lambda a: (abs(a.cue_start - cue.idx), a.cue_start))


def extract_from_doc(doc: Doc, aliases: AliasTable | None = None,
                     outlets: dict[str, str] | None = None) -> list[Attribution]:
    """All attributions in one parsed ``Doc``, in text order, typed, named and with relays.

    Accepts a spaCy ``Doc`` from the shared pipeline (parser and NER needed), an
    alias table and the corpus's outlets (alias key -> canonical name, from
    :func:`analysis.sources.citations.corpus_outlets`: a name among them is a
    ``media`` source wherever it is cited); returns :class:`Attribution` records with character offsets
    into ``doc.text`` (``cue_start/cue_end`` locate the cue, for evaluation).
    """
    ctx = _Context(aliases=aliases or as_alias_table(None), outlets=outlets or {})
    _person_registry(doc, ctx)
    datelines = dateline_regions(doc.text)
    raw = []
    seen: set[tuple[int, int]] = set()
    for head, cue, rule, rel in _candidates(doc):
        head = _skip_heading(head, cue)
        if datelines:
            head = _out_of_dateline(head, datelines)
            if head is None:
                continue
        if not _plausible_source(head) and rule != "NOUN_CUE":
            continue
        if rule in ("SUBJECT", "NO_SUBJECT", "AGENT") and not _can_speak(head):
            continue  # "the arms embargo declared in March": only people, groups and publications report
        if (head.i, cue.i) in seen:
            continue
        seen.add((head.i, cue.i))
        if rule in ("ACCORDING_TO", "AS_REPORTED_BY"):
            cue_toks = list(doc[cue.i:cue.i + (2 if rule == "ACCORDING_TO" else 3)])
        elif rule == "NOUN_CUE":
            cue_toks = [cue]
        else:
            cue_toks = _cue_tokens(cue)
        exclude = {t.i for t in cue_toks} if rule != "NOUN_CUE" or head.i != cue.i else set()
        if rule in ("SUBJECT", "AGENT", "RELAY_OBJECT", "NO_SUBJECT"):
            exclude |= {cue.i}
        toks = _source_tokens(head, exclude - {head.i})
        if datelines:
            toks = [t for t in toks if not any(s <= t.idx < e for s, e in datelines)] or toks
        raw.append((head, cue, rule, toks, cue_toks, rel))
    # one statement found by two rules ("as reported by X" is also a passive agent) is kept once
    kept_raw, spans = [], []
    for item in sorted(raw, key=lambda r: (r[0].i, r[4][0].i, -len(r[4]))):
        cue_ids = {t.i for t in item[4]}
        if any(h == item[0].i and ids & cue_ids for h, ids in spans):
            continue
        spans.append((item[0].i, cue_ids))
        kept_raw.append(item)
    raw = sorted(kept_raw, key=lambda r: (r[3][0].idx, r[1].i))
    out: list[Attribution] = []
    text = doc.text  # spaCy rebuilds Doc.text on every access
    for head, cue, rule, toks, cue_toks, rel in raw:
        # a phrase that ends a paragraph can take the line break as a token ("according to Xinhua.\n\n")
        while len(toks) > 1 and toks[-1].is_space:
            toks = toks[:-1]
        while len(toks) > 1 and toks[0].is_space:
            toks = toks[1:]
        sent = head.sent
        att = Attribution(
            source=text[toks[0].idx:toks[-1].idx + len(toks[-1].text)],
            start_char=toks[0].idx,
            end_char=toks[-1].idx + len(toks[-1].text),
            cue=" ".join(t.text for t in cue_toks).replace("\u00a0", " "),
            cue_start=cue_toks[0].idx,
            cue_end=cue_toks[-1].idx + len(cue_toks[-1].text),
            sent_start=sent.start_char + (len(sent.text) - len(sent.text.lstrip())),
            sent_end=sent.start_char + len(sent.text.rstrip()),
            sentence=sent.text.strip(),
            head_i=head.i,
        )
        if rel is not None:
            att.extra["relative_span"] = (rel.idx, rel.idx + len(rel))
        att.canonical, att.type, att.anaphor = _classify(toks, head, ctx)
        att.extra["quantified"] = head.lower_ in QUANTIFIERS
        att.extra["plural"] = head.tag_ in ("NNS", "NNPS") or head.lower_ in PLURAL_PRONOUNS or any(
            c.dep_ == "conj" for c in head.children)
        if rule == "RELAY_OBJECT":
            own = next((c for c in cue.children if c.dep_ == "nsubj"), None)
            speaker = None if own is not None else _nearest_speaker(out, att, cue)
            if speaker is not None:
                att.via = speaker.canonical
            else:
                relayer = own if own is not None else _subject_of(cue)
                if relayer is not None:
                    att.via = _canonical_of(_resolve_relative(relayer), ctx)
            att.upstream = True
        else:
            att.via = _relay_of(head, cue, ctx, toks)
        if att.via and att.via.casefold() == att.canonical.casefold():
            att.via = ""
        ctx.earlier.append(att)
        out.append(att)
    out.sort(key=lambda a: (a.start_char, a.cue_start))
    return out
