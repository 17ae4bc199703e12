"""Remove the capture boilerplate of web pages saved as text, keeping an audit trail.

Web captures carry the page around the article: breadcrumbs, a site-wide date
banner, a repeated headline, reading time, photo credits, share and follow
prompts, "Read more" links, comment forms, author bios, reprint disclaimers
and copyright footers. ``clean_capture`` separates them from the article and
returns every removed line with the rule that removed it, so nothing is
silently dropped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from analysis.corpus.credits import Credit, credit_line, inline_dateline
from analysis.corpus.dates import PublicationDate, find_date_line

# A line matching one of these is boilerplate wherever it stands.
LINE_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("reading time", re.compile(r"^\d+\s*(?:min(?:ute)?s?)\s+read$", re.I)),
    ("separator", re.compile(r"^[\s*•·_=~#-]{1,20}$")),
    ("read-more link", re.compile(r"^(?:read (?:more|also)|see also|related|recommended|more on this)\s*[:>»-]", re.I)),
    ("image prompt", re.compile(r"^(?:click|tap) (?:here )?to (?:enlarge|expand|zoom)\.?$", re.I)),
    ("share or follow prompt", re.compile(
        r"^(?:follow us\b|share (?:this|on)\b|like us on\b|subscribe to\b|sign up (?:for|to)\b|join us on\b"
        r"|note to readers:.*\bshare\b|forward this article\b|crosspost on\b|tweet\b|email this\b|print this\b)", re.I)),
    ("comment form", re.compile(
        r"^(?:your email address will not be published|required fields are marked|cancel reply|post comment"
        r"|save my name, email|you must be logged in to post a comment|\d+ comments?)\b", re.I)),
    ("author link", re.compile(r"^(?:articles|posts|more) by:?\s+\S.{0,60}$", re.I)),
    ("author bio", re.compile(
        r"^[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){0,3} is (?:an? |the )?(?:[\w'’.&-]+ ){0,6}"
        r"(?i:writer|reporter|correspondent|journalist|editor|columnist|contributor)\b.{0,300}$")),
    ("disclaimer", re.compile(r"^disclaimer\s*:", re.I)),
    ("copyright footer", re.compile(
        r"(?:^(?:copyright|©)|\ball rights reserved\b|contains copyrighted material|\bgrants permission to (?:cross-post|republish))", re.I)),
    ("contact footer", re.compile(r"^(?:for media inquiries|contact us|advertise with us)\b|\[email\s*protected\]", re.I)),
]

# From a line matching one of these to the end of the capture, the page is no longer the article.
TAIL_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("comment form", re.compile(r"^(?:leave a (?:reply|comment)|add a comment|comments?)\s*:?$", re.I)),
    ("related-articles widget", re.compile(
        r"^(?:check also|related (?:posts|articles|stories|news)|you may also like|more stories|read next|recommended for you)\s*:?$", re.I)),
]

# Photo captions end with an agency credit in brackets: "... [Getty]", "(AFP)".
_CAPTION = re.compile(r"^.{0,300}[\[(](?:getty(?: images)?|afp|reuters|ap|epa|anadolu|photo[^\])]{0,40}|file photo|archive)[\])]\.?$", re.I)
_BREADCRUMB = re.compile(r"^home\s*(?:[/>»|›]\s*[^/>»|›]*)+\s*[/>»|›]?\s*.*$", re.I)


@dataclass
class Capture:
    """A cleaned capture: title, article body, and the audit of what was removed.

    ``removed`` holds ``{"line", "rule", "text"}`` dicts (1-based line numbers
    in the normalised input). ``banner_date`` is a date printed above the
    headline (a site-wide banner, usually the capture day) and ``dateline`` a
    date printed just under it, each with the line quoted as evidence.
    ``credits`` holds the wire credit lines of the header (byline, agency
    writer line, syndication credit, dateline naming the agency), in order.
    """

    title: str
    body: str
    removed: list[dict] = field(default_factory=list)
    dateline: tuple[PublicationDate, str] | None = None
    banner_date: tuple[PublicationDate, str] | None = None
    credits: list[Credit] = field(default_factory=list)


def _is_breadcrumb(line: str, following: str) -> bool:
    if _BREADCRUMB.match(line) and re.search(r"[/>»|›]", line):
        return True
    # "Home Reports <headline>" without separators: a breadcrumb whose tail is the next line.
    return bool(following) and line.lower().startswith("home ") and line.endswith(following) and line != following


def clean_capture(text: str, title: str | None = None) -> Capture:
    """Split a normalised capture into title, body and removed boilerplate.

    Accepts the capture text and, when the title is known from metadata, the
    title (then no line is taken as the title, but a line repeating it is
    removed). Returns a ``Capture``.
    """
    lines = text.split("\n")
    removed: list[dict] = []
    keep = [True] * len(lines)

    def drop(i: int, rule: str) -> None:
        keep[i] = False
        removed.append({"line": i + 1, "rule": rule, "text": lines[i]})

    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    capture = Capture(title=title or "", body="")

    # Header: banners and breadcrumbs before the headline.
    title_index = None
    for pos, i in enumerate(nonblank):
        line = lines[i].strip()
        following = lines[nonblank[pos + 1]].strip() if pos + 1 < len(nonblank) else ""
        date = find_date_line(line)
        if date is not None and title_index is None and not title:
            capture.banner_date = capture.banner_date or (date, line)
            drop(i, "site banner date")
            continue
        if _is_breadcrumb(line, following):
            drop(i, "breadcrumb")
            continue
        if title:
            break
        title_index = i
        capture.title = line
        keep[i] = False
        break

    # Tail: from a comment form or related-articles widget to the end.
    for i in nonblank:
        if not keep[i]:
            continue
        rule = next((name for name, rx in TAIL_RULES if rx.match(lines[i].strip())), None)
        if rule:
            for j in range(i, len(lines)):
                if lines[j].strip() and keep[j]:
                    drop(j, rule)
            break

    # Line rules, a repeated headline, and the dateline under the headline.
    seen_body = 0
    for i in nonblank:
        if not keep[i]:
            continue
        line = lines[i].strip()
        if capture.title and line == capture.title:
            drop(i, "repeated title")
            continue
        # Credit lines stand in the header, before the fourth body line: "By ..." further down is prose.
        credit = credit_line(line) if seen_body < 4 else None
        if credit is not None:
            capture.credits.append(credit)
            drop(i, credit.rule)
            continue
        if seen_body == 0 and (credit := inline_dateline(line)) is not None:
            capture.credits.append(credit)  # the dateline opens the first paragraph: recorded, the text kept
        date = find_date_line(line)
        if date is not None and seen_body < 4:
            capture.dateline = capture.dateline or (date, line)
            drop(i, "dateline")
            continue
        rule = next((name for name, rx in LINE_RULES if rx.search(line)), None)
        if rule is None and len(line.split()) <= 40 and _CAPTION.match(line):
            rule = "photo caption"
        if rule:
            drop(i, rule)
            continue
        seen_body += 1

    body_lines = [line for line, k in zip(lines, keep) if k]
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(body_lines)).strip()
    capture.body = body
    capture.removed = sorted(removed, key=lambda r: r["line"])
    return capture
