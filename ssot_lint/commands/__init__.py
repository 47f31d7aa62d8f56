"""Subcommands other than ``check``, one module each, collected by ``ssot_lint.cli``.

A module here defines ``command`` (a click command or group). Keep module-level imports
light (click only); import heavy machinery inside the command function so start-up stays
fast for the pre-commit hook.
"""
