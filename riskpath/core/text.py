"""Text as a person sees it: without invisible characters, with one kind of space."""

from __future__ import annotations

import re
import unicodedata

# Unicode's "format" characters (zero-width spaces and joiners, word joiner, byte-order
# mark, soft hyphen, bidirectional controls, tag characters), controls, and the
# "default-ignorable" fillers that render as nothing though they are not format characters.
_INVISIBLE_CATEGORIES = {"Cf", "Cc", "Co", "Cn", "Cs"}
_FILLERS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800", "\u034f", "\u180e"}
_SPACES = re.compile(r"\s+")
_LETTERS = re.compile(r"[^\W\d_]+")


def visible(text: str) -> str:
    """``text`` normalised (NFKC, so a non-breaking or ideographic space is a space), with
    every invisible character removed and each run of whitespace made one space."""
    text = unicodedata.normalize("NFKC", text or "")
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace()
        or (unicodedata.category(ch) not in _INVISIBLE_CATEGORIES and ch not in _FILLERS)
    )
    return _SPACES.sub(" ", kept).strip()


def words(text: str) -> list[str]:
    """The words of ``text``: runs of letters at least two long that are not one letter
    repeated ("aaaa"), lower-cased."""
    return [
        w.casefold() for w in _LETTERS.findall(text) if len(w) >= 2 and len(set(w.casefold())) > 1
    ]
