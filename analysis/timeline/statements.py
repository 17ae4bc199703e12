"""Readable statements: the clause that carries an allegation, as written, cut to what it alleges.

From "PORT SELVA, 18 March 2021 — According to the Valmont Courier, a second vessel, the Sea Lantern,
docked at Port Selva in January 2021, and officials said nothing." the statement of "docked" is
"a second vessel, the Sea Lantern, docked at Port Selva in January 2021": the predicate's subtree without
the attribution ("According to the Valmont Courier"), without other clauses (coordinated, subordinate or
reported ones, which are mentions of their own) and without the dateline. A subject shared with an
earlier verb ("The submarine sank and killed ...") is brought in front. Personal pronouns and definite
role nouns ("he", "the commander") are recorded as *references* so that the corpus-wide step can show the
name they refer to ("he [Khalifa Haftar]") when the text leaves one candidate.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Token

#: Dependencies whose subtree is another clause (its own mention) or glue, never part of the statement.
CUT_DEPS = {"ccomp", "parataxis", "advcl", "mark", "cc", "preconj", "discourse", "meta", "intj"}
CLAUSE_POS = {"VERB", "AUX"}
MAX_TOKENS = 40
PRONOUNS = {"he", "she", "him", "her", "his"}
ROLE_NOUNS = {"marshal", "general", "strongman", "warlord", "commander", "officer", "leader", "minister",
              "president", "premier", "chancellor", "senator", "governor", "mayor", "ambassador", "spokesman",
              "spokeswoman", "chief", "envoy", "king", "prince", "colonel", "captain", "admiral", "director"}
_EDGE = {"PUNCT", "CCONJ", "SCONJ"}


def _drop(tok: Token, verb: Token, skip: set[int]) -> bool:
    """Whether ``tok``'s subtree leaves the statement of ``verb``."""
    if tok.i in skip or tok.pos_ == "SPACE":
        return True
    if tok.dep_ in CUT_DEPS and tok.head.i == verb.i:
        return True
    if tok.dep_ == "conj" and tok.pos_ in CLAUSE_POS:
        return True
    if tok.dep_ == "prep" and tok.lower_ == "according":
        return True
    return False


def subtree_tokens(verb: Token, drop) -> list[Token]:
    """``verb``'s subtree in text order, without the children (and their subtrees) for which
    ``drop(child)`` is true."""
    keep = []
    stack = [verb]
    while stack:
        tok = stack.pop()
        keep.append(tok)
        stack.extend(child for child in tok.children if not drop(child))
    return sorted(keep, key=lambda t: t.i)


def clause_tokens(verb: Token, skip: set[int]) -> list[Token]:
    """The tokens of ``verb``'s statement, in text order: its subtree without other clauses, attributions
    and the token indices in ``skip`` (attributed sources, datelines)."""
    return subtree_tokens(verb, lambda child: _drop(child, verb, skip))


def _shorten(tokens: list[Token], verb: Token) -> list[Token]:
    """At most :data:`MAX_TOKENS`: relative clauses and appositions of the arguments go first."""
    if len(tokens) <= MAX_TOKENS:
        return tokens
    drop: set[int] = set()
    for tok in tokens:
        if tok.dep_ in ("relcl", "appos", "acl") and tok.i != verb.i:
            drop.update(t.i for t in tok.subtree)
    shorter = [t for t in tokens if t.i not in drop]
    return shorter if len(shorter) >= 3 else tokens


def _runs(tokens: list[Token]) -> list[list[Token]]:
    runs: list[list[Token]] = []
    for tok in tokens:
        if runs and tok.i == runs[-1][-1].i + 1:
            runs[-1].append(tok)
        else:
            runs.append([tok])
    trimmed = []
    for run in runs:
        while run and (run[0].pos_ in _EDGE or run[0].lower_ in ("that", "which", "who")) and len(run) > 1:
            run = run[1:]
        while run and run[-1].pos_ in _EDGE and run[-1].text not in (")", "”", '"'):
            run = run[:-1]
        if run and not (len(run) == 1 and run[0].pos_ in _EDGE):
            trimmed.append(run)
    return trimmed


def reference_of(tok: Token) -> str:
    """``pronoun`` for he/she/him/her/his, ``role`` for "the commander" (a definite role noun), else ""."""
    if tok.lower_ in PRONOUNS and tok.pos_ == "PRON":
        return "pronoun"
    if tok.lower_ in ROLE_NOUNS and tok.pos_ == "NOUN" and any(c.lower_ == "the" for c in tok.children) \
            and tok.dep_ != "appos" and not any(c.dep_ == "appos" for c in tok.children):
        return "role"  # not "the majority leader, Mitch McConnell": the name is given
    return ""


def statement(verb: Token, subject: list[Token], skip: set[int]) -> tuple[str, list[dict]]:
    """The readable statement of ``verb`` and its references.

    ``subject`` is an inherited subject (tokens of another clause, "The submarine" of "sank and killed")
    to put in front, or ``[]``. Returns ``(text, refs)``: ``text`` is the statement with its pieces as
    written (whitespace collapsed; a gap between non-adjacent pieces is " … "); each ref is
    ``{"at": offset in text just after the reference, "kind": "pronoun"|"role", "token": doc index}``.
    """
    tokens = clause_tokens(verb, skip)
    if subject and subject[-1].i < tokens[0].i:
        tokens = sorted({t.i: t for t in subject + tokens}.values(), key=lambda t: t.i)
    tokens = _shorten(tokens, verb)
    doc: Doc = verb.doc
    text, refs = "", []
    cut = False
    for run in _runs(tokens):
        if len(text.split()) >= MAX_TOKENS:
            cut = True
            break
        if text:
            between = doc[previous.i + 1:run[0].i]
            # (never ``doc.text``: spaCy joins every token of the document for it)
            gap = re.sub(r"\s+", " ", previous.whitespace_ + "".join(t.text_with_ws for t in between))
            text += gap if all(t.pos_ == "PUNCT" for t in between) else " … "
        previous = run[-1]
        for k, tok in enumerate(run):
            piece = tok.text
            if k:
                piece = re.sub(r"\s+", " ", run[k - 1].whitespace_) + piece
            text += piece
            kind = reference_of(tok)
            if kind:
                refs.append({"at": len(text), "kind": kind, "token": tok.i})
    return (text + " …" if cut else text), refs


def with_names(text: str, refs: list[dict], names: dict[int, str]) -> str:
    """``text`` with each resolved reference followed by its name: "he [Khalifa Haftar]".

    ``names`` maps a ref's ``token`` to the name it refers to; refs without one stay as written.
    """
    out, last = [], 0
    for ref in sorted(refs, key=lambda r: r["at"]):
        name = names.get(ref["token"])
        if not name or ref["at"] > len(text):
            continue
        out.append(text[last:ref["at"]] + f" [{name}]")
        last = ref["at"]
    out.append(text[last:])
    return "".join(out)
