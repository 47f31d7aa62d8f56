"""The extractor's version: part of every facts cache key.

The cache key also holds a fingerprint of the extractor's and the model's source
(``cache.store._source_fingerprint``), so an edited extractor never reuses facts an
older one produced even if nobody bumps ``FACTS_VERSION``; bumping it remains a way
to say "this release extracts differently" in the key. It lives apart from the
extractor so the cache (and every warm run) can name it without importing the parser.
"""

# 6: expressions nested ~500-1000 deep, where the old reference walk ran out of stack
# and gave no references or classes, now get them (identical facts for everything else).
# 7: definitions say whether they are optional (an ``except ImportError`` stand-in or
# that try's ``else``) and which name a ``Name = other`` alias binds; a ``def``/``class``
# inside ``with pytest.raises(ImportError)`` no longer expects its imports to fail.
# 8: compiled/Cython modules (``opaque``); ``__getattr__ = ...``, ``sys.modules[__name__]``
# replacement and lazy_loader count as dynamic attributes, with the names they serve
# when literal (``getattr_names``, ``getattr_stub``).
FACTS_VERSION = 8
