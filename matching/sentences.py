"""Sentence splitting that survives policy prose: "U.S.", "Gen.", "Jan. 5", initials."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

# Words that end with a period without ending the sentence.
ABBREVIATIONS = frozenset(
    [
        "u.s",
        "u.k",
        "u.n",
        "e.u",
        "p.r.c",
        "d.c",
        "u.s.a",
        "a.m",
        "p.m",
        "e.g",
        "i.e",
        "etc",
        "vs",
        "al",
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "cmdr",
        "adm",
        "sgt",
        "sen",
        "rep",
        "gov",
        "pres",
        "amb",
        "sec",
        "rev",
        "st",
        "jr",
        "sr",
        "no",
        "nos",
        "vol",
        "fig",
        "dept",
        "govt",
        "corp",
        "inc",
        "ltd",
        "co",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)

# A sentence ends at closing punctuation before a capital, a blank line, or a line that
# opens a list item. (Every branch opens on one of four characters, and says so first:
# the engine then skips to those instead of trying each branch at every character.)
_BOUNDARY = re.compile(
    r"""[.!?\n](?:(?<=[.!?])[.!?]*["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9])"""
    r"""|(?<=\n)\s*\n|(?<=\n)(?=\s*(?:[-*•]|\d+[.)])\s))"""
)
# Abbreviations that may also close a sentence, and words that then open the next one.
CAN_END_SENTENCE = frozenset(
    ["u.s", "u.k", "u.n", "e.u", "p.r.c", "d.c", "etc", "inc", "ltd", "co", "corp", "jr", "sr"]
)
_STARTER = re.compile(
    r"\s+(?:The|This|That|These|Those|It|Its|They|Their|He|She|We|In|On|At|But|And|However|Both|Neither"
    r"|Since|After|Before|When|While|Beijing|Washington|China|Yet|Still|Meanwhile|Last|A|An)\b"
)
_LINE_BREAK = re.compile(r"\n\s*")
_PARAGRAPH_END = frozenset('.!?:"”’)]')
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z.]*)\.+$")
_LETTERS_AND_PERIODS = string.ascii_letters + "."


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[Sentence]:
    """Split `text[start:end]` into sentences with their character offsets in `text`."""
    end = len(text) if end is None else end
    sentences: list[Sentence] = []
    for match in _BOUNDARY.finditer(text, start, end):
        stop = match.end()
        if match.group().startswith((".", "!", "?")) and _is_abbreviation(text, start, stop):
            continue
        _append(sentences, text, start, stop)
        start = stop
    _append(sentences, text, start, end)
    return sentences


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: a line break ends a paragraph unless it only wraps a sentence.

    A break wraps a sentence when the next line goes on in lowercase, or when the line
    ends mid-sentence (no closing punctuation, or an abbreviation such as "U.S.") and is
    long enough not to be a heading: feeds and pages often come hard-wrapped.
    """
    spans, start = [], 0
    for match in _LINE_BREAK.finditer(text):
        before = text[start : match.start()].rstrip()
        if before and not text[match.end() : match.end() + 1].islower():
            line = len(before) - before.rfind("\n")
            ends = before[-1] in _PARAGRAPH_END and not (
                before[-1] == "." and _is_abbreviation(text, start, start + len(before))
            )
            if ends or _is_heading(text, line, match.end()):
                spans.append((start, match.start()))
                start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _is_heading(text: str, length: int, next_line: int) -> bool:
    """A short line is a heading only if the next line is much longer or is no prose: a
    hard wrap of text with wide spaces makes short lines too."""
    if length >= 50:
        return False
    stop = text.find("\n", next_line)
    following = text[next_line : len(text) if stop == -1 else stop].rstrip()
    return len(following) >= 1.5 * length or not following[:1].isalpha()


def _is_abbreviation(text: str, start: int, stop: int) -> bool:
    """Whether the period closing `text[start:stop]` belongs to an abbreviation."""
    stripped = text[max(start, stop - 40) : stop].rstrip("\"'”’)]")
    # The word can only start in the run of letters and periods that ends the text:
    # searching from there finds the same match without trying every position before.
    run = stripped.rstrip(_LETTERS_AND_PERIODS)
    match = _LAST_WORD.search(stripped, len(run) if stripped.endswith(".") else 0)
    if not match:
        return False
    word = match.group(1).lower()
    if word in CAN_END_SENTENCE and _STARTER.match(text, stop):
        return False  # "… talks with the U.S. Beijing suspended them …" is two sentences
    # A single capital letter is an initial ("Charles Q. Brown").
    return word in ABBREVIATIONS or (len(word) == 1 and match.group(1).isupper())


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    left = len(chunk) - len(chunk.lstrip())
    right = len(chunk.rstrip())
    if right > left:
        sentences.append(Sentence(start + left, start + right, chunk[left:right]))
