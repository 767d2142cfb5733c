"""A typed yes or no to one of Vigil's questions: "yep", "sure, go ahead", "nope", "nah".

People answer a yes/no prompt in many short ways besides the word itself: "y"
and "n", "yeah", "yep", "ok", "sure" (prompt libraries added them one by one
after users typed them, e.g. gnuradio/pybombs#182, yaoyuannnn/gerritlab#78,
thephpleague/climate#126, codeforsanjose/BadgeHub#4). Every word of the reply
must be one of these (or a word the question itself names, such as "delete");
a reply with a sure yes and a sure no ("yes no") is neither.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

SURE_YES = frozenset("""yes y yep yeah yea yup ya yas ok okay k kk sure confirm confirmed
absolutely definitely correct right affirmative 👍 ✅""".split())
SURE_NO = frozenset("""no n nope nah nay not don't dont never negative skip leave 👎 ❌""".split())
# Words that lean one way without settling it ("go ahead", "do it", "please"; "hold on").
LEAN_YES = frozenset("go ahead do please pls fine good great perfect sounds".split())
LEAN_NO = frozenset("wait hold".split())
# Words that go with either ("yes that's it", "no thanks", "not now").
SOFT = frozenset("""it that's that is thanks thank you cheers just one this now right away
mind on for the a""".split())
MAX_WORDS = 6


def words_of(text: str) -> list[str]:
    return re.findall(r"[\w']+|[👍👎✅❌]", text.lower().replace("’", "'"))


def reads_as(text: str, yes: Iterable[str] = (), no: Iterable[str] = ()) -> str | None:
    """'yes', 'no' or None: what a short reply says to a yes/no question.

    ``yes`` and ``no`` are the question's own words ("create", "delete"; "keep"):
    they count as a yes or a no, but only a sure yes or no word settles a reply
    that has both ("don't delete it" is a no).
    """
    tokens = words_of(text)
    lean_yes, lean_no = LEAN_YES | set(yes), LEAN_NO | set(no)
    yes_words, no_words = SURE_YES | lean_yes, SURE_NO | lean_no
    if not tokens or len(tokens) > MAX_WORDS:
        return None
    if not all(t in yes_words | no_words | SOFT for t in tokens):
        return None
    said = set(tokens)
    if said & SURE_YES and said & SURE_NO:
        return None
    if said & SURE_NO:
        return "no"
    if said & SURE_YES:
        return "yes"
    has_yes, has_no = bool(said & lean_yes), bool(said & lean_no)
    if has_yes != has_no:
        return "yes" if has_yes else "no"
    return None
