"""Regenerate bot/language/given_names.py from Faker's first-name lists (MIT).

Run with Faker importable (it is not a dependency of Vigil), e.g.
``pip install --target /tmp/faker faker && PYTHONPATH=/tmp/faker:. python bench/given_names.py``.
Only Latin-script locales: a name typed as ``add Sam`` is compared letter for letter.
A name of another language that is a common English word ("Floor", "Server", "Till") is
left out, so ``add Floor`` stays a task; English-speaking countries' names are kept even
when they are words ("Grace", "Bill": Vigil asks). The English words are the lower-case
entries of Debian's wamerican list (``apt-get install wamerican``).
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

LOCALES = ("en_US en_GB en_IE en_IN en_NZ en_KE en_NG en_PK es_ES es_MX fr_FR de_DE it_IT "
           "pt_BR nl_NL pl_PL hi_IN tr_TR sv_SE da_DK no_NO fi_FI ga_IE id_ID vi_VN yo_NG "
           "ig_NG ha_NG sw zu_ZA tw_GH").split()
ATTRS = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")
WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ'\-]{2,20}")
ENGLISH = ("en_US", "en_GB", "en_IE", "en_NZ")
WORDS = Path("/usr/share/dict/words")
OUT = Path(__file__).resolve().parent.parent / "bot" / "language" / "given_names.py"
HEADER = '''"""Given names in Latin script, lower-case (made by bench/given_names.py; do not edit).

From Faker's person providers of {count} locales (see bench/given_names.py), which are
Copyright (c) 2012 Daniele Faraglia, MIT licence, less the common English
words among other languages' names. Used to tell "add Sam" (a name:
Vigil asks whether it is a task or a person to invite) from "add Payroll".
"""

from __future__ import annotations

NAMES = frozenset("""
'''


def collect() -> list[str]:
    """Every first name of the locales, lower-case, sorted."""
    words = {w for w in WORDS.read_text(encoding="utf-8").split() if w.islower()}
    names: set[str] = set()
    for locale in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attr in ATTRS:
            for name in getattr(provider, attr, None) or ():
                low = name.lower()
                if WORD.fullmatch(name) and name[0].isupper() and (
                        locale in ENGLISH or low not in words):
                    names.add(low)
    return sorted(names)


def also_words(names: list[str]) -> list[str]:
    """The names that are common English words too ("bill", "grace"): lower-case, work."""
    words = {w for w in WORDS.read_text(encoding="utf-8").split() if w.islower()}
    return sorted(set(names) & words)


def main() -> None:
    names = collect()
    OUT.write_text(HEADER.format(count=len(LOCALES)) + "\n".join(names)
                   + '\n""".split())\n\n# Also common English words: typed lower-case ("add bill") '
                   'they are work.\nALSO_WORDS = frozenset("""\n' + "\n".join(also_words(names))
                   + '\n""".split())\n', encoding="utf-8")
    print(f"{len(names)} names -> {OUT}")


if __name__ == "__main__":
    main()
