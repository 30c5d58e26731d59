"""Detection: text in, channel events out. Pure functions, no I/O."""

from matching.detector import RESUMED, SUSPENDED, Detector, Event, SentenceTrace
from matching.sentences import Sentence, split_sentences

__all__ = [
    "RESUMED",
    "SUSPENDED",
    "Detector",
    "Event",
    "Sentence",
    "SentenceTrace",
    "split_sentences",
]
