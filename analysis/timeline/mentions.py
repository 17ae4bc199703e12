"""Claim mentions: every clause of a report that alleges something happened, dated or not.

A mention is a predicate (a verb of the dependency parse) with its arguments in roles: the *agent* (its
subject, or the "by" phrase of a passive), the *patients* (object, passive subject), the *places*
(place names of its clause) and the *time* (the time expression of its own clause, from
:mod:`analysis.timeline.events`: a dated mention is an event of ``events.csv``). The sentence's
attributed sources (:mod:`analysis.sources.citations`) are the mention's ``source``, never its
participants: reporting verbs ("said", "reported") are not happenings, their complement is.

Not mentions (unless a time expression dates them, which makes them events): copulas and
possession ("is", "has"), reporting and mental verbs, what did not happen or is not asserted
(modal "will/would/could" without "have", "to"-infinitives, "if" clauses, questions), verbs inside a
dateline, adjectival participles. Negated clauses are kept with ``negated`` set.

:func:`mention_candidates` reads one report (cached per report); :func:`resolve_mention` makes the names
canonical over the corpus (:class:`analysis.timeline.events.ActorRegistry`) and writes the readable
statement with its references named ("he [Khalifa Haftar]").
"""
from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from analysis.sources.aliases import normalise_name
from analysis.sources.person_names import PersonIndex, distinct_people
from analysis.timeline import statements
from analysis.timeline.datelines import dateline_spans
from analysis.timeline.events import (ACTOR_LABELS, REPORTING_LEMMAS, ActorName, ActorRegistry, _is_place,
                                      _last_person, _subject, event_candidates, person_forms)
from analysis.timeline.predicates import PredicateTable

#: Verbs that do not tell a happening: being, having, saying, thinking, wanting.
NOT_HAPPENINGS = REPORTING_LEMMAS | {
    "be", "have", "do", "seem", "appear", "think", "believe", "know", "want", "wish", "hope", "expect", "plan",
    "intend", "try", "like", "love", "need", "feel", "consider", "mean", "include", "remain", "become", "let",
    "ask", "insist", "argue", "note", "stress", "emphasize", "emphasise", "explain", "acknowledge", "admit",
    "recall", "remember", "understand", "see", "hear", "call", "quote", "cite", "reply", "respond", "speak",
    "declare", "maintain", "contend", "say", "tell", "add", "comment", "urge", "predict", "estimate", "fear",
    "doubt", "wonder", "guess", "suppose", "assume", "imagine", "look", "sound", "go", "get", "make", "keep",
    "continue", "begin", "start", "stop", "seek", "refuse", "decline", "fail", "manage", "tend", "happen",
    "accord", "translate"}
#: Light verbs are happenings only with a phrase the predicate table knows ("went down", "held talks").
LIGHT_VERBS = {"go", "get", "make", "take", "hold", "give", "keep", "lose", "put", "set", "come"}
#: "planned to meet", "vowed to hunt down": an intended happening, kept as a mention flagged ``planned``
#: (a report telling that Haftar planned to meet Israeli officials in Jordan tells of those talks).
INTENT_VERBS = {"plan", "intend", "try", "attempt", "seek", "agree", "decide", "vow", "pledge", "promise",
                "threaten", "prepare", "arrange", "aim", "want", "hope", "expect", "schedule", "set", "refuse"}
MODALS = {"will", "would", "could", "should", "may", "might", "must", "can", "shall", "'ll", "wo", "ca"}
CONDITIONS = {"if", "unless", "whether", "once", "until", "before"}
#: Head nouns too general to say what a happening is about.
GENERIC_NOUNS = {"thing", "something", "anything", "everything", "nothing", "one", "time", "year", "day", "week",
                 "month", "way", "part", "lot", "kind", "sort", "number", "fact", "case", "end", "place",
                 "today", "yesterday", "tomorrow", "morning", "night", "evening", "hour", "minute", "moment",
                 "percent", "%", "other", "others", "some", "many", "most", "all", "both", "each", "none",
                 "past", "future", "history", "present", "period", "decade", "century", "weekend", "season"}


def planned(verb: Token) -> bool:
    """An intended happening: a "to"-infinitive complement of a verb of intention ("planned to meet")."""
    return (verb.dep_ == "xcomp" and verb.head.lemma_.lower() in INTENT_VERBS
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children))


def _modal(verb: Token) -> bool:
    """Not asserted as happened: "will meet", "would have"; but "may have met" alleges a past happening."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(c.lower_ == "to" for c in auxes):
        return not planned(verb)
    if any(c.lower_ in MODALS for c in auxes):
        return not any(c.lemma_ == "have" for c in auxes)
    return False


def _conditional(verb: Token) -> bool:
    return any(c.dep_ == "mark" and c.lower_ in CONDITIONS for c in verb.children)


def _is_predicate(tok: Token, phrase_known: bool, question: bool = False) -> bool:
    """Whether ``tok`` heads a clause alleging a happening (see the module docstring)."""
    if tok.pos_ != "VERB" or tok.dep_ in ("amod", "compound", "acl"):
        return False  # "the sunken submarine", "a man carrying a bag": modifiers, not allegations
    lemma = tok.lemma_.lower()
    if lemma in LIGHT_VERBS:
        return phrase_known
    if lemma in NOT_HAPPENINGS or not lemma.isalpha():
        return False
    if _modal(tok) or _conditional(tok) or question:
        return False
    return True


def _parts(verb: Token) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """Particles, direct-object heads and (preposition, object head) pairs, as lemmas, for the predicate table."""
    particles = [c.lemma_.lower() for c in verb.children if c.dep_ == "prt"]
    objects = [c.lemma_.lower() for c in verb.children if c.dep_ in ("dobj", "attr")]
    preps = []
    for c in verb.children:
        if c.dep_ == "prep":
            objs = [g.lemma_.lower() for g in c.children if g.dep_ == "pobj"]
            preps.extend((c.lower_, o) for o in objs or [""])
        if c.dep_ == "prt" or c.pos_ == "ADV" and c.lower_ in ("down", "up", "off", "out"):
            particles.append(c.lower_)
    return sorted(set(particles)), objects, preps


def _argument(doc: Doc, head: Token, skip: set[int], ents: list[Span]) -> dict:
    """Entities and head noun of one argument phrase (relative clauses left out)."""
    ids = set()
    stack = [head]
    while stack:
        tok = stack.pop()
        if tok.i in skip:
            continue
        ids.add(tok.i)
        stack.extend(c for c in tok.children if c.dep_ not in ("relcl", "acl", "ccomp", "advcl"))
    found = [[e.text, e.label_] for e in ents if e.root.i in ids and e.label_ in ACTOR_LABELS | {"PRODUCT"}]
    nouns = []
    for tok in sorted((doc[i] for i in ids), key=lambda t: t.i):
        if tok.pos_ == "NOUN" and tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "attr", "conj", "appos", "dative",
                                               "agent") and not tok.ent_type_:
            lemma = tok.lemma_.lower()
            if lemma.isalpha() and lemma not in GENERIC_NOUNS and len(lemma) > 2:
                nouns.append(lemma)
        elif tok.pos_ == "PROPN" and not tok.ent_type_ and tok.dep_ not in ("compound",):
            name = " ".join(t.text for t in tok.lefts if t.dep_ == "compound" and t.pos_ == "PROPN") + " " + tok.text
            found.append([name.strip(), "PERSON" if tok.dep_ in ("nsubj", "nsubjpass") else "ORG"])
    return {"entities": found, "nouns": list(dict.fromkeys(nouns))}


def _subject_of(verb: Token, skip: set[int]) -> tuple[list[Token], list[Token]]:
    """``(heads, inherited)``: the verb's own subject heads, or a subject from elsewhere in the sentence
    (``inherited``, tokens to put in front of the statement).

    A subject inside a dateline or an attribution does not count. "According to X, a second vessel, the
    Sea Lantern, docked" is often parsed with the vessel as an apposition of X: it is taken back as the
    subject. A coordinated or subordinate verb without a subject shares its head's ("sank and killed").
    """
    own = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i not in skip]
    if verb.dep_ == "relcl" and (not own or own[0].tag_ in ("WDT", "WP") or own[0].lower_ == "that"):
        # "bombs which killed 257 people": the bombs killed; the relative pronoun leaves the statement
        noun = verb.head
        skip.update(t.i for t in own)
        phrase = [t for t in noun.lefts if t.dep_ in ("det", "amod", "compound", "nummod", "poss")] + [noun]
        return [noun], [t for t in phrase if t.i not in skip]
    if own:
        return own, []
    if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
        # "the man arrested Friday", or a dateline parsed as the root: "SELVA — A second vessel, ..., docked"
        inside = {t.i for t in verb.subtree}
        return [verb.head], [t for t in verb.head.subtree if t.i not in inside and t.i not in skip]
    for child in verb.children:  # "PORT SELVA, 10 February 2021 — A second vessel docked": the parser may
        if child.dep_ in ("nsubj", "nsubjpass"):  # make the dateline the subject and the vessel its apposition
            for tok in child.subtree:
                if tok.dep_ == "appos" and tok.i not in skip and tok.head.i in skip:
                    return [tok], list(tok.subtree)
    for child in verb.children:
        if child.lower_ == "according":
            for tok in child.subtree:
                for appos in tok.children:
                    if appos.dep_ == "appos" and appos.i not in skip:
                        return [appos], list(appos.subtree)
    if verb.dep_ in ("conj", "xcomp", "advcl"):
        inherited = [t for t in _subject(verb) if t.i not in skip]
        heads = [t for t in inherited if t.dep_ in ("nsubj", "nsubjpass")][:1]
        if heads and (heads[0].tag_ in ("WDT", "WP") or heads[0].lower_ == "that") and heads[0].head.dep_ == "relcl":
            noun = heads[0].head.head  # "the bombs, which killed 257 and injured 5,000": the bombs injured
            phrase = [t for t in noun.lefts if t.dep_ in ("det", "amod", "compound", "nummod", "poss")] + [noun]
            return [noun], [t for t in phrase if t.i not in skip]
        return heads, inherited
    return [], []


def _window_start(tok: Token, text: str, sent_starts: list[int], sent_of: list[int]) -> int:
    """:func:`analysis.sources.person_names.pronoun_window_start` on precomputed sentences: the paragraph of
    the pronoun, and at least the sentence before its own."""
    para = max(text.rfind("\n\n", 0, tok.idx), text.rfind("\n", 0, tok.idx)) + 1
    k = sent_of[tok.i]
    previous = sent_starts[k - 1] if k > 0 else 0
    return min(para, previous)


def _reference_candidates(tok: Token, kind: str, ents: list[Span], window_start: int) -> list[list[str]]:
    """Who a pronoun or role noun may stand for: the people named before it (pronoun: in its window)."""
    if kind == "pronoun":
        people = [e for e in ents if e.end_char <= tok.idx and e.label_ == "PERSON"]
        window = [e for e in people if e.start_char >= window_start] or people
        return [list(k) for k in dict.fromkeys((e.text, e.label_) for e in reversed(window))]
    before = [e for e in ents if e.end_char <= tok.idx and e.label_ in ("PERSON", "ORG", "NORP", "GPE")]
    return [list(k) for k in dict.fromkeys((e.text, e.label_) for e in reversed(before))]


def _tokens_in(doc: Doc, spans: list[tuple[int, int]]) -> set[int]:
    """Indices of the tokens overlapping the character ``spans``."""
    out: set[int] = set()
    for a, b in spans:
        span = doc.char_span(int(a), int(b), alignment_mode="expand")
        if span is not None:
            out.update(range(span.start, span.end))
    return out


def mention_candidates(text: str, published: str, doc: Doc, cites=None, predicates: PredicateTable | None = None,
                       events: list[dict] | None = None) -> list[dict]:
    """The claim mentions of one report, before names are made canonical across the corpus.

    Accepts the report's ``text``, publication date, ``Doc``, its attributions ``cites`` (rows of
    ``citations.csv`` for this report, or ``None``) and its event candidates
    (:func:`analysis.timeline.events.event_candidates`; computed when ``None``). A light verb ("go",
    "hold") is a predicate only when ``predicates`` knows its phrase. Returns one dict per mention,
    in text order, with the trigger, its offsets, the predicate's parts, the arguments (raw entity
    texts and labels, head nouns), places, the statement with its references, the sentence, the
    attributed sources and, for a dated mention, the fields of its event (``event_index``: position
    in ``events``).
    """
    from analysis.timeline.predicates import load_predicates

    predicates = predicates or load_predicates()
    if events is None:
        events = event_candidates(text, published, doc, cites)
    by_trigger = {e["trigger_start"]: k for k, e in enumerate(events)}
    datelines = dateline_spans(text)
    source_spans = [] if cites is None or not len(cites) else list(zip(cites["start_char"], cites["end_char"]))
    cite_rows = [] if cites is None or not len(cites) else list(zip(
        cites["sent_start"], cites["sent_end"], cites["source_canonical"], cites["source_type"]))
    in_dateline = _tokens_in(doc, datelines)
    skip = _tokens_in(doc, source_spans) | in_dateline
    # once per report: spaCy rebuilds ``doc.ents``, ``doc.text`` and a token's ``sent`` on every access
    ents = list(doc.ents)
    sents = list(doc.sents)
    sent_of = [0] * len(doc)
    for k, sent in enumerate(sents):
        for i in range(sent.start, sent.end):
            sent_of[i] = k
    sent_starts = [sent.start_char for sent in sents]
    questions = {k for k, sent in enumerate(sents) if sent.text.rstrip().endswith("?")}
    out = []
    for tok in doc:
        event_index = by_trigger.get(tok.idx)
        if event_index is None:
            if tok.pos_ != "VERB" or tok.i in in_dateline:
                continue
            particles, objects, preps = _parts(tok)
            known = predicates.family_of(tok.lemma_, particles, objects, preps) != tok.lemma_.lower()
            if not _is_predicate(tok, known, sent_of[tok.i] in questions):
                continue
        else:
            particles, objects, preps = _parts(tok)
        sent = sents[sent_of[tok.i]]
        own_skip = set(skip)
        # a cited source that is the subject of a happening is its actor there ("Algeria has sent a warning,
        # pointing out that ..."): only as the speaker of a reporting verb is it a source and nothing else
        acting = [t for c in tok.children if c.dep_ == "nsubj" and c.i in skip and c.i not in in_dateline
                  for t in c.subtree]
        own_skip -= {t.i for t in acting}
        own_subject, inherited = _subject_of(tok, own_skip)
        text_of, refs = statements.statement(tok, inherited, own_skip)
        if len(text_of.split()) < 3:  # "said": too little to read; the sentence says what it is about
            text_of, refs = " ".join(sent.text.split()), []
        agent, patients, places, other = [], [], [], []
        subject_heads = own_subject
        for head in subject_heads:
            arg = _argument(doc, head, own_skip, ents)
            (patients if head.dep_ == "nsubjpass" else agent).append(arg)
        for child in tok.children:
            if child.dep_ in ("dobj", "dative", "attr", "oprd"):
                patients.append(_argument(doc, child, skip, ents))
            elif child.dep_ == "agent":
                agent.extend(_argument(doc, g, skip, ents) for g in child.children if g.dep_ == "pobj")
            elif child.dep_ == "prep":
                for g in child.children:
                    if g.dep_ == "pobj":
                        other.append(_argument(doc, g, skip, ents))
        clause_ids = {t.i for t in statements.clause_tokens(tok, skip)}
        for ent in ents:
            if ent.root.i in clause_ids and ent.label_ in ("GPE", "LOC", "FAC") and _is_place(ent) \
                    and ent.start not in in_dateline:
                places.append(normalise_name(ent.text))
        agent_ref = {}
        for head in subject_heads:
            kind = statements.reference_of(head)
            if kind:
                agent_ref = {"token": head.i, "kind": kind}
        for ref in refs:
            ref_tok = doc[ref["token"]]
            ref["candidates"] = _reference_candidates(ref_tok, ref["kind"], ents,
                                                      _window_start(ref_tok, text, sent_starts, sent_of))
        sources = sorted({s for a, b, s, _ in cite_rows if a <= sent.start_char < b and s})
        types = sorted({t for a, b, _, t in cite_rows if a <= sent.start_char < b and t})
        record = {
            "trigger": tok.text, "trigger_start": tok.idx, "trigger_end": tok.idx + len(tok.text),
            "lemma": tok.lemma_.lower(), "particles": particles, "objects": objects, "preps": preps,
            "negated": any(c.dep_ == "neg" for c in tok.children), "planned": planned(tok),
            "reporting": tok.lemma_.lower() in REPORTING_LEMMAS,
            "statement": text_of, "refs": refs, "agent_ref": agent_ref, "agent_is_source": bool(acting),
            "agent": agent, "patients": patients, "others": other, "places": list(dict.fromkeys(places)),
            "sentence": " ".join(sent.text.split()), "sent_start": sent.start_char, "sent_end": sent.end_char,
            "source": "; ".join(sources), "source_type": "; ".join(types) if types else "unattributed",
            "event_index": -1 if event_index is None else event_index,
        }
        out.append(record)
    return out


def _canonical_names(arguments: list[dict], registry: ActorRegistry, local: PersonIndex) -> list[ActorName]:
    names = []
    for arg in arguments:
        for text, label in arg["entities"]:
            actor = registry.canonical(text, label, local)
            if actor and actor not in names:
                names.append(actor)
    return names


def resolve_reference(ref: dict, registry: ActorRegistry, local: PersonIndex) -> str:
    """The name a pronoun or role noun stands for, or "" when the text leaves several candidates."""
    if ref["kind"] == "pronoun":
        found = [registry.canonical(text, label, local) for text, label in ref["candidates"]]
        people = distinct_people([a.canonical for a in found if a is not None])
        return people[0] if len(people) == 1 else ""
    person = _last_person(ref["candidates"], registry, local)
    return person.canonical if person else ""


def resolve_mention(candidate: dict, registry: ActorRegistry, local: PersonIndex, predicates: PredicateTable,
                    outlets: set[str] = frozenset()) -> dict:
    """A mention of :func:`mention_candidates` with canonical names, its action family and its statement.

    ``outlets`` are canonical names (case-folded) of the report's sources and of the corpus's outlets
    that appear as sources of the sentence: they are the claim's sources, never its participants.
    Returns a dict with ``statement``, ``lemma``, ``action_family``, ``actors``, ``patients``,
    ``places``, ``participants`` (``; ``-joined), ``nouns``, ``affiliations`` and the other fields.
    """
    c = candidate
    names = {}
    for ref in c["refs"]:
        name = resolve_reference(ref, registry, local)
        if name:
            names[ref["token"]] = name
    sources = {s.strip().casefold() for s in c["source"].split(";") if s.strip()} | set(outlets)

    def keep(actors: list[ActorName]) -> list[ActorName]:
        return [a for a in actors if a.canonical.casefold() not in sources]

    agents = _canonical_names(c["agent"], registry, local)
    if not c.get("agent_is_source"):
        agents = keep(agents)
    if c["agent_ref"] and names.get(c["agent_ref"]["token"]):
        person = names[c["agent_ref"]["token"]]
        agents.insert(0, ActorName(person, person))
    patients = keep(_canonical_names(c["patients"], registry, local))
    others = keep(_canonical_names(c["others"], registry, local))
    places = []
    for place in c["places"]:
        # "U.S." and "United States" are one place; a city stays a city (the actor table reads "Cairo" as Egypt)
        known = registry.canonical(place, "GPE", local) if len(place) <= 5 and place.replace(".", "").isupper() else None
        places.append(known.canonical if known else place)
    places = list(dict.fromkeys(places))
    place_keys = {p.casefold() for p in places}
    named = [a for a in agents + patients + others if a.canonical.casefold() not in place_keys]
    nouns = list(dict.fromkeys(n for arg in c["agent"] + c["patients"] + c["others"] for n in arg["nouns"]))
    participants = list(dict.fromkeys([a.canonical for a in named] + places + nouns))
    return {
        "trigger": c["trigger"], "trigger_start": c["trigger_start"], "trigger_end": c["trigger_end"],
        "lemma": c["lemma"],
        "action_family": predicates.family_of(c["lemma"], c["particles"], c["objects"], [tuple(p) for p in c["preps"]]),
        "statement": statements.with_names(c["statement"], c["refs"], names),
        "actors": "; ".join(dict.fromkeys(a.canonical for a in agents)),
        # "the bombings in Kenya and Tanzania claimed 217 lives": the places inside the subject are not its agents
        "agent_keys": "; ".join(sorted(({a.canonical for a in agents} | {a.affiliation for a in agents})
                                       - set(places) - {p.casefold() for p in places})),
        "patients": "; ".join(dict.fromkeys(a.canonical for a in patients)),
        "places": "; ".join(places),
        "participants": "; ".join(participants),
        "named": "; ".join(dict.fromkeys(a.canonical for a in named)),
        "nouns": "; ".join(nouns),
        "affiliations": "; ".join(sorted({a.affiliation for a in named} - {a.canonical for a in named})),
        "negated": c["negated"], "planned": c["planned"], "reporting": c["reporting"],
        "sentence": c["sentence"], "sent_start": c["sent_start"], "sent_end": c["sent_end"],
        "source": c["source"], "source_type": c["source_type"], "event_index": c["event_index"],
    }


def report_mentions(reports, citations=None, docs: dict | None = None) -> list[dict]:
    """Per report, in the order of ``reports``: ``{"forms", "events", "mentions"}`` (person forms, event
    candidates, mention candidates), cached per report unless ``docs`` are given.

    One pass over each ``Doc`` gives both the events of ``events.csv`` and the mentions.
    """
    from analysis.pipeline import features
    from analysis.timeline.predicates import load_predicates
    from analysis.timeline.temporal import CODE_FILES as TEMPORAL_FILES

    positions = citations.groupby("report_id", sort=False).indices if citations is not None and len(citations) else {}
    if positions:
        keys = list(zip(citations["start_char"].tolist(), citations["end_char"].tolist(),
                        citations["sent_start"].tolist(), citations["sent_end"].tolist(),
                        citations["source_canonical"].tolist(), citations["source_type"].tolist()))
    table = load_predicates()

    def cites_of(report_id):
        index = positions.get(report_id)
        return None if index is None else citations.iloc[index]

    def compute(report, doc):
        cites = cites_of(report.report_id)
        found = event_candidates(report.text, report.published, doc, cites)
        return {"forms": person_forms(doc), "events": found,
                "mentions": mention_candidates(report.text, report.published, doc, cites, table, found)}

    if docs is not None:
        return [compute(report, docs[report.report_id]) for report in reports.itertuples(index=False)]

    def extra(report):
        index = positions.get(report.report_id)
        rows = [] if index is None else [keys[i] for i in index]
        return f"{report.published}\0{rows!r}"

    depends = features.code_version("timeline/mentions.py", "timeline/statements.py", "timeline/events.py",
                                    "timeline/datelines.py", "timeline/predicates.py", "data/predicate_families.csv",
                                    "sources/person_names.py", *TEMPORAL_FILES)
    return features.per_report(reports, "mentions", depends, compute, extra=extra, desc="claim mentions")
