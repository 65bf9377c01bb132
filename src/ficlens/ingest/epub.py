"""EPUB files: safe unpacking, the OPF package, and the choice of reader for what is inside.

The zip is read with the standard library's zipfile and the OPF with lxml rather than ebooklib:
ebooklib inflates every member up front with no size limit (a zip bomb would be inflated before
we could refuse it) and gives up on small spec violations that real fan EPUBs have. Here sizes
and ratios are checked on the central directory before anything is inflated, only the members
the spine names are read, and each read is capped.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from urllib.parse import unquote

from bs4 import BeautifulSoup
from lxml import etree

from ..model import Metadata, Work
from . import markup
from .formats import UnsupportedFormat

MAX_TOTAL_BYTES = 200 * 1024 * 1024  # declared, all members (pictures included)
MAX_READ_BYTES = 64 * 1024 * 1024  # actually inflated: the package and the spine's documents, as for plain text
MAX_MEMBER_BYTES = 32 * 1024 * 1024
MAX_RATIO = 100
RATIO_CHECK_FROM = 1024 * 1024  # small members compress well legitimately (e.g. the mimetype)

_XML = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)


@dataclass
class Package:
    """What the OPF says: metadata fields (by local name, in order) and the spine's documents."""

    path: str
    fields: list[tuple[str, dict, str]] = field(default_factory=list)  # (name, attributes, text)
    spine: list[str] = field(default_factory=list)  # member names in reading order

    def values(self, name: str) -> list[str]:
        return [text for n, _, text in self.fields if n == name and text]

    def first(self, name: str) -> str | None:
        values = self.values(name)
        return values[0] if values else None

    def meta(self, name: str) -> str | None:
        """A `<meta name=... content=...>` value (Calibre's series and series index)."""
        for n, attrs, _ in self.fields:
            if n == "meta" and attrs.get("name") == name:
                return attrs.get("content")
        return None


class SafeZip:
    """A zip whose declared sizes were checked, with capped reads."""

    def __init__(self, data: bytes):
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
            raise UnsupportedFormat(f"corrupt EPUB: {_reason(exc)}") from None
        total = sum(i.file_size for i in infos)
        if total > MAX_TOTAL_BYTES:
            raise UnsupportedFormat(
                f"EPUB would inflate to {total / 2**20:,.0f} MB (limit {MAX_TOTAL_BYTES // 2**20} MB): "
                "refused as a possible zip bomb")
        for info in infos:
            if info.file_size >= RATIO_CHECK_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise UnsupportedFormat(
                    f"EPUB member {info.filename} inflates {info.file_size // max(info.compress_size, 1):,}x "
                    f"(limit {MAX_RATIO}x): refused as a possible zip bomb")
        self.names = {i.filename for i in infos}
        self._read = 0

    def read(self, name: str) -> bytes:
        """Inflate one member, never past its declared size or the overall cap."""
        try:
            with self.zip.open(name) as member:
                chunks, size = [], 0
                while chunk := member.read(1 << 16):
                    size += len(chunk)
                    self._read += len(chunk)
                    if size > MAX_MEMBER_BYTES or self._read > MAX_READ_BYTES:
                        raise UnsupportedFormat("EPUB inflates past the size limit: refused as a possible zip bomb")
                    chunks.append(chunk)
                return b"".join(chunks)
        except KeyError:
            raise UnsupportedFormat(f"corrupt EPUB: {name} is missing") from None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError) as exc:
            reason = _reason(exc)
            raise UnsupportedFormat(f"corrupt EPUB: {reason}" + ("" if name in reason else f" in {name}")) from None


def _reason(exc: Exception) -> str:
    text = str(exc).strip().rstrip(".") or type(exc).__name__
    if text == "File is not a zip file":
        return "truncated or damaged zip (its table of contents is missing)"
    return text.splitlines()[0][:120]


def open_package(data: bytes) -> tuple[SafeZip, Package]:
    archive = SafeZip(data)
    return archive, package(archive)


def package(archive: SafeZip) -> Package:
    """Find the OPF through META-INF/container.xml (or the only .opf there is) and read it."""
    opf_path = None
    if "META-INF/container.xml" in archive.names:
        container = _xml(archive.read("META-INF/container.xml"), "META-INF/container.xml")
        for node in container.iter():
            if _local(node.tag) == "rootfile" and node.get("full-path"):
                opf_path = node.get("full-path")
                break
    if opf_path is None:
        candidates = sorted(n for n in archive.names if n.lower().endswith(".opf"))
        if not candidates:
            raise UnsupportedFormat("EPUB without a package file (no META-INF/container.xml and no .opf)")
        opf_path = candidates[0]
    if opf_path not in archive.names:
        raise UnsupportedFormat(f"EPUB package file {opf_path} is missing")
    root = _xml(archive.read(opf_path), opf_path)
    pkg = Package(path=opf_path)
    base = posixpath.dirname(opf_path)
    manifest: dict[str, tuple[str, str, str]] = {}
    spine_ids: list[str] = []
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        name, parent = _local(node.tag), node.getparent()
        if parent is not None and _local(parent.tag) == "metadata":
            attrs = {_local(k): v for k, v in node.attrib.items()}
            pkg.fields.append((name, attrs, markup.normalise(node.xpath("string()"))))
        elif name == "item" and node.get("id") and node.get("href"):
            href = posixpath.normpath(posixpath.join(base, unquote(node.get("href"))))
            manifest[node.get("id")] = (href, node.get("media-type", ""), node.get("properties", ""))
        elif name == "itemref" and node.get("idref") and node.get("linear", "yes") != "no":
            spine_ids.append(node.get("idref"))
    by_lower = {name.lower(): name for name in archive.names}  # manifests written on Windows get case wrong
    for idref in spine_ids:
        href, media, props = manifest.get(idref, ("", "", ""))
        member = href if href in archive.names else by_lower.get(href.lower())
        if member and "nav" not in props.split() and ("html" in media or re.search(r"\.x?html?$", member)):
            pkg.spine.append(member)
    if not pkg.spine:
        raise UnsupportedFormat("EPUB with no readable documents in its spine")
    return pkg


def _xml(data: bytes, name: str):
    try:
        root = etree.fromstring(data, _XML)
    except etree.XMLSyntaxError as exc:
        raise UnsupportedFormat(f"corrupt EPUB: {name} is not XML ({_reason(exc)})") from None
    if root is None:
        raise UnsupportedFormat(f"corrupt EPUB: {name} is not XML")
    return root


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].split(":")[-1] if isinstance(tag, str) else ""


def documents(archive: SafeZip, pkg: Package) -> list[BeautifulSoup]:
    return [markup.parse(archive.read(name)) for name in pkg.spine]


def opf_metadata(pkg: Package) -> Metadata:
    """What the OPF knows, in Metadata terms."""
    meta = Metadata()
    meta.title = pkg.first("title")
    meta.authors = pkg.values("creator")
    meta.language = pkg.first("language")
    meta.publisher = pkg.first("publisher")
    description = pkg.first("description")
    if description:
        meta.summary = "\n\n".join(b.text for b in markup.blocks(markup.parse(description).body)) or None
    for _, attrs, text in (f for f in pkg.fields if f[0] == "date"):
        event = attrs.get("event", "publication")
        if event in ("publication", "original-publication") and meta.published is None:
            meta.published = markup.iso_date(text)
        elif event == "modification":
            meta.updated = markup.iso_date(text)
    url = pkg.first("source") or next((v for v in pkg.values("identifier") if v.startswith("http")), None)
    meta.url = url
    meta.tags = [t for t in pkg.values("subject")]
    series = pkg.meta("calibre:series")
    if series:
        index = pkg.meta("calibre:series_index")
        part = int(float(index)) if index and re.fullmatch(r"\d+(\.\d+)?", index) else None
        meta.series = [{"name": series, "part": part}]
    return meta


def read(source: str, data: bytes) -> Work:
    """Read any EPUB: an AO3 download, a FanFicFare e-book, or any other as plain story text."""
    from . import ao3, fanficfare, html

    archive, pkg = open_package(data)
    docs = documents(archive, pkg)
    meta = opf_metadata(pkg)
    if fanficfare.is_fff_epub(pkg, docs):
        return fanficfare.read_epub(source, pkg, docs, meta)
    if _is_ao3(pkg, docs):
        combined = _combined(docs)
        if ao3.tags_block(combined) is not None:
            meta.tags = []  # the OPF subjects mix every kind of tag; the tags block inside sorts them
        else:
            meta.tags = [t for t in meta.tags if t != "Fanworks"]
        return ao3.read_soup(source, combined, fmt="ao3-epub", meta=meta)
    return html.read_documents(source, docs, meta, fmt="epub")


def _is_ao3(pkg: Package, docs: list[BeautifulSoup]) -> bool:
    if any("Archive of Our Own" in p for p in pkg.values("publisher")):
        return True
    return any(d.find("dl", class_="tags") is not None and d.find(class_="toc-heading") is not None for d in docs[:3])


def _combined(docs: list[BeautifulSoup]) -> BeautifulSoup:
    """The split HTML files joined back into one document, in spine order."""
    combined = markup.parse("<html><body></body></html>")
    for doc in docs:
        body = doc.body or doc
        for child in list(body.contents):
            combined.body.append(child.extract())
    return combined
