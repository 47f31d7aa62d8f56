"""ssot-lint: enforce a Python codebase's single-source-of-truth import registry."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
