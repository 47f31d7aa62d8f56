"""Pure values shared by every stage: facts, registry, findings, configuration.

Only the standard library is used here, so every other layer can depend on it.
"""
