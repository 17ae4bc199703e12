"""Typing a cited source (media, official, organisation, person, document, anonymous): names, titles, pronouns and relays."""
from __future__ import annotations

from dataclasses import dataclass, field
from spacy.tokens import Doc, Token
from analysis.sources.aliases import AliasTable, alias_key, normalise_name

from analysis.sources.attribution_parts import Attribution, _source_tokens, doc_ents
from analysis.sources.cue_words import (
    ANONYMOUS_NOUNS,
    DOCUMENT_NOUNS,
    MEDIA_NAME_WORDS,
    MEDIA_NOUNS,
    OFFICIAL_NAME_WORDS,
    OFFICIAL_NOUNS,
    OFFICIAL_TITLES,
    ORGANIZATION_NOUNS,
    PERSONAL_PRONOUNS,
    PLURAL_PRONOUNS,
    QUANTIFIERS,
    RELATIVE_PRONOUNS,
    RELAY_VERBS,
    UNNAMING_WORDS,
)


# --- typing and naming ------------------------------------------------------
@dataclass
class _Context:
    """Per-document state for typing: known named people and earlier sources."""

    aliases: AliasTable
    #: alias key -> canonical name of every outlet of a report in the corpus: cited anywhere, they are media
    outlets: dict[str, str] = field(default_factory=dict)
    officials: dict[str, str] = field(default_factory=dict)  # surname/name key -> full name (office holders)
    people: dict[str, str] = field(default_factory=dict)  # name key -> full name
    offices: dict[str, str] = field(default_factory=dict)  # office phrase key -> holder's name
    earlier: list[Attribution] = field(default_factory=list)


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
    outlet = _outlet_of(name, ctx)
    if outlet:
        return outlet, "media"
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
    outlet = _outlet_of(text, ctx)
    if outlet and lemma not in DOCUMENT_NOUNS:
        return outlet, "media", False
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
    document = lemma in DOCUMENT_NOUNS or _leaked(head)
    if name and not document:
        outlet = _outlet_of(name, ctx)
        if outlet and (lemma in MEDIA_NOUNS or head.pos_ == "PROPN" or head.ent_type_):
            return outlet, "media", False
    if name:
        hit = ctx.aliases.lookup(name)
        if hit and (lemma in MEDIA_NOUNS or hit.type == "media" or head.pos_ == "PROPN" or head.ent_type_):
            return hit.canonical, hit.type, False
    if document:
        relayer = document_relayer(head, tokens)
        if relayer is not None:
            # "documents seen by X", "a report by X": the document speaks, X relays it (see ``via``)
            branch = relayer
            while branch.head.i != head.i:
                branch = branch.head
            inside = {t.i for t in branch.subtree}
            return _describe([t for t in tokens if t.i not in inside]), "document", False
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


def _outlet_of(name: str, ctx: _Context) -> str:
    """The canonical name of ``name`` when it is the outlet of a report in the corpus, else ""."""
    return ctx.outlets.get(alias_key(name), "") if ctx.outlets and name else ""


def _leaked(head: Token) -> bool:
    """"a leaked contract", "the leaked memo": whatever was leaked is a document."""
    return any(c.dep_ == "amod" and c.lemma_.lower() == "leak" for c in head.children)


#: Participles through which an outlet or person relays a document it has: "documents seen by X".
HOLDING_VERBS = frozenset("see obtain review examine acquire publish leak share provide show".split())
#: Documents whose author is named with "by": "a report by X", "an analysis by X".
AUTHORED_DOCUMENTS = frozenset("report article story study analysis investigation survey poll assessment".split())


def document_relayer(head: Token, tokens: list[Token]) -> Token | None:
    """X in "documents seen by X" / "a report by X" (X inside ``tokens``), else ``None``."""
    within = {t.i for t in tokens}
    for c in head.children:
        if c.dep_ == "acl" and c.lemma_.lower() in HOLDING_VERBS:
            agent = next((a for a in c.children if a.dep_ == "agent"), None)
            pobj = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None
            if pobj is not None and pobj.i in within:
                return pobj
        if c.dep_ == "prep" and c.lower_ == "by" and head.lemma_.lower() in AUTHORED_DOCUMENTS:
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None and pobj.i in within:
                return pobj
    return None


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
def _relay_of(src_head: Token, cue: Token, ctx: _Context, tokens: list[Token] | None = None) -> str:
    """The relaying outlet or source of an attribution, as a canonical name ("" if first-hand)."""
    # "documents seen by X", "a report by X"
    relayer = document_relayer(src_head, tokens) if tokens is not None else None
    if relayer is not None:
        return _canonical_of(relayer, ctx)
    # "X said ..., Interfax reported": an outlet's trailing report verb governs the statement, or
    # (a frequent parse) hangs under it; either way the outlet relays X
    wire = [cue.head] if cue.dep_ in ("ccomp", "parataxis") and cue.head.i > cue.i else []
    # a trailing verb has no content of its own after it ("X said Interfax reported that ..." is not a relay)
    wire += [c for c in cue.children if c.dep_ in ("ccomp", "parataxis") and c.i > cue.i
             and not any(g.dep_ in ("ccomp", "parataxis") and g.i > c.i for g in c.children)]
    for verb in wire:
        if verb.lemma_.lower() not in {"report", "say"}:
            continue
        subj = next((s for s in verb.children if s.dep_ == "nsubj"), None)
        if subj is not None and subj.i > cue.i:
            canonical, typ, _ = _classify(_source_tokens(subj, set()), subj, ctx)
            if typ == "media":
                return canonical
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
