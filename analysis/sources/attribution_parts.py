"""The parts of one attribution in a parse: the record, the cue matchers, the cue verb, its subject and the source span."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from spacy.matcher import DependencyMatcher, Matcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from analysis.sources.cue_words import (
    ANONYMOUS_NOUNS,
    CUE_NOUNS,
    DOCUMENT_NOUNS,
    MEDIA_NOUNS,
    NEEDS_CLAUSE,
    NEEDS_PARTICLE,
    OFFICIAL_NOUNS,
    OFFICIAL_TITLES,
    ORGANIZATION_NOUNS,
    QUANTIFIERS,
    RELATIVE_PRONOUNS,
    SPEAKER_NOUNS,
    SPEECH_VERBS,
    SUBJECT_DEPS,
)


@dataclass
class Attribution:
    """One attribution found in a Doc (character offsets into the Doc's text)."""

    source: str
    start_char: int
    end_char: int
    cue: str
    cue_start: int
    cue_end: int
    sent_start: int
    sent_end: int
    sentence: str
    head_i: int = -1
    canonical: str = ""
    type: str = ""
    via: str = ""
    upstream: bool = False  # reached through a relay ("quoting X"): X is upstream of the relayer
    anaphor: bool = False
    extra: dict = field(default_factory=dict)


# --- matchers ----------------------------------------------------------------
@lru_cache(maxsize=8)
def _matchers(vocab: Vocab) -> tuple[DependencyMatcher, Matcher]:
    """Build the rule matchers once per vocabulary (never added to the shared pipeline)."""
    dep = DependencyMatcher(vocab)
    cue = {"RIGHT_ID": "cue", "RIGHT_ATTRS": {"LEMMA": {"IN": sorted(SPEECH_VERBS)}, "POS": {"IN": ["VERB", "AUX"]}}}
    # subject of a cue verb, in either order ("X said" / "said X")
    dep.add("SUBJECT", [[cue, {"LEFT_ID": "cue", "REL_OP": ">", "RIGHT_ID": "src",
                               "RIGHT_ATTRS": {"DEP": {"IN": ["nsubj", "csubj"]}}}]])
    # passive agent: "named by the anonymous source", "was told by officials"
    dep.add("AGENT", [[cue,
                       {"LEFT_ID": "cue", "REL_OP": ">", "RIGHT_ID": "by", "RIGHT_ATTRS": {"DEP": "agent"}},
                       {"LEFT_ID": "by", "REL_OP": ">", "RIGHT_ID": "src", "RIGHT_ATTRS": {"DEP": "pobj"}}]])
    # participle or infinitive without a subject of its own: "..., saying", "asserting that", "forced to deny"
    dep.add("NO_SUBJECT", [[{"RIGHT_ID": "cue", "RIGHT_ATTRS": {
        "LEMMA": {"IN": sorted(SPEECH_VERBS)}, "POS": {"IN": ["VERB", "AUX"]},
        "DEP": {"IN": ["advcl", "acl", "xcomp", "conj", "pcomp"]}}}]])
    # quoting / citing X: X is the upstream source
    dep.add("RELAY_OBJECT", [[{"RIGHT_ID": "cue", "RIGHT_ATTRS": {"LEMMA": {"IN": ["quote", "cite"]}}},
                              {"LEFT_ID": "cue", "REL_OP": ">", "RIGHT_ID": "src", "RIGHT_ATTRS": {"DEP": "dobj"}}]])
    # noun cues with a that-clause: "amid reports that ...", "Trump's claim that ..."
    dep.add("NOUN_CUE", [[{"RIGHT_ID": "cue", "RIGHT_ATTRS": {"LEMMA": {"IN": sorted(CUE_NOUNS)}, "POS": "NOUN"}},
                          {"LEFT_ID": "cue", "REL_OP": ">", "RIGHT_ID": "clause",
                           "RIGHT_ATTRS": {"DEP": {"IN": ["acl", "ccomp", "relcl"]}}},
                          {"LEFT_ID": "clause", "REL_OP": ">", "RIGHT_ID": "mark",
                           "RIGHT_ATTRS": {"DEP": "mark", "LOWER": "that"}}]])
    tok = Matcher(vocab)
    tok.add("ACCORDING_TO", [[{"LOWER": "according"}, {"LOWER": "to"}]])
    tok.add("AS_REPORTED_BY", [[{"LOWER": "as"}, {"LEMMA": {"IN": ["report", "say", "quote", "state"]}},
                                {"LOWER": "by"}]])
    return dep, tok


# --- helpers over the parse -------------------------------------------------
def _cue_ok(verb: Token) -> bool:
    """Whether this occurrence of a cue verb reports a statement."""
    lemma = verb.lemma_.lower()
    if lemma in NEEDS_PARTICLE:
        need = NEEDS_PARTICLE[lemma]
        kids = list(verb.children)
        have = {c.lower_ for c in kids if c.dep_ in ("prt", "prep", "agent")}
        if "agent" in need and any(c.dep_ == "agent" for c in kids):
            return True
        if "oprd" in need and any(c.dep_ == "oprd" for c in kids):
            return True
        if "dobj" in need and any(c.dep_ == "dobj" for c in kids):
            return True
        if "ccomp" in need and any(c.dep_ == "ccomp" for c in kids):
            return True
        if "that" in need and any(c.dep_ == "ccomp" for c in kids):
            return True
        if "dobj_doc" in need and any(c.dep_ == "dobj" and c.lemma_.lower() in DOCUMENT_NOUNS for c in kids):
            return True
        return bool(have & need)
    if lemma in {"show", "find", "suggest", "indicate"} and any(
            c.dep_ in SUBJECT_DEPS and c.lemma_.lower() in DOCUMENT_NOUNS for c in verb.children):
        return any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in verb.children)
    if lemma in NEEDS_CLAUSE:
        return any(c.dep_ in ("ccomp", "parataxis") for c in verb.children) or (
            any(c.dep_ == "xcomp" for c in verb.children) and lemma in {"believe", "think", "fear", "doubt", "maintain"})
    return True


def _cue_tokens(verb: Token) -> list[Token]:
    """The cue as written: the verb plus its particle ("point out", "called on", "revealed to")."""
    toks = [verb]
    for c in verb.children:
        if c.dep_ == "prt" or (c.dep_ == "prep" and c.lower_ in ("on", "to", "for") and c.i == verb.i + 1):
            toks.append(c)
        if c.dep_ == "neg" and verb.lemma_.lower() == "rule":
            toks.append(c)
    return sorted(toks, key=lambda t: t.i)


def _resolve_relative(tok: Token) -> Token:
    """A relative pronoun subject ("who", "which") stands for the noun its clause modifies."""
    if tok.lower_ in RELATIVE_PRONOUNS and tok.head.dep_ == "relcl":
        ante = tok.head.head
        # "the envoy to the UN, who accused": the parser often hangs "who" on the nearest noun
        if (tok.lower_ == "who" and ante.dep_ == "pobj" and ante.ent_type_ != "PERSON"
                and ante.head.dep_ == "prep" and ante.head.head.pos_ in ("NOUN", "PROPN")
                and ante.head.head.lemma_.lower() in ANONYMOUS_NOUNS | OFFICIAL_NOUNS | OFFICIAL_TITLES):
            ante = ante.head.head
        return ante
    return tok


def _subject_of(verb: Token) -> Token | None:
    """The subject of ``verb``, climbing participles and infinitives to the clause that has one.

    Climbing prefers the nearest governing cue verb ("described X as ..., adding that"), so a
    participle attached to an embedded clause still goes back to the speaker.
    """
    node = verb
    fallback = None
    for _ in range(6):
        subj = next((c for c in node.children if c.dep_ in SUBJECT_DEPS), None)
        if node is not verb:
            if subj is not None and node.lemma_.lower() in SPEECH_VERBS:
                return subj
            if subj is not None and fallback is None:
                fallback = subj
        if node.dep_ == "acl" and node.head.pos_ in ("NOUN", "PROPN", "PRON"):
            carrier = node.head
            # "Trump issued a statement saying ...": the statement's issuer speaks
            if carrier.lemma_.lower() in DOCUMENT_NOUNS and carrier.dep_ == "dobj":
                issuer = next((c for c in carrier.head.children if c.dep_ == "nsubj"), None)
                if issuer is not None:
                    return issuer
            return carrier  # "an unnamed newspaper asserting that"
        if node.dep_ not in ("advcl", "xcomp", "conj", "pcomp", "prep") or node.head.i == node.i:
            break
        node = node.head
    return fallback


def _source_tokens(head: Token, exclude: set[int]) -> list[Token]:
    """Tokens of the noun phrase headed by ``head``, without clauses that carry the cue."""
    doc = head.doc
    keep: list[Token] = [head]
    stack = [c for c in head.children]
    while stack:
        tok = stack.pop()
        if tok.i in exclude or tok.dep_ in ("relcl", "advcl", "parataxis", "ccomp"):
            continue
        if tok.dep_ == "acl" and (tok.lemma_.lower() in SPEECH_VERBS
                                  or any(c.dep_ == "mark" and c.lower_ == "that" for c in tok.children)):
            continue  # "reports that ..." / "a newspaper asserting ...": the clause is the content
        if tok.dep_ == "prep" and tok.lower_ == "as" and tok.head.i == head.i:
            continue  # "named by the source as Ackerman"
        if tok.is_space:
            continue
        keep.append(tok)
        stack.extend(tok.children)
    # a multi-token name the parser split ("al - Badri" as three subjects) is kept whole
    if head.ent_iob_ in ("B", "I"):
        ent = next(e for e in doc_ents(doc) if e.start <= head.i < e.end)
        keep.extend(doc[i] for i in range(ent.start, ent.end) if doc[i] not in keep)
    keep.sort(key=lambda t: t.i)
    # commas and quotes between kept words belong to the phrase ("the minister, Abdul Salam al-Badri")
    kept = {t.i for t in keep}
    for t in list(keep):
        j = t.i + 1
        while j < len(doc) and doc[j].is_punct and not doc[j].is_space and j not in kept and j not in exclude:
            j += 1
        if j in kept and j > t.i + 1:
            keep.extend(doc[k] for k in range(t.i + 1, j))
            kept.update(range(t.i + 1, j))
    keep.sort(key=lambda t: t.i)
    # keep the contiguous run around the head
    lo = hi = keep.index(head)
    while lo > 0 and keep[lo - 1].i == keep[lo].i - 1:
        lo -= 1
    while hi < len(keep) - 1 and keep[hi + 1].i == keep[hi].i + 1:
        hi += 1
    run = keep[lo:hi + 1]
    while len(run) > 1 and (run[-1].is_punct and not run[-1].is_quote or run[-1].dep_ in ("cc", "case")):
        run = run[:-1]
    while len(run) > 1 and run[0].is_punct and not run[0].is_quote:
        run = run[1:]
    # a closing quote without its opening one is not part of the name
    if run[-1].is_quote and sum(t.is_quote for t in run) % 2 == 1 and len(run) > 1:
        run = run[:-1]
    return run


def _plausible_source(head: Token) -> bool:
    """Reject subjects that cannot be speakers: expletives, numbers, bare relatives, "what"."""
    low = head.lower_
    if head.dep_ == "expl" or low in {"there", "what", "which", "that", "this", "these", "those", "whatever"}:
        return False
    if head.pos_ == "NUM" and any(c.dep_ == "prep" and c.lower_ == "of" for c in head.children):
        return True  # "one of the reports"
    if head.pos_ in ("NUM", "ADV", "ADJ", "VERB", "AUX", "SCONJ", "ADP", "PUNCT", "SPACE", "X"):
        return False
    if low == "it" and head.head.lemma_.lower() not in {"add", "say", "report", "state", "write", "claim"}:
        return False
    if head.lemma_.lower() in {"accusation", "allegation", "claim", "rumour", "rumor", "assertion", "gesture"}:
        return False  # "these accusations are coming from X, calling ...": the claim is not its speaker
    return True


_SPEAKING_NOUNS = (ANONYMOUS_NOUNS | OFFICIAL_NOUNS | OFFICIAL_TITLES | ORGANIZATION_NOUNS | MEDIA_NOUNS
                   | DOCUMENT_NOUNS | CUE_NOUNS | SPEAKER_NOUNS | QUANTIFIERS)


def _can_speak(head: Token) -> bool:
    """Whether a subject can report: a person, group or publication (a name, pronoun or such a noun).

    A common noun outside the source lexicon ("the arms embargo declared", "the deal stated") is not a
    speaker; agent nouns ("critics", "the negotiators") are, by their suffix.
    """
    if head.pos_ != "NOUN" or head.ent_type_ in ("PERSON", "ORG", "GPE", "NORP", "FAC"):
        return True
    if head.text[:1].isupper() and not head.is_sent_start:
        return True  # a capitalised word the tagger took for a common noun is a name ("Trump said")
    lemma = head.lemma_.lower()
    if lemma in _SPEAKING_NOUNS or head.lower_ in _SPEAKING_NOUNS:
        return True
    if any(c.dep_ == "amod" and c.lemma_.lower() == "leak" for c in head.children):
        return True  # "a leaked contract shows"
    return lemma.endswith(("er", "or", "ist", "ian", "ant", "ent", "ee", "ic", "man", "woman")) and not lemma.endswith(
        ("ment", "ter", "order", "border", "corridor", "paper", "matter", "number"))


def doc_ents(doc: Doc) -> tuple:
    """``doc.ents``, built once per Doc: spaCy rebuilds the spans on every access, and the rules ask often."""
    cached = doc.user_data.get("analysis.ents")
    if cached is None:
        cached = doc.user_data["analysis.ents"] = tuple(doc.ents)
    return cached
