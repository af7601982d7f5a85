"""Hidden elements whose text is article prose (a collapsed story body behind a "read more"
toggle, a tab, an inline display:none a script flips on load).

Pages hide chrome too (menus, modals, cookie dialogs, templates), so only a hidden element with no
structural hint and no negative class/id ("modal", "popup"), not a dialog or menu, whose text is
mostly prose (several paragraphs, not one notice) not shown elsewhere on the page is shown; whether
its text is the article is then decided like any other text (container choice, block hints).
"""
from __future__ import annotations

from normalise.extract.tuning import TUNING
from normalise.extract.walker import Walk

_CHROME_TAGS = frozenset(("dialog", "menu", "nav", "aside", "footer", "header", "form"))
_CHROME_ROLES = frozenset(("dialog", "alertdialog", "menu", "menubar", "navigation", "banner", "tooltip"))


def shown_hidden(walk: Walk) -> tuple[set, set]:
    """(hidden elements whose text counts as page text, those of them whose chrome hints are naming
    accidents); both empty unless TUNING.keep_hidden_prose or TUNING.keep_hidden_story."""
    if not (TUNING.keep_hidden_prose or TUNING.keep_hidden_story):
        return set(), set()
    infos = walk.infos
    hidden_els = {el for el, info in infos.items() if info.hidden}
    if not hidden_els:  # (most pages: no block's chain need be read)
        return set(), set()
    hidden = [not hidden_els.isdisjoint(raw.chain) for raw in walk.raws]
    if not any(hidden):
        return set(), set()
    # A hidden copy of visible text (an accessibility or print version of the page) adds nothing.
    visible = {raw.text for raw, h in zip(walk.raws, hidden, strict=True) if not h}
    chars: dict = {}
    prose: dict = {}
    paragraphs: dict = {}
    visible_prose = hidden_prose = 0
    for raw, h in zip(walk.raws, hidden, strict=True):
        if not h:
            visible_prose += raw.chars if raw.prose else 0
            continue
        # A gallery's captions are hidden until their slide shows: prose, but never the story.
        new_prose = raw.prose and raw.text not in visible and not _in_picture_frame(raw.chain, infos)
        hidden_prose += raw.chars if new_prose else 0
        for el in raw.chain:
            if infos[el].hidden:
                chars[el] = chars.get(el, 0) + raw.chars
                if new_prose:
                    prose[el] = prose.get(el, 0) + raw.chars
                    paragraphs[el] = paragraphs.get(el, 0) + 1
    shown = {el for el, n in chars.items() if TUNING.keep_hidden_prose and paragraphs.get(el, 0) >= TUNING.hidden_min_paragraphs
             and not _chrome(el, infos[el]) and _mostly_prose(n, prose.get(el, 0))}
    story: set = set()
    # Most of the page's prose hidden (a story hidden paragraph by paragraph, "subscriber-only"):
    # every hidden prose element is the story, whatever its class says.
    if TUNING.keep_hidden_story and hidden_prose >= TUNING.hidden_story_share * (hidden_prose + visible_prose):
        story = {el for el, n in chars.items() if not _chrome_tag(el) and _mostly_prose(n, prose.get(el, 0))}
    return shown | story, story


def _in_picture_frame(chain: tuple, infos: dict) -> bool:
    """Inside a caption, a <figure> or a picture/video frame (class "gallery", "photo", "slideshow")."""
    return any(infos[el].is_caption or infos[el].is_media or el.tag in ("figure", "figcaption") for el in chain)


def _chrome(el, info) -> bool:
    return bool(info.hint_reason) or info.class_weight < 0 or _chrome_tag(el)


def _chrome_tag(el) -> bool:
    return el.tag in _CHROME_TAGS or (el.get("role") or "").strip().lower() in _CHROME_ROLES


def _mostly_prose(chars: int, prose: int) -> bool:
    return prose >= TUNING.prose_min_length and prose >= TUNING.hidden_prose_share * chars
