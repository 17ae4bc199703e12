"""Who each report cites: attributions found with spaCy rules on the parsed ``Doc``.

An *attribution* is a statement a report puts in someone's mouth: a source
("Kuwaiti sources", "the Algerian website Dzayer info"), a cue ("have
reported", "according to", "revealed to") and the sentence carrying it.
The rules work on the dependency parse and entities of the shared spaCy
pipeline (``analysis.nlp``), never on the raw text:

* a ``DependencyMatcher`` finds cue verbs ("said", "reported", "revealed",
  "told", "added", "quoting", ...) with their grammatical subject, in any
  order ("the sources added", "said a statement from the Ministry"), through
  relative clauses ("a journalist, who claims"), participles ("..., saying")
  and passive agents ("named by the anonymous source");
* a ``Matcher`` finds the prepositional cue "according to X";
* noun cues ("amid reports that ...") are found on the same parse.

Each source is then typed (``media``, ``anonymous``, ``official``,
``organization``, ``person``, ``document``) and named canonically with the
alias table (``analysis.aliases``); anaphors ("the website", "the sources",
"they") take the name and type of the source they refer back to. When a
statement reaches the report second-hand ("X, which Y translates", "Y,
quoting X", "X revealed to Y"), ``via`` holds the relaying outlet or source.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd
from spacy.matcher import DependencyMatcher, Matcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from . import features
from .aliases import AliasTable, as_alias_table, normalise_name

#: Columns of the table returned by :func:`extract_citations`.
CITATION_COLUMNS = [
    "report_id", "source", "source_canonical", "source_type", "cue", "via",
    "sentence", "start_char", "end_char", "sent_start", "sent_end",
]

# --- cue lexicon -----------------------------------------------------------
#: Verbs that report speech or writing: a subject of one of these is a source.
SPEECH_VERBS = frozenset("""
say tell report reveal state show find ask agree claim assert announce confirm deny allege declare disclose contend insist
argue write tweet post explain warn accuse acknowledge admit testify maintain stress emphasize emphasise
note add suggest indicate predict estimate comment reply respond recount recall conclude proclaim affirm
reiterate repeat remark complain charge boast concede observe mention cite quote propose describe
point call name date refer rule publish brief inform signal hint caution lament praise criticize
criticise condemn denounce urge demand vow promise pledge threaten believe think expect fear hope doubt
""".split())
#: Cue verbs that only report a statement with a clausal complement or quote ("warned that", not "warned Haftar").
NEEDS_CLAUSE = frozenset("""
warn maintain show find ask agree believe think expect fear hope doubt urge demand vow promise pledge threaten signal hint caution
lament praise criticize criticise condemn denounce inform brief charge boast complain explain indicate
suggest predict conclude observe remark recall mention
""".split())
#: Cue verbs that need a particle or a particular complement, with what satisfies them.
NEEDS_PARTICLE = {
    "point": {"out", "to", "that"},
    "call": {"on", "for", "oprd"},
    "rule": {"out"},
    "refer": {"to"},
    "publish": {"dobj_doc"},
    "name": {"agent", "as"},
    "date": {"dobj"},
    "describe": {"as", "ccomp"},
    "quote": {"dobj", "as"},
    "cite": {"dobj"},
}
#: Verbs through which an outlet relays another source ("which Y translates", "Y, quoting X").
RELAY_VERBS = frozenset("translate quote cite publish carry relay reprint run republish report".split())
#: Nouns that carry a statement ("amid reports that ...", "his claim that ...").
CUE_NOUNS = frozenset("report claim allegation accusation statement assertion rumour rumor".split())

# --- source lexicon ---------------------------------------------------------
MEDIA_NOUNS = frozenset("""
website site newspaper paper daily weekly magazine agency channel network broadcaster outlet television tv
radio station blog publication news service portal tabloid journal newsletter gazette
""".split())
DOCUMENT_NOUNS = frozenset("""
report document figure data statistic study survey leak cable memo record poll analysis assessment
statement communique communiqué letter footage video recording transcript account article story
investigation dossier file audit estimate tweet message post release poll survey
""".split())
ANONYMOUS_NOUNS = frozenset("""
source insider diplomat witness observer expert analyst journalist reporter correspondent resident people
person activist aide ally adviser advisor member someone individual informant whistleblower official
officer employee staffer operative agent person man woman acquaintance friend relative
""".split())
OFFICIAL_NOUNS = frozenset("""
government ministry minister army military force forces police authority authorities administration
cabinet presidency president premier parliament spokesman spokesperson spokeswoman envoy ambassador
embassy secretary commander general governor mayor senator congressman congresswoman lawmaker chief
department office council intelligence king prince emir sheikh head leader chairman deputy representative
prosecutor judge court state regime junta command headquarters navy airforce delegation
""".split())
ORGANIZATION_NOUNS = frozenset("""
organization organisation group ngo charity watchdog committee institute foundation association union
coalition campaign party company firm corporation think-tank thinktank university
""".split())
#: Titles that make a named person an official when attached to the name.
OFFICIAL_TITLES = frozenset("""
minister president premier spokesman spokesperson spokeswoman envoy ambassador secretary commander general
governor mayor senator congressman congresswoman lawmaker chief head leader chairman deputy representative
prosecutor king prince emir sheikh marshal colonel admiral diplomat director attorney
""".split())
MEDIA_NAME_WORDS = frozenset("""
news times post journal herald tribune gazette tv radio press agency channel daily magazine network
broadcasting observer review monitor telegraph guardian express chronicle
""".split())
OFFICIAL_NAME_WORDS = frozenset("""
ministry government army forces force department council parliament senate congress office police
military presidency embassy command navy cabinet administration intelligence
""".split())
QUANTIFIERS = frozenset("one some many several each all none most few two three both any".split())
RELATIVE_PRONOUNS = frozenset("who which that whom".split())
PERSONAL_PRONOUNS = frozenset("he she him her".split())
PLURAL_PRONOUNS = frozenset("they them".split())
UNNAMING_WORDS = frozenset("unnamed unidentified anonymous unspecified certain".split())
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")


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


# --- typing and naming ------------------------------------------------------
@dataclass
class _Context:
    """Per-document state for typing: known named people and earlier sources."""

    aliases: AliasTable
    officials: dict[str, str] = field(default_factory=dict)  # surname/name key -> full name (office holders)
    people: dict[str, str] = field(default_factory=dict)  # name key -> full name
    offices: dict[str, str] = field(default_factory=dict)  # office phrase key -> holder's name
    earlier: list[Attribution] = field(default_factory=list)


def doc_ents(doc: Doc) -> tuple:
    """``doc.ents``, built once per Doc: spaCy rebuilds the spans on every access, and the rules ask often."""
    cached = doc.user_data.get("analysis.ents")
    if cached is None:
        cached = doc.user_data["analysis.ents"] = tuple(doc.ents)
    return cached


def _person_registry(doc: Doc, ctx: _Context) -> None:
    """Record each PERSON in ``doc``, and which of them hold an office (title or apposition)."""
    for ent in doc_ents(doc):
        if ent.label_ != "PERSON":
            continue
        name = normalise_name(ent.text)
        name = " ".join(w for w in name.split() if w.rstrip(".").lower() not in {"mr", "mrs", "ms", "dr"}) or name
        words = name.split()
        if not words:  # an entity of punctuation or spaces only (seen in web captures): no name to register
            continue
        key_forms = {name.casefold(), words[-1].casefold()}
        titled = False
        root = ent.root
        near = [t for t in doc[max(ent.start - 4, 0):ent.start]] + list(root.children) + [root.head]
        if root.dep_ == "appos":
            near.extend(root.head.subtree)
            office = [t for t in root.head.subtree if t.i < ent.start and not t.is_space]
            while office and office[-1].is_punct:
                office.pop()
            if office:
                ctx.offices[normalise_name(doc[office[0].i:office[-1].i + 1].text).casefold()] = name
        for t in near:
            if t.lemma_.lower() in OFFICIAL_TITLES or t.lemma_.lower() in {"minister", "diplomacy"}:
                titled = True
        if any(w.lower() in OFFICIAL_TITLES for w in words):
            titled = True
        for k in key_forms:
            best = ctx.people.get(k, "")
            if len(name) > len(best):
                ctx.people[k] = name
            if titled:
                ctx.officials[k] = ctx.people[k]


def _name_part(tokens: list[Token], head: Token | None = None) -> str:
    """The proper name inside a source phrase: an entity, a quoted name or a run of proper nouns."""
    span_doc = tokens[0].doc
    start, end = tokens[0].i, tokens[-1].i + 1
    # quoted name: the Israeli website "Debka"
    quotes = [t.i for t in tokens if t.is_quote]
    if len(quotes) >= 2:
        inner = span_doc[quotes[0] + 1:quotes[-1]]
        if inner.text.strip(" ,"):
            return normalise_name(inner.text)
    ents = [e for e in doc_ents(span_doc) if e.start >= start and e.end <= end
            and e.label_ in ("ORG", "PERSON", "GPE", "FAC", "WORK_OF_ART", "PRODUCT", "LOC")]
    if ents:
        # the name of the head itself ("Jalel Harchaoui, a researcher at the Clingendael Institute")
        own = [e for e in ents if head is not None and e.start <= head.i < e.end]
        best = own[0] if own else max(ents, key=lambda e: (len(e), -e.start))
        return normalise_name(best.text)
    run: list[Token] = []
    best_run: list[Token] = []
    for t in tokens:
        if t.pos_ == "PROPN" or (t.text[:1].isupper() and t.is_alpha and t.i > start and t.pos_ == "NOUN"
                                 and t.text.isupper()):
            run.append(t)
        elif run and t.text in "-" and t.whitespace_ == "":
            run.append(t)
        else:
            if len(run) > len(best_run):
                best_run = run
            run = []
    if len(run) > len(best_run):
        best_run = run
    if best_run:
        return normalise_name(span_doc[best_run[0].i:best_run[-1].i + 1].text)
    return ""


def _named_pobj(head: Token, within: list[Token] | None = None) -> Token | None:
    """A named entity reached from ``head`` through of/from/by (also via a participle): "statement from the Ministry"."""
    allowed = {t.i for t in within} if within is not None else None
    for tok in head.subtree:
        if allowed is not None and tok.i not in allowed:
            continue
        if tok.i == head.i or tok.dep_ != "pobj" or tok.head.lower_ not in ("of", "from", "by"):
            continue
        if tok.ent_type_ in ("ORG", "GPE", "PERSON", "NORP") or tok.pos_ == "PROPN":
            return tok
    return None


def _type_named(name: str, tokens: list[Token], ctx: _Context) -> tuple[str, str]:
    """(canonical, type) of a proper name not found in the alias table."""
    hit = ctx.aliases.lookup(name)
    if hit:
        return hit.canonical, hit.type
    ent_labels = {t.ent_type_ for t in tokens if t.ent_type_}
    words = {w.strip(".,").lower() for w in name.split()}
    key = name.casefold()
    last = name.split()[-1].casefold() if name.split() else ""
    if key in ctx.officials or (last in ctx.officials and "PERSON" in ent_labels):
        return ctx.officials.get(key, ctx.officials.get(last)), "official"
    if "PERSON" in ent_labels or key in ctx.people or last in ctx.people:
        full = ctx.people.get(key) or ctx.people.get(last) or name
        titled = any(t.lemma_.lower() in OFFICIAL_TITLES for t in tokens)
        return full, "official" if titled else "person"
    if words & MEDIA_NAME_WORDS:
        return name, "media"
    if words & OFFICIAL_NAME_WORDS:
        return name, "official"
    if "GPE" in ent_labels:
        return name, "official"
    if "NORP" in ent_labels and len(words) == 1:
        return name, "anonymous"
    return name, "organization"


def _classify(tokens: list[Token], head: Token, ctx: _Context) -> tuple[str, str, bool]:
    """Return (canonical, type, is_anaphor) for a source phrase."""
    text = tokens[0].doc[tokens[0].i:tokens[-1].i + 1].text
    lemma = head.lemma_.lower()
    low = head.lower_
    hit = ctx.aliases.lookup(text)
    if hit:
        return hit.canonical, hit.type, False
    # quantified phrases ("one of the reports", "some of the officials") are typed by what they count
    if lemma in QUANTIFIERS or low in QUANTIFIERS:
        pobj = next((g for c in head.children if c.dep_ == "prep" and c.lower_ == "of"
                     for g in c.children if g.dep_ == "pobj"), None)
        if pobj is not None:
            canonical, typ, _ = _classify(tokens, pobj, ctx)
            return _describe(tokens) if typ in ("anonymous", "document") else canonical, typ, False
    if head.pos_ == "PRON" or low in PERSONAL_PRONOUNS | PLURAL_PRONOUNS | {"it", "both"}:
        return _resolve_pronoun(head, ctx)
    dets = {c.lower_ for c in head.children if c.dep_ in ("det", "amod", "predet")}
    definite = bool(dets & {"the", "this", "that", "these", "those", "same"}) and not (dets & UNNAMING_WORDS)
    unnamed = bool(dets & UNNAMING_WORDS) or bool(dets & {"a", "an", "another", "some"})
    name = _name_part(tokens, head)
    # the name part may itself be an alias ("the Algerian website Dzayer info")
    if name:
        hit = ctx.aliases.lookup(name)
        if hit and (lemma in MEDIA_NOUNS or hit.type == "media" or head.pos_ == "PROPN" or head.ent_type_):
            return hit.canonical, hit.type, False
    if lemma in DOCUMENT_NOUNS:
        owner = _named_pobj(head, tokens)
        if owner is not None:
            otoks = _source_tokens(owner, set())
            oname = _name_part(otoks) or normalise_name(owner.text)
            canonical, typ = _type_named(oname, otoks, ctx)
            return canonical, typ, False
        if name:
            hit = ctx.aliases.lookup(name)
            if hit and hit.type == "media":
                return hit.canonical, "media", False
        if definite and lemma in {"report", "article", "story", "account"} and head.tag_ == "NN":
            ante = _antecedent(ctx, {"media", "document"}, plural=None)
            if ante is not None:
                return ante.canonical, ante.type, True
        return _describe(tokens), "document", False
    if lemma in MEDIA_NOUNS:
        if name and not (dets & UNNAMING_WORDS):
            canonical, typ = _type_named(name, tokens, ctx)
            return canonical, "media" if typ in ("organization", "person") else typ, False
        if definite:
            ante = _antecedent(ctx, {"media"}, plural=None)
            if ante is not None:
                return ante.canonical, ante.type, True
            return _describe(tokens), "media", False
        return _describe(tokens), "anonymous", False
    if _declared_anonymous(head):
        return _describe(tokens), "anonymous", False
    if lemma in ANONYMOUS_NOUNS and not (name and head.pos_ == "PROPN"):
        if name and any(t.ent_type_ == "PERSON" for t in tokens):
            canonical, typ = _type_named(name, tokens, ctx)
            return canonical, typ, False
        if lemma == "source" and definite:
            plural = head.tag_ in ("NNS", "NNPS")
            ante = _antecedent(ctx, None, plural=plural, prefer_sources=True)
            if ante is not None:
                return ante.canonical, ante.type, True
        if lemma in ("official", "officer") and definite and head.tag_ == "NN":
            return normalise_name(text), "official", False
        return _describe(tokens), "anonymous", False
    if lemma in OFFICIAL_NOUNS or low in OFFICIAL_NOUNS:
        holder = ctx.offices.get(normalise_name(text).casefold())
        if definite and holder:
            return holder, "official", False
        if name and any(t.ent_type_ == "PERSON" for t in tokens):
            canonical, _ = _type_named(name, tokens, ctx)
            return canonical, "official", False
        if lemma == "head" and head.tag_ == "NN" and definite:
            # "the head of Algerian diplomacy" is an office; a later surname may be the same person
            return _office_holder(tokens, ctx) or ctx.offices.get(normalise_name(text).casefold(),
                                                                   normalise_name(text)), "official", False
        if name and not definite:
            canonical, typ = _type_named(name, tokens, ctx)
            if typ in ("official", "organization"):
                return canonical, "official", False
        if (lemma in {"official", "representative", "deputy"} and head.tag_ == "NNS") or unnamed and lemma in {
                "official", "diplomat", "officer", "representative"}:
            return _describe(tokens), "anonymous", False
        return normalise_name(text), "official", False
    if lemma in ORGANIZATION_NOUNS:
        if name:
            canonical, typ = _type_named(name, tokens, ctx)
            return canonical, typ if typ != "person" else "organization", False
        return normalise_name(text), "organization", False
    if name:
        canonical, typ = _type_named(name, tokens, ctx)
        return canonical, typ, False
    if head.pos_ == "PROPN" or head.ent_type_:
        canonical, typ = _type_named(normalise_name(text), tokens, ctx)
        return canonical, typ, False
    return _describe(tokens), "anonymous", False


def _describe(tokens: list[Token]) -> str:
    """A descriptive source as a name: common words lower-cased, proper names kept ("Kuwaiti sources")."""
    words = []
    for t in tokens:
        keep = t.pos_ == "PROPN" or t.ent_type_ in ("NORP", "GPE", "ORG", "PERSON") or t.text.isupper()
        words.append((t.text if keep else t.text.lower()) + t.whitespace_)
    return normalise_name("".join(words))


ANONYMITY_WORDS = frozenset("anonymity anonymously unnamed named identified authorized authorised".split())


def _declared_anonymous(head: Token) -> bool:
    """"X, who spoke on condition of anonymity" / "who asked not to be named": the report withholds the name."""
    for c in head.children:
        if c.dep_ in ("relcl", "acl"):
            words = {t.lower_ for t in c.subtree}
            if "anonymity" in words or "anonymously" in words or (
                    words & {"named", "identified", "authorized", "authorised"} and words & {"not", "n't", "declined"}):
                return True
    return False


def _office_holder(tokens: list[Token], ctx: _Context) -> str:
    """The named person in apposition to an office ("The head of Algerian diplomacy, Sabri Boukadoum")."""
    head = tokens[0].doc[tokens[0].i:tokens[-1].i + 1].root
    for c in head.children:
        if c.dep_ == "appos" and c.ent_type_ == "PERSON":
            return normalise_name(c.doc[c.left_edge.i:c.right_edge.i + 1].text)
    return ""


def _antecedent(ctx: _Context, types: set[str] | None, plural: bool | None,
                prefer_sources: bool = False) -> Attribution | None:
    """The most recent earlier source of one of ``types`` (relayed upstream sources are skipped)."""
    for att in reversed(ctx.earlier):
        if att.upstream or att.extra.get("quantified"):
            continue  # "one of the reports" is not what a later "the report" means
        if types is not None and att.type not in types:
            continue
        if plural is not None and att.extra.get("plural") is not None and att.extra["plural"] != plural:
            continue
        return att
    return None


def _resolve_pronoun(head: Token, ctx: _Context) -> tuple[str, str, bool]:
    """Resolve he/she/it/they/both to an earlier source (or, for he/she, a named person)."""
    low = head.lower_
    if low in PERSONAL_PRONOUNS:
        ante = _antecedent(ctx, {"person", "official"}, plural=None)
        # the nearest person named before the pronoun, if closer than the last source
        persons = [e for e in doc_ents(head.doc) if e.label_ == "PERSON" and e.end <= head.i]
        if persons and (ante is None or persons[-1].start_char > ante.start_char):
            toks = list(persons[-1])
            canonical, typ = _type_named(normalise_name(persons[-1].text), toks, ctx)
            return canonical, typ if typ in ("person", "official") else "person", True
        if ante is not None:
            return ante.canonical, ante.type, True
        return low, "person", False
    if low in PLURAL_PRONOUNS or low == "both":
        ante = _antecedent(ctx, None, plural=True) or _antecedent(ctx, None, plural=None)
        if ante is not None:
            return ante.canonical, ante.type, True
        return low, "anonymous", False
    if low == "it":
        ante = _antecedent(ctx, {"media", "document", "organization", "official"}, plural=False)
        if ante is not None:
            return ante.canonical, ante.type, True
        return low, "document", False
    if low in {"i", "we", "me", "us"}:
        return low, "person", False
    return low, "anonymous", False


# --- relay detection ----------------------------------------------------------
def _relay_of(src_head: Token, cue: Token, ctx: _Context) -> str:
    """The relaying outlet or source of an attribution, as a canonical name ("" if first-hand)."""
    # "X, which Y translates here"
    for c in src_head.subtree:
        if c.dep_ == "relcl" and c.lemma_.lower() in RELAY_VERBS and c.head.i in {t.i for t in src_head.subtree}:
            subj = next((s for s in c.children if s.dep_ == "nsubj" and s.lower_ not in RELATIVE_PRONOUNS), None)
            if subj is not None:
                return _canonical_of(subj, ctx)
    # "Y published an account from X asserting", "Y carried a report by X"
    node = src_head
    for _ in range(3):
        if node.dep_ == "pobj" and node.head.lower_ in ("from", "by", "in") and node.head.head.i != node.i:
            gov = node.head.head
            verb = gov if gov.pos_ in ("VERB", "AUX") else gov.head
            if verb.lemma_.lower() in RELAY_VERBS | {"publish"}:
                subj = next((s for s in verb.children if s.dep_ == "nsubj"), None)
                if subj is not None:
                    return _canonical_of(subj, ctx)
            break
        node = node.head
        if node.head.i == node.i:
            break
    # "X revealed to Y", "X told Y": a recipient that is an outlet relays the statement
    for c in cue.children:
        recipient = None
        if c.dep_ in ("dative", "dobj") and cue.lemma_.lower() == "tell":
            recipient = c
        elif c.dep_ in ("prep", "dative") and c.lower_ == "to":
            recipient = next((g for g in c.children if g.dep_ == "pobj"), None)
        if recipient is not None:
            toks = _source_tokens(recipient, {cue.i})
            canonical, typ, _ = _classify(toks, recipient, ctx)
            if typ == "media":
                return canonical
    return ""


def _canonical_of(tok: Token, ctx: _Context) -> str:
    toks = _source_tokens(tok, set())
    canonical, _, _ = _classify(toks, tok, ctx)
    return canonical


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


def extract_from_doc(doc: Doc, aliases: AliasTable | None = None) -> list[Attribution]:
    """All attributions in one parsed ``Doc``, in text order, typed, named and with relays.

    Accepts a spaCy ``Doc`` from the shared pipeline (parser and NER needed) and
    an alias table; returns :class:`Attribution` records with character offsets
    into ``doc.text`` (``cue_start/cue_end`` locate the cue, for evaluation).
    """
    ctx = _Context(aliases=aliases or as_alias_table(None))
    _person_registry(doc, ctx)
    raw = []
    seen: set[tuple[int, int]] = set()
    for head, cue, rule, rel in _candidates(doc):
        head = _skip_heading(head, cue)
        if not _plausible_source(head) and rule != "NOUN_CUE":
            continue
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
            att.via = _relay_of(head, cue, ctx)
        if att.via and att.via.casefold() == att.canonical.casefold():
            att.via = ""
        ctx.earlier.append(att)
        out.append(att)
    out.sort(key=lambda a: (a.start_char, a.cue_start))
    return out


def _empty() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="int64" if c.endswith(("_char", "_start", "_end")) else "object")
                          for c in CITATION_COLUMNS})
    return frame


def _citation_rows(doc: Doc, table: AliasTable) -> list[dict]:
    """The attributions of one parsed report as row dicts (:data:`CITATION_COLUMNS` minus ``report_id``)."""
    return [
        {
            "source": att.source, "source_canonical": att.canonical, "source_type": att.type, "cue": att.cue,
            "via": att.via, "sentence": att.sentence, "start_char": att.start_char, "end_char": att.end_char,
            "sent_start": att.sent_start, "sent_end": att.sent_end,
        }
        for att in extract_from_doc(doc, table)
    ]


def _alias_fingerprint(table: AliasTable) -> str:
    return hashlib.sha256(table.frame.to_csv(index=False).encode("utf-8")).hexdigest()


def extract_citations(
    reports: pd.DataFrame,
    docs: dict[str, Doc] | None = None,
    aliases: AliasTable | str | pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every attribution in every report, one row per (source mention, cue).

    Accepts the corpus ``reports`` table (``report_id`` and ``text`` used),
    optionally the parsed Docs from :func:`analysis.nlp.parse_reports` (without
    them, each report's rows come from the per-report cache of
    :mod:`analysis.features`, computed from the cached parse when missing) and
    an alias table, a user alias CSV path or a DataFrame of extra alias rows.
    Returns a DataFrame with columns :data:`CITATION_COLUMNS`, sorted by
    ``report_id, start_char``; offsets index the report's ``text``.
    """
    table = as_alias_table(aliases)
    if docs is None:
        depends = features.code_version("citations.py", "aliases.py") + _alias_fingerprint(table)
        results = features.per_report(reports, "citations", depends,
                                      lambda report, doc: _citation_rows(doc, table), desc="citations")
    else:
        results = []
        for report_id, text in zip(reports["report_id"], reports["text"]):
            doc = docs[report_id]
            assert doc.text == text, f"Doc text of {report_id} differs from the report text"
            results.append(_citation_rows(doc, table))
    if not any(results):
        return _empty()
    frame = features.rows_frame(reports, results, CITATION_COLUMNS)
    assert ((frame["start_char"] < frame["end_char"]) & (frame["sent_start"] <= frame["start_char"])
            & (frame["end_char"] <= frame["sent_end"])).all(), "source spans must lie inside their sentences"
    frame = frame.sort_values(["report_id", "start_char", "end_char", "cue"], kind="mergesort").reset_index(drop=True)
    return frame


# --- summaries ------------------------------------------------------------------
#: Source types in display order.
TYPE_ORDER = ["media", "official", "organization", "person", "document", "anonymous"]


def attributions_by_type(citations: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Attributions per report and source type: one row per report (all reports, zeros included).

    Returns ``report_id``, one count column per type in :data:`TYPE_ORDER` and
    ``total``, sorted by report_id.
    """
    counts = pd.crosstab(citations["report_id"], citations["source_type"]) if len(citations) else pd.DataFrame()
    frame = pd.DataFrame({"report_id": sorted(reports["report_id"])})
    for typ in TYPE_ORDER:
        col = counts[typ] if typ in counts.columns else pd.Series(dtype="int64")
        frame[typ] = frame["report_id"].map(col).fillna(0).astype("int64")
    frame["total"] = frame[TYPE_ORDER].sum(axis=1).astype("int64")
    return frame


def anonymous_share(citations: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Share of each report's attributed statements that rest on anonymous sources.

    Returns ``report_id, n_attributions, n_anonymous, anonymous_share`` (share
    is empty/NaN for a report with no attribution), sorted by report_id.
    """
    by_type = attributions_by_type(citations, reports)
    frame = pd.DataFrame({
        "report_id": by_type["report_id"],
        "n_attributions": by_type["total"],
        "n_anonymous": by_type["anonymous"],
    })
    frame["anonymous_share"] = (frame["n_anonymous"] / frame["n_attributions"].where(frame["n_attributions"] > 0)).round(3)
    return frame


def most_cited(citations: pd.DataFrame, n: int = 15) -> pd.DataFrame:
    """The ``n`` most-cited sources across the corpus.

    Counts attributions per canonical name (``n_attributions``) and the
    reports citing it (``n_reports``); returns ``source_canonical,
    source_type, n_attributions, n_reports``, most attributions first, ties
    broken by name. Anonymous descriptions are counted by wording, so
    "informed sources" in two reports add up as a phrase, not as one person.
    """
    cols = ["source_canonical", "source_type", "n_attributions", "n_reports"]
    if citations.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c.startswith("n_") else "object") for c in cols})
    grp = citations.groupby("source_canonical", sort=True)
    frame = pd.DataFrame({
        "source_type": grp["source_type"].agg(lambda s: s.value_counts().sort_index().idxmax()),
        "n_attributions": grp.size(),
        "n_reports": grp["report_id"].nunique(),
    }).reset_index()
    frame = frame.sort_values(["n_attributions", "n_reports", "source_canonical"], ascending=[False, False, True],
                              kind="mergesort")
    return frame[cols].head(n).reset_index(drop=True)


def relay_chains(citations: pd.DataFrame) -> pd.DataFrame:
    """Second-hand attributions as chains: ``report_id, via, source_canonical, source_type, cue, sentence``."""
    cols = ["report_id", "via", "source_canonical", "source_type", "cue", "sentence"]
    frame = citations[citations["via"] != ""] if len(citations) else citations
    return frame[cols].sort_values(["report_id", "via", "source_canonical"], kind="mergesort").reset_index(drop=True)
