"""A fast reader for the plain, well-formed RSS 2.0 and Atom 1.0 feeds most publishers serve.

feedparser reads anything, but it spends about 6 ms of pure-Python callbacks on a
20-entry feed, which makes parsing, not the network, the limit of a cycle. lxml builds
the same feed's tree in 0.1 ms. So a well-formed feed that holds, in each entry, only
elements whose meaning is plain is read here, and gives exactly what feedparser would
have given (tests/test_plainfeed.py checks this on generated feeds); anything else (a
parse error, a DOCTYPE, xml:base, a rebound namespace prefix, an unusual or repeated
element, a name in another case, RSS 1.0, Atom 0.3) returns None and goes to
feedparser whole.

The bytes are decoded as feedparser decodes them (its own choice among the HTTP
charset, the XML declaration and the BOM), and the values go through feedparser's own
finishing steps (URL joining, date parsing, its repair of doubly-encoded UTF-8 and of
Windows-1252 code points), so both readers agree on every odd string.
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

from feedparser.datetimes import _parse_date
from feedparser.encodings import convert_to_utf8
from feedparser.html import _cp1252
from feedparser.mixin import _FeedParserMixin
from feedparser.urls import _urljoin
from lxml import etree

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
MEDIA = "{http://search.yahoo.com/mrss/}"
WFW = "{http://wellformedweb.org/CommentAPI/}"
SLASH = "{http://purl.org/rss/1.0/modules/slash/}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_TEXT_TYPES = {"text", "html", "text/plain", "text/html"}
_HTML_TYPES = {"text/html", "html", "application/xhtml+xml", "xhtml"}
_LINK_ATTRIBUTES = {"href", "rel", "type", "title", "length", "hreflang"}
# Elements feedparser keeps under their own names, out of the way of what we read.
_IGNORED = {"category", "comments", "enclosure", f"{ATOM}category"}
_IGNORED |= {f"{MEDIA}thumbnail", f"{MEDIA}content", f"{WFW}commentRss", f"{SLASH}comments"}
_DECLARATION = re.compile(rb"<![A-Za-z]")  # <!DOCTYPE, <!ENTITY: not <!-- or <![CDATA[
_ROOT = re.compile(rb"<\w")
_REFERENCE_LIKE = re.compile("&([A-Za-z0-9_]+);")
_BASE = re.compile(rb"[\s:]base\s*=", re.IGNORECASE)  # feedparser honours base= and xml:base=
_PREFIX = re.compile(rb"xmlns:([^\s=/>]+)\s*=\s*([\"'])(.*?)\2", re.DOTALL)
# feedparser's own name for each namespace it knows, by lowercased URI.
_KNOWN = {uri.lower(): name for uri, name in _FeedParserMixin.namespaces.items()}
_NAMES = set(_KNOWN.values())

Raw = dict[str, Any]  # an entry under feedparser's keys: link, title, id, summary, content, …


def read_plain_feed(
    body: bytes, headers: Mapping[str, str], harmless: tuple[type[Exception], ...]
) -> tuple[list[Raw], str] | None:
    """The entries and the <ttl> text of a plain feed, or None when feedparser must read it.

    `harmless` are the encoding complaints of feedparser's that leave a feed readable.
    """
    decoded: dict[str, Any] = {}
    data = convert_to_utf8(dict(headers), body, decoded)  # feedparser's choice of encoding
    if decoded.get("bozo") and not isinstance(decoded.get("bozo_exception"), harmless):
        return None
    root_at = _ROOT.search(data)
    if root_at is None or _DECLARATION.search(data, 0, root_at.start()):
        return None  # a DOCTYPE: feedparser rewrites it and its entities
    if _BASE.search(data) or not _prefixes_read_alike(data):
        return None  # feedparser joins URLs against xml:base, and keeps one prefix map
    try:  # a parser per call: lxml parsers must not be shared between threads
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return None
    names = _names(root)
    if names is None:
        return None
    if root.tag == "rss":
        return _rss(root, names)
    if root.tag == f"{ATOM}feed" and not names["ttl"]:
        return _atom(root, names)
    return None


def _rss(root: etree._Element, names: Counter[str]) -> tuple[list[Raw], str] | None:
    channels = root.findall("channel")
    if len(channels) != 1:
        return None
    items = channels[0].findall("item")
    if len(items) != names["item"] + names["entry"]:
        return None  # entries elsewhere, or in another case: feedparser takes those too
    ttls = channels[0].findall("ttl")
    if len(ttls) != names["ttl"] or any(ttl.attrib or not _leaf(ttl) for ttl in ttls):
        return None  # feedparser keeps a <ttl> with attributes as a dict, not a number
    entries = []
    for item in items:
        entry = _rss_item(item)
        if entry is None:
            return None
        entries.append(entry)
    return entries, _value(ttls[-1]) if ttls else ""


def _rss_item(item: etree._Element) -> Raw | None:
    if _attributes(item):
        return None
    raw: Raw = {}
    link = guid = None
    seen: set[str] = set()
    for child in item:
        tag = child.tag
        if not _leaf(child):
            return None
        if tag in _IGNORED:
            continue
        if tag in seen:
            return None
        seen.add(tag)
        attributes = _attributes(child)
        if tag == "guid" and set(attributes) <= {"isPermaLink"}:
            guid = child
        elif attributes:
            return None
        elif tag == "title":
            raw["title"] = _value(child)
        elif tag == "link":
            link = _uri(_text(child))
            raw["link"] = _query_fixed(link)
        elif tag == "description":
            raw["summary"] = _value(child)
        elif tag == f"{CONTENT}encoded":
            raw["content"] = [{"value": _value(child)}]
        elif tag in ("author", f"{DC}creator"):
            if "author" in raw:
                return None
            raw["author"] = _value(child)
        elif tag == "pubDate":
            raw["published_parsed"] = _parse_date(_value(child))
        elif tag == f"{DC}date":
            raw["updated_parsed"] = _parse_date(_value(child))
        else:
            return None
    if guid is not None:
        permalink = guid.get("isPermaLink", "true") == "true"
        raw["id"] = _uri(_text(guid)) if permalink else _value(guid)
        if permalink and link is None:
            raw["link"] = raw["id"]  # feedparser: a permalink guid is the link when none is given
    return _summary_or_content(raw)


def _atom(root: etree._Element, names: Counter[str]) -> tuple[list[Raw], str] | None:
    entries = root.findall(f"{ATOM}entry")
    if len(entries) != names["item"] + names["entry"]:
        return None
    raws = []
    for entry in entries:
        raw = _atom_entry(entry)
        if raw is None:
            return None
        raws.append(raw)
    return raws, ""


def _atom_entry(entry: etree._Element) -> Raw | None:
    if _attributes(entry):
        return None
    raw: Raw = {}
    alternate = None
    seen: set[str] = set()
    for child in entry:
        tag = child.tag
        if tag in _IGNORED and _leaf(child):
            continue
        if tag == f"{ATOM}link":
            if not _plain_link(child):
                return None
            href = _html_alternate(child)
            alternate = alternate if href is None else href  # the last one, even if empty
            continue
        if tag in seen:
            return None
        seen.add(tag)
        if tag == f"{ATOM}author":
            author = _atom_author(child)
            if author is None:
                return None
            raw["author"] = author
            continue
        attributes = _attributes(child)
        if not _leaf(child) or set(attributes) - {"type"}:
            return None
        if attributes and attributes["type"].lower() not in _TEXT_TYPES:
            return None  # xhtml, base64 and the like: feedparser's own business
        if tag == f"{ATOM}title":
            raw["title"] = _value(child)
        elif tag == f"{ATOM}id" and not attributes:
            raw["id"] = _uri(_text(child))
        elif tag == f"{ATOM}summary":
            raw["summary"] = _value(child)
        elif tag == f"{ATOM}content":
            raw["content"] = [{"value": _value(child)}]
        elif tag == f"{ATOM}published" and not attributes:
            raw["published_parsed"] = _parse_date(_value(child))
        elif tag == f"{ATOM}updated" and not attributes:
            raw["updated_parsed"] = _parse_date(_value(child))
        else:
            return None
    if alternate is not None:
        raw["link"] = alternate
    elif "id" in raw:
        raw["link"] = raw["id"]  # feedparser: an Atom id stands in for a missing link
    return _summary_or_content(raw)


def _plain_link(link: etree._Element) -> bool:
    """An empty link with an href and attributes we know: others feedparser reads its own way."""
    attributes = _attributes(link)
    return (
        "href" in attributes
        and set(attributes) <= _LINK_ATTRIBUTES
        and not len(link)
        and not (link.text or "").strip()
    )


def _html_alternate(link: etree._Element) -> str | None:
    """The href of a link to the article's web page, as feedparser resolves it."""
    rel = link.get("rel", "alternate").lower()
    kind = link.get("type", "application/atom+xml" if rel == "self" else "text/html")
    if rel == "alternate" and kind.lower() in _HTML_TYPES:
        return _urljoin("", link.get("href"))
    return None


def _atom_author(author: etree._Element) -> str | None:
    """feedparser's author string: "name (email)", the name, the email, or ""."""
    if _attributes(author) or (author.text or "").strip():
        return None
    parts: dict[str, str] = {}
    for child in author:
        name = child.tag.removeprefix(ATOM)
        if name not in ("name", "email", "uri") or name in parts or not _leaf(child):
            return None
        if _attributes(child) or (child.tail or "").strip():
            return None
        parts[name] = _text(child)
    name, email = parts.get("name"), parts.get("email")
    if name and email:
        return f"{name} ({email})"
    return name or email or ""


def _summary_or_content(raw: Raw) -> Raw:
    """feedparser: an entry without a summary takes its content for one."""
    if "content" in raw:
        raw.setdefault("summary", raw["content"][0]["value"])
    return raw


def _uri(text: str) -> str:
    """A link or a permalink id as feedparser resolves it (with no base URL)."""
    return _finish(_urljoin("", text))


def _value(element: etree._Element) -> str:
    """An element's text as feedparser gives it."""
    return _finish(_text(element))


def _text(element: etree._Element) -> str:
    return (element.text or "").strip()


def _finish(text: str) -> str:
    """What feedparser makes of a stripped text: doubly-encoded UTF-8 repaired, Windows-1252
    mapped."""
    if text.isascii():
        return text
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        text = text.encode("iso-8859-1").decode("utf-8")
    return text.translate(_cp1252)


def _query_fixed(link: str) -> str:
    """feedparser undoes "&amp;" left in a link's query string."""
    return _REFERENCE_LIKE.sub(r"&\g<1>", link.replace("&amp;", "&"))


def _names(root: etree._Element) -> Counter[str] | None:
    """How many elements bear each local name, lowercased as feedparser reads them; None
    when a name is not ASCII (expat refuses names that libxml2 accepts)."""
    names: Counter[str] = Counter()
    for element in root.iter(etree.Element):
        if (
            not element.tag.isascii()
            or element.attrib
            and not all(name.isascii() for name in element.attrib)
        ):
            return None
        names[element.tag.rpartition("}")[2].lower()] += 1
    return names


def _prefixes_read_alike(data: bytes) -> bool:
    """feedparser keeps one map of namespace prefixes for the whole document, where XML
    scopes them: the two agree unless a prefix is bound twice, or a prefix that is
    feedparser's own name for one namespace is bound to another it knows."""
    bound: dict[bytes, bytes] = {}
    for prefix, _, uri in _PREFIX.findall(data):
        if bound.setdefault(prefix, uri) != uri:
            return False
        name = prefix.decode("utf-8", "replace")
        known = _KNOWN.get(uri.decode("utf-8", "replace").lower())
        if known is not None and known != name and name in _NAMES:
            return False
    return True


def _leaf(element: etree._Element) -> bool:
    """Text only: no child elements, comments or processing instructions."""
    return len(element) == 0


def _attributes(element: etree._Element) -> dict[str, str]:
    attributes = element.attrib
    if not attributes:  # the common case, and this runs for every element of every entry
        return {}
    return {k: v for k, v in attributes.items() if k != XML_LANG}
