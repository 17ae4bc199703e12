"""Alleged events: a clause that places an action in time.

For every dated time expression of a report (from :mod:`analysis.temporal`),
the verb it hangs on in the spaCy parse becomes an event: who (``actors``,
canonical names: "Haftar", "Marshal Haftar" and "General Khalifa Haftar" are
one actor), what (``action``, a readable predicate), where (``places``), when
(the expression's interval), who says so (``source``: the attributions of
that sentence from :func:`analysis.citations.extract_citations`) and hedges
("reportedly", "allegedly", "sources said").

Not events: durations ("for two decades"), recurring sets, present
references ("now", "currently"), dates in parentheses (labels such as
"resolution 2231 (2015)") and verbless lines (datelines). An event whose
relative date has no anchor is kept with an empty interval, flagged by its
``rule`` (``...-no-anchor``).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
from spacy.tokens import Doc, Span, Token

from analysis import config
from analysis.sources.aliases import normalise_name
from analysis.sources.person_names import PersonIndex, distinct_people, fold, given_key, pronoun_window_start, surname_key
from analysis.timeline.datelines import dateline_spans, in_spans
from analysis.timeline.statements import subtree_tokens
from analysis.timeline.time_lexicon import TimeExpression
from analysis.timeline.temporal import CODE_FILES as TEMPORAL_FILES, find_time_expressions

ACTORS_CSV = config.PACKAGE_DATA_DIR / "actors.csv"

#: Columns of ``data/processed/events.csv``, in order.
EVENT_COLUMNS = ["event_id", "report_id", "claim_id", "date_text", "start", "end", "precision", "timex",
                 "modifier", "relative", "anchor", "rule", "actors", "action", "places", "source",
                 "source_type", "hedged", "sentence"]
#: Extra in-memory columns used by :mod:`analysis.claims` (not exported).
EVENT_EXTRA = ["sent_start", "sent_end", "date_start_char", "date_end_char", "hedges", "action_lemmas",
               "affiliations", "resolved", "trigger_start", "trigger_end"]

TITLES = {"general", "gen", "gen.", "marshal", "field", "field marshal", "mr", "mr.", "mrs", "ms", "dr", "dr.",
          "president", "prime", "minister", "commander", "colonel", "col.", "sheikh", "king", "prince",
          "warlord", "strongman", "leader", "libyan", "deputy", "foreign", "the", "chief", "brigadier", "major",
          "lieutenant", "lt.", "sen.", "senator", "rep.", "secretary", "head"}
#: Nouns that, as a subject, stand for the last-named person ("the marshal", "the Libyan strongman").
PERSON_ROLE_NOUNS = {"marshal", "general", "strongman", "warlord", "commander", "officer", "leader", "minister",
                     "president", "he", "she", "him", "his", "her"}
HEDGES = ["reportedly", "allegedly", "ostensibly", "purportedly", "apparently", "supposedly", "rumoured",
          "rumored", "is said to", "are said to", "was said to", "were said to", "said to have", "is believed",
          "was reported", "were reported", "reported to have", "claims", "claimed", "according to", "sources said",
          "sources say", "sources revealed", "source said", "unconfirmed", "not rule out", "does not rule out",
          "may have", "might have", "could have", "alleged", "suspected", "unverified"]
_HEDGE_RE = re.compile(r"\b(?:" + "|".join(re.escape(h) for h in sorted(HEDGES, key=len, reverse=True)) + r")\b",
                       re.IGNORECASE)
#: Verbs whose content is in their complement: "X published an account that Haftar met ..." —
#: the who and where of the event are read from the whole complement.
REPORTING_LEMMAS = {"say", "report", "reveal", "publish", "claim", "assert", "tell", "state", "add", "write",
                    "allege", "date", "accuse", "quote", "describe", "announce", "confirm", "deny", "suggest",
                    "indicate", "point", "disclose", "leak"}
PERSONAL_PRONOUNS = {"he", "she", "him", "his", "her"}
PRONOUN_SUBJECTS = {"it", "they", "he", "she", "this", "that", "these", "those", "who", "which"}
PLACE_PREPS = {"in", "at", "near", "to", "into", "inside", "from", "over", "around", "on", "across", "outside",
               "towards", "toward", "throughout", "within", "via", "of"}
ACTOR_LABELS = {"PERSON", "ORG", "NORP", "GPE", "LOC", "FAC"}
NOT_EVENT_VALUES = {"PRESENT_REF", "FUTURE_REF"}
#: Action lemmas that name the same kind of happening, for matching across reports.
ACTION_FAMILIES = {
    "meet": "meet", "meeting": "meet", "talk": "meet", "talks": "meet", "visit": "meet", "hold": "meet",
    "negotiate": "meet", "discuss": "meet", "contact": "meet", "communicate": "meet", "coordinate": "cooperate",
    "cooperate": "cooperate", "cooperation": "cooperate", "deal": "cooperate", "agreement": "cooperate",
    "support": "support", "help": "support", "aid": "support", "assist": "support", "bomb": "strike",
    "strike": "strike", "target": "strike", "attack": "strike", "airstrike": "strike", "raid": "strike",
    "train": "train", "training": "train", "supply": "arm", "arm": "arm", "weapon": "arm", "sell": "arm",
    "deliver": "arm", "ship": "arm", "transfer": "arm", "arrive": "deploy", "deploy": "deploy", "send": "deploy",
    "threaten": "threaten", "warn": "threaten", "publish": "report", "report": "report", "reveal": "report",
}


@dataclass(frozen=True)
class ActorName:
    """A canonical actor name and the power it belongs to ("Mossad" -> Israel)."""

    canonical: str
    affiliation: str


@lru_cache(maxsize=1)
def _actor_table() -> dict[str, ActorName]:
    frame = pd.read_csv(ACTORS_CSV, dtype=str, keep_default_na=False)
    return {_key(row.alias): ActorName(row.canonical, row.affiliation or row.canonical)
            for row in frame.itertuples(index=False)}


@lru_cache(maxsize=1)
def _source_aliases():
    from analysis.sources.aliases import load_aliases

    return load_aliases()


def _key(name: str) -> str:
    return re.sub(r"\s+", " ", normalise_name(name).replace("’", "'").casefold()).strip()


def strip_titles(name: str) -> str:
    """``name`` without leading titles, articles and a possessive: "General Khalifa Haftar's" -> "Khalifa Haftar"."""
    text = normalise_name(re.sub(r"['’]s\b", "", name))
    words = text.split()
    while len(words) > 1 and words[0].casefold().rstrip(".") in {t.rstrip(".") for t in TITLES}:
        words = words[1:]
    return " ".join(words)


def person_forms(doc: Doc) -> dict[str, int]:
    """How often each PERSON name (titles stripped) occurs in one report, for :class:`ActorRegistry`."""
    counts: Counter = Counter()
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        name = strip_titles(ent.text)
        if re.search(r"[A-Z]", name):
            counts[name] += 1
    return dict(sorted(counts.items()))


def report_people(forms: dict[str, int]) -> PersonIndex:
    """The people one report names (its :func:`person_forms`), to settle which of several
    people sharing a surname a bare "Clinton" of that report means."""
    return PersonIndex(forms)


class ActorRegistry:
    """Canonical actor names over a whole corpus.

    People go through a :class:`analysis.sources.person_names.PersonIndex`: every PERSON
    mention is stripped of titles and joins the longest form of the same person ("Khalifa
    Haftar"); forms with different first names ("Bill Clinton", "Hillary Rodham Clinton") are
    two people, and a bare surname shared by several stays as written unless the report itself
    names one of them only (``local``).
    Organisations, demonyms and countries go through the shipped
    ``analysis/data/actors.csv`` (alias -> canonical, affiliation).
    """

    def __init__(self, docs: dict[str, Doc] | None = None, forms: list[dict[str, int]] | None = None):
        self.index = PersonIndex()
        per_report = [person_forms(doc) for doc in (docs or {}).values()] + list(forms or [])
        for counts in per_report:
            for name, n in counts.items():
                self.index.add(name, n)
        self.surnames = {self._surname(name) for counts in per_report for name in counts}
        #: canonical name of every known person
        self.people = {p: p for s in sorted(self.surnames) for p in self.index.people(s)}

    @staticmethod
    def _surname(name: str) -> str:
        return surname_key(name)

    def _person(self, name: str, local: PersonIndex | None) -> str | None:
        """The known person ``name`` names; a bare surname several people share is settled by
        the report (``local``) when it names one of them only."""
        person = self.index.resolve(name)
        if person is None and local is not None and not given_key(name):
            own = local.resolve(name)
            person = self.index.resolve(own) if own else None
        return person

    def canonical(self, text: str, label: str, local: PersonIndex | None = None) -> ActorName | None:
        """Canonical actor of an entity's text and spaCy label, or ``None`` for non-actors.

        ``local`` is the report's own :class:`PersonIndex` (see :func:`report_people`).
        """
        name = strip_titles(text)
        if not name or not re.search(r"[A-Za-z]", name):
            return None
        hit = _actor_table().get(_key(name)) or _actor_table().get(_key(text))
        if hit:
            return hit
        known = _source_aliases().lookup(name)
        if known:  # a medium or body the citation alias table knows ("Debka" -> "DEBKAfile")
            return ActorName(known.canonical, known.canonical)
        if label == "NORP" and not fold(name).removesuffix("s") in self.surnames:
            return None  # an adjective the actor table does not know ("Jewish", "Libyan")
        if "'" in text or "’" in text:  # "Haftar's Libyan National Army": the army, not Haftar
            tail = re.split(r"['’]s?\s+", text, maxsplit=1)[-1]
            if tail and tail != text:
                return self.canonical(tail, label, local)
        surname = self._surname(name)
        if surname in self.surnames and (label == "PERSON" or len(name.split()) <= 2):
            person = self._person(name, local)
            if person:
                return ActorName(person, person)
        for prefix in ("pro-", "anti-"):
            if name.casefold().startswith(prefix):
                return None
        return ActorName(name, name)


def _governing_verb(span: Span) -> Token | None:
    """The verb a time expression modifies: climb from the span's root to the first verb."""
    token = span.root
    for _ in range(10):  # "does not rule out the involvement of X in the strikes of recent days": 8 steps
        if token.pos_ == "VERB" or (token.pos_ == "AUX" and token.dep_ == "ROOT"):
            # "asked Algeria for arming his forces in 2017": the asking is the event
            if token.dep_ == "pcomp" and token.head.head.pos_ == "VERB":
                return token.head.head
            return token
        if token.head.i == token.i:  # spaCy makes a new Token per access: compare indices, never identity
            break
        token = token.head
    return token if token.pos_ in ("VERB", "AUX") else None


def _clause_tokens(verb: Token) -> list[Token]:
    """The verb's clause: its subtree without embedded clauses of other verbs (except the subject's)."""
    return subtree_tokens(verb, lambda child: child.dep_ in ("ccomp", "advcl", "relcl", "parataxis", "conj")
                          and child.pos_ in ("VERB", "AUX"))


def _subject(verb: Token) -> list[Token]:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return list(child.subtree)
    if verb.dep_ in ("xcomp", "conj", "advcl", "pcomp", "acl", "ccomp") and verb.head.i != verb.i:
        head = verb.head
        while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
            head = head.head
        return _subject(head) if head.i != verb.i else []
    return []


def _action(verb: Token, time_tokens: set[int], place_tokens: set[int]) -> tuple[str, list[str]]:
    """A readable predicate: negation, auxiliaries of the passive, the verb, particle, object, first prepositional object."""
    parts: list[Token] = []
    lemmas = [verb.lemma_.lower()]
    for child in verb.children:
        if child.dep_ in ("neg", "prt", "auxpass"):
            parts.append(child)
    passive = any(c.dep_ == "auxpass" for c in verb.children)
    if passive:
        for child in verb.children:
            if child.dep_ == "nsubjpass" and child.ent_type_ == "" and child.pos_ == "NOUN":
                head = [t for t in child.lefts if t.dep_ in ("det", "amod", "compound", "nummod")] + [child]
                parts.extend(t for t in head if t.i not in time_tokens)
                lemmas.append(child.lemma_.lower())
    parts.append(verb)
    extra = 0
    for child in verb.children:
        if child.dep_ in ("dobj", "attr", "xcomp", "dative", "acomp") or (child.dep_ == "prep" and extra == 0 and child.lower_ in ("with", "against", "for", "of", "on", "to", "from")):
            tokens = [t for t in child.subtree if t.i not in time_tokens]
            if child.dep_ == "prep" and all(t.i in place_tokens for t in tokens[1:]):
                continue
            tokens = tokens[:10]
            while tokens and tokens[-1].pos_ in ("ADP", "CCONJ", "DET", "PUNCT", "SCONJ", "PART", "VERB") and tokens[-1].dep_ != "dobj":
                tokens.pop()
            parts.extend(tokens)
            lemmas.extend(t.lemma_.lower() for t in tokens if t.pos_ in ("NOUN", "VERB"))
            extra += 1
            if extra >= 2:
                break
    parts = sorted(set(parts), key=lambda t: t.i)
    text = " ".join(t.text for t in parts)
    text = re.sub(r"\s+([,.;:’'])", r"\1", text).strip(" ,;")
    return text, sorted({ACTION_FAMILIES.get(lemma, lemma) for lemma in lemmas if lemma.isalpha()})


def _mentions(clause: list[Token], doc: Doc) -> list[Span]:
    ids = {t.i for t in clause}
    return [ent for ent in doc.ents if ent.label_ in ACTOR_LABELS and ent.root.i in ids]


def _is_place(ent: Span) -> bool:
    """LOC/FAC always; a GPE unless it acts (a subject, "with Israel", "between X and Y", "by Egypt")."""
    if ent.label_ in ("LOC", "FAC"):
        return True
    if ent.label_ != "GPE":
        return False
    head = ent.root
    for _ in range(4):
        if head.dep_ in ("nsubj", "nsubjpass", "poss", "agent"):
            return False
        if head.dep_ == "pobj":
            return head.head.lower_ not in ("with", "between", "by", "against")
        if head.dep_ not in ("compound", "appos", "conj") or head.head.i == head.i:
            break
        head = head.head
    return True


def _hedges(sentence: str, has_anonymous_source: bool) -> list[str]:
    found = sorted({m.group(0).lower() for m in _HEDGE_RE.finditer(sentence)})
    if has_anonymous_source and "sources said" not in found:
        found.append("anonymous source")
    return found


def _last_person(actors_before: list[list[str]], registry: ActorRegistry,
                 local: PersonIndex | None = None) -> ActorName | None:
    """The last entity before the subject that is a known person ("the General" -> Khalifa Haftar)."""
    for text, label in actors_before:
        actor = registry.canonical(text, label, local)
        if actor and actor.canonical in registry.people.values():
            return actor
    return None


def _is_event_date(expr: TimeExpression, text: str) -> bool:
    if expr.value in NOT_EVENT_VALUES:
        return False
    if expr.rule in ("unparsed", "present-ref") or expr.type == "SET":
        return False
    if expr.type == "DURATION" and not expr.relative:
        return False  # "for two decades" dates nothing
    before, after = text[max(0, expr.start_char - 1):expr.start_char], text[expr.end_char:expr.end_char + 1]
    if before == "(" and after == ")":
        return False  # "resolution 2231 (2015)": a label, not a date of something
    return True


def events_of_report(report_id: str, text: str, published: str, doc: Doc, registry: ActorRegistry,
                     citations: pd.DataFrame | None = None) -> list[dict]:
    """The alleged events of one report, as dicts with :data:`EVENT_COLUMNS` (minus ids) and :data:`EVENT_EXTRA`."""
    cites = citations[citations["report_id"] == report_id] if citations is not None and len(citations) else None
    local = report_people(person_forms(doc))
    return [{"report_id": report_id, **resolve_actors(c, registry, local)} for c in event_candidates(text, published, doc, cites)]


def _entity(ent: Span) -> list[str]:
    return [ent.text, ent.label_]


def event_candidates(text: str, published: str, doc: Doc, cites: pd.DataFrame | None = None) -> list[dict]:
    """The events of one report before actor names are made canonical across the corpus.

    Depends on this report alone (its text, publication date, ``Doc`` and
    attributions ``cites``), so the result can be cached per report. Each
    record holds the event fields and, under ``"actor_steps"``, the entity
    mentions that :func:`resolve_actors` turns into actors with a corpus-wide
    :class:`ActorRegistry`.
    """
    assert doc.text == text, "Doc text differs from the report text"
    by_verb: dict[int, dict] = {}
    datelines = dateline_spans(text)
    for expr in find_time_expressions(text, published, doc):
        if not _is_event_date(expr, text) or in_spans(expr.start_char, expr.end_char, datelines):
            continue  # a dateline's date says when the report was filed, not when its sentence's event happened
        span = doc.char_span(expr.start_char, expr.end_char, alignment_mode="expand")
        if span is None:
            continue
        verb = _governing_verb(span)
        if verb is None:
            continue
        sent = verb.sent
        clause = list(verb.subtree) if verb.lemma_.lower() in REPORTING_LEMMAS else _clause_tokens(verb)
        time_ids = {t.i for t in span}
        mentions = [m for m in _mentions(clause, doc) if not (m.start_char < expr.end_char and expr.start_char < m.end_char)]
        places = [normalise_name(ent.text) for ent in mentions if _is_place(ent)]
        steps: dict = {"mentions": [_entity(ent) for ent in mentions if not _is_place(ent)], "subject_names": []}
        subject = _subject(verb)
        for tok in subject:
            # a proper-noun subject the small model did not tag ("Marshal Haftar held talks")
            if tok.dep_ in ("nsubj", "nsubjpass") and tok.pos_ == "PROPN" and not tok.ent_type_:
                name = " ".join(t.text for t in tok.lefts if t.dep_ == "compound") + " " + tok.text
                if strip_titles(name.strip()).casefold() in TITLES:
                    continue  # "the General": a role, resolved to the last-named person below
                steps["subject_names"].append(name.strip())
        # "it held talks", "to carry out the training": the sentence's actors, used when the clause names none
        steps["pronoun"] = bool(subject) and subject[-1].lower_ in PRONOUN_SUBJECTS and len(subject) == 1
        source_spans = [] if cites is None else list(zip(cites["start_char"], cites["end_char"]))
        steps["sentence_actors"] = [
            _entity(ent) for ent in doc.ents
            if ent.label_ in ACTOR_LABELS and sent.start <= ent.root.i < sent.end and not _is_place(ent)
            and not (ent.start_char < expr.end_char and expr.start_char < ent.end_char)
            and not any(a < ent.end_char and ent.start_char < b for a, b in source_spans)
        ]
        steps["persons_before"] = []
        if subject and not any(ent.root in subject for ent in mentions):
            head = [t for t in subject if t.dep_ in ("nsubj", "nsubjpass")] or subject
            if head[0].lower_ in PERSONAL_PRONOUNS:
                # "he said": the people named since the pronoun's window (else before it), all of them, so that
                # it is resolved only when they are one person
                before = subject[0].idx
                people = [e for e in doc.ents if e.end_char <= before and e.label_ == "PERSON"]
                window = [e for e in people if e.start_char >= pronoun_window_start(head[0])] or people
                steps["persons_before"] = [list(k) for k in dict.fromkeys((e.text, e.label_) for e in reversed(window))]
                steps["pronoun_person"] = True
            elif head[0].lower_ in PERSON_ROLE_NOUNS or any(t.lower_ in PERSON_ROLE_NOUNS for t in subject[-2:]):
                before = subject[0].idx
                candidates = reversed([e for e in doc.ents if e.end_char <= before
                                       and e.label_ in ("PERSON", "ORG", "NORP", "GPE")])
                steps["persons_before"] = [list(k) for k in dict.fromkeys((e.text, e.label_) for e in candidates)]
                steps["role_subject"] = True
        place_ids = {t.i for ent in mentions if _is_place(ent) for t in ent}
        action, lemmas = _action(verb, time_ids, place_ids)
        sent_cites = None
        if cites is not None:
            inside = (cites["sent_start"] <= sent.start_char) & (sent.start_char < cites["sent_end"])
            sent_cites = cites[inside]
        sources = sorted(set(sent_cites["source_canonical"])) if sent_cites is not None and len(sent_cites) else []
        types = sorted(set(sent_cites["source_type"])) if sent_cites is not None and len(sent_cites) else []
        hedges = _hedges(sent.text, "anonymous" in types)
        record = {
            "date_text": expr.text,
            "start": expr.start.isoformat() if expr.start else "", "end": expr.end.isoformat() if expr.end else "",
            "precision": expr.precision, "timex": expr.value, "modifier": expr.modifier,
            "relative": bool(expr.relative), "anchor": expr.anchor, "rule": expr.rule,
            "actors": "", "action": action, "places": "; ".join(dict.fromkeys(places)),
            "source": "; ".join(sources), "source_type": "; ".join(types) if types else "unattributed",
            "hedged": bool(hedges), "sentence": re.sub(r"\s+", " ", sent.text).strip(),
            "sent_start": sent.start_char, "sent_end": sent.end_char,
            "date_start_char": expr.start_char, "date_end_char": expr.end_char,
            "hedges": "; ".join(hedges), "action_lemmas": "; ".join(lemmas),
            "affiliations": "", "resolved": bool(expr.resolved), "actor_steps": steps,
            "trigger_start": verb.idx, "trigger_end": verb.idx + len(verb.text),
        }
        previous = by_verb.get(verb.i)
        # two expressions on one verb ("Two years earlier, in 2015, ..."): keep the most specific resolved one
        if previous is None or _better(record, previous):
            by_verb[verb.i] = record
    return sorted(by_verb.values(), key=lambda r: r["date_start_char"])


def resolve_actors(candidate: dict, registry: ActorRegistry, local: PersonIndex | None = None) -> dict:
    """An event of :func:`event_candidates` with ``actors`` and ``affiliations`` filled from ``registry``
    (``local``: the report's own people, :func:`report_people`, to settle a surname several people share)."""
    steps = candidate["actor_steps"]
    actors: list[ActorName] = []
    for text, label in steps["mentions"]:
        actor = registry.canonical(text, label, local)
        if actor:
            actors.append(actor)
    for name in steps["subject_names"]:
        actor = registry.canonical(name, "PERSON", local)
        if actor and actor not in actors:
            actors.insert(0, actor)
    if not actors or steps["pronoun"]:
        for text, label in steps["sentence_actors"]:
            actor = registry.canonical(text, label, local)
            if actor and actor not in actors:
                actors.append(actor)
    if steps.get("pronoun_person"):
        found = [registry.canonical(text, label, local) for text, label in steps["persons_before"]]
        people = distinct_people([a.canonical for a in found if a is not None])
        if len(people) == 1:  # a pronoun is resolved only when the text leaves one candidate
            actors.insert(0, ActorName(people[0], people[0]))
    if steps.get("role_subject"):
        person = _last_person(steps["persons_before"], registry, local)
        if person:
            actors.insert(0, person)
    record = {k: v for k, v in candidate.items() if k != "actor_steps"}
    record["actors"] = "; ".join(dict.fromkeys(a.canonical for a in actors))
    record["affiliations"] = "; ".join(sorted({a.affiliation for a in actors}))
    return record


def _better(new: dict, old: dict) -> bool:
    def rank(r):
        width = 10 ** 9
        if r["start"] and r["end"]:
            width = (pd.Timestamp(r["end"]) - pd.Timestamp(r["start"])).days
        return (not r["resolved"], r["relative"], width)
    return rank(new) < rank(old)


def report_candidates(reports: pd.DataFrame, docs: dict[str, Doc] | None = None,
                      citations: pd.DataFrame | None = None) -> list[dict]:
    """Per report, in the order of ``reports``: ``{"forms": person_forms, "events": event_candidates}``.

    The part of :func:`extract_events` that depends on each report alone,
    cached per report when ``docs`` is ``None`` (the runner's prepare step
    fills this cache without the corpus-wide replay).
    """
    # row positions per report (no sub-DataFrame per report: 10^4 of them cost seconds on a warm rerun)
    positions = citations.groupby("report_id", sort=False).indices if citations is not None and len(citations) else {}
    if positions:
        keys = list(zip(citations["start_char"].tolist(), citations["end_char"].tolist(),
                        citations["sent_start"].tolist(), citations["sent_end"].tolist(),
                        citations["source_canonical"].tolist(), citations["source_type"].tolist()))

    def cites_of(report_id):
        index = positions.get(report_id)
        return None if index is None else citations.iloc[index]

    def compute(report, doc):
        return {"forms": person_forms(doc),
                "events": event_candidates(report.text, report.published, doc, cites_of(report.report_id))}

    if docs is not None:
        return [compute(report, docs[report.report_id]) for report in reports.itertuples(index=False)]
    from analysis.pipeline import features

    def extra(report):  # the report's attributions are an input of its events
        index = positions.get(report.report_id)
        rows = [] if index is None else [keys[i] for i in index]
        return f"{report.published}\0{rows!r}"

    depends = features.code_version("timeline/events.py", "timeline/datelines.py", "timeline/statements.py",
                                    "sources/person_names.py", *TEMPORAL_FILES)
    return features.per_report(reports, "events", depends,
                               compute, extra=extra, desc="events")


def extract_events(reports: pd.DataFrame, docs: dict[str, Doc] | None = None,
                   citations: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every alleged event of every report.

    Accepts the corpus ``reports`` (``report_id``, ``text``, ``published``),
    the parsed Docs (``analysis.nlp.parse_reports``; without them each
    report's candidates come from the per-report cache of
    :mod:`analysis.features`) and the attributions of
    ``analysis.citations.extract_citations`` (joined by sentence; ``None`` =
    no sources). Actor names are then made canonical over the whole corpus.
    Returns one row per event with :data:`EVENT_COLUMNS` (``claim_id`` empty
    until :func:`analysis.timeline.claims.build_claim_tables`) plus :data:`EVENT_EXTRA`,
    sorted by report and position; ``event_id`` is ``<report_id>_e<NN>``.
    """
    reports = reports.sort_values("report_id", kind="mergesort")
    results = report_candidates(reports, docs, citations)
    registry = ActorRegistry(forms=[r["forms"] for r in results])
    rows = []
    for report_id, result in zip(reports["report_id"], results):
        local = report_people(result["forms"])
        for n, candidate in enumerate(result["events"], start=1):
            record = resolve_actors(candidate, registry, local)
            rows.append({"event_id": f"{report_id}_e{n:02d}", "claim_id": "", "report_id": report_id, **record})
    frame = pd.DataFrame(rows, columns=EVENT_COLUMNS + EVENT_EXTRA)
    return frame.sort_values(["report_id", "date_start_char"], kind="stable").reset_index(drop=True)


def describe_events(found: pd.DataFrame) -> str:
    """One line: how many events, how many with an interval, how many left unresolved."""
    if found.empty:
        return "No dated events: the reports place no action in time."
    placed = int(((found["start"] != "") | (found["end"] != "")).sum())
    return (f"{len(found)} dated events in {found['report_id'].nunique()} reports: {placed} with a resolved "
            f"interval, {len(found) - placed} unresolved (relative to a publication date the report does not give)")
