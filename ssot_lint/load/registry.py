"""Read and validate the registry: one TOML file or a directory of them.

All problems found in a registry are collected and raised together (``MultiError``)
so one run shows every mistake, each with its file, line and key.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

from ssot_lint.errors import MultiError, RegistryError, SsotLintError
from ssot_lint.files import read_text, reason
from ssot_lint.fspath import link_problem, not_regular, real_path
from ssot_lint.load.toml_lines import (
    LineIndex,
    TOMLDecodeError,
    decode_error_line,
    load_toml,
    toml_key,
)
from ssot_lint.model.registry import (
    ALLOW_CONTEXTS,
    FIX_MODES,
    RULE_STATUSES,
    SCOPES,
    SEVERITIES,
    Contract,
    IgnoredImport,
    Layers,
    Origin,
    Pattern,
    Policy,
    Registry,
    RuleEntry,
    Service,
    Status,
    SymbolEntry,
    is_module_glob,
    match_entry,
)

TOP_KEYS = ("version", "project", "policy", "symbols", "broken", "deprecated", "services",
            "layers", "contracts", "patterns")
PROJECT_KEYS = ("packages", "source_roots")
POLICY_CHOICES: dict[str, tuple[str, ...]] = {
    "relative_imports": ("allow", "forbid"),
    "type_checking_imports": ("check", "ignore"),
    "unregistered_imports": ("ignore", "warn"),
    "guarded_imports": ("warn", "error", "ignore"),
    "cycle_imports": ("eager", "all"),
}
SYMBOL_KEYS = ("aliases", "verified", "note")
RULE_KEYS = ("use_instead", "reason", "hint", "docs", "severity", "allow_in", "paths", "fix",
              "scope")
SERVICE_KEYS = ("packages", "may_import", "public", "reason", "owner", "ignore_imports")
LAYER_KEYS = ("name", "order", "reason", "owner", "ignore_imports", "exhaustive")
CONTRACT_KEYS = ("name", "kind", "source", "forbidden", "allow_indirect", "reason", "owner",
                 "ignore_imports")
PATTERN_KEYS = ("call", "when", "hint", "use_instead", "severity")
PATTERN_WHEN = ("always", "no-args", "has-args", "positional", "keyword")


def is_dotted_path(value: str) -> bool:
    """True for ``a.b.C``-style paths made of Python identifiers."""
    return bool(value) and all(part.isidentifier() for part in value.split("."))


class _Reader:
    """Validates one parsed TOML document, collecting errors instead of stopping."""

    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.lines = LineIndex(text)
        self.errors: list[SsotLintError] = []

    def origin(self, *path: Any) -> Origin:
        return Origin(self.file, self.lines.line_of(*path))

    def error(self, message: str, *path: Any) -> None:
        key = toml_key(*(str(p) for p in path if not isinstance(p, int))) or None
        self.errors.append(RegistryError(message, file=self.file, line=self.lines.line_of(*path),
                                         key=key))

    # -- typed getters -------------------------------------------------------------
    def table(self, value: Any, *path: Any) -> dict[str, Any]:
        if isinstance(value, dict):
            return value
        self.error(f"expected a table, got {type(value).__name__}", *path)
        return {}

    def unknown(self, table: dict[str, Any], allowed: tuple[str, ...], *path: Any) -> None:
        for key in table:
            if key not in allowed:
                self.error(f"unknown key {key!r}; expected one of: {', '.join(allowed)}",
                           *path, key)

    def string(self, table: dict[str, Any], key: str, *path: Any,
               choices: tuple[str, ...] | None = None) -> str | None:
        value = table.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.error(f"expected a string, got {type(value).__name__}", *path, key)
            return None
        if choices is not None and value not in choices:
            self.error(f"{value!r} is not one of: {', '.join(choices)}", *path, key)
            return None
        return value

    def strings(self, table: dict[str, Any], key: str, *path: Any,
                dotted: bool = False, choices: tuple[str, ...] | None = None) -> tuple[str, ...]:
        value = table.get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            hint = f' (write ["{value}"])' if isinstance(value, str) else ""
            self.error(f"expected a list of strings{hint}", *path, key)
            return ()
        for item in value:
            if dotted and not is_dotted_path(item):  # "*" belongs only in may_import
                self.error(f"{item!r} is not a dotted import path", *path, key)
            if choices is not None and item not in choices:
                self.error(f"{item!r} is not one of: {', '.join(choices)}", *path, key)
        return tuple(value)

    def ignored_imports(self, table: dict[str, Any], *path: Any) -> tuple[IgnoredImport, ...]:
        """``ignore_imports = ["a.b -> c.d", "a.* -> c.**"]`` as ``IgnoredImport`` values."""
        found: list[IgnoredImport] = []
        origin = self.origin(*path, "ignore_imports")
        for text in self.strings(table, "ignore_imports", *path):
            sides = [side.strip() for side in text.split("->")]
            if len(sides) != 2 or not all(is_module_glob(side) for side in sides):
                self.error(f"{text!r} is not \"importer -> imported\" (dotted module names; "
                           "a segment may be * or **)", *path, "ignore_imports")
                continue
            found.append(IgnoredImport(text, sides[0], sides[1], origin))
        return tuple(found)

    def path_key(self, key: str, *path: Any) -> bool:
        if is_dotted_path(key):
            return True
        self.error(f"{key!r} is not a dotted import path of Python identifiers", *path, key)
        return False

    # -- sections --------------------------------------------------------------------
    def read(self, data: dict[str, Any]) -> dict[str, Any]:
        """Return the validated sections as model values (merged later across files)."""
        if not data:
            self.errors.append(RegistryError(
                "the registry is empty; start it with `version = 1` (or generate one with "
                "`ssot-lint registry init`)", file=self.file, line=1))
        self.unknown(data, TOP_KEYS)
        if "version" not in data:
            if data:
                self.errors.append(RegistryError(
                    "missing `version = 1` (the registry format version) at the top of the file",
                    file=self.file, line=1, key="version"))
        elif type(data["version"]) is not int or data["version"] != 1:  # not True, not 1.0
            self.error(f"unsupported registry version {data['version']!r}; this ssot-lint "
                       "reads version 1 (an integer)", "version")
        out: dict[str, Any] = {"project": {}, "policy": {}, "symbols": {}, "broken": {},
                               "deprecated": {}, "services": {}, "layers": [], "contracts": [],
                               "patterns": []}
        project = self.table(data.get("project", {}), "project")
        self.unknown(project, PROJECT_KEYS, "project")
        for key in PROJECT_KEYS:
            if key in project:
                out["project"][key] = self.strings(project, key, "project",
                                                   dotted=(key == "packages"))
        policy = self.table(data.get("policy", {}), "policy")
        self.unknown(policy, tuple(POLICY_CHOICES) + ("duplicate_exclude",), "policy")
        for key, choices in POLICY_CHOICES.items():
            value = self.string(policy, key, "policy", choices=choices)
            if value is not None:
                out["policy"][key] = value
        if "duplicate_exclude" in policy:
            out["policy"]["duplicate_exclude"] = self.strings(policy, "duplicate_exclude", "policy")
        for path, raw in self.table(data.get("symbols", {}), "symbols").items():
            if self.path_key(path, "symbols") and not self.unquoted("symbols", path, raw):
                out["symbols"][path] = self.symbol(path, raw)
        for kind in RULE_STATUSES:
            for path, raw in self.table(data.get(kind, {}), kind).items():
                if self.path_key(path, kind) and not self.unquoted(kind, path, raw):
                    out[kind][path] = self.rule_entry(kind, path, raw)
        for name, raw in self.table(data.get("services", {}), "services").items():
            out["services"][name] = self.service(name, raw)
        for key, reader in (("layers", self.layer), ("contracts", self.contract),
                            ("patterns", self.pattern)):
            items = data.get(key, [])
            if not isinstance(items, list):
                self.error(f"expected an array of tables ([[{key}]])", key)
                continue
            for index, raw in enumerate(items):
                item = reader(index, raw)
                if item is not None:
                    out[key].append(item)
        return out

    def unquoted(self, section: str, path: str, raw: Any) -> bool:
        """``[broken.app.old]`` (unquoted) is a nested table, not the path "app.old"."""
        if not isinstance(raw, dict) or not any(isinstance(v, dict) for v in raw.values()):
            return False
        parts = [path]
        while isinstance(raw, dict) and len(raw) == 1 and isinstance(next(iter(raw.values())),
                                                                      dict):
            key = next(iter(raw))
            parts.append(key)
            raw = raw[key]
        dotted = ".".join(parts)
        self.error(f"TOML reads this as nested tables, not as the path {dotted!r}; quote it: "
                   f"[{section}.\"{dotted}\"]", section, *parts)
        return True

    def symbol(self, path: str, raw: Any) -> SymbolEntry:
        table = self.table(raw, "symbols", path)
        self.unknown(table, SYMBOL_KEYS, "symbols", path)
        if "." not in path:
            self.error("a symbol path needs a module and a name (module.Name)", "symbols", path)
        verified = table.get("verified")
        if isinstance(verified, (_dt.date, _dt.datetime)):
            verified_text: str | None = verified.isoformat()
        elif verified is False:
            verified_text = "false"
        elif verified is None or verified is True:
            verified_text = None if verified is None else "true"
        elif isinstance(verified, str):
            verified_text = verified
        else:
            self.error("expected a date, true or false", "symbols", path, "verified")
            verified_text = None
        self.string(table, "note", "symbols", path)
        return SymbolEntry(path=path, aliases=self.strings(table, "aliases", "symbols", path,
                                                           dotted=True),
                           verified=verified_text, origin=self.origin("symbols", path))

    def rule_entry(self, kind: Status, path: str, raw: Any) -> RuleEntry:
        table = self.table(raw, kind, path)
        self.unknown(table, RULE_KEYS, kind, path)
        use_instead = self.string(table, "use_instead", kind, path)
        if use_instead is not None and not is_dotted_path(use_instead):
            self.error(f"{use_instead!r} is not a dotted import path", kind, path, "use_instead")
        default_severity = "error" if kind == Status.BROKEN else "warning"
        return RuleEntry(
            path=path, kind=kind, use_instead=use_instead,
            reason=self.string(table, "reason", kind, path),
            hint=self.string(table, "hint", kind, path),
            docs=self.string(table, "docs", kind, path),
            severity=self.string(table, "severity", kind, path, choices=SEVERITIES)
            or default_severity,
            allow_in=self.strings(table, "allow_in", kind, path, choices=ALLOW_CONTEXTS),
            paths=self.strings(table, "paths", kind, path),
            fix=self.string(table, "fix", kind, path, choices=FIX_MODES) or "auto",
            scope=self.string(table, "scope", kind, path, choices=SCOPES),
            origin=self.origin(kind, path),
        )

    def service(self, name: str, raw: Any) -> Service:
        table = self.table(raw, "services", name)
        self.unknown(table, SERVICE_KEYS, "services", name)
        packages = self.strings(table, "packages", "services", name, dotted=True)
        if not packages:
            self.error("a service needs at least one package (packages = [\"...\"])",
                       "services", name)
        return Service(name=name, packages=packages,
                       may_import=self.strings(table, "may_import", "services", name),
                       public=self.strings(table, "public", "services", name, dotted=True),
                       reason=self.string(table, "reason", "services", name),
                       owner=self.string(table, "owner", "services", name),
                       origin=self.origin("services", name),
                       ignore_imports=self.ignored_imports(table, "services", name))

    def layer(self, index: int, raw: Any) -> Layers | None:
        table = self.table(raw, "layers", index)
        self.unknown(table, LAYER_KEYS, "layers", index)
        order = self.strings(table, "order", "layers", index, dotted=True)
        if len(order) < 2:
            self.error("a layer stack needs at least two modules in 'order' (highest first)",
                       "layers", index, "order")
        if len(set(order)) != len(order):
            self.error("a module appears twice in 'order'", "layers", index, "order")
        return Layers(name=self.string(table, "name", "layers", index) or f"layers #{index + 1}",
                      order=order, reason=self.string(table, "reason", "layers", index),
                      owner=self.string(table, "owner", "layers", index),
                      origin=self.origin("layers", index),
                      ignore_imports=self.ignored_imports(table, "layers", index),
                      exhaustive=self.flag(table, "exhaustive", "layers", index))

    def flag(self, table: dict[str, Any], key: str, section: str, index: int) -> bool:
        """A true/false key (false when absent)."""
        value = table.get(key, False)
        if not isinstance(value, bool):
            self.error("expected true or false", section, index, key)
            return False
        return value

    def contract(self, index: int, raw: Any) -> Contract | None:
        table = self.table(raw, "contracts", index)
        self.unknown(table, CONTRACT_KEYS, "contracts", index)
        kind = self.string(table, "kind", "contracts", index, choices=("forbidden",)) or "forbidden"
        source = self.strings(table, "source", "contracts", index, dotted=True)
        forbidden = self.strings(table, "forbidden", "contracts", index, dotted=True)
        if not source or not forbidden:
            self.error("a contract needs 'source' and 'forbidden' module lists",
                       "contracts", index)
        allow_indirect = self.flag(table, "allow_indirect", "contracts", index)
        return Contract(name=self.string(table, "name", "contracts", index)
                        or f"contract #{index + 1}", kind=kind, source=source,
                        forbidden=forbidden, allow_indirect=allow_indirect,
                        reason=self.string(table, "reason", "contracts", index),
                        owner=self.string(table, "owner", "contracts", index),
                        origin=self.origin("contracts", index),
                        ignore_imports=self.ignored_imports(table, "contracts", index))

    def pattern(self, index: int, raw: Any) -> Pattern | None:
        table = self.table(raw, "patterns", index)
        self.unknown(table, PATTERN_KEYS, "patterns", index)
        call = self.string(table, "call", "patterns", index)
        if not call or not is_dotted_path(call):
            self.error("a pattern needs 'call', the dotted path of the callable", "patterns", index)
            return None
        when = self.string(table, "when", "patterns", index) or "always"
        head, colon, arg = when.partition(":")
        valid_arg = {"positional": arg.isdigit() and int(arg or 0) > 0,
                     "keyword": arg.removeprefix("!").isidentifier()}.get(head, not colon)
        if head not in PATTERN_WHEN or not valid_arg:
            self.error(f"{when!r} is not a call shape; use one of: always, no-args, has-args, "
                       "positional:N, keyword:NAME, keyword:!NAME", "patterns", index, "when")
        return Pattern(call=call, when=when, hint=self.string(table, "hint", "patterns", index),
                       use_instead=self.string(table, "use_instead", "patterns", index),
                       severity=self.string(table, "severity", "patterns", index,
                                            choices=SEVERITIES) or "warning",
                       origin=self.origin("patterns", index))


def _read_file(path: Path, display: str) -> tuple[dict[str, Any], list[SsotLintError]]:
    problem = not_regular(path)
    if problem:
        return {}, [RegistryError(f"registry file {problem}; remove it or make it a file",
                                  file=display)]
    try:
        text = read_text(path)
    except (OSError, UnicodeDecodeError) as exc:
        return {}, [RegistryError(f"cannot read registry: {reason(exc)}", file=display)]
    try:
        data = load_toml(text)
    except TOMLDecodeError as exc:
        return {}, [RegistryError(f"invalid TOML: {exc}", file=display,
                                  line=decode_error_line(exc, text))]
    reader = _Reader(display, text)
    return reader.read(data), reader.errors


def registry_files(path: Path) -> list[Path]:
    """The TOML files making up a registry path (a file, or a directory's ``*.toml``).

    In a directory, a ``*.toml`` entry that is not a regular file -- a dangling or
    looping symbolic link, a FIFO, a directory -- is listed too, so that loading reports
    it: ignoring it would silently drop part of the registry.
    """
    if path.is_dir():
        return sorted(path.glob("*.toml"))
    return [path]


def load_registry(path: Path, display_base: Path | None = None) -> Registry:
    """Load, merge and validate a registry; raise ``MultiError`` listing every problem."""
    problem = link_problem(path)
    if problem:
        raise RegistryError(f"the registry path {problem}; fix it or pass --registry PATH",
                            file=str(path))
    if not path.exists():
        raise RegistryError(f"registry not found: {path}. Create one (see `ssot-lint registry "
                            "init`) or pass --registry PATH.", file=str(path))
    files = registry_files(path)
    if not files:
        raise RegistryError("registry directory contains no *.toml files", file=str(path))
    errors: list[SsotLintError] = []
    merged: dict[str, Any] = {"project": {}, "policy": {}, "symbols": {}, "broken": {},
                              "deprecated": {}, "services": {}, "layers": [], "contracts": [],
                              "patterns": []}
    seen_in: dict[tuple[str, str], Origin] = {}
    for file in files:
        display = _display(file, display_base)
        data, file_errors = _read_file(file, display)
        errors.extend(file_errors)
        if not data:
            continue
        for section in ("project", "policy", "symbols", "broken", "deprecated", "services"):
            for key, value in data[section].items():
                previous = seen_in.get((section, key))
                if (previous is not None and merged[section][key] != value
                        and not _same_entry(merged[section][key], value)):
                    errors.append(RegistryError(
                        f"[{section}] {key!r} is declared differently in {previous} and in "
                        f"this file; keep one", file=display,
                        line=getattr(value, "origin", Origin(display)).line,
                        key=toml_key(section, key)))
                    continue
                if previous is None:
                    seen_in[(section, key)] = getattr(value, "origin", Origin(display))
                    merged[section][key] = value
        for section in ("layers", "contracts", "patterns"):
            for item in data[section]:  # the same declaration in two files counts once
                if not any(_same_entry(kept, item) for kept in merged[section]):
                    merged[section].append(item)
    registry = Registry(
        packages=tuple(merged["project"].get("packages", ())),
        source_roots=tuple(merged["project"].get("source_roots", ())) or (".",),
        policy=Policy(**merged["policy"]),
        symbols=merged["symbols"], broken=merged["broken"], deprecated=merged["deprecated"],
        services=merged["services"], layers=tuple(merged["layers"]),
        contracts=tuple(merged["contracts"]), patterns=tuple(merged["patterns"]),
        files=tuple(_display(f, display_base) for f in files),
    )
    errors.extend(_contradictions(registry))
    errors.sort(key=lambda e: (e.file or "", e.line or 0))  # stable: same line keeps order
    if errors:
        raise MultiError(errors) if len(errors) > 1 else errors[0]
    return registry


def _same_entry(a: Any, b: Any) -> bool:
    """Equal apart from where they were declared."""
    if hasattr(a, "origin") and hasattr(b, "origin"):
        from dataclasses import replace
        return bool(replace(a, origin=b.origin) == b)
    return bool(a == b)


def _display(path: Path, base: Path | None) -> str:
    """``path`` relative to ``base``; a linked registry file is named by its own entry
    (a dangling ``b.toml -> nowhere.toml`` is reported as ``b.toml``)."""
    if base is not None:
        try:
            # the entry's own name: a symbolic link is shown as itself, not its target
            return (real_path(path.parent) / path.name).relative_to(real_path(base)).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def _err(message: str, origin: Origin, *key: str) -> RegistryError:
    return RegistryError(message, file=origin.file, line=origin.line, key=toml_key(*key))


def _contradictions(registry: Registry) -> list[SsotLintError]:
    """Cross-entry checks: a path cannot be both canonical and broken, and so on."""
    errors: list[SsotLintError] = []
    alias_owner: dict[str, str] = {}
    for path, entry in sorted(registry.symbols.items()):
        if path in registry.broken:
            errors.append(_err(f"{path!r} is registered as canonical and as broken "
                               f"(at {registry.broken[path].origin}); remove one",
                               entry.origin, "symbols", path))
        for alias in entry.aliases:
            if alias == path:
                errors.append(_err(f"{path!r} lists itself as an alias", entry.origin,
                                   "symbols", path))
            elif alias in registry.symbols:
                errors.append(_err(f"alias {alias!r} is also a canonical symbol "
                                   f"(at {registry.symbols[alias].origin})", entry.origin,
                                   "symbols", path))
            elif alias in alias_owner:
                errors.append(_err(f"alias {alias!r} is also an alias of {alias_owner[alias]!r}",
                                   entry.origin, "symbols", path))
            elif alias in registry.broken:
                errors.append(_err(f"alias {alias!r} is also registered as broken "
                                   f"(at {registry.broken[alias].origin})", entry.origin,
                                   "symbols", path))
            alias_owner.setdefault(alias, path)
    for path, rule_entry in sorted(registry.deprecated.items()):
        if path in registry.broken:
            errors.append(_err(f"{path!r} is both deprecated and broken "
                               f"(at {registry.broken[path].origin}); keep one",
                               rule_entry.origin, "deprecated", path))
    for kind, entries in registry.rule_sections():
        for path, rule_entry in sorted(entries.items()):
            if rule_entry.use_instead and rule_entry.use_instead == path:
                errors.append(_err(f"use_instead points at the {kind} path itself",
                                   rule_entry.origin, kind, path))
    errors.extend(_use_instead_cycles(registry))
    owners: dict[str, str] = {}
    for name, service in sorted(registry.services.items()):
        for target in service.may_import:
            if target == name:
                errors.append(_err(f"service {name!r} lists itself in may_import (a service "
                                   "may always import itself)", service.origin,
                                   "services", name))
            elif target != "*" and target not in registry.services:
                errors.append(_err(f"may_import names unknown service {target!r}; known: "
                                   f"{', '.join(sorted(registry.services))}",
                                   service.origin, "services", name))
        for package in service.packages:
            if package in owners:
                errors.append(_err(f"package {package!r} belongs to services {owners[package]!r} "
                                   f"and {name!r}", service.origin, "services", name))
            owners[package] = name
    return errors


def _use_instead_cycles(registry: Registry) -> list[SsotLintError]:
    """``use_instead`` advice that leads back to where it started (A -> B -> A).

    Following it never ends, so ``fix`` could not apply it and every finding would
    send the reader in a circle. A target is followed like an import: the entry for
    it or its longest prefix, the rest of the path carried over. One error per cycle,
    at its first entry in sorted order; each entry is walked once (linear time).
    """
    entries = {**registry.deprecated, **registry.broken}
    errors: list[SsotLintError] = []
    done: set[str] = set()
    for start in sorted(entries):
        chain = [start]
        target = entries[start].use_instead
        while target:
            entry = match_entry(entries, target)
            if entry is None or entry.path in done:
                break
            if entry.path in chain:
                cycle = chain[chain.index(entry.path):]
                first = min(cycle)
                itself = cycle == [first] and entries[first].use_instead == first  # reported
                if not itself:
                    turn = cycle.index(first)
                    cycle = cycle[turn:] + cycle[:turn]
                    errors.append(_err(
                        "use_instead leads in a circle: " + " -> ".join([*cycle, first])
                        + "; point one of them at the real replacement",
                        entries[first].origin, entries[first].kind, first))
                break
            chain.append(entry.path)
            if entry.use_instead is None:
                break
            target = entry.use_instead + target[len(entry.path):]
        done.update(chain)
    return errors
