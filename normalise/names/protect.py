"""Protecting known names from the translation model.

Choice: a known name in the source-language text is replaced by its canonical English form
(Зеленского -> Zelenskyy, Selenskyj -> Zelenskyy, 普京 -> Putin) before the text goes to the
model. Translation models copy Latin-script proper nouns through, so no placeholder can be
lost or mangled; `restore` never edits the output (it cannot invent or drop text). If the
model still bends the name (Zelenskyy -> Zelensky), the English unify pass that runs after
translation fixes it like any other variant.

Restore does record which canonical forms survived, in a `ProtectedLog` keyed by the output
text; `NameUnifier.unify_blocks` finds those outputs inside the block text and reports the
names as NameChange(method="protected", original=<source-language form>). Context-only forms
(Κωνσταντινούπολη), forms after another person's given name and mentions holding an ordinary
word of the text (names.ordinary: German "Dabei" is a world-layer name of Dubai) are never
protected: the English pass decides them with the whole document in view.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from normalise.names.index import NameIndex
from normalise.names.matcher import extend_given, scan
from normalise.names.ordinary import OrdinaryWords, canonical_words, doubtful_word
from normalise.names.text import has_cjk, tokenize

Protected = tuple[str, str, str]  # (source-language original, canonical, entity id)


class ProtectedLog:
    """Recently restored model outputs and the names protected in them (bounded)."""

    def __init__(self, max_entries: int = 20000):
        self._entries: OrderedDict[str, list[list[Protected]]] = OrderedDict()
        self._max = max_entries
        self._lock = threading.Lock()

    def add(self, output: str, items: list[Protected]) -> None:
        if not output or not items:
            return
        with self._lock:
            self._entries.setdefault(output, []).append(items)
            self._entries.move_to_end(output)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)

    def take(self, block_text: str) -> list[Protected]:
        """Protected names of the outputs that make up this block (each output used once)."""
        out: list[Protected] = []
        with self._lock:
            keys = [block_text] if block_text in self._entries else [k for k in self._entries if k in block_text]
            for key in keys:
                queue = self._entries[key]
                out.extend(queue.pop(0))
                if not queue:
                    del self._entries[key]
        return out


class GazetteerProtector:
    """The names stage's protector (normalise.stages.NameProtector): swaps the gazetteer's
    known names in source-language text for their canonical English form."""

    def __init__(self, index: NameIndex, log: ProtectedLog):
        self.index = index
        self.log = log

    def find(self, text: str, source_lang: str | None = None) -> list[tuple[int, int, str, str, str]]:
        """(start, end, original, replacement, entity id) of known names in source text
        (`source_lang`: its ISO 639-1 code, for its ordinary words)."""
        index = self.index
        found = []
        if has_cjk(text) and index.cjk_re is not None:  # the pattern is compiled on first use
            for m in index.cjk_re.finditer(text):
                ent, replacement = index.cjk[m.group()]
                if ent.type == "person" and not ent.alone and replacement != ent.canonical:
                    continue
                found.append((m.start(), m.end(), m.group(), replacement, ent.id))
        found += self._token_names(text, source_lang)
        found.sort()
        kept, last_end = [], -1
        for item in found:  # CJK and token matches may overlap: keep the first, longest
            if item[0] >= last_end:
                kept.append(item)
                last_end = item[1]
        return kept

    def _token_names(self, text: str, source_lang: str | None) -> list[tuple[int, int, str, str, str]]:
        """The known names `scan` finds in the text's tokens that may be protected."""
        index = self.index
        toks = tokenize(text)
        found = []
        ordinary: OrdinaryWords | None = None  # the text's ordinary words, found when a name is
        for hit in scan(text, toks, index.source, index, latin_only=False, norm_scripts="any"):
            forms = [f for f in hit.forms if f.context is None]
            if len({f.entity.id for f in forms}) != 1:
                continue  # unknown here or ambiguous: leave it to the model and the English pass
            ent = forms[0].entity
            prev = toks[hit.start_tok - 1].text.lower() if hit.start_tok else ""
            nxt = toks[hit.end_tok].text.lower() if hit.end_tok < len(toks) else ""
            if prev in ent.not_after or nxt in ent.not_before:
                continue
            start_tok, replacement = hit.start_tok, forms[0].replacement
            if ent.type == "person" and not forms[0].full:
                given = extend_given(text, toks, hit.start_tok, ent, index.source, index, allow_fuzzy=False)
                if given.kind == "conflict" or (given.kind != "match" and not ent.alone):
                    continue
                if given.kind == "match":
                    start_tok, replacement = given.start_tok, ent.canonical
            if ordinary is None:
                ordinary = OrdinaryWords([[t.text for t in toks]], source_lang)
            if doubtful_word(text, toks, start_tok, hit.end_tok, canonical_words(ent.canonical), ordinary, hit.cut):
                continue  # an ordinary word of the text (German Dabei is not Dubai): the English pass decides
            start, end = toks[start_tok].start, toks[hit.end_tok - 1].end
            found.append((start, end, text[start:end], replacement, ent.id))
        return found

    def __call__(self, text: str, source_lang: str) -> tuple[str, Callable[[str], str]]:
        if not text or source_lang == "en":
            return text, _identity
        found = self.find(text, source_lang)
        if not found:
            return text, _identity
        parts, pos = [], 0
        for start, end, _, replacement, _ in found:
            parts.append(text[pos:start])
            # keep CJK neighbours apart from the Latin name so the model sees a word
            pad_l = " " if start and has_cjk(text[start - 1]) else ""
            pad_r = " " if end < len(text) and has_cjk(text[end]) else ""
            parts.append(f"{pad_l}{replacement}{pad_r}")
            pos = end
        parts.append(text[pos:])
        protected = [(orig, repl, ent_id) for _, _, orig, repl, ent_id in found if orig != repl]

        def restore(output: str) -> str:
            if not isinstance(output, str):
                return output
            survived, counts = [], {}  # type: list[Protected], dict[str, int]
            for item in protected:
                counts[item[1]] = counts.get(item[1], 0) + 1
                if output.count(item[1]) >= counts[item[1]]:
                    survived.append(item)
            self.log.add(output, survived)
            return output

        return "".join(parts), restore


def _identity(output: str) -> str:
    return output
