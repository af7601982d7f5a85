"""Name unification: one canonical English form per known person, place and organisation.

`NameUnifier(gazetteer_paths)` is the pipeline's names stage:
- `protector()` is given to the translation stage; it swaps known names in source-language
  text for their canonical English form before the model (see names.protect);
- `unify_blocks(texts, ctx)` rewrites the English text of one document's blocks (layers
  exact -> normalised -> guarded fuzzy, see names.unify), and reports the protected names
  that came through translation as method "protected".
The gazetteer (names/data/*.yaml, the compiled world layer, plus `gazetteer_paths`) is indexed
once into a file in the cache directory and loaded once per process (names.index_cache).
"""
from __future__ import annotations

from normalise.names.gazetteer import GazetteerError
from normalise.names.index import NameIndex, get_index
from normalise.names.protect import GazetteerProtector, ProtectedLog
from normalise.names.unify import DocumentUnifier
from normalise.record import NameChange
from normalise.stages import DocumentContext

__all__ = ["GazetteerError", "NameUnifier"]


class NameUnifier:
    """The pipeline's names stage (normalise.stages.NameStage)."""

    def __init__(self, gazetteer_paths=(), *, index: NameIndex | None = None, world: bool = True):
        """`index`: an index built elsewhere instead of the compiled one; `world`: with the
        compiled world layer (the default) or the hand-typed gazetteer alone."""
        self.gazetteer_paths = tuple(gazetteer_paths)
        self._index = index
        self._world = world
        self._log = ProtectedLog()

    @property
    def index(self) -> NameIndex:
        return self._index if self._index is not None else get_index(self.gazetteer_paths, world=self._world)

    def unify_blocks(
        self, texts: list[str], ctx: DocumentContext | None = None, languages: list[str | None] | None = None
    ) -> tuple[list[tuple[str, list[NameChange]]], list[dict]]:
        """For each English block text (whole document given for context) return the text with
        canonical names and its changes, spans relative to that returned block text; plus
        candidate mentions left unchanged (doubtful matches) for audit. `languages`: per block,
        the ISO 639-1 code of the language its text is in when it is not English (an untranslated
        block: names.untranslated says what changes there); "en" or None: read as English;
        "unsupported": in the language the document's stop words name (names.block_languages)."""
        results, candidates = DocumentUnifier(self.index, list(texts), languages=languages).run()
        return [self._with_protected(old, new, changes) for old, (new, changes) in zip(texts, results, strict=False)], candidates

    def protector(self) -> GazetteerProtector:
        """The translation stage's protector (normalise.stages.NameProtector)."""
        return GazetteerProtector(self.index, self._log)

    def _with_protected(self, old: str, new: str, changes: list[NameChange]) -> tuple[str, list[NameChange]]:
        protected = self._log.take(old) if old else []
        if not protected:
            return new, changes
        taken = [(c.start, c.end) for c in changes]
        added = []
        for original, canonical, entity_id in protected:
            pos = 0
            while (start := new.find(canonical, pos)) >= 0:
                end = start + len(canonical)
                pos = start + 1
                if any(s < end and start < e for s, e in taken) or not _word_bounded(new, start, end):
                    continue
                taken.append((start, end))
                added.append(NameChange(original=original, canonical=canonical, entity_id=entity_id,
                                        start=start, end=end, method="protected", score=1.0,
                                        evidence="known name protected before translation"))
                break
        return new, sorted([*changes, *added], key=lambda c: c.start)


def _word_bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not before.isalnum() and not after.isalnum()
