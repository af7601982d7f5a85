"""News sources as data: one TOML file per outlet in seeds/, validated on load.

TOML (stdlib `tomllib`) cannot construct objects, so loading is safe by construction; a
`.yaml` file in the seeds directory is reported as an error and never parsed.
A bad file yields a `SourceError` naming the file, the field and what is wrong; the
other files still load.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import tldextract
import tomllib

from normalise.safe_regex import SafePattern, UnsafePatternError

MAX_SEED_FILE_BYTES = 256 * 1024
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_LANG_RE = re.compile(r"^[a-z]{2,3}$")
_HOST_RE = re.compile(r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?)*$")


class SourceError(ValueError):
    """A seeds file that cannot be used: which file, which field, what is wrong."""

    def __init__(self, path: Path | str, field: str | None, message: str):
        self.path, self.field, self.message = str(path), field, message
        where = f"field '{field}'" if field else "file"
        super().__init__(f"{self.path}: {where}: {message}")


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    home: str
    allowed_domains: tuple[str, ...]
    languages: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    article_patterns: tuple[SafePattern, ...] = ()
    drop_selectors: tuple[str, ...] = ()
    interval_minutes: int = 60
    needs_network: bool = True
    enabled: bool = True  # False: only crawled when named with -a source=ID
    bundled_site: str | None = None  # directory under crawler/ served locally (the offline demo)
    bundled_port: int | None = None
    path: str = field(default="", compare=False)

    def is_article_url(self, url: str) -> bool:
        """An article link: in an allowed domain and, when patterns are given, matching one."""
        if not self.in_domain(url):
            return False
        return not self.article_patterns or any(p.search(url) for p in self.article_patterns)

    def in_domain(self, url: str) -> bool:
        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").lower()
        except ValueError:
            return False
        if parts.scheme not in ("http", "https"):
            return False
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)


# -- field validators: value -> normalised value, or raise ValueError(message) -------------------
def _string(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"expected a non-empty string, got {_describe(value)}")
    return value.strip()


def _url(value: Any) -> str:
    value = _string(value)
    try:
        parts = urlsplit(value)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a URL: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{value!r} is not an absolute http(s) URL")
    return value


def _list_of(item: Callable[[Any], Any]) -> Callable[[Any], tuple]:
    def check(value: Any) -> tuple:
        if not isinstance(value, list):
            raise ValueError(f"expected a list, got {_describe(value)}")
        out = []
        for i, v in enumerate(value):
            try:
                out.append(item(v))
            except ValueError as exc:
                raise ValueError(f"item {i}: {exc}") from None
        return tuple(out)

    return check


def _domain(value: Any) -> str:
    value = _string(value).lower()
    if not _HOST_RE.match(value):
        raise ValueError(f"{value!r} is not a host name (no scheme, no path), e.g. 'example.com'")
    if _is_public_suffix(value):
        raise ValueError(f"{value!r} is a public suffix: it would allow every site under it; "
                         "name the outlet's own domain, e.g. 'example.com'")
    return value


@functools.cache
def _suffix_list() -> tldextract.TLDExtract:
    # The Public Suffix List snapshot tldextract ships: no download (empty URL list), no disk cache.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)


def _is_public_suffix(host: str) -> bool:
    parts = _suffix_list()(host)
    return bool(parts.suffix) and not parts.domain


def _language(value: Any) -> str:
    value = _string(value).lower()
    if not _LANG_RE.match(value):
        raise ValueError(f"{value!r} is not an ISO 639 language code such as 'de'")
    return value


def _pattern(value: Any) -> SafePattern:
    try:
        return SafePattern(_string(value))
    except UnsafePatternError as exc:
        raise ValueError(f"{value!r}: {exc}") from None


def _css(value: Any) -> str:
    from cssselect import GenericTranslator, SelectorError

    value = _string(value)
    try:
        GenericTranslator().css_to_xpath(value)
    except SelectorError as exc:
        raise ValueError(f"{value!r} is not a valid CSS selector: {exc}") from None
    return value


def _int_range(low: int, high: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected an integer, got {_describe(value)}")
        if not low <= value <= high:
            raise ValueError(f"{value} is outside {low}..{high}")
        return value

    return check


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {_describe(value)}")
    return value


def _source_id(value: Any) -> str:
    value = _string(value)
    if not _ID_RE.match(value):
        raise ValueError(f"{value!r} must be lowercase letters, digits, '-' or '_' (max 64)")
    return value


def _bundled_dir(value: Any) -> str:
    value = _string(value)
    if not re.match(r"^[a-z0-9_]+$", value):
        raise ValueError(f"{value!r} must be a directory name under crawler/ (letters, digits, '_')")
    return value


def _describe(value: Any) -> str:
    return f"{type(value).__name__} {value!r}"[:80]


# field name -> (validator, required)
FIELDS: dict[str, tuple[Callable[[Any], Any], bool]] = {
    "id": (_source_id, True),
    "name": (_string, True),
    "home": (_url, True),
    "allowed_domains": (_list_of(_domain), True),
    "languages": (_list_of(_language), False),
    "feeds": (_list_of(_url), False),
    "sitemaps": (_list_of(_url), False),
    "sections": (_list_of(_url), False),
    "article_patterns": (_list_of(_pattern), False),
    "drop_selectors": (_list_of(_css), False),
    "interval_minutes": (_int_range(1, 7 * 24 * 60), False),
    "needs_network": (_bool, False),
    "enabled": (_bool, False),
    "bundled_site": (_bundled_dir, False),
    "bundled_port": (_int_range(0, 65535), False),
}


def parse_source(data: dict[str, Any], path: Path | str) -> Source:
    """Validate one parsed seeds file; raise SourceError on the first problem found."""
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise SourceError(path, unknown[0], f"unknown key (known keys: {', '.join(FIELDS)})")
    values: dict[str, Any] = {}
    for name, (validate, required) in FIELDS.items():
        if name not in data:
            if required:
                raise SourceError(path, name, "missing required key")
            continue
        try:
            values[name] = validate(data[name])
        except ValueError as exc:
            raise SourceError(path, name, str(exc)) from None
    source = Source(**values, path=str(path))
    for name in ("home", "feeds", "sitemaps", "sections"):
        urls = [source.home] if name == "home" else getattr(source, name)
        for url in urls:
            if not source.in_domain(url):
                raise SourceError(path, name, f"{url!r} is outside allowed_domains {list(source.allowed_domains)}")
    if not (source.feeds or source.sitemaps or source.sections):
        raise SourceError(path, "feeds", "a source needs at least one of feeds, sitemaps or sections")
    if bool(source.bundled_site) != (source.bundled_port is not None):
        raise SourceError(path, "bundled_port", "bundled_site and bundled_port go together")
    return source


def load_source_file(path: Path) -> Source:
    try:
        if path.stat().st_size > MAX_SEED_FILE_BYTES:
            raise SourceError(path, None, f"file is larger than {MAX_SEED_FILE_BYTES} bytes")
        # utf-8-sig: editors on Windows save a byte-order mark, which TOML itself does not allow.
        data = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        raise SourceError(path, None, f"cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise SourceError(path, None, f"not UTF-8 text: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(path, None, f"not valid TOML: {exc}") from None
    except RecursionError:  # tomllib recurses per nesting level: [[[[...]]]] must not kill the crawl
        raise SourceError(path, None, "not valid TOML: values are nested too deeply") from None
    return parse_source(data, path)


@dataclass
class LoadedSources:
    sources: dict[str, Source]
    errors: list[SourceError]


def load_sources(directory: Path | str) -> LoadedSources:
    """Every `*.toml` in `directory`, in name order; bad files become errors, never exceptions."""
    directory = Path(directory)
    sources: dict[str, Source] = {}
    errors: list[SourceError] = []
    if not directory.is_dir():
        return LoadedSources({}, [SourceError(directory, None, "seeds directory does not exist")])
    for path in sorted(p for p in directory.iterdir() if p.suffix.lower() in (".yaml", ".yml")):
        # Never parsed (a YAML tag could construct objects); said out loud rather than silently ignored.
        errors.append(SourceError(path, None, "seeds files are TOML; YAML is not loaded (write it as a .toml "
                                              "file, see seeds/README.md)"))
    for path in sorted(directory.glob("*.toml")):
        try:
            source = load_source_file(path)
        except SourceError as exc:
            errors.append(exc)
            continue
        if source.id in sources:
            errors.append(SourceError(path, "id", f"duplicate id {source.id!r}, already defined in "
                                                  f"{sources[source.id].path}"))
            continue
        sources[source.id] = source
    return LoadedSources(sources, errors)
