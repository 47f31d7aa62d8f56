"""What the words of a Markdown registry mean: kinds, canonical/alias markers, dates.

Kept apart from the parser so the vocabulary of the document style is in one place
and can grow without touching the control flow. Checks are ordered: deprecated words
before broken ones (``❌ DEPRECATED:`` is a deprecation) and both before positive ones
(``DEPRECATED BUT WORKING`` is not "working"); alias words before canonical ones
(``SSOT compatibility layer`` is an alias).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable

# Upper-case on purpose: "Compatibility import (deprecated)" marks an alias, while
# "LEGACY IMPORT PATHS (DEPRECATED BUT WORKING)" marks deprecated paths.
DEPRECATED = re.compile(r"⚠️?\s*DEPRECATED|\bLEGACY\b|❌\s*DEPRECATED|\bDEPRECATED\b|❌\s*BEFORE")
BROKEN = re.compile(r"❌|\bBROKEN\b|DO NOT EXIST|\bWRONG\b|DO NOT USE|\bINCORRECT\b")
POSITIVE = re.compile(r"✅|\bVERIFIED\b|\bAVAILABLE\b|\bWORKING\b|\bCORRECT\b|\bCANONICAL\b|"
                      r"\bRECOMMENDED\b|\bSSOT\b", re.IGNORECASE)
ALIAS = re.compile(r"compatib|\balias\b|\bdeprecated\b|\blegacy\b|re-?export", re.IGNORECASE)
CANONICAL = re.compile(r"CANONICAL|RECOMMENDED|Original SSOT|Primary SSOT|\bSSOT\b")
ALIAS_OF = re.compile(r"\balias of\s+([A-Za-z_][\w.]*)")
VERIFIED_DATE = re.compile(r"\bVERIFIED\b[^0-9\n]*?(\d{4}-\d{2}-\d{2})")
VERIFIED_WORD = re.compile(r"\bVERIFIED\b")
UNVERIFIED = "❓"
USE_INSTEAD = re.compile(r"^(?:USE INSTEAD|✅\s*CORRECTED|CORRECTED)\s*:\s*(.+)$", re.IGNORECASE)
HINT = re.compile(r"^HINT\s*:\s*(.+)$")
BEFORE = re.compile(r"❌\s*BEFORE")
AFTER = re.compile(r"✅\s*(?:AFTER|CORRECT\b)", re.IGNORECASE)
# Comment lines that describe a problem rather than classify the imports below them.
DESCRIPTIVE = re.compile(r"^(?:ISSUE|ROOT CAUSE|GOLDEN PATH TEST|BUSINESS IMPACT|SOLUTION)\s*:")
_MARKS = re.compile(r"^(?:[❌⚠️✅❓\s]|BROKEN PATH\b|BROKEN\b|DEPRECATED\b|[:\-–—])+")
# A comment that *is* an import after a marker: ``❌ DEPRECATED: from x import Y``.
MARKED_IMPORT = re.compile(r"^(?P<mark>[^a-z]*?(?:DEPRECATED|BROKEN|WRONG|LEGACY)[^:]*):\s*"
                           r"(?P<code>(?:from|import)\s.+)$")
# A section label in capitals ("THESE PATHS DO NOT EXIST", "BEFORE (fragmented)",
# "LEGACY IMPORT PATHS (DEPRECATED BUT WORKING)"): it classifies, it explains nothing.
_PARENS = re.compile(r"\([^)]*\)")
_BEFORE_AFTER = re.compile(r"^(?:BEFORE|AFTER)\b[^a-z]*(?:\([^)]*\))?\s*$")
_LABEL_WORDS = re.compile(r"\b(?:BEFORE|AFTER|LEGACY|DEPRECATED|BROKEN|WRONG|DO NOT|"
                          r"VERIFIED|WORKING|CORRECT(?:ED)?|PATHS?|IMPORTS?)\b")


def kind_of(texts: Iterable[str]) -> str | None:
    """"deprecated", "broken" or "verified" from the first text that says so."""
    for text in texts:
        if not text:
            continue
        if DEPRECATED.search(text):
            return "deprecated"
        if BROKEN.search(text):
            return "broken"
        if POSITIVE.search(text):
            return "verified"
    return None


def marker_of(texts: Iterable[str]) -> str | None:
    """"canonical" or "alias" from the first comment that marks one."""
    for text in texts:
        if not text:
            continue
        if ALIAS.search(text):
            return "alias"
        if CANONICAL.search(text):
            return "canonical"
    return None


def verified_of(texts: Iterable[str]) -> _dt.date | bool | None:
    """A date from "VERIFIED 2025-09-11", True for a bare "VERIFIED", False for ❓."""
    for text in texts:
        match = VERIFIED_DATE.search(text)
        if match:
            try:
                return _dt.date.fromisoformat(match.group(1))
            except ValueError:
                continue
        if UNVERIFIED in text:
            return False
        if VERIFIED_WORD.search(text):
            return True
    return None


def is_label(text: str) -> bool:
    """A capitalised section label (decoration), not an explanation."""
    outside = _PARENS.sub("", text)
    return not any(c.islower() for c in outside) and bool(_LABEL_WORDS.search(outside))


def _clean(text: str, labels: bool = True) -> str:
    """The text without markers; "" for a section label (``labels``) or a BEFORE/AFTER tag."""
    cleaned = _MARKS.sub("", text).strip().rstrip(":").strip()
    if cleaned.startswith("(") and cleaned.endswith(")") and cleaned.count("(") == 1:
        cleaned = cleaned[1:-1].strip()  # "DEPRECATED (remove by Q4)" -> "remove by Q4"
    if _BEFORE_AFTER.match(cleaned) or (labels and is_label(cleaned)):
        return ""
    return cleaned


def reason_of(trailing: str, block: list[str] | tuple[str, ...] = ()) -> str | None:
    """The explanation a human wrote: the import's own trailing comment without its
    markers, else the lines of the comment block above it that explain something
    (section labels such as "❌ BEFORE (fragmented):" are decoration, not reasons)."""
    own = _clean(trailing, labels=False)  # "❌ WRONG MODULE" on the import itself says why
    if own:
        return own
    lines = [c for c in (_clean(line) for line in block) if c]
    return " ".join(lines) or None
