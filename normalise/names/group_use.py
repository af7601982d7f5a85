"""A family's or movement's name spelt as a person's surname (Houthi rebels, the Houthis, the
Assad regime): English uses the bare surname for the group, so the person's full surname with
its particle (al-Houthi, al-Assad) is not meant there."""
from __future__ import annotations

from normalise.names.text import Token

# Nouns a family's or movement's name stands before as a modifier: the group, its members, its
# rule and what it holds or does. A verb after the name (Assad fled) is the person.
GROUP_NOUNS = frozenset("""
    rebel rebels insurgent insurgents insurgency militant militants militia militias fighters forces troops
    movement movements group groups faction loyalists supporters followers members delegation delegates
    leader leaders leadership officials official spokesman spokeswoman spokesperson negotiators
    regime government authorities administration rule era dynasty family families clan clans tribe
    attack attacks strikes missiles drones territory territories areas strongholds positions control
""".split())


def group_use(text: str, toks: list[Token], end_tok: int, original: str, written: str) -> str | None:
    """Why the one-word surname `written` (the span `original`, ending before token `end_tok`)
    names a group here, or None: a plural (the Houthis), or before a group noun (Houthi rebels,
    the Assad regime) or a hyphened modifier (Houthi-held, Assad-era)."""
    if original != written and original[len(written):] == "s":
        return f"{original}: the plural of a surname names a family or a group"
    if end_tok >= len(toks):
        return None
    gap = text[toks[end_tok - 1].end:toks[end_tok].start]
    nxt = toks[end_tok].text
    if not nxt.islower():
        return None
    if gap == "-":
        return f"{written}-{nxt}: a surname in a compound modifier names a family or a group"
    if gap.strip() == "" and nxt in GROUP_NOUNS:
        return f"{written} {nxt}: a surname before a group noun names a family or a group"
    return None
