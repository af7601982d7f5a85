"""Language identification with lingua, per document and per block.

Rules, cheapest evidence first:
1. Script. Each block's letters are counted per script (scripts.py). A script no configured
   language uses makes the block "unsupported" (Arabic on a configured-for-Europe service);
   a script only one lingua language uses settles it (Greek -> el; Chinese characters without
   kana -> zh; kana -> ja). Cyrillic cue letters (і ї є ґ vs ы э ё) settle ru/uk.
   Otherwise lingua (high accuracy) decides among the configured languages *of that script*.
2. Document language first. The longest blocks of the page's main script (up to
   DOC_SAMPLE_CHARS) are identified once: by their function words alone when these are
   decisive (DECISIVE_MIN_WORDS of one configured language, no letter that language does not
   use), else by lingua. A long block (SHORT_BLOCK_CHARS+) whose function words clearly belong
   to that language (languages.yaml) takes it without lingua; the others go to lingua in one
   batch, cut to BLOCK_SAMPLE_CHARS. So a page of clear prose needs no lingua model at all
   (loading the six Latin-script languages' models takes seconds). When more than one block
   settled the document language, lingua first scores the others by trigrams only; a block
   they surely place in that language, with no letter it does not use and mostly that language's
   common words (common_words.py), keeps it. Only the rest
   are scored in high-accuracy mode, which for a text under 120 letters (most headlines) loads
   every n-gram size: seconds of CPU, against 0.1 s for the trigrams.
3. Out-of-scope guard (low-accuracy lingua over all languages, languages.yaml guard_ignore
   excepted) on suspect long blocks only: letters no configured language uses (ł, ř, ı, ј),
   a Cyrillic block with no ru/uk cue letter, lingua unsure (top confidence < GUARD_BELOW or
   top two within GUARD_MARGIN), a block deviating from the document language, or a page whose
   sample the guard already placed outside the configured set. A block the guard places in an
   unconfigured language with confidence >= GUARD_CONFIDENCE is "unsupported", never forced
   into a configured one. (Unguarded, the guard wrongly marked 1-2% of configured text.)
4. The document language is the one covering most characters of the long blocks.
5. Shorter blocks take the document language unless they are in another script, or show
   another language's cues (its function words, letters the document language does not use)
   and lingua is confident otherwise (>= SHORT_BLOCK_CONFIDENCE); trigrams first, as in 2.
6. Blocks with no letters at all ("00:00") take the document language: nothing to translate.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import cast

from normalise.langid.common_words import common_share
from normalise.langid.detector import get_detector
from normalise.langid.profile import ALL, LanguageProfile, language_data, profile_for
from normalise.langid.scripts import block_script, script_counts
from normalise.record import Block
from normalise.stages import DocumentContext

__all__ = ["LanguageIdentifier", "GUARD_CONFIDENCE", "SHORT_BLOCK_CHARS", "SHORT_BLOCK_CONFIDENCE", "UNSUPPORTED"]

UNSUPPORTED = "unsupported"
SHORT_BLOCK_CHARS = 40
SHORT_BLOCK_CONFIDENCE = 0.8
GUARD_CONFIDENCE = 0.8
# The guard looks at a block only when lingua's own answer is this unsure (bench/langid.py).
GUARD_BELOW = 0.9
GUARD_MARGIN = 0.5
FOREIGN_SHARE = 0.01  # share of letters foreign to every configured language that makes a block suspect
# A document made only of short blocks is identified from their joined text if lingua is at least this sure.
JOINED_TEXT_CONFIDENCE = 0.5
DOC_SAMPLE_CHARS = 400  # enough for lingua to be sure of a page; each character costs time
# lingua's answer is settled well before this; longer blocks are cut (at a space) to save time.
# Above ~120 letters lingua scores trigrams only, which is also faster per character.
BLOCK_SAMPLE_CHARS = 300
# The trigram step keeps the page's language only for a text at least this share of whose words are
# that language's common words (chosen on bench/langid.py's unconfigured text in English pages).
TRIGRAM_COMMON_SHARE = 0.5
# Function-word confirmation: at least this many of the language's words, making up this share
# of the block's words, and other configured languages' words at most this share of them.
CONFIRM_MIN_WORDS = 2
CONFIRM_MIN_SHARE = 0.15
CONFIRM_MAX_OTHER = 0.25
# Function words that settle a text's language without lingua (same shares, one word more): with
# two, a few Dutch, Turkish and Hungarian messages passed as configured languages (bench/langid.py:
# 5 of 1,000 unconfigured texts no longer marked unsupported).
DECISIVE_MIN_WORDS = 3


@dataclass
class _Item:
    block: Block
    text: str
    script: str | None
    long: bool
    language: str | None = None
    candidates: tuple[str, ...] = ()
    suspect: bool = False
    pairs: list | None = None


@dataclass
class _Prior:
    """The page's main language before the blocks are looked at one by one."""

    language: str | None = None
    guard_all: bool = False  # the guard placed the page's main text outside the configured set
    blocks: int = 0  # how many blocks the evidence came from (1: the block itself, no independent support)


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    space = text.rfind(" ", limit // 2, limit)
    return text[: space if space > 0 else limit]


class LanguageIdentifier:
    def __init__(self, languages=("en",), guard="default", preload: bool = True):
        """guard: "default" (languages.yaml), "all", a list of codes, or None for no guard.
        preload: load lingua's models now (~2-5 s and ~330 MB, once per process) so no document
        pays for it; False loads each model when a block first needs it (`preload()` later)."""
        self.languages = tuple(languages)
        data = language_data()
        guard = data["guard"] if guard == "default" else guard
        if guard not in (None, ALL):
            guard = frozenset(guard) | set(self.languages)  # the guard must know the configured ones too
        self.guard = guard
        self.guard_ignore = frozenset(data["guard_ignore"]) - set(self.languages)
        self.profile: LanguageProfile = profile_for(tuple(sorted(set(self.languages))))
        if preload:
            self.preload()

    def preload(self) -> None:
        """Build every detector this identifier can use, with all its models loaded (a detector
        already built lazily loads the rest of its models on use)."""
        for _, load in self.preload_steps():
            load()

    def preload_steps(self) -> list[tuple[str, Callable[[], object]]]:
        """`preload` as (what, load) steps, one per detector (the batch CLI runs them on a thread,
        one at a time, while it waits for input)."""
        steps: list[tuple[str, Callable[[], object]]] = [
            (f"language models {' '.join(route.candidates)}", partial(get_detector, route.candidates, preload=True))
            for route in self.profile.routes.values() if len(route.candidates) > 1]
        if self.guard is not None:
            steps.append(("out-of-scope guard models", partial(get_detector, self.guard, low_accuracy=True,
                                                               ignore=self.guard_ignore, preload=True)))
        return steps

    def detector(self, candidates: tuple[str, ...] | None = None):
        """The restricted detector for these candidates (default: all configured languages)."""
        return get_detector(candidates or self.languages)  # loaded on first use, shared by the whole process

    @property
    def guard_detector(self):
        return None if self.guard is None else get_detector(self.guard, low_accuracy=True, ignore=self.guard_ignore)

    def assign(self, blocks: list[Block], ctx: DocumentContext) -> str | None:
        kept = [b for b in blocks if b.kept]
        if not kept:
            return self._fallback(ctx)
        items = [self._route(b) for b in kept]
        long_items = [it for it in items if it.long and it.script is not None]
        prior = self._document_prior(long_items)
        self._identify_long(long_items, prior)
        doc_lang = self._document_language(long_items, items, ctx)
        self._identify_short([it for it in items if not it.long or it.script is None], doc_lang)
        for it in items:
            it.block.language = it.language
        return doc_lang

    # -- step 1: script ---------------------------------------------------------------------
    def _route(self, block: Block) -> _Item:
        text = block.text.strip()
        counts = script_counts(text)
        script = block_script(counts)
        item = _Item(block, text, script, len(text) >= SHORT_BLOCK_CHARS)
        if script is None:
            return item
        route = self.profile.route(script)
        if route.language is not None:
            item.language = route.language
            return item
        item.candidates = route.candidates
        found = self.profile.foreign_letters(text, script)
        item.suspect = bool(found) and found >= FOREIGN_SHARE * sum(counts.values())
        if len(route.candidates) == 1:
            item.language = route.candidates[0] if not item.suspect else None
        elif self.profile.cues and not item.suspect:
            item.language = self.profile.cue_language(text, route.candidates)
            # A long Cyrillic block without any ru/uk cue letter may well be Bulgarian.
            if item.long and item.language is None and any(c in self.profile.cues for c in route.candidates):
                item.suspect = not self.profile.has_cues(text, route.candidates)
        return item

    # -- step 2: document language from a sample ---------------------------------------------
    def _document_prior(self, long_items: list[_Item]) -> _Prior:
        """The language of the page's main text, from its longest blocks."""
        chars: Counter[str] = Counter()
        for it in long_items:
            if it.script is not None:
                chars[it.script] += len(it.text)
        if not chars:
            return _Prior()
        script = chars.most_common(1)[0][0]
        mine = sorted((it for it in long_items if it.script == script), key=lambda it: -len(it.text))
        settled = Counter(it.language for it in mine if it.language is not None and not it.suspect)
        if settled and sum(settled.values()) * 2 >= len(mine):  # the script or cue letters decided most of it
            return _Prior(settled.most_common(1)[0][0], blocks=sum(settled.values()))
        candidates = mine[0].candidates
        if not candidates:
            return _Prior()
        sample, suspect = [], False
        for it in mine:
            sample.append(_cut(it.text, BLOCK_SAMPLE_CHARS))
            suspect = suspect or it.suspect
            if sum(map(len, sample)) >= DOC_SAMPLE_CHARS:
                break
        text = _cut(" ".join(sample), DOC_SAMPLE_CHARS)  # one block: the same text as its own check (cached)
        decided = None if suspect else self._decided_by_words(text, candidates)
        if decided is not None:  # clear prose: lingua's models need not even be loaded
            return _Prior(decided, blocks=len(sample))
        pairs = self._detect(candidates, [text])[0]
        if not pairs:
            return _Prior()
        # A page's prose in a configured language has that language's function words; text lingua is
        # sure of without them (a Dutch page read as German) goes to the guard.
        unconfirmed = len(sample) > 1 and not self._confirmed(text, pairs[0][0])
        if self.guard is not None and (suspect or unconfirmed or self._unsure(pairs)):
            if self._guard_verdicts([text])[0] is not None:
                return _Prior(UNSUPPORTED, guard_all=True, blocks=len(sample))
        return _Prior(pairs[0][0], blocks=len(sample))

    # -- step 3: long blocks -----------------------------------------------------------------
    def _identify_long(self, long_items: list[_Item], page: _Prior) -> None:
        prior, guard_all = page.language, page.guard_all
        pending = []
        for it in long_items:
            if not it.candidates:
                continue  # settled by the script
            if it.language is not None and not it.suspect and not guard_all:
                continue  # settled by cue letters
            if len(it.candidates) == 1:  # the script's only configured language: only the guard can object
                it.language, it.pairs = it.candidates[0], [(it.candidates[0], 1.0)]
                it.suspect = it.suspect or not self._confirmed(it.text, it.language)
                pending.append(it)
                continue
            if (prior not in (None, UNSUPPORTED) and not it.suspect and prior in it.candidates
                    and self._confirmed(it.text, prior)):
                it.language = prior
                continue
            pending.append(it)
        by_candidates: dict[tuple, list[_Item]] = {}
        for it in pending:
            if it.pairs is None:
                expected = prior if page.blocks > 1 and not (it.suspect or guard_all) else None
                by_candidates.setdefault((it.candidates, expected), []).append(it)
        for (candidates, expected), group in by_candidates.items():
            answers = self._detect(candidates, [_cut(it.text, BLOCK_SAMPLE_CHARS) for it in group], expected)
            for it, pairs in zip(group, answers, strict=False):
                it.pairs = pairs
                if it.language is None:
                    it.language = pairs[0][0] if pairs else None
        if self.guard is None:
            return
        configured_prior = prior not in (None, UNSUPPORTED)
        # Lingua unsure of a block but agreeing with the language of the page's other text (headlines,
        # product names, bylines): the guard's reading of such text is mostly wrong (bench/langid.py).
        check = [it for it in pending if it.pairs and (
            guard_all or it.suspect or (configured_prior and it.language != prior)
            or (self._unsure(it.pairs) and not (configured_prior and page.blocks > 1)))]
        for it, verdict in zip(check, self._guard_verdicts([_cut(it.text, BLOCK_SAMPLE_CHARS) for it in check]), strict=False):
            if verdict is not None:
                it.language = UNSUPPORTED

    def _confirmed(self, text: str, lang: str, min_words: int = CONFIRM_MIN_WORDS) -> bool:
        """Whether the block's function words clearly say `lang` (no lingua needed)."""
        n_words, hits = self.profile.word_hits(_cut(text, BLOCK_SAMPLE_CHARS))
        mine = hits.get(lang, 0)
        others = sum(hits.values()) - mine
        return mine >= min_words and mine >= CONFIRM_MIN_SHARE * n_words and others <= CONFIRM_MAX_OTHER * mine

    def _decided_by_words(self, text: str, candidates: tuple[str, ...]) -> str | None:
        """The candidate the text's function words settle on their own (DECISIVE_MIN_WORDS of its
        words, the confirmation's shares, no letter it does not use), else None: ask lingua."""
        _, hits = self.profile.word_hits(_cut(text, BLOCK_SAMPLE_CHARS))
        if not hits:
            return None
        lang = max(hits, key=hits.__getitem__)
        if (lang in candidates and self._confirmed(text, lang, DECISIVE_MIN_WORDS)
                and not self.profile.outside_alphabet(text, lang)):
            return lang
        return None

    def _detect(self, candidates: tuple[str, ...], texts: list[str], expected: str | None = None,
                ) -> list[list[tuple[str, float]]]:
        """lingua's answers among `candidates` (a lone candidate needs no lingua: lingua would add a second).
        With `expected` (the language the page's other text settled), each text is first scored by
        trigrams only, and one they settle in that language (`_trigrams_settle`) keeps that answer;
        the others are asked in high-accuracy mode, which scores a text under 120 letters with every
        n-gram size: loading those models costs about 1.7 s of CPU for the six Latin-script
        languages, their trigrams 0.1 s (bench/cli_startup.py)."""
        if len(candidates) == 1:
            return [[(candidates[0], 1.0)] for _ in texts]
        answers: list[list[tuple[str, float]] | None] = [None] * len(texts)
        if expected in candidates:
            quick = get_detector(candidates, low_accuracy=True).confidences(texts)
            answers = [pairs if self._trigrams_settle(text, pairs, expected) else None
                       for text, pairs in zip(texts, quick, strict=True)]
        rest = [i for i, pairs in enumerate(answers) if pairs is None]
        if rest:
            for i, pairs in zip(rest, self.detector(candidates).confidences([texts[i] for i in rest]), strict=True):
                answers[i] = pairs
        return cast(list[list[tuple[str, float]]], answers)

    def _trigrams_settle(self, text: str, pairs: list[tuple[str, float]], expected: str | None) -> bool:
        """Whether lingua's trigram-only answer settles a text in the page's language: it agrees and is
        sure (as the guard's `_unsure` means it), the text has no letter that language does not use
        (Swedish ä in an English page: trigrams of six languages read such text as English), and
        most of its words are that language's common words (Basque or Finnish in plain ASCII
        letters also reads as English to those trigrams)."""
        if not (bool(pairs) and pairs[0][0] == expected and expected is not None and not self._unsure(pairs)
                and not self.profile.outside_alphabet(text, expected)):
            return False
        share = common_share(text, expected)
        return share is None or share >= TRIGRAM_COMMON_SHARE

    @staticmethod
    def _unsure(pairs: list[tuple[str, float]]) -> bool:
        top = pairs[0][1]
        second = pairs[1][1] if len(pairs) > 1 else 0.0
        return top < GUARD_BELOW or top - second < GUARD_MARGIN

    def _guard_verdicts(self, texts: list[str]) -> list[str | None]:
        """Per text: the unconfigured language the guard is sure of, else None."""
        if not texts:
            return []
        out = []
        for pairs in self.guard_detector.confidences(texts):
            best = pairs[0] if pairs else None
            out.append(best[0] if best and best[0] not in self.languages and best[1] >= GUARD_CONFIDENCE else None)
        return out

    # -- step 4: document language -----------------------------------------------------------
    def _document_language(self, long_items: list[_Item], items: list[_Item], ctx: DocumentContext) -> str | None:
        long_chars: Counter[str] = Counter()
        for it in long_items:
            if it.language is not None:
                long_chars[it.language] += len(it.text)
        configured = [(lang, n) for lang, n in long_chars.most_common() if lang != UNSUPPORTED]
        if configured:
            return configured[0][0]
        if long_chars:  # only out-of-scope text: say so rather than guess
            return UNSUPPORTED
        hint = self._fallback(ctx)
        if hint:
            return hint
        lettered = [it for it in items if it.script is not None]
        if not lettered:
            return None
        scripts = Counter(it.script for it in lettered)
        script = scripts.most_common(1)[0][0]
        if script is None:
            return None
        route = self.profile.route(script)
        if route.language is not None:
            return route.language
        joined = _cut(" ".join(it.text for it in lettered if it.script == script), DOC_SAMPLE_CHARS)
        decided = self._decided_by_words(joined, route.candidates)
        if decided is not None:
            return decided
        pairs = self._detect(route.candidates, [joined])[0]
        if pairs and pairs[0][1] >= JOINED_TEXT_CONFIDENCE:
            return pairs[0][0]
        return None

    def _fallback(self, ctx: DocumentContext) -> str | None:
        for candidate in (ctx.lang_hint, ctx.metadata.get("html_lang")):
            code = (candidate or "").split("-")[0].split("_")[0].lower()
            if code in self.languages:
                return code
        return None

    # -- step 5: short blocks ----------------------------------------------------------------
    def _identify_short(self, short_items: list[_Item], doc_lang: str | None) -> None:
        doc_script = self.profile.script_of(doc_lang)
        ask = []
        for it in short_items:
            if it.script is None:
                it.language = doc_lang
            elif it.language is not None and not it.suspect:
                continue  # the script or cue letters settled it
            elif doc_lang in (None, UNSUPPORTED) or it.script != doc_script or it.suspect:
                ask.append((it, False))  # nothing to default to: lingua's best guess
            elif self._other_language_cues(it.text, doc_lang):
                ask.append((it, True))  # only a confident answer overrides the document language
            else:
                it.language = doc_lang
        by_candidates: dict[tuple, list] = {}
        for it, need_confidence in ask:
            expected = doc_lang if need_confidence else None  # it stands unless lingua is sure otherwise
            by_candidates.setdefault((it.candidates, expected), []).append((it, need_confidence))
        for (candidates, expected), group in by_candidates.items():
            answers = self._detect(candidates, [it.text for it, _ in group], expected)
            for (it, need_confidence), pairs in zip(group, answers, strict=False):
                if not pairs:
                    it.language = doc_lang
                elif need_confidence and pairs[0][0] != doc_lang and pairs[0][1] < SHORT_BLOCK_CONFIDENCE:
                    it.language = doc_lang
                else:
                    it.language = pairs[0][0]

    def _other_language_cues(self, text: str, doc_lang: str) -> bool:
        """Whether a short block shows signs of a configured language other than the document's."""
        n_words, hits = self.profile.word_hits(text)
        if any(lang != doc_lang for lang in hits) or self.profile.outside_alphabet(text, doc_lang):
            return True
        return doc_lang not in self.profile.with_words  # no word list to go by: ask lingua
