"""Given names that languages translate rather than transliterate: French, Spanish, Italian,
Polish, Portuguese and German outlets print the local form of many Christian given names
(Александр Лукашенко -> Alexandre Loukachenko in French, Aleksander Łukaszenka in Polish).

Keyed by the Russian, Ukrainian or Belarusian given name; a language missing from an entry
transliterates the name (see cyrillic.py)."""
from __future__ import annotations

_ALEXANDER = {"fr": "Alexandre", "es": "Alejandro", "it": "Alessandro", "pl": "Aleksander", "pt": "Alexandre",
              "de": "Alexander"}
_PETER = {"fr": "Pierre", "es": "Pedro", "it": "Pietro", "pl": "Piotr", "pt": "Pedro", "de": "Peter"}
_PAUL = {"fr": "Paul", "es": "Pablo", "it": "Paolo", "pl": "Paweł", "pt": "Paulo", "de": "Paul"}
_MICHAEL = {"fr": "Michel", "es": "Miguel", "it": "Michele", "pl": "Michał", "pt": "Miguel", "de": "Michael"}
_NICHOLAS = {"fr": "Nicolas", "es": "Nicolás", "it": "Nicola", "pl": "Mikołaj", "pt": "Nicolau", "de": "Nikolaus"}
_ANDREW = {"fr": "André", "es": "Andrés", "it": "Andrea", "pl": "Andrzej", "pt": "André"}
_GEORGE = {"fr": "Georges", "es": "Jorge", "it": "Giorgio", "pl": "Jerzy", "pt": "Jorge", "de": "Georg"}
_JOSEPH = {"fr": "Joseph", "es": "José", "it": "Giuseppe", "pl": "Józef", "pt": "José", "de": "Josef"}
_CATHERINE = {"fr": "Catherine", "es": "Catalina", "it": "Caterina", "pl": "Katarzyna", "de": "Katharina"}
_HELEN = {"fr": "Hélène", "es": "Elena", "it": "Elena", "pl": "Helena", "pt": "Helena", "de": "Helena"}
_MARY = {"fr": "Marie", "es": "María", "it": "Maria", "pl": "Maria", "pt": "Maria", "de": "Maria"}
_SERGE = {"fr": "Serge"}
_JOHN = {"fr": "Jean", "es": "Juan", "it": "Giovanni", "pl": "Jan", "pt": "João", "de": "Johann"}

EQUIVALENTS: dict[str, dict[str, str]] = {
    "александр": _ALEXANDER, "олександр": _ALEXANDER, "аляксандр": _ALEXANDER,
    "пётр": _PETER, "петр": _PETER, "петро": _PETER, "пятро": _PETER,
    "павел": _PAUL, "павло": _PAUL, "павал": _PAUL,
    "михаил": _MICHAEL, "михайло": _MICHAEL, "міхаіл": _MICHAEL,
    "николай": _NICHOLAS, "микола": _NICHOLAS, "мікалай": _NICHOLAS,
    "андрей": _ANDREW, "андрій": _ANDREW, "андрэй": _ANDREW,
    "георгий": _GEORGE, "юрий": _GEORGE, "юрій": _GEORGE,
    "иосиф": _JOSEPH, "йосип": _JOSEPH,
    "екатерина": _CATHERINE, "катерина": _CATHERINE,
    "елена": _HELEN, "олена": _HELEN, "алена": _HELEN,
    "мария": _MARY, "марія": _MARY,
    "сергей": _SERGE, "сергій": _SERGE,
    "иван": _JOHN, "іван": _JOHN,
}


def equivalent(given: str, language: str) -> str | None:
    """The `language` form of a Cyrillic given name, if that language translates it."""
    return EQUIVALENTS.get(given.lower(), {}).get(language)
