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


def shown_hidden(walk: Walk) -> set:
    """Hidden elements whose text counts as page text (empty unless TUNING.keep_hidden_prose)."""
    if not TUNING.keep_hidden_prose:
        return set()
    infos = walk.infos
    hidden = [any(infos[el].hidden for el in raw.chain) for raw in walk.raws]
    if not any(hidden):
        return set()
    # A hidden copy of visible text (an accessibility or print version of the page) adds nothing.
    visible = {raw.text for raw, h in zip(walk.raws, hidden, strict=True) if not h}
    chars: dict = {}
    prose: dict = {}
    paragraphs: dict = {}
    for raw, h in zip(walk.raws, hidden, strict=True):
        if not h:
            continue
        new_prose = raw.prose and raw.text not in visible
        for el in raw.chain:
            if infos[el].hidden:
                chars[el] = chars.get(el, 0) + raw.chars
                if new_prose:
                    prose[el] = prose.get(el, 0) + raw.chars
                    paragraphs[el] = paragraphs.get(el, 0) + 1
    return {el for el, n in chars.items() if paragraphs.get(el, 0) >= TUNING.hidden_min_paragraphs
            and _is_prose_holder(el, infos[el], n, prose.get(el, 0))}


def _is_prose_holder(el, info, chars: int, prose: int) -> bool:
    if info.hint_reason or info.class_weight < 0 or el.tag in _CHROME_TAGS:
        return False
    if (el.get("role") or "").strip().lower() in _CHROME_ROLES:
        return False
    return prose >= TUNING.prose_min_length and prose >= TUNING.hidden_prose_share * chars
