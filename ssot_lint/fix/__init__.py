"""``ssot-lint fix``: the only part of ssot-lint that writes source files.

Fixes stay data (``Edit`` values on findings) until this package turns them into one
libcst rewrite per file (``imports``, ``rename``), proves the result is safe
(``verify``) and writes it atomically (``source``). ``run`` drives the whole thing.
"""
