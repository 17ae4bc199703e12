"""Typing a cited source (media, official, organisation, person, document, anonymous): names, titles, pronouns and relays."""
from __future__ import annotations

from dataclasses import dataclass, field
from spacy.tokens import Doc, Token
from analysis.sources.aliases import AliasTable, alias_key, normalise_name
from analysis.sources.person_names import PersonIndex, gender_of, given_key, name_words, pronoun_window_start, same_person

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
    officials: set[str] = field(default_factory=set)  # canonical names of the people who hold an office
    people: PersonIndex = field(default_factory=PersonIndex)  # every named person, by surname and first name
    genders: dict[str, str] = field(default_factory=dict)  # canonical name -> "m"/"f" when an honorific says so
    offices: dict[str, str] = field(default_factory=dict)  # office phrase key -> holder's name
    earlier: list[Attribution] = field(default_factory=list)


#: Roles of people who speak for a private party, not an institution: "a lawyer for the family".
PRIVATE_ROLES = frozenset("lawyer attorney counsel solicitor barrister advocate relative uncle aunt cousin "
                          "father mother son daughter brother sister wife husband friend neighbor neighbour".split())
_PUBLIC_ATTORNEY = frozenset("general district state prosecuting federal county city u.s. us".split())
_PRIVATE_PRINCIPALS = frozenset("family relatives relative parents father mother boy girl son daughter wife husband "
                                "estate defendant plaintiff victim victims".split())


def _private_role(tok: Token) -> bool:
    """Whether ``tok`` names a private role: a lawyer or attorney (not "Attorney General", "district
    attorney"), a relative, or a spokesman/representative for a family or a named person."""
    lemma = tok.lemma_.lower()
    if lemma in PRIVATE_ROLES:
        if lemma == "attorney":
            around = {t.lower_ for t in tok.children} | {tok.doc[j].lower_ for j in (tok.i - 1, tok.i + 1)
                                                         if 0 <= j < len(tok.doc)}
            return not around & _PUBLIC_ATTORNEY
        return True
    if lemma in {"spokesman", "spokeswoman", "spokesperson", "representative"}:
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ == "for":
                for obj in prep.children:
                    if obj.dep_ == "pobj" and (obj.lemma_.lower() in _PRIVATE_PRINCIPALS or obj.ent_type_ == "PERSON"):
                        return True
    return False


def _is_title(tok: Token) -> bool:
    return (tok.lemma_.lower() in OFFICIAL_TITLES or tok.lemma_.lower() in {"minister", "diplomacy"}) and not _private_role(tok)


def _person_registry(doc: Doc, ctx: _Context) -> None:
    """Record each PERSON in ``doc`` (in ``ctx.people``), which of them hold an office (a title or an
    apposition naming one; a private role such as "a lawyer for the family" is none) and the gender an
    honorific gives ("Mrs. Gingrich")."""
    persons = [ent for ent in doc_ents(doc) if ent.label_ == "PERSON"]
    def with_honorific(ent) -> str:
        name = normalise_name(ent.text)
        prev = doc[ent.start - 1] if ent.start > 0 else None
        return f"{prev.text} {name}" if prev is not None and gender_of([prev.text]) else name

    for ent in persons:
        if name_words(normalise_name(ent.text)):  # an entity of punctuation or spaces only (seen in web captures) has no name
            ctx.people.add(with_honorific(ent))
    for ent in persons:
        name = normalise_name(ent.text)
        words = name_words(name)
        if not words:
            continue
        canonical = ctx.people.resolve(with_honorific(ent)) or " ".join(words)
        root = ent.root
        before = [t for t in doc[max(ent.start - 4, 0):ent.start]]
        near = before + list(root.children) + [root.head]
        if root.dep_ == "appos":
            near.extend(root.head.subtree)
            office = [t for t in root.head.subtree if t.i < ent.start and not t.is_space]
            while office and office[-1].is_punct:
                office.pop()
            if office:
                ctx.offices[normalise_name(doc[office[0].i:office[-1].i + 1].text).casefold()] = canonical
        private = any(_private_role(t) for t in near)
        titled = not private and (any(_is_title(t) for t in near) or any(w.lower() in OFFICIAL_TITLES for w in name.split()))
        if titled:
            ctx.officials.add(canonical)
        gender = gender_of([t.text for t in before[-1:]] + name.split()[:1]) or ctx.people.gender(canonical)
        if gender:
            ctx.genders.setdefault(canonical if given_key(canonical) else with_honorific(ent), gender)


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
    # a person joins only the same person's longer form: never another first name ("Bill" / "Hillary Clinton"),
    # and a bare surname only when one person of the text bears it
    person = ctx.people.resolve(name) if "PERSON" in ent_labels or len(name.split()) <= 3 else None
    if person is not None and (person in ctx.officials):
        return person, "official"
    if "PERSON" in ent_labels or person is not None:
        full = person or " ".join(name_words(name)) or name
        titled = any(_is_title(t) for t in tokens) and not any(_private_role(t) for t in tokens)
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
    if _private_role(head):  # "a lawyer for the family", "a spokesman for the relatives": a person, not an office
        if name and any(t.ent_type_ == "PERSON" for t in tokens):
            return _type_named(name, tokens, ctx)[0], "person", False
        return _describe(tokens), "person", False
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
        candidates = _pronoun_candidates(head, ctx)
        if len(candidates) == 1:
            return (*candidates[0], True)
        return low, "person", False  # no candidate, or several the text does not choose between
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


def _pronoun_candidates(head: Token, ctx: _Context) -> list[tuple[str, str]]:
    """The distinct people (canonical, type) a he/she may stand for: those named, or cited as person or
    official sources, between ``pronoun_window_start`` and the pronoun, else anywhere before it if the
    text names one person only; an honorific of the other gender ("Mrs.") rules a person out."""
    wanted = {"he": "m", "him": "m", "she": "f", "her": "f"}.get(head.lower_, "")

    def gather(start: int) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        for ent in doc_ents(head.doc):
            if ent.label_ == "PERSON" and start <= ent.start_char and ent.end <= head.i and name_words(normalise_name(ent.text)):
                canonical, typ = _type_named(normalise_name(ent.text), list(ent), ctx)
                found.append((canonical, typ if typ in ("person", "official") else "person"))
        for att in ctx.earlier:
            if att.type in ("person", "official") and start <= att.start_char < head.idx and not (
                    att.anaphor is False and att.canonical.lower() in PERSONAL_PRONOUNS):
                found.append((att.canonical, att.type))
        distinct: list[tuple[str, str]] = []
        for canonical, typ in found:
            if wanted and ctx.genders.get(canonical, wanted) != wanted:
                continue
            same = next((i for i, (c, _) in enumerate(distinct) if same_person(c, canonical)), None)
            if same is None:
                distinct.append((canonical, typ))
            elif len(canonical) > len(distinct[same][0]):
                distinct[same] = (canonical, typ)
        return distinct

    near = gather(pronoun_window_start(head))
    return near if near else gather(0)


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
