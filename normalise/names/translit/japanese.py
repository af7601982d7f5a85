"""Japanese names from their kana reading into Kunrei-shiki (ISO 3602: Sinzô, Tyôsyû) and into
Russian by Polivanov's system (Синдзо Абэ, Исиба Сигэру), the first half of the double
transliteration through Russian. Hepburn forms are made by scripts.japanese_variants."""
from __future__ import annotations

# Kana -> (Hepburn consonant, vowel); small ya/yu/yo and sokuon are handled by _morae.
_ROWS = {
    "": "あいうえお", "k": "かきくけこ", "s": "さしすせそ", "t": "たちつてと", "n": "なにぬねの", "h": "はひふへほ",
    "m": "まみむめも", "r": "らりるれろ", "g": "がぎぐげご", "z": "ざじずぜぞ", "d": "だぢづでど", "b": "ばびぶべぼ",
    "p": "ぱぴぷぺぽ",
}
_KANA: dict[str, tuple[str, str]] = {}
for _cons, _row in _ROWS.items():
    for _kana, _vowel in zip(_row, "aiueo", strict=True):
        _KANA[_kana] = (_cons, _vowel)
_KANA.update({"や": ("y", "a"), "ゆ": ("y", "u"), "よ": ("y", "o"), "わ": ("w", "a"), "を": ("", "o"),
              "ぁ": ("", "a"), "ぃ": ("", "i"), "ぅ": ("", "u"), "ぇ": ("", "e"), "ぉ": ("", "o")})
_YOON = {"ゃ": "a", "ゅ": "u", "ょ": "o"}

# Kunrei-shiki writes each row with its own consonant (si, ti, tu, hu, zi; sya, tya, zya).
# Polivanov: consonant and vowel letters; a palatal mora takes the iotated vowel (кя, ся, тё).
_POLIVANOV_CONS = {"": "", "k": "к", "s": "с", "t": "т", "n": "н", "h": "х", "m": "м", "r": "р", "g": "г",
                   "z": "дз", "d": "д", "b": "б", "p": "п", "y": "", "w": "в"}
_POLIVANOV_VOWEL = {"a": "а", "i": "и", "u": "у", "e": "э", "o": "о"}
_POLIVANOV_IOTATED = {"a": "я", "i": "и", "u": "ю", "e": "э", "o": "ё"}


def _morae(kana: str) -> list[tuple[str, str, bool, bool]]:
    """(row consonant, vowel, palatal, doubled) per mora; "N" is the moraic n."""
    text = "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in kana)
    out: list[tuple[str, str, bool, bool]] = []
    double = False
    for ch in text:
        if ch == "っ":
            double = True
        elif ch == "ん":
            out.append(("N", "", False, False))
        elif ch in _YOON and out:
            cons = out[-1][0]
            out[-1] = (cons, _YOON[ch], True, out[-1][3])
        elif ch == "ー" and out:
            out.append(("", out[-1][1], False, False))
        elif ch in _KANA:
            cons, vowel = _KANA[ch]
            out.append((cons, vowel, False, double))
            double = False
        else:
            raise ValueError(f"not a kana reading: {kana!r} ({ch!r})")
    return out


def _long(vowels: list[str], i: int) -> bool:
    """Mora i lengthens the vowel before it (ou, oo, uu, ei is written as is)."""
    return i > 0 and vowels[i] in ("u", "o") and vowels[i - 1] == "o" or (i > 0 and vowels[i] == "u" == vowels[i - 1])


def kunrei(kana: str, *, circumflex: bool = False) -> str:
    """Kunrei-shiki, long o and u written once (or with a circumflex): しんぞう -> sinzo / sinzô."""
    morae = _morae(kana)
    vowels = [m[1] for m in morae]
    out: list[str] = []
    for i, (cons, vowel, palatal, double) in enumerate(morae):
        if cons == "N":
            out.append("n")
            continue
        if not cons and _long(vowels, i) and out:
            if circumflex:
                out[-1] = out[-1][:-1] + {"o": "ô", "u": "û"}[out[-1][-1]]
            continue
        c = {"d": "z"}.get(cons, cons) if vowel in ("i", "u") and cons == "d" else cons
        c = "" if c == "w" and vowel != "a" else c
        piece = c + ("y" if palatal else "") + vowel
        if double:
            piece = piece[0] + piece
        out.append(piece)
    return "".join(out)


def polivanov(kana: str, *, glide: bool = True) -> str:
    """Russian (Polivanov) spelling of one kana word: いしば -> Исиба, しんぞう -> Синдзо. An い
    after a vowel is й inside a word part (Мэйдзи, Кайфу) but и across parts (Коидзуми):
    `glide=False` gives the second reading, since kana do not show where parts meet."""
    morae = _morae(kana)
    vowels = [m[1] for m in morae]
    out: list[str] = []
    for i, (cons, vowel, palatal, double) in enumerate(morae):
        nxt = morae[i + 1][0] if i + 1 < len(morae) else ""
        if cons == "N":
            vowel_next = i + 1 < len(morae) and morae[i + 1][0] in ("", "y")
            out.append("м" if nxt in ("b", "p", "m") else "нъ" if vowel_next else "н")
            continue
        if not cons and _long(vowels, i) and out:
            continue  # long vowels are not marked
        if glide and not cons and vowel == "i" and i > 0 and vowels[i - 1] and morae[i - 1][0] != "N":
            out.append("й")  # い after a vowel: Мэйдзи, Кайфу
            continue
        c = _POLIVANOV_CONS[cons]
        iotated = palatal or cons == "y" or (cons in ("s", "t", "z", "d") and vowel == "i")
        if cons == "t" and vowel == "u" and not palatal:
            c = "ц"
        if cons == "h" and vowel == "u":
            c = "ф"
        if cons == "d" and vowel in ("i", "u"):
            c = "дз"
        if cons == "s" and vowel == "i" or cons == "t" and vowel == "i":
            piece = c + "и"
        else:
            piece = c + (_POLIVANOV_IOTATED if iotated and (palatal or cons == "y") else _POLIVANOV_VOWEL)[vowel]
        if double and c:
            piece = c[0] + piece
        out.append(piece)
    word = "".join(out)
    return word[:1].upper() + word[1:]


def japanese_extra(kana_family: str, kana_given: str) -> dict[str, str]:
    """Western-order Kunrei forms and the Russian (Polivanov) form, given name first as English
    and Russian news write it."""
    return {"kunrei": f"{kunrei(kana_given).capitalize()} {kunrei(kana_family).capitalize()}",
            "kunrei_circumflex": f"{kunrei(kana_given, circumflex=True).capitalize()} "
                                 f"{kunrei(kana_family, circumflex=True).capitalize()}",
            "polivanov": f"{polivanov(kana_given)} {polivanov(kana_family)}",
            "polivanov_vowel": f"{polivanov(kana_given, glide=False)} {polivanov(kana_family, glide=False)}"}
