"""The fast reader of plain feeds gives exactly what feedparser gives, or steps aside.

feeds.plainfeed reads well-formed RSS 2.0 and Atom 1.0 with lxml and must agree with
feedparser on every entry it reads: key, link, title, date, author, summary, content, the
feed's <ttl> and its problem. Hypothesis writes feeds with the odd strings publishers
serve (doubly-encoded UTF-8, Windows-1252 code points, entities, CDATA, relative and
mangled links, guids that are and aren't permalinks, dates in many formats), in any
order, with extra, repeated and unusual elements, under several Content-Types; each is
parsed both ways and compared. Separately, the feeds publishers actually serve (the
fixtures and the benchmark farm's) must take the fast path, or it would be dead code.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import feeds.feed
from benchmarks.poll_farm import feed_xml
from feeds import parse_feed
from feeds.plainfeed import read_plain_feed
from tests.cputime import cpu_deadline

FEEDS = Path(__file__).parent / "data" / "feeds"
RSS_TYPE = {"content-type": "application/rss+xml; charset=utf-8"}
DIFFERENTIAL = settings(
    max_examples=400,
    deadline=None,  # wall-clock, stretched by a loaded machine; PER_INPUT counts CPU time
    suppress_health_check=[HealthCheck.too_slow],
)
PER_INPUT = cpu_deadline(2.0)  # per input, both readers: a hang is a failure

odd_text = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30),
    st.sampled_from(
        [
            "Café",
            "CafÃ© au lait",  # UTF-8 read as Latin-1 once already: feedparser repairs it
            "\u0093quoted\u0094 \u0096 dash",  # Windows-1252 code points
            "  padded  \n",
            "",
            "<b>bold</b> &amp; more",
            "Tom &amp; Jerry",
            "a < b",
            "Zürich – 北京",
        ]
    ),
)
links = st.sampled_from(
    [
        "https://www.usip.org/publications/2024/01/talks?utm_source=rss&utm_medium=x",
        "https://example.org/a?x=1&amp;y=2",
        "https://example.org/a?x=1&y;=2",
        "/relative/path",
        "analysis/1",
        "http:///three-slashes",
        " https://example.org/spaced ",
        "javascript:alert(1)",
        "https://例え.jp/記事",
        "",
        "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a",
    ]
)
dates = st.sampled_from(
    [
        "Fri, 05 Jan 2024 10:30:00 GMT",
        "Fri, 5 Jan 2024 10:30:00 +0800",
        "5 Jan 2024 10:30 EST",
        "2024-01-05T10:30:00Z",
        "2024-01-05T10:30:00.123+05:30",
        "2024-01-05",
        "Friday, January 5, 2024",
        "not a date",
        "",
        "  Fri, 05 Jan 2024 10:30:00 GMT  ",
    ]
)


def text_node(value: str, cdata: bool) -> str:
    if cdata and "]]>" not in value:
        return f"<![CDATA[{value}]]>"
    return escape(value)


PLAIN_RSS = ["title", "link", "guid", "pubDate", "description", "content:encoded"]
PLAIN_RSS += ["dc:creator", "dc:date", "category", "enclosure", "comments", "media:thumbnail"]
PLAIN_RSS += ["media:content", "wfw:commentRss", "slash:comments"]
PLAIN_ATOM = ["title", "link", "id", "updated", "published", "summary", "content"]
PLAIN_ATOM += ["author", "category"]


@st.composite
def rss_item(draw: st.DrawFn, plain: bool = False) -> str:
    cdata = draw(st.booleans())
    parts = []
    for name in draw(
        st.lists(
            st.sampled_from(PLAIN_RSS if plain else [*PLAIN_RSS, "author", "source", "odd"]),
            max_size=9,
            unique=True,  # repeats are among the odd parts
        )
    ):
        if name == "link":
            parts.append(f"<link>{text_node(draw(links), cdata)}</link>")
        elif name == "guid":
            permalink = draw(st.sampled_from(["", ' isPermaLink="false"', ' isPermaLink="true"']))
            value = draw(links | st.just("farm-1-2") | odd_text)
            parts.append(f"<guid{permalink}>{text_node(value, cdata)}</guid>")
        elif name in ("pubDate", "dc:date"):
            parts.append(f"<{name}>{escape(draw(dates))}</{name}>")
        elif name == "enclosure":
            parts.append(
                '<enclosure url="https://example.org/a.mp3" length="1" type="audio/mpeg"/>'
            )
        elif name in ("media:thumbnail", "media:content"):
            parts.append(f'<{name} url="https://example.org/a.jpg"/>')
        elif name == "slash:comments":
            parts.append("<slash:comments>3</slash:comments>")
        elif name == "odd":
            parts.append(draw(st.sampled_from(ODD_RSS_PARTS)))
        else:
            parts.append(f"<{name}>{text_node(draw(odd_text), cdata)}</{name}>")
    return "<item>" + "".join(parts) + "</item>"


ODD_RSS_PARTS = [
    "<title>a<!-- note -->b</title>",
    '<title type="html">&lt;b&gt;x&lt;/b&gt;</title>',
    '<description xml:base="https://base.example/">rel</description>',
    '<atom:link href="https://example.org/x" rel="alternate"/>',
    "<Title>Upper-case tag</Title>",
    "<media:title>Media title</media:title>",
    "<ttl>5</ttl>",
    "<title>One</title><title>Two</title>",
    "<dc:creator>A</dc:creator><author>b@example.org (B)</author>",
    "<category><title>Inside a category</title></category>",
    '<media:content url="https://example.org/v.mp4"><media:title>Clip</media:title></media:content>',
]


# Channel-level elements: the usual ones, and ones feedparser reads its own way (another
# case, a ttl it keeps as a dict or finds in the Atom namespace, a prefix bound twice,
# a name expat refuses).
PLAIN_CHANNEL = [
    "",
    '<atom:link href="https://example.org/feed" rel="self" type="application/rss+xml"/>',
    "<lastBuildDate>Fri, 05 Jan 2024 10:30:00 GMT</lastBuildDate>",
    "<image><title>Logo</title><url>https://example.org/l.png</url><link>https://example.org/</link></image>",
    "<content:encoded>About this feed</content:encoded>",
]
ODD_CHANNEL = [
    "<Item><title>Upper-case item</title><link>https://example.org/u</link></Item>",
    "<TTL>60</TTL>",
    '<ttl unit="minutes">60</ttl>',
    '<ttl xml:lang="en">60</ttl>',
    "<atom:ttl>60</atom:ttl>",
    '<x xmlns:dc="http://purl.org/rss/1.0/modules/content/"/>',
    "<x\u2070>name expat refuses</x\u2070>",
]


@st.composite
def rss(draw: st.DrawFn, plain: bool = False) -> bytes:
    items = "".join(draw(st.lists(rss_item(plain), max_size=4)))
    extra = draw(st.sampled_from(PLAIN_CHANNEL if plain else PLAIN_CHANNEL + ODD_CHANNEL))
    items = extra + items if draw(st.booleans()) else items + extra
    ttl = draw(st.sampled_from(["", "<ttl>60</ttl>", "<ttl> 15 </ttl>", "<ttl>soon</ttl>"]))
    declaration = draw(st.sampled_from(['<?xml version="1.0" encoding="UTF-8"?>', ""]))
    return (
        f'{declaration}<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        f'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        f'xmlns:media="http://search.yahoo.com/mrss/" xmlns:atom="http://www.w3.org/2005/Atom" '
        f'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
        f'xmlns:slash="http://purl.org/rss/1.0/modules/slash/">'
        f"<channel><title>Feed</title><link>https://example.org/</link>{ttl}{items}"
        "</channel></rss>"
    ).encode()


@st.composite
def atom_entry(draw: st.DrawFn, plain: bool = False) -> str:
    cdata = draw(st.booleans())
    parts = []
    for name in draw(
        st.lists(
            st.sampled_from(PLAIN_ATOM if plain else [*PLAIN_ATOM, "odd"]),
            max_size=9,
            unique=True,
        )
    ):
        if name == "link":
            rel = draw(st.sampled_from(["", ' rel="alternate"', ' rel="self"', ' rel="Alternate"']))
            kind = draw(st.sampled_from(["", ' type="text/html"', ' type="application/pdf"']))
            parts.append(f'<link href="{escape(draw(links))}"{rel}{kind}/>')
        elif name == "id":
            parts.append(f"<id>{text_node(draw(links | odd_text), cdata)}</id>")
        elif name in ("updated", "published"):
            parts.append(f"<{name}>{escape(draw(dates))}</{name}>")
        elif name == "author":
            inner = "".join(
                f"<{field}>{escape(draw(odd_text))}</{field}>"
                for field in draw(
                    st.lists(st.sampled_from(["name", "email", "uri"]), max_size=3, unique=True)
                )
            )
            parts.append(f"<author>{inner}</author>")
        elif name == "category":
            parts.append('<category term="china"/>')
        elif name == "odd":
            parts.append(draw(st.sampled_from(ODD_ATOM_PARTS)))
        else:
            kind = draw(st.sampled_from(["", ' type="text"', ' type="html"', ' type="HTML"']))
            parts.append(f"<{name}{kind}>{text_node(draw(odd_text), cdata)}</{name}>")
    return "<entry>" + "".join(parts) + "</entry>"


ODD_ATOM_PARTS = [
    '<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>x</p></div></content>',
    '<content src="https://example.org/x"/>',
    "<link>https://example.org/text-link</link>",
    '<summary type="text/plain">plain</summary>',
    "<contributor><name>C</name></contributor>",
    "<source><id>urn:x</id><title>Elsewhere</title></source>",
    "<summary>One</summary><summary>Two</summary>",
    '<link href="https://example.org/1"/><link href="https://example.org/2"/>',
    "<author><name>A</name></author><author><name>B</name></author>",
]


PLAIN_FEED = [
    "",
    "<author><name>Feed author</name></author>",
    '<link href="https://example.org/"/>',
]
ODD_FEED = ["<ttl>60</ttl>", "<Entry><title>Upper-case entry</title></Entry>"]


@st.composite
def atom(draw: st.DrawFn, plain: bool = False) -> bytes:
    entries = "".join(draw(st.lists(atom_entry(plain), max_size=4)))
    extra = draw(st.sampled_from(PLAIN_FEED if plain else PLAIN_FEED + ODD_FEED))
    entries = extra + entries if draw(st.booleans()) else entries + extra
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Feed</title><id>urn:feed</id><updated>2024-01-05T00:00:00Z</updated>{entries}</feed>"
    ).encode()


content_types = st.sampled_from(
    [
        {"content-type": "application/rss+xml; charset=utf-8"},
        {"content-type": "application/atom+xml"},
        {"content-type": "text/xml"},
        {"content-type": "text/xml; charset=UTF-8"},
        {"content-type": "text/html; charset=iso-8859-1"},
        {"content-type": "application/xml; charset=windows-1252"},
        {},
    ]
)


def both_ways(body: bytes, headers: dict[str, str]) -> tuple[object, object]:
    fast = parse_feed(body, headers, "https://example.org/feed.xml")
    real = feeds.feed.read_plain_feed
    feeds.feed.read_plain_feed = lambda *args: None  # type: ignore[assignment]
    try:
        slow = parse_feed(body, headers, "https://example.org/feed.xml")
    finally:
        feeds.feed.read_plain_feed = real
    return fast, slow


@DIFFERENTIAL
@given(st.one_of(rss(), atom()), content_types)
@PER_INPUT
def test_the_fast_reader_agrees_with_feedparser(body: bytes, headers: dict[str, str]) -> None:
    fast, slow = both_ways(body, headers)
    assert fast == slow


@DIFFERENTIAL
@given(st.one_of(rss(plain=True), atom(plain=True)), content_types)
@PER_INPUT
def test_a_plain_feed_takes_the_fast_path(body: bytes, headers: dict[str, str]) -> None:
    """Whatever its strings, a feed of the usual elements is read fast, and read right."""
    assert read_plain_feed(body, headers, feeds.feed.HARMLESS) is not None
    fast, slow = both_ways(body, headers)
    assert fast == slow


@DIFFERENTIAL
@given(st.one_of(rss(), atom()), content_types, st.data())
@PER_INPUT
def test_a_damaged_feed_is_left_to_feedparser(
    body: bytes, headers: dict[str, str], data: st.DataObject
) -> None:
    """Cut anywhere, a feed is not well-formed: feedparser reads what it can, as before."""
    cut = body[: data.draw(st.integers(0, len(body) - 1))]
    assert read_plain_feed(cut, headers, feeds.feed.HARMLESS) is None


@pytest.mark.parametrize("full_text", [False, True])
def test_the_farm_feeds_take_the_fast_path(full_text: bool) -> None:
    body = feed_xml(7, "http://127.0.0.9", full_text)
    read = read_plain_feed(body, RSS_TYPE, feeds.feed.HARMLESS)
    assert read is not None and len(read[0]) == 20
    fast, slow = both_ways(body, RSS_TYPE)
    assert fast == slow


def test_the_fixture_feeds_publishers_serve_take_the_fast_path() -> None:
    """The sample feeds in tests/data/feeds are shaped after real think-tank feeds."""
    plain = []
    for path in sorted(FEEDS.glob("*.xml")):
        body = path.read_bytes()
        if read_plain_feed(body, RSS_TYPE, feeds.feed.HARMLESS) is not None:
            plain.append(path.name)
        fast, slow = both_ways(body, RSS_TYPE)
        assert fast == slow, path.name
    assert len(plain) >= len(list(FEEDS.glob("*.xml"))) // 2, plain
