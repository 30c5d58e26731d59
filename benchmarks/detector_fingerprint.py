"""Everything the detector says about a fixed set of texts, written out in full.

    .venv/bin/python benchmarks/detector_fingerprint.py OUT.txt

A change made only for speed must leave this output byte for byte the same: run it
before the change and after, and compare (`cmp`). The texts are the labelled corpora
(run, not read), the benchmark's articles, the test site's pages, and variants of them
that reach the detector's rarer paths: no published date, curly quotes, hard-wrapped
lines, one long paragraph, all capitals, all lowercase, and a lowercase that changes
length ("İ").
"""

from __future__ import annotations

import json
import random
import sys
import textwrap
from collections.abc import Iterator
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from detect_vs_extract import build_pages  # noqa: E402

from channelwatch.config import load_config  # noqa: E402
from feeds import extract  # noqa: E402
from matching import Detector, split_sentences  # noqa: E402
from matching.issues import IssueTagger  # noqa: E402
from matching.sentences import paragraphs  # noqa: E402

CORPUS = REPO / "tests" / "data" / "corpus"
SITE = REPO / "tests" / "data" / "site" / "analysis"


def texts() -> Iterator[tuple[str, str, date | None]]:
    """(name, text, published) for every text the fingerprint covers."""
    dev: list[str] = []
    for corpus in ("dev", "test", "test2", "test3", "test4", "test5"):
        for line in (CORPUS / f"{corpus}.jsonl").read_text().splitlines():
            if not line.strip():
                continue
            passage = json.loads(line)
            published = (
                date.fromisoformat(passage["published"]) if passage.get("published") else None
            )
            yield passage["id"], passage["text"], published
            if corpus == "dev":
                dev.append(passage["text"])
    # whole-text variants, read by the program only
    for corpus in ("dev", "test", "test2", "test3", "test4", "test5"):
        for line in (CORPUS / f"{corpus}.jsonl").read_text().splitlines():
            if line.strip():
                passage = json.loads(line)
                text = passage["text"]
                yield f"{passage['id']}/none", text, None
                yield f"{passage['id']}/upper", text.upper(), date(2024, 1, 10)
                yield f"{passage['id']}/lower", text.lower(), date(2024, 1, 10)
                yield (
                    f"{passage['id']}/curly",
                    text.replace("'", "’").replace('"', "“"),
                    date(2024, 1, 10),
                )
    articles = [extract(page, "https://think.example/analysis").text for page in build_pages(60)]
    articles += [
        extract(page, "https://think.example/analysis").text for page in build_pages(20, dense=True)
    ]
    articles += [
        extract(p.read_text(), "https://think.example/a").text for p in sorted(SITE.glob("*.html"))
    ]
    rng = random.Random(11)
    for _ in range(40):  # anaphora and lists across passages: dev passages side by side
        chosen = rng.sample(dev, 12)
        articles.append("\n\n".join(chosen))
        articles.append(" ".join(chosen))  # one paragraph: every sentence read closely
    for i, article in enumerate(articles):
        yield f"article-{i}", article, date(2024, 1, 10)
        yield f"article-{i}/none", article, None
        wrapped = "\n\n".join(textwrap.fill(p, 72) for p in article.split("\n\n"))
        yield f"article-{i}/wrapped", wrapped, date(2023, 6, 1)
        yield f"article-{i}/curly", article.replace("'", "’"), date(2024, 1, 10)
        if i % 10 == 0:
            yield f"article-{i}/dotted-i", article.replace("in", "İn", 3), date(2024, 1, 10)


def main() -> None:
    config = load_config(REPO / "sources.yaml")
    detector = Detector(config.channels)
    tagger = IssueTagger(config.issues)
    out = []
    for name, text, published in texts():
        out.append(f"## {name} {published}")
        out.append(f"paragraphs {paragraphs(text)}")
        out.append(f"sentences {[(s.start, s.end) for s in split_sentences(text)]}")
        out.append(f"issues {tagger.tag(text)}")
        for event in detector.detect(text, published):
            out.append(f"event {event!r}")
        for everything in (False, True):
            for trace in detector.explain(text, published, everything=everything):
                if trace.mentions or trace.triggers or trace.cues or trace.events:
                    out.append(f"trace{int(everything)} {trace!r}")
    Path(sys.argv[1]).write_text("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
