"""Per-file fact extraction: bytes in, ``FileFacts`` out. Pure and cacheable.

The extractor is ``ssot_lint.facts.extract.extract_facts``; this package imports
nothing itself, so naming ``ssot_lint.facts.version`` does not load the parser.
"""
