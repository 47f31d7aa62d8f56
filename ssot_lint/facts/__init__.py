"""Per-file fact extraction: bytes in, ``FileFacts`` out. Pure and cacheable."""

from ssot_lint.facts.extract import extract_facts

__all__ = ["extract_facts"]
