"""Detection cost next to extraction cost, per 1,000-word article, in one process.

    .venv/bin/python benchmarks/detect_vs_extract.py [--articles 60] [--rounds 5] [--chrome-kb 100] [--dense]

Builds analysis pieces of about 1,000 words: the test site's narrative paragraphs with
four statements about channels from the dev corpus mixed in (`--dense`: nothing but
such statements). Each piece is timed twice for extraction, on two page weights:
the lean pages of the test fixtures (about 15 KB), and the same pages with link-dense
site chrome added (a mega-menu, inline icons, configuration scripts, related links, a
footer; `--chrome-kb` of it), as publishers' templates carry. Detection runs on the
article text itself, the same in both rows, so the rows differ only in what extraction
has to wade through. Extraction must recover at least 80% of every article on both
weights, or the run stops: the rows would not be comparable.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from channelwatch.config import load_config  # noqa: E402
from feeds import extract  # noqa: E402
from matching import Detector  # noqa: E402

SITE = REPO / "tests" / "data" / "site" / "analysis"
CORPUS = REPO / "tests" / "data" / "corpus" / "dev.jsonl"
PASSAGES_PER_ARTICLE = 4  # dense for analysis: most pieces say less about channels


def narrative() -> list[str]:
    """Real-style analysis paragraphs: the test site's article bodies."""
    found = []
    for page in sorted(SITE.glob("*.html")):
        body = page.read_text()
        found += [
            re.sub(r"<[^>]+>", "", p).strip() for p in re.findall(r"<p>(.*?)</p>", body, re.S)
        ]
    return [p for p in found if len(p.split()) > 30]


# The articles are drawn from the dev corpus's first passages only, so that a batch added
# to it later leaves them as they are: figures stay comparable from one batch to the next.
PASSAGES = 3816  # dev.jsonl up to the `dxf` batch


def passages() -> list[str]:
    """Sentences about channels (the dev corpus): events, near-misses and anaphora."""
    lines = [line for line in CORPUS.read_text().splitlines() if line.strip()]
    return [json.loads(line)["text"] for line in lines[:PASSAGES]]


def site_chrome(kilobytes: int, rng: random.Random) -> tuple[str, str]:
    """Boilerplate as publishers' templates carry it: a mega-menu, inline icons, scripts
    with configuration, structured data, related articles, a footer full of links."""
    words = " ".join(narrative()).split()
    parts = []
    while sum(map(len, parts)) < kilobytes * 1024:
        kind = rng.randrange(5)
        if kind == 0:
            links = "".join(
                f'<li><a href="/topics/{rng.choice(words).lower()}-{i}">{" ".join(rng.sample(words, 3))}</a></li>'
                for i in range(40)
            )
            parts.append(f'<nav class="mega-menu"><ul>{links}</ul></nav>')
        elif kind == 1:
            path = " ".join(
                f"M{rng.randrange(999)} {rng.randrange(999)}L{rng.randrange(999)} {rng.randrange(999)}"
                for _ in range(60)
            )
            parts.append(
                f'<svg style="display:none"><symbol id="i{rng.randrange(10**6)}"><path d="{path}"/></symbol></svg>'
            )
        elif kind == 2:
            config = json.dumps({f"key{i}": " ".join(rng.sample(words, 6)) for i in range(60)})
            parts.append(f"<script>window.__SITE_CONFIG__ = {config};</script>")
        elif kind == 3:
            items = "".join(
                f'<li><a href="/analysis/r{i}">{" ".join(rng.sample(words, 8))}</a> <time>2024-01-0{i}</time></li>'
                for i in range(1, 9)
            )
            parts.append(f'<aside class="related"><h2>Related</h2><ul>{items}</ul></aside>')
        else:
            links = "".join(
                f'<a href="/about/{i}">{" ".join(rng.sample(words, 2))}</a> ' for i in range(50)
            )
            parts.append(f'<footer class="site-footer">{links}</footer>')
    half = len(parts) // 2  # split between blocks, never inside a tag
    return "".join(parts[:half]), "".join(parts[half:])


def build_pages(count: int, seed: int = 7, dense: bool = False, chrome_kb: int = 0) -> list[str]:
    template = (SITE / "beijing-countermeasures-pelosi.html").read_text()
    head, rest = template.split("<article", 1)
    _, tail = rest.split("</article>", 1)
    prose, about_channels = narrative(), passages()
    if dense:
        prose = about_channels
    rng = random.Random(seed)
    pages = []
    for i in range(count):
        # An analysis piece: narrative, with a few statements about channels in it.
        chosen = [rng.choice(about_channels) for _ in range(PASSAGES_PER_ARTICLE)]
        words = sum(len(p.split()) for p in chosen)
        while words < 1000:
            paragraph = rng.choice(prose)
            chosen.insert(rng.randrange(len(chosen) + 1), paragraph)
            words += len(paragraph.split())
        chosen = [f"<p>{p}</p>" for p in chosen]
        article = f'<article><h1>Analysis {i}</h1><p class="byline">By Staff</p>{"".join(chosen)}</article>'
        above, below = site_chrome(chrome_kb, rng) if chrome_kb else ("", "")
        pages.append(head + above + article + below + tail)
    return pages


def timed(function, items) -> tuple[float, list]:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    results = [function(item) for item in items]
    return time.perf_counter() - start, results


def timed_alone(function, items) -> tuple[float, list]:  # type: ignore[no-untyped-def]
    """As `timed`, with the detector's caches emptied before each item: these articles
    share paragraphs, real ones do not share sentences (the caches would save ~10%)."""
    package = Detector.__module__.partition(".")[0]
    caches = [
        value
        for name, module in list(sys.modules.items())
        if name.startswith(package + ".")
        for value in vars(module).values()
        if hasattr(value, "cache_clear")
    ]
    seconds, results = 0.0, []
    for item in items:
        for cache in caches:
            cache.cache_clear()
        start = time.perf_counter()
        results.append(function(item))
        seconds += time.perf_counter() - start
    return seconds, results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--dense", action="store_true", help="every paragraph a passage about channels"
    )
    parser.add_argument(
        "--chrome-kb", type=int, default=100, help="boilerplate per page in the second row"
    )
    args = parser.parse_args()

    detector = Detector(load_config(REPO / "sources.yaml").channels)
    published = date(2024, 1, 10)
    print(
        f"{args.articles} articles of about 1,000 words; median of {args.rounds} rounds; one process"
    )
    print(f"{'page':>22} {'extraction':>12} {'detection':>12} {'detection/extraction':>22}")
    reference: list[str] = []
    for label, chrome_kb in (("lean (test fixtures)", 0), ("with site chrome", args.chrome_kb)):
        pages = build_pages(args.articles, dense=args.dense, chrome_kb=chrome_kb)
        texts = [
            extract(page, "https://think.example/analysis").text for page in pages
        ]  # warm-up, too
        reference = reference or texts  # the lean pages' text is the article itself
        lost = [
            i
            for i, (t, r) in enumerate(zip(texts, reference, strict=True))
            if len(t.split()) < 0.8 * len(r.split())
        ]
        if lost:
            raise SystemExit(
                f"extraction lost the article on pages {lost[:5]}: rows not comparable"
            )
        extraction, detection = [], []
        for _ in range(args.rounds):
            seconds, _ = timed(lambda page: extract(page, "https://think.example/analysis"), pages)
            extraction.append(seconds / len(pages))
            # Detection reads the same article text in both rows: only the page around it differs.
            seconds, found = timed_alone(lambda text: detector.detect(text, published), reference)
            detection.append(seconds / len(reference))
        e_ms, d_ms = statistics.median(extraction) * 1000, statistics.median(detection) * 1000
        size = statistics.mean(len(p.encode()) for p in pages) / 1024
        events = sum(len(f) for f in found)
        print(
            f"{label:>22} {e_ms:9.2f} ms {d_ms:9.2f} ms {d_ms / e_ms:21.1%}   ({size:.0f} KB pages, {events} events)"
        )


if __name__ == "__main__":
    main()
