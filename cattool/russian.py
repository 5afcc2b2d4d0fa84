"""Dates, numbers and plurals as a Russian (and an English) legal letter writes them.

>>> date_long(dt.date(2016, 3, 15), "ru")
'15 марта 2016 г.'
>>> date_quoted(dt.date(2016, 3, 5))
'«05» марта 2016 г.'
>>> count_with_words(15, ("рабочий день", "рабочих дня", "рабочих дней"))
'15 (пятнадцать) рабочих дней'
"""

from __future__ import annotations

import datetime as dt

MONTHS_GENITIVE = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip
MONTHS_PREPOSITIONAL = (
    "январе", "феврале", "марте", "апреле", "мае", "июне",
    "июле", "августе", "сентябре", "октябре", "ноябре", "декабре",
)  # fmt: skip
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

_UNITS = ("ноль", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять")
_UNITS_F = ("ноль", "одна", "две")
_TEENS = (
    "десять", "одиннадцать", "двенадцать", "тринадцать", "четырнадцать", "пятнадцать",
    "шестнадцать", "семнадцать", "восемнадцать", "девятнадцать",
)  # fmt: skip
_TENS = ("", "", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят",
         "восемьдесят", "девяносто")  # fmt: skip
_HUNDREDS = ("", "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот",
             "восемьсот", "девятьсот")  # fmt: skip


def date_long(day: dt.date, lang: str) -> str:
    """'15 марта 2016 г.' in Russian, '15 March 2016' in English."""
    if lang == "ru":
        return f"{day.day} {MONTHS_GENITIVE[day.month - 1]} {day.year} г."
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def date_quoted(day: dt.date) -> str:
    """The date line of a Russian letter: '«05» марта 2016 г.'."""
    return f"«{day.day:02d}» {MONTHS_GENITIVE[day.month - 1]} {day.year} г."


def date_numeric(day: dt.date) -> str:
    """'15.03.2016', as Russian documents cite the date of another document."""
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


def plural(n: int, forms: tuple[str, str, str]) -> str:
    """The Russian plural form for ``n``: (one, few, many), e.g. ('день', 'дня', 'дней')."""
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return forms[0]
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return forms[1]
    return forms[2]


def number_words(n: int, *, feminine: bool = False) -> str:
    """A whole number from 0 to 999 999 in Russian words (nominative case)."""
    if not 0 <= n < 1_000_000:
        raise ValueError(f"number_words covers 0 to 999 999, not {n}")
    if n == 0:
        return _UNITS[0]
    thousands, rest = divmod(n, 1000)
    words: list[str] = []
    if thousands:
        words += _below_thousand(thousands, feminine=True)
        words.append(plural(thousands, ("тысяча", "тысячи", "тысяч")))
    words += _below_thousand(rest, feminine=feminine)
    return " ".join(words)


def _below_thousand(n: int, *, feminine: bool) -> list[str]:
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds:
        words.append(_HUNDREDS[hundreds])
    if 10 <= rest < 20:
        words.append(_TEENS[rest - 10])
        return words
    tens, units = divmod(rest, 10)
    if tens:
        words.append(_TENS[tens])
    if units:
        words.append(_UNITS_F[units] if feminine and units in (1, 2) else _UNITS[units])
    return words


def count_with_words(n: int, forms: tuple[str, str, str], *, feminine: bool = False) -> str:
    """'15 (пятнадцать) рабочих дней': the figure, the words in brackets, the right plural."""
    return f"{n} ({number_words(n, feminine=feminine)}) {plural(n, forms)}"


def days_phrase(n: int, working: bool, lang: str) -> str:
    """A legal deadline: '15 (пятнадцать) рабочих дней' or '15 working days'."""
    if lang == "ru":
        forms = (
            ("рабочий день", "рабочих дня", "рабочих дней") if working else ("день", "дня", "дней")
        )
        return count_with_words(n, forms)
    unit = "working day" if working else "day"
    return f"{n} {unit}{'' if n == 1 else 's'}"


_CASE_ENDINGS = {"acc": ("ую", "у"), "ins": ("ой", "ой")}


def office_head_dative(name: str) -> str | None:
    """'Прокуратура Первомайского района г. Бишкек' -> 'Прокурору Первомайского района г.
    Бишкек', as the addressee of a letter is written; 'Генеральная прокуратура ...' ->
    'Генеральному прокурору ...'. None for a name that is not of that form (the caller asks for
    the addressee in the dative instead of printing the nominative)."""
    words = name.split()
    lowered = [w.lower() for w in words]
    if "прокуратура" not in lowered:
        return None
    noun = lowered.index("прокуратура")
    out = []
    for i, word in enumerate(words):
        if i < noun:
            if not word.lower().endswith("ая"):
                return None
            out.append(word[:-2] + "ому")
        elif i == noun:
            out.append("прокурору")
        else:
            out.append(word)
    out[0] = out[0][0].upper() + out[0][1:]
    return " ".join(out)


def office_case(name: str, case: str) -> str | None:
    """'Прокуратура Чуйской области' in the accusative ('acc': 'прокуратуру Чуйской области')
    or the instrumental ('ins': 'прокуратурой ...'); None for a name that is not of that form.

    Only the words up to 'прокуратура' change (feminine adjectives and the noun); the rest of
    the name is already in the genitive. Anything else (a name written in English, a district
    office typed by hand) gets None, and the template then words the sentence without declining.
    """
    words = name.split()
    lowered = [w.lower() for w in words]
    if "прокуратура" not in lowered:
        return None
    noun = lowered.index("прокуратура")
    adjective_ending, noun_ending = _CASE_ENDINGS[case]
    out = []
    for i, word in enumerate(words):
        if i < noun:
            if not word.lower().endswith("ая"):
                return None
            out.append(word[:-2] + adjective_ending)
        elif i == noun:
            out.append(word[:-1] + noun_ending)
        else:
            out.append(word)
    if noun == 0:  # 'Прокуратура Чуйской области' is not a proper name; 'Генеральная ...' is
        out[0] = out[0][0].lower() + out[0][1:]
    return " ".join(out)
