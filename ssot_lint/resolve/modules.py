"""Which first-party modules exist, with the import system's precedence.

A regular package (``a/__init__.py``) beats a module file (``a.py``), which beats a
namespace directory; a module file has no submodules. Nothing is imported: the
answer comes from the discovered file list only.
"""

from __future__ import annotations

from collections.abc import Iterable

from ssot_lint.discover import SourceFile


def _precedence(file: SourceFile) -> tuple[int, str]:
    """Python's ``FileFinder`` tries extension suffixes before ``.py``; a ``.pyx`` becomes
    such an extension when built; a ``.pyi`` is never imported."""
    return (2 if file.is_stub else 1 if not file.is_opaque else 0), file.rel


class ModuleIndex:
    """Module names -> files, for the whole project."""

    def __init__(self, files: Iterable[SourceFile]) -> None:
        self._packages: dict[str, list[SourceFile]] = {}
        self._modules: dict[str, list[SourceFile]] = {}
        self._namespaces: set[str] = set()
        for file in files:
            if file.module is None:
                continue
            target = self._packages if file.is_package else self._modules
            target.setdefault(file.module, []).append(file)
            parts = file.module.split(".")
            for i in range(1, len(parts)):
                self._namespaces.add(".".join(parts[:i]))
        for files_ in (*self._packages.values(), *self._modules.values()):
            files_.sort(key=_precedence)
        self._kinds: dict[str, str | None] = {}  # the index never changes: memoise lookups

    def _own_kind(self, name: str) -> str | None:
        if name in self._packages:
            return "package"
        if name in self._modules:
            return "module"
        if name in self._namespaces:
            return "namespace"
        return None

    def kind(self, name: str) -> str | None:
        """"package", "module", "namespace", or None when ``name`` cannot be imported.

        Walks the prefixes from the top (a name exists only if every parent is a package
        or namespace), iteratively: a dotted name in analysed code may have thousands
        of components.
        """
        try:
            return self._kinds[name]
        except KeyError:
            pass
        found: str | None = "namespace"  # the root admits every top-level name
        end = -1
        while found in ("package", "namespace") and end < len(name):
            end = name.find(".", end + 1)
            if end == -1:
                end = len(name)
            prefix = name[:end]
            try:
                found = self._kinds[prefix]
            except KeyError:
                found = self._kinds[prefix] = self._own_kind(prefix)
        if end < len(name):  # a parent is missing or a plain module: nothing below exists
            found = None
        self._kinds[name] = found
        return found

    def exists(self, name: str) -> bool:
        return self.kind(name) is not None

    def open_namespace(self, name: str) -> bool:
        """Whether ``name`` and every package above it are namespace directories.

        Such a package's ``__path__`` is every same-named directory on ``sys.path``
        (PEP 420): other distributions add portions (``google.protobuf`` beside a
        project's ``google.api_core``), so what is missing below it here may exist at
        run time. Below a regular package (``a/__init__.py``) the path is the package's
        own directory, so a nested namespace there is closed.
        """
        if not name:
            return False
        end = -1
        while True:
            end = name.find(".", end + 1)
            if self.kind(name if end == -1 else name[:end]) != "namespace":
                return False
            if end == -1:
                return True

    def files(self, name: str) -> list[SourceFile]:
        """The files implementing module ``name``, the one the import system loads first
        (a compiled extension, then ``.py``), then the ``.pyi`` stub; [] for namespaces."""
        kind = self.kind(name)
        if kind == "package":
            return self._packages[name]
        if kind == "module":
            return self._modules[name]
        return []

    def first_missing(self, name: str) -> str:
        """The shortest prefix of ``name`` that does not exist (for messages)."""
        parts = name.split(".")
        for i in range(1, len(parts) + 1):
            prefix = ".".join(parts[:i])
            if not self.exists(prefix):
                return prefix
        return name

    def all_modules(self) -> list[str]:
        names = set(self._packages) | set(self._modules) | self._namespaces
        return sorted(n for n in names if self.exists(n))

    def top_level(self) -> set[str]:
        return {name.split(".")[0] for name in (*self._packages, *self._modules)}
