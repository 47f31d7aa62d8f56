"""Find the project's Python files and give each its module name.

Discovery never follows a symlink out of the project and never descends into a
symlinked directory (so loops cannot happen); it honours ``.gitignore`` files at every
level (with ``pathspec``, the standard implementation of git's wildmatch rules),
the configured ``exclude`` patterns and a list of directories that are never source.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pathspec

from ssot_lint.errors import ConfigError, RegistryError
from ssot_lint.fspath import link_problem, real_path
from ssot_lint.model.config import DEFAULT_EXCLUDES

PY_SUFFIXES = (".py", ".pyi")
# Modules whose names cannot be read: compiled extensions (``foo.so``, ``foo.abi3.so``,
# ``foo.cpython-311-x86_64-linux-gnu.so``, ``foo.pyd``, ``foo.cp311-win_amd64.pyd``) and
# Cython sources (``foo.pyx``, compiled to such a module by the build). They exist for
# resolution (and are graph nodes) but are never read.
OPAQUE_SUFFIXES = (".so", ".pyd", ".pyx")
MODULE_SUFFIXES = PY_SUFFIXES + OPAQUE_SUFFIXES
UNWATCHABLE = "\0"  # in discover()'s ``watch``: the walk cannot be replayed


@dataclass(frozen=True)
class SourceFile:
    """A discovered file: absolute path, path relative to the root, and module name."""

    path: Path
    rel: str  # POSIX, relative to the project root
    module: str | None  # None when not under a source root or not importable by name
    is_package: bool  # an __init__ file
    # The package of a file whose own name is not importable (``migrations/0002_x.py``):
    # such files are loaded by path, but their relative imports still work.
    package: str | None = None

    @property
    def is_stub(self) -> bool:
        return self.path.suffix == ".pyi"

    @property
    def is_opaque(self) -> bool:
        """A compiled extension or Cython source: a module whose names are unknown."""
        return self.path.suffix in OPAQUE_SUFFIXES


def _spec(lines: list[str]) -> pathspec.GitIgnoreSpec:
    spec = pathspec.GitIgnoreSpec.from_lines(lines)
    for pattern in spec.patterns:
        regex = getattr(pattern, "regex", None)
        if isinstance(regex, re.Pattern) and isinstance(regex.pattern, str):
            pattern.regex = _linear(regex)  # the spec matches with its patterns' regexes
    return spec


_STAR = "[^/]*"  # pathspec's regex for a ``*`` inside a path segment


def _fixed_width(piece: str) -> bool:
    """Whether ``piece`` (regex text) is a run of atoms that each match exactly one
    character other than "/": escaped or plain literals and character classes."""
    atoms = _atoms(piece)
    if not atoms:
        return False
    for atom in atoms:
        if atom[0] == "(" or atom[-1] in "?*+" or atom in ("^", "$", ".", "/"):
            return False
        try:
            if re.fullmatch(atom, "/") is not None:
                return False
        except re.error:
            return False
    return True


def _linear(regex: re.Pattern[str]) -> re.Pattern[str]:
    """``regex`` rewritten so that a pattern with many ``*`` matches in polynomial time.

    pathspec turns ``*a*a*a*a*a*a*a*a*a*b`` into ``[^/]*a[^/]*a...[^/]*b``, which
    ``re`` backtracks through in time exponential in the number of stars (229 s for a
    55-character name); git's wildmatch does not. Between two stars, the first place
    where the characters in between (a fixed-width run that cannot match "/") fit is
    always as good as any later one, because the next star can absorb the difference;
    so each ``*RUN`` followed by another star is matched once, lazily, and committed to
    (``(?=(?P<g>[^/]*?RUN))(?P=g)``: a lookahead's match is never revisited). Every
    pattern keeps its meaning (a property test compares with pathspec's own regexes).
    """
    text = regex.pattern
    atoms = _atoms(text)
    if text.count(_STAR) < 2 or atoms is None or atoms.count(_STAR) != text.count(_STAR):
        return regex  # fewer than two stars, or a star inside a group: left as it is
    pieces = text.split(_STAR)
    out = [pieces[0]]
    for index, piece in enumerate(pieces[1:], start=1):
        if index < len(pieces) - 1 and _fixed_width(piece):
            out.append(f"(?=(?P<ssot_{index}>{_STAR}?{piece}))(?P=ssot_{index})")
        else:
            out.append(_STAR + piece)
    try:
        return re.compile("".join(out), regex.flags)
    except re.error:
        return regex


def _is_pattern(line: str) -> bool:
    try:
        _spec([line])
    except (ValueError, re.error):  # pathspec's GitIgnorePatternError is a ValueError
        return False
    return True


# -- the one glob helper for root-relative paths -----------------------------------
# ``exclude``, ``per-file-ignores``, a registry entry's ``paths`` and
# ``policy.duplicate_exclude`` are all gitignore-style globs over root-relative paths;
# they match through these, so every one of them means the same as in .gitignore and
# none can stall a run on a many-star pattern (``_linear``).

def is_path_glob(pattern: str) -> bool:
    """Whether ``pattern`` is a valid gitignore-style glob."""
    return _is_pattern(pattern)


@lru_cache(maxsize=256)
def path_globs(globs: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    """``globs`` compiled once per process (they come from configuration)."""
    return _spec(list(globs))


def path_matches(globs: tuple[str, ...], rel: str) -> bool:
    """Whether root-relative POSIX path ``rel`` matches any of ``globs`` (a glob without
    ``/`` matches at any depth, as in .gitignore)."""
    return bool(globs) and bool(path_globs(globs).match_file(rel))


def _gitignore_spec(lines: list[str]) -> pathspec.GitIgnoreSpec:
    """A ``.gitignore``'s patterns; like git, a line that is no valid pattern (``!``, a
    lone ``\\``, ``[z-a]``) is skipped rather than failing the run."""
    try:
        return _spec(lines)
    except (ValueError, re.error):
        return _spec([line for line in lines if _is_pattern(line)])


def _exclude_spec(exclude: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    """The default and configured excludes; a bad configured pattern is a user error."""
    bad = [pattern for pattern in exclude if not _is_pattern(pattern)]
    if bad:
        raise ConfigError(f"invalid exclude pattern {bad[0]!r}: not a gitignore-style pattern")
    return _spec(list(DEFAULT_EXCLUDES) + list(exclude))


# One ignore spec applied below one directory: how many characters of a probe to cut
# (the directory's own "a/b/" prefix), an optional cheap pre-check and pathspec's exact
# ``match_file``.
_Rule = tuple[int, Callable[[str], object] | None, Callable[[str], bool]]


def _atoms(regex: str) -> list[str] | None:
    """Split ``regex`` into its top-level atoms (each with its quantifier), every group made
    non-capturing so that several patterns' ``(?P<ps_d>...)`` groups can share one regex.

    Only the small part of Python's syntax that pathspec emits is understood: literals,
    escaped punctuation, character classes, ``(``, ``(?:`` and ``(?P<name>`` groups,
    ``? * +`` with an optional lazy ``?``, ``^ $ .`` and ``|`` inside groups. Anything else
    (``\\d``, back-references, look-arounds, inline flags, ``{m,n}``, a top-level ``|``)
    returns None and the caller falls back to plain pathspec matching, so an unknown
    construct is never rewritten. Character classes end where ``re`` ends them: a ``]``
    right after ``[`` or ``[^`` is a literal, a backslash escapes the next character.
    """
    atoms: list[str] = []
    group: list[str] = []  # tokens of the top-level group being read
    depth = 0
    i, n = 0, len(regex)
    while i < n:
        char = regex[i]
        if char in "?*+":
            end = i + 1
            if end < n and regex[end] == "?":
                end += 1  # lazy; same set of matches
            if end < n and regex[end] in "?*+{":
                return None  # possessive (3.11+) or a syntax error
            if depth:
                group.append(regex[i:end])
            elif atoms:
                atoms[-1] += regex[i:end]
            else:
                return None
            i = end
            continue
        if char == "\\":
            if i + 1 >= n or (regex[i + 1].isascii() and regex[i + 1].isalnum()):
                return None  # \d, \1, \x41, \A ... are not one literal character
            token = regex[i:i + 2]
            i += 2
        elif char == "[":
            end = i + 1
            if end < n and regex[end] == "^":
                end += 1
            if end < n and regex[end] == "]":
                end += 1
            while end < n and regex[end] != "]":
                end += 2 if regex[end] == "\\" else 1
            if end >= n:
                return None
            token = regex[i:end + 1]
            i = end + 1
        elif char == "(":
            if regex.startswith("(?:", i):
                i += 3
            elif regex.startswith("(?P<", i):
                end = regex.find(">", i)
                if end < 0:
                    return None
                i = end + 1
            elif regex.startswith("(?", i):
                return None
            else:
                i += 1
            depth += 1
            group.append("(?:")
            continue
        elif char == ")":
            if not depth:
                return None
            depth -= 1
            group.append(")")
            i += 1
            if depth:
                continue
            token = "".join(group)
            group = []
        elif char in "{}" or (char == "|" and not depth):
            return None
        else:
            token = char
            i += 1
        if depth:
            group.append(token)
        else:
            atoms.append(token)
    return None if depth else atoms


def _alternation(branches: list[list[str]]) -> str:
    """One regex that matches wherever any branch (a list of atoms) matches.

    Branches that start with the same atom share it, since ``P(?:A|B)`` matches exactly
    what ``PA|PB`` matches. That matters for speed, not meaning: ``re`` retries every
    branch from the start, so the ``^(?:.+/)?`` that begins every unanchored gitignore
    pattern would otherwise be scanned once per pattern.
    """
    firsts: dict[str, list[list[str]]] = {}
    ends = False
    for atoms in branches:
        if atoms:
            firsts.setdefault(atoms[0], []).append(atoms[1:])
        else:
            ends = True
    parts = [first + _alternation(rest) for first, rest in firsts.items()]
    if ends:
        parts.append("")
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


def _prefilter(regexes: list[re.Pattern[str]]) -> Callable[[str], object] | None:
    """A single regex search that finds a match whenever any of ``regexes`` would.

    pathspec tries a spec's compiled patterns one by one (``regex.match`` in 0.12,
    ``regex.search`` in 1.x); about 6,000 probes times 19 default excludes made that the
    largest cost of discovery. None when the patterns cannot be combined safely.
    """
    flags = {regex.flags for regex in regexes}
    if len(flags) != 1 or not all(isinstance(regex.pattern, str) for regex in regexes):
        return None
    (flag,) = flags
    if flag & (re.MULTILINE | re.VERBOSE):
        return None  # ``^`` or whitespace would mean something else
    branches = []
    for regex in regexes:
        atoms = _atoms(regex.pattern)
        if atoms is None:
            return None
        branches.append(atoms)
    try:
        with warnings.catch_warnings():
            # pathspec already warned about e.g. a possible nested set; don't repeat it.
            warnings.simplefilter("error")
            for atom in {atom for atoms in branches for atom in atoms if atom[0] in "[("}:
                re.compile(atom, flag)  # a class or group cut in the wrong place won't compile
            combined = re.compile(_alternation(branches), flag)
    except (re.error, RecursionError, Warning):  # RecursionError: thousands of atoms
        return None
    # Without MULTILINE a leading ``^`` only matches at 0, so there search == match.
    anchored = all(atoms and atoms[0] == "^" for atoms in branches)
    return combined.match if anchored else combined.search


def _rule(spec: pathspec.GitIgnoreSpec, cut: int) -> _Rule | None:
    """How to apply ``spec`` cheaply but exactly; None when it can never ignore anything.

    ``spec.match_file`` is True only when the deciding pattern is an include pattern, so
    a path that no include pattern matches is not ignored; the pre-check rules out
    those paths (most of them) with one regex search, and pathspec still decides every
    other path, including negations and directory-only patterns.
    """
    patterns = list(spec.patterns)
    includes = [pattern for pattern in patterns if pattern.include]
    if not includes:
        return None  # empty, comments only, or only ``!negations``
    regexes = [regex for pattern in includes
               if isinstance(regex := getattr(pattern, "regex", None), re.Pattern)]
    quick = _prefilter(regexes) if len(regexes) == len(includes) else None
    return (cut, quick, spec.match_file)


def _importable(name: str) -> bool:
    """Could ``name`` (a directory or a module file's stem) be a module's last part?"""
    return name.isidentifier() and name != "__pycache__"


def _ignored(probe: str, rules: tuple[_Rule, ...]) -> bool:
    """Whether any rule ignores ``probe`` (a relative path, "/"-terminated for a
    directory), each rule seeing the probe relative to its own directory."""
    for cut, quick, match in rules:
        sub = probe[cut:] if cut else probe
        if (quick is None or quick(sub)) and match(sub):
            return True
    return False


def _read_gitignore(path: Path) -> pathspec.GitIgnoreSpec | None:
    from ssot_lint.files import read_bytes

    try:  # a FIFO or device named .gitignore is not read (nor waited for)
        lines = read_bytes(path).decode("utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return _gitignore_spec(lines)


def module_name(rel_to_root: Path) -> tuple[str | None, bool]:
    """Module name for a path relative to its source root (None if not importable)."""
    parts = rel_to_root.parts
    if not parts:
        return None, False
    module, is_package, _ = _names(*_package_of(parts[:-1]), parts[-1])
    return module, is_package


def _package_of(dirs: Sequence[str]) -> tuple[str | None, bool]:
    """The dotted package for directories below a source root (None if there are none
    or one is no identifier), and whether all of them are identifiers."""
    importable = all(part.isidentifier() for part in dirs)
    return (".".join(dirs) if dirs and importable else None), importable


def _names(package: str | None, importable: bool,
           filename: str) -> tuple[str | None, bool, str | None]:
    """Module name, whether the file is an ``__init__``, and the package of a file whose
    own name is not importable, for ``filename`` in a directory that ``_package_of``
    described (discovery computes that once per directory, not once per file)."""
    stem = _stem(filename)
    if stem == "__init__":
        return package, True, None
    if importable and stem.isidentifier():
        return (f"{package}.{stem}" if package else stem), False, None
    return None, False, package


def _stem(filename: str) -> str:
    """The module name a file provides: ``foo`` for ``foo.py`` and for every compiled
    extension's ``foo.<platform tag>.so`` (the import system strips the whole tag)."""
    if filename.endswith((".so", ".pyd")):
        return filename.split(".", 1)[0]
    return filename.rsplit(".", 1)[0]


def check_source_roots(root: Path, source_roots: tuple[str, ...]) -> None:
    """Raise ``RegistryError`` unless every source root is a directory inside ``root``
    (otherwise every first-party import would look unresolved, which misleads)."""
    root = real_path(root)
    for source_root in sorted(source_roots):
        problem = link_problem(root / source_root)
        if problem:
            raise RegistryError(f"source root {source_root!r} {problem}; fix [project] "
                                "source_roots in the registry", key="project.source_roots")
    bad = sorted(r for r in source_roots
                 if not (root / r).is_dir() or not real_path(root / r).is_relative_to(root))
    if bad:
        raise RegistryError(f"source root {bad[0]!r} is not a directory inside the project root "
                            f"{root.as_posix()}; fix [project] source_roots in the registry",
                            key="project.source_roots")


def discover(root: Path, source_roots: tuple[str, ...], *, exclude: tuple[str, ...] = (),
             respect_gitignore: bool = True, follow_links: bool = False,
             watch: list[str] | None = None,
             unlisted: list[tuple[str, str]] | None = None,
             excluded: list[str] | None = None) -> list[SourceFile]:
    """All Python files under ``root``, sorted by relative path, with module names.

    Walks with ``os.scandir`` and plain strings because this runs on every file and
    directory of the project: each entry's type comes from the listing itself (no stat
    per entry), a ``.gitignore`` is only read where the listing shows one, and only the
    files found become ``Path`` objects. ``os.walk`` used to do the walk; its rules are
    kept: a directory that cannot be listed is skipped, an entry whose type cannot be
    read counts as a file, and a symlinked directory is never entered (``follow_links``
    only admits symlinked files whose target lies outside the project).

    ``watch``, if given, receives every path whose ``stat`` the result depends on:
    each directory listed (or found unlistable) and each ``.gitignore`` read; or
    ``UNWATCHABLE`` for what no stat can vouch for (a symlinked file, whose target
    may change anywhere). ``discover_memo`` replays a walk while they all stand.

    ``unlisted``, if given, receives ``(rel_dir, reason)`` for each directory that
    exists but cannot be listed (no read permission): its files are unknown, so the
    caller must say so and must not call its modules missing. Such a walk is never
    replayed (its result depends on permissions, which no mtime records).

    ``excluded``, if given, receives the relative path of each excluded entry that
    could be imported as a module: a directory with an identifier for a name
    (``"pip/_internal/operations/build/"``, pruned by the default ``build`` exclude) or
    a module file, without its suffix (``"app/local_settings"`` for a ``local_settings.py``
    ignored by git). Not analysed does not
    mean absent: imports of their modules are unknown, never missing (``Project.hidden``).
    """
    root = real_path(root)
    base = _rule(_exclude_spec(exclude), 0)
    check_source_roots(root, source_roots)
    roots = sorted({real_path(root / r) for r in source_roots}, key=lambda p: (-len(p.parts), p))
    # Each source root as the "a/b/" prefix of the relative paths under it ("" for the
    # project root), deepest first as in ``roots``. pathlib compares case-insensitively
    # on Windows, so there every file goes through the Path-based ``_source_file``.
    prefixes = None if os.name == "nt" else [
        "".join(part + "/" for part in r.relative_to(root).parts) for r in roots]
    found: list[SourceFile] = []
    stack: list[tuple[str, str, tuple[_Rule, ...]]] = [
        (str(root), "", (base,) if base else ())]
    while stack:
        directory, rel_dir, rules = stack.pop()  # rel_dir: "" or "a/b/"
        if watch is not None:
            watch.append(directory)
        dirs: list[os.DirEntry[str]] = []
        files: list[os.DirEntry[str]] = []
        gitignore = None
        try:
            with os.scandir(directory) as listing:
                for entry in listing:
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        is_dir = False
                    if is_dir:
                        try:  # the listing's type, usually without a stat
                            link = entry.is_symlink()
                        except OSError:  # pathlib's answer, as before: same errors ignored
                            link = Path(entry.path).is_symlink()
                        if not link:
                            dirs.append(entry)
                    elif (name := entry.name).endswith(MODULE_SUFFIXES):
                        files.append(entry)
                    elif name == ".gitignore" and respect_gitignore:
                        gitignore = entry.path
        except FileNotFoundError:
            continue  # vanished while being walked
        except OSError as exc:  # exists, cannot be listed: reported, never taken as empty
            if unlisted is not None:
                unlisted.append((rel_dir or "./", exc.strerror or str(exc)))
            if watch is not None:
                watch.append(UNWATCHABLE)
            continue
        if gitignore is not None:
            if watch is not None:
                watch.append(gitignore)
            spec = _read_gitignore(Path(gitignore))
            rule = _rule(spec, len(rel_dir)) if spec is not None else None
            if rule is not None:
                rules = (*rules, rule)
        for entry in dirs:
            rel = rel_dir + entry.name + "/"
            if not _ignored(rel, rules):
                stack.append((entry.path, rel, rules))
            elif excluded is not None and _importable(entry.name):
                excluded.append(rel)
        dir_path: Path | None = None
        where: tuple[str | None, bool] | None = None
        for entry in files:
            rel = rel_dir + entry.name
            if _ignored(rel, rules):
                if excluded is not None and _importable(stem := _stem(entry.name)):
                    excluded.append(rel_dir + stem)
                continue
            try:
                regular = entry.is_file()
            except OSError:  # e.g. a symlink loop: let pathlib decide, as discovery always did
                regular = Path(entry.path).is_file()
            if not regular:
                continue  # a FIFO, socket or device named *.py: reading it could block forever
            if dir_path is None:
                dir_path = Path(directory)
                where = _where(rel_dir, prefixes) if prefixes is not None else None
            full = dir_path / entry.name
            try:
                link = entry.is_symlink()
            except OSError:
                link = full.is_symlink()
            if link:
                if watch is not None:  # a link's target may change anywhere: never replayed
                    watch.append(UNWATCHABLE)
                try:
                    target = full.resolve(strict=True)
                except (OSError, RuntimeError):
                    continue  # dangling link or loop
                if not follow_links and root not in target.parents:
                    continue
            if prefixes is None:
                found.append(_source_file(full, rel, roots))
            elif where is None:  # under no source root
                found.append(SourceFile(path=full, rel=rel, module=None,
                                        is_package=_stem(entry.name) == "__init__"))
            else:
                module, is_package, package = _names(*where, entry.name)
                found.append(SourceFile(path=full, rel=rel, module=module, is_package=is_package,
                                        package=package))
    found.sort(key=lambda f: f.rel)
    return found


def _where(rel_dir: str, prefixes: list[str]) -> tuple[str | None, bool] | None:
    """``_package_of`` for the files directly in ``rel_dir`` ("" or "a/b/"), below the
    first (deepest) source root that holds them; None when no source root does. A file
    is under a root exactly when its directory is, as prefixes end with "/"."""
    for prefix in prefixes:
        if rel_dir.startswith(prefix):
            return _package_of(rel_dir[len(prefix):].split("/")[:-1])
    return None


def _source_file(full: Path, rel: str, roots: list[Path]) -> SourceFile:
    for source_root in roots:
        try:
            inner = full.relative_to(source_root)
        except ValueError:
            continue
        if not inner.parts:
            return SourceFile(path=full, rel=rel, module=None, is_package=False)
        module, is_package, package = _names(*_package_of(inner.parts[:-1]), inner.parts[-1])
        return SourceFile(path=full, rel=rel, module=module, is_package=is_package,
                          package=package)
    return SourceFile(path=full, rel=rel, module=None, is_package=_stem(full.name) == "__init__")


def source_file_for(path: Path, root: Path, source_roots: tuple[str, ...]) -> SourceFile:
    """Describe one explicitly named file (which may lie outside the project)."""
    full = real_path(path)
    try:
        rel = full.relative_to(real_path(root)).as_posix()
    except ValueError:
        return SourceFile(path=full, rel=path.as_posix(), module=None,
                          is_package=full.stem == "__init__")
    roots = sorted({real_path(root / r) for r in source_roots}, key=lambda p: (-len(p.parts), p))
    return _source_file(full, rel, roots)
