"""What happenings the reports allege, and which are told by several reports.

Time expressions are found and normalised to TIMEX3 values and intervals against each report's date. Every clause
alleging a happening becomes a claim mention (predicate, roles, readable statement, its own date: a dated mention is
an event); mentions of the same happening are grouped across reports into claims, with the evidence of each link
and the claim's independent origins; claims are drawn as a timeline and exported for TimelineJS.
"""
from analysis.timeline.claims import build_claim_tables, build_claims
from analysis.timeline.events import extract_events
from analysis.timeline.temporal import find_time_expressions, time_expressions
from analysis.timeline.time_normaliser import normalise

__all__ = ["build_claim_tables", "build_claims", "extract_events", "find_time_expressions", "normalise",
           "time_expressions"]
