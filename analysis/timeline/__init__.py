"""What dated events the reports allege.

Time expressions are found and normalised to TIMEX3 values and intervals against each report's date; the events
of each report (a predicate with its actors and the time it belongs to) are grouped across reports into claims,
drawn as a timeline and exported for TimelineJS.
"""
from analysis.timeline.claims import build_claims
from analysis.timeline.events import extract_events
from analysis.timeline.temporal import find_time_expressions, time_expressions
from analysis.timeline.time_normaliser import normalise

__all__ = ["build_claims", "extract_events", "find_time_expressions", "normalise", "time_expressions"]
