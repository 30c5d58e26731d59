"""The soak's CI variant: 48 cycles over a changing feed farm (benchmarks/soak.py; the long
run is `make soak`). What it asserts is what months of cycles need: every article stored
once, every change alerted once, and memory and database growing no faster than the news."""

from __future__ import annotations

from pathlib import Path

from benchmarks.soak import soak


def test_48_cycles_store_every_article_once_alert_every_change_once_and_stay_flat(
    tmp_path: Path,
) -> None:
    result = soak(cycles=48, sources=2, folder=tmp_path)
    last = result.figures[-1]
    assert last.articles == 48 * 2  # one new article per source per cycle, none lost
    assert result.transitions > 20  # the articles flip their channels back and forth
    assert last.alerts_sent == result.transitions == result.posts  # each once, none pending
    # Flat enough for months: well under a megabyte of memory a cycle after warm-up,
    # and the database growing by about the articles it stores.
    assert result.growth("rss_kib") < 256, result.growth("rss_kib")
    assert result.growth("db_kib") / 2 < 16, result.growth("db_kib")
    print(
        f"\nsoak: memory {result.growth('rss_kib'):+.1f} KiB/cycle, "
        f"database {result.growth('db_kib'):+.1f} KiB/cycle"
    )
