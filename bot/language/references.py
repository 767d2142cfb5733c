"""Which task a person means by title words: typo-tolerant, in any word order (issue #12).

Pure: titles in, ranked candidates out. Filler words ("the", "task", "please")
and emoji are ignored; every remaining word of the reference must be close to
some word of the title (rapidfuzz's ratio, so "filng" finds "filing" and "the
Acme filing" finds "Q3 filing for Acme"). A clear winner is one candidate;
several close ones are all returned, so the caller can offer one button each.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Levenshtein

WORD_SCORE = 80  # how close a written word must be to a title word (0-100)
# Two neighbouring letters swapped ("yaer" for "year", "paryoll") is the commonest typo on a
# phone; ratio scores it as two edits (75 for a 4-letter word), so a single swap in a word of
# 4+ letters scores this instead. A changed letter ("pack"/"back") stays at ratio's 75.
SWAP_SCORE = 85
CLEAR_LEAD = 8  # a winner this far ahead of the next candidate is the one meant
PREFILTER = 200  # titles kept by the quick whole-text pass before word-by-word scoring
FILLER = frozenset(
    """the a an my our your their his her its this that these those task tasks job item one
    for of on to in with and please pls thanks now today already""".split()
)
_EMOJI_RE = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f]+")
_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)


@dataclass(frozen=True)
class Candidate:
    """A task id and how well its title matches (0-100)."""

    task_id: int
    score: float


def words_of(text: str) -> list[str]:
    """The significant words of a reference or title, lower-case, fillers and emoji dropped."""
    found = _WORD_RE.findall(_EMOJI_RE.sub(" ", text.lower()))
    kept = [w for w in found if w not in FILLER]
    return kept or found


def score(reference_words: Sequence[str], title: str) -> float:
    """0 unless every reference word is near a title word; else the mean closeness."""
    title_words = words_of(title)
    if not reference_words or not title_words:
        return 0.0
    total = 0.0
    for word in reference_words:
        best = max(_closeness(word, t) for t in title_words)
        if best < WORD_SCORE:
            return 0.0
        total += best
    coverage = min(1.0, len(reference_words) / len(title_words))
    return total / len(reference_words) * (0.9 + 0.1 * coverage)


def _closeness(word: str, title_word: str) -> float:
    ratio = fuzz.ratio(word, title_word)
    if ratio < SWAP_SCORE and len(word) >= 4 and len(word) == len(title_word) \
            and OSA.distance(word, title_word) == 1 and Levenshtein.distance(word, title_word) == 2:
        return float(SWAP_SCORE)  # one transposition, nothing else
    return ratio


def rank(reference: str, titles: Iterable[tuple[int, str]], limit: int = 5) -> list[Candidate]:
    """The tasks the reference may mean, best first: one when it is clear, else the close ones."""
    ref_words = words_of(reference)
    by_id = dict(titles)
    # A quick pass in C over every title keeps the plausible ones; each is then scored word
    # by word (a workspace may hold thousands of open tasks).
    shortlist = process.extract(" ".join(ref_words), by_id, scorer=fuzz.WRatio,
                                processor=str.lower, limit=PREFILTER, score_cutoff=40)
    scored = sorted(
        (Candidate(task_id, s) for _, _, task_id in shortlist
         if (s := score(ref_words, by_id[task_id])) > 0),
        key=lambda c: -c.score,
    )
    if len(scored) > 1 and scored[0].score - scored[1].score >= CLEAR_LEAD:
        return scored[:1]
    best = scored[0].score if scored else 0.0
    return [c for c in scored if best - c.score < CLEAR_LEAD][:limit]
