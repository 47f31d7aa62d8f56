"""Allow ``python -m ssot_lint``."""

from __future__ import annotations

from ssot_lint.cli import main

if __name__ == "__main__":
    main()
