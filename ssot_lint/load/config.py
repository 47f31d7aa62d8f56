"""Find the project root and read ``[tool.ssot-lint]`` into a validated ``Config``.

Precedence is defaults < pyproject.toml < command line. Unknown keys are rejected
with the file and line (and the closest known key), because a typo in a linter's
config silently disables checks. Keys may be spelled as ruff spells its own
(``extend-exclude``) or in snake_case (``extend_exclude``); both mean the same key.
"""

from __future__ import annotations

import difflib
import os
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from ssot_lint.discover import is_path_glob
from ssot_lint.errors import ConfigError, MultiError, SsotLintError
from ssot_lint.files import default_max_file_size, read_text, reason
from ssot_lint.fspath import link_problem, real_path
from ssot_lint.load.toml_lines import LineIndex, TOMLDecodeError, decode_error_line, load_toml
from ssot_lint.model.config import NEWEST_TARGET, Config

REGISTRY_FILE = "ssot-registry.toml"
REGISTRY_DIR = "ssot-registry"
FORMATS = ("text", "json", "sarif", "github", "junit")
CONFIG_KEYS = ("registry", "exclude", "extend_exclude", "respect_gitignore", "select", "ignore",
               "target_version", "format", "max_file_size", "jobs", "cache_dir",
               "verify_registry", "per_file_ignores", "extend_per_file_ignores")


#: Every place ssot-lint reads in a pyproject.toml, with the TOML type it must have there.
#: Checked before any value is used, so ``tool = 1`` or ``project = "x"`` is a config
#: error naming the line, not an AttributeError; keys *inside* ``[tool.ssot-lint]`` are
#: checked by ``load_config`` itself.
PYPROJECT_SHAPE: tuple[tuple[tuple[str, ...], type], ...] = (
    (("tool",), dict),
    (("tool", "ssot-lint"), dict),
    (("project",), dict),
    (("project", "requires-python"), str),
)
TOML_TYPES = {dict: "a table", list: "an array", str: "a string", bool: "a boolean",
              int: "an integer", float: "a float"}


def toml_type(value: Any) -> str:
    """How TOML calls the type of ``value`` ("an integer", "a table", ...)."""
    for kind, name in TOML_TYPES.items():  # bool before int: True is an int in Python
        if type(value) is kind:
            return name
    return "a date or time"


def shape_errors(data: dict[str, Any], text: str, display: str,
                 only: tuple[str, ...] = ()) -> list[SsotLintError]:
    """A ConfigError for each place of ``PYPROJECT_SHAPE`` (or of those starting with a
    key in ``only``) holding the wrong TOML type; a wrong parent hides its children."""
    errors: list[SsotLintError] = []
    lines: LineIndex | None = None
    for path, kind in PYPROJECT_SHAPE:
        if only and path[0] not in only:
            continue
        node: Any = data
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        parent: Any = data
        for key in path[:-1]:
            parent = parent.get(key) if isinstance(parent, dict) else None
        if node is None or not isinstance(parent, dict) or isinstance(node, kind):
            continue
        lines = lines or LineIndex(text)
        errors.append(ConfigError(f"expected {TOML_TYPES[kind]}, got {toml_type(node)}",
                                  file=display, line=lines.line_of(*path), key=".".join(path)))
    return errors


def _raise(errors: list[SsotLintError]) -> None:
    if errors:
        raise MultiError(errors) if len(errors) > 1 else errors[0]


def _has_tool_section(pyproject: Path) -> bool:
    """Does this pyproject configure ssot-lint? A broken one that mentions us is an error,
    not a silent fall-back to another root."""
    try:
        text = read_text(pyproject)
    except (OSError, UnicodeDecodeError):
        return False
    try:
        data = load_toml(text)
    except TOMLDecodeError as exc:
        if "tool.ssot-lint" in text:
            raise ConfigError(f"invalid TOML: {exc}", file=pyproject.as_posix(),
                              line=decode_error_line(exc, text)) from None
        return False
    errors = shape_errors(data, text, pyproject.as_posix(), only=("tool",))
    if errors and "ssot-lint" in text:  # mentions us but is malformed: say so
        _raise(errors)
    tool = data.get("tool")
    return not errors and isinstance(tool, dict) and "ssot-lint" in tool


def find_root(start: Path) -> Path | None:
    """The nearest ancestor of ``start`` that declares an ssot-lint project."""
    here = Path(os.path.realpath(start))  # Path.resolve raises on a symlink loop before 3.13
    if here.is_file():
        here = here.parent
    for directory in (here, *here.parents):
        if (directory / REGISTRY_FILE).is_file() or (directory / REGISTRY_DIR).is_dir():
            return directory
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and _has_tool_section(pyproject):
            return directory
    return None


def parse_version(text: str) -> tuple[int, int] | None:
    """``3.11``, ``3.11.4``, ``py311`` -> (3, 11); None if not a 3.x up to NEWEST_TARGET.

    A version newer than the parser knows is almost always a typo (``3.31``), and
    would silently judge every file by the wrong grammar.
    """
    match = re.fullmatch(r"\s*(?:py)?3\.?(\d+)(?:\.\d+)?\s*", text)
    if not match or int(match.group(1)) > NEWEST_TARGET[1]:
        return None
    return (3, int(match.group(1)))


def _requires_python_floor(spec: str) -> tuple[int, int] | None:
    """The lowest 3.x a ``requires-python`` specifier admits (``>=3.10`` -> (3, 10)).

    Every lower bound must hold, so the highest one wins; ``>3.10`` still admits
    3.10.1, so its floor is 3.10.
    """
    floors = re.findall(r"(?:>=|==|~=|>)\s*3\.(\d+)", spec)
    if not floors:
        return None
    return (3, max(int(minor) for minor in floors))


def load_config(start: Path, *, config_file: Path | None = None,
                registry: Path | None = None, overrides: dict[str, Any] | None = None) -> Config:
    """Build the configuration for a run starting at ``start`` (a path being checked)."""
    overrides = {k: v for k, v in (overrides or {}).items() if v not in (None, ())}
    section: dict[str, Any] = {}
    lines: LineIndex | None = None
    display = None
    if config_file is not None:
        if not config_file.exists():  # a FIFO or device is refused when read
            raise ConfigError(f"config file not found: {config_file}", file=str(config_file))
        root = real_path(config_file).parent
        section, lines, display = _read_section(config_file)
    else:
        found = find_root(start)
        root = found if found is not None else real_path(Path.cwd())
        pyproject = root / "pyproject.toml"
        if pyproject.is_file():
            section, lines, display = _read_section(pyproject)
            config_file = pyproject if section else None
    errors: list[SsotLintError] = []
    section, spelled, clashes = _snake_case_keys(section)

    def err(message: str, key: str) -> None:
        written = spelled.get(key, key)
        line = lines.line_of("tool", "ssot-lint", written) if lines else None
        errors.append(ConfigError(message, file=display, line=line,
                                  key=f"tool.ssot-lint.{written}"))

    for key, other in clashes:
        err(f"{spelled[key]!r} and {other!r} are the same key; keep one", key)
    for key in section:
        if key not in CONFIG_KEYS:
            err(unknown_key_message(spelled.get(key, key)), key)
    values: dict[str, Any] = {}
    for key in ("exclude", "extend_exclude", "select", "ignore"):
        if key in section:
            value = section[key]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                err("expected a list of strings", key)
            elif key in ("select", "ignore") and (problem := unknown_codes(value)):
                err(problem, key)
            else:
                values[key] = tuple(value)
    per_file: list[tuple[str, tuple[str, ...]]] = []
    for key in ("per_file_ignores", "extend_per_file_ignores"):
        if key in section:
            parsed = _per_file_ignores(section[key])
            if isinstance(parsed, str):
                err(parsed, key)
            else:
                per_file += parsed
    if per_file:
        values["per_file_ignores"] = tuple(per_file)
    if "respect_gitignore" in section:
        if isinstance(section["respect_gitignore"], bool):
            values["respect_gitignore"] = section["respect_gitignore"]
        else:
            err("expected true or false", "respect_gitignore")
    if "verify_registry" in section:
        if isinstance(section["verify_registry"], bool):
            values["verify_registry"] = section["verify_registry"]
        else:
            err("expected true or false", "verify_registry")
    if "max_file_size" in section:
        size = section["max_file_size"]
        if isinstance(size, int) and not isinstance(size, bool) and size > 0:
            values["max_file_size"] = section["max_file_size"]
        else:
            err("expected a positive number of bytes", "max_file_size")
    if "jobs" in section:
        jobs = section["jobs"]
        if isinstance(jobs, int) and not isinstance(jobs, bool) and jobs >= 0:
            values["jobs"] = jobs or None
        else:
            err("expected a number of processes (0 = all available cores)", "jobs")
    if "cache_dir" in section:
        if isinstance(section["cache_dir"], str) and section["cache_dir"]:
            values["cache_dir"] = root / section["cache_dir"]
        else:
            err("expected a directory path", "cache_dir")
    for key in ("format", "registry", "target_version"):
        if key in section and not isinstance(section[key], str):
            err("expected a string", key)
    if isinstance(section.get("format"), str):
        if section["format"] in FORMATS:
            values["output_format"] = section["format"]
        else:
            err(f"{section['format']!r} is not one of: {', '.join(FORMATS)}", "format")
    target = None
    if isinstance(section.get("target_version"), str):
        target = parse_version(section["target_version"])
        if target is None:
            err(f"{section['target_version']!r} is not a Python version like \"3.11\" "
                f"(3.0 to {NEWEST_TARGET[0]}.{NEWEST_TARGET[1]})",
                "target_version")
    if errors:
        raise MultiError(errors) if len(errors) > 1 else errors[0]

    for key in ("select", "ignore"):
        if key in overrides and (problem := unknown_codes(overrides[key])):
            raise ConfigError(f"--{key}: {problem}")
    if "target_version" in overrides:
        target = parse_version(str(overrides.pop("target_version")))
        if target is None:
            raise ConfigError("--target-version expects a version like 3.11 (3.0 to "
                              f"{NEWEST_TARGET[0]}.{NEWEST_TARGET[1]})")
    if target is None:
        target = _project_requires_python(root) or NEWEST_TARGET
    registry_path = registry
    if registry_path is None and isinstance(section.get("registry"), str):
        registry_path = root / section["registry"]
    if registry_path is None:
        registry_path = root / REGISTRY_FILE
        if not registry_path.exists() and (root / REGISTRY_DIR).is_dir():
            registry_path = root / REGISTRY_DIR
    exclude = values.pop("exclude", ()) + values.pop("extend_exclude", ())
    registry_path = (Path(os.path.abspath(registry_path)) if link_problem(registry_path)
                     else real_path(registry_path))  # a bad link is reported as itself
    values.setdefault("max_file_size", default_max_file_size())
    config = Config(root=root, registry_path=registry_path,
                    config_file=config_file, exclude=exclude, target_version=target, **values)
    if overrides:
        if "exclude" in overrides:
            overrides["exclude"] = config.exclude + tuple(overrides["exclude"])
        config = replace(config, **overrides)
    if config.executor == "dask" and not config.scheduler:
        # decided here, before anything runs: a warm cache (nothing to extract) must not
        # accept what a cold run refuses
        raise ConfigError("--executor dask needs --scheduler ADDRESS (e.g. tcp://host:8786)")
    return config


def _snake_case_keys(section: dict[str, Any]) -> tuple[
        dict[str, Any], dict[str, str], list[tuple[str, str]]]:
    """``section`` with ruff's kebab-case keys (``extend-exclude``) in snake_case.

    Returns the normalised section, each normalised key's spelling in the file (so
    errors quote and locate what the user wrote), and the keys written both ways.
    """
    normal: dict[str, Any] = {}
    spelled: dict[str, str] = {}
    clashes: list[tuple[str, str]] = []
    for key, value in section.items():
        snake = key.replace("-", "_") if isinstance(key, str) else key
        if snake in normal:
            clashes.append((snake, key))
            continue
        normal[snake] = value
        spelled[snake] = key
    return normal, spelled, clashes


def unknown_key_message(key: str) -> str:
    """``unknown key 'exclud'; did you mean 'exclude'?`` (or every known key)."""
    close = difflib.get_close_matches(key.replace("-", "_"), CONFIG_KEYS, n=1, cutoff=0.6)
    if close:
        suggestion = close[0].replace("_", "-") if "-" in key else close[0]
        return f"unknown key {key!r}; did you mean {suggestion!r}?"
    return f"unknown key {key!r}; expected one of: {', '.join(CONFIG_KEYS)}"


def unknown_codes(codes: Any) -> str | None:
    """Why some of ``codes`` select no rule (``SSOT1O1``), with the closest code; else None.

    A code or a prefix of one (``SSOT1``, ``SSOT``) selects rules; anything else is a
    typo that would silently select (or ignore) nothing.
    """
    from ssot_lint.rules import rule_codes  # module names only: no rule is imported

    known = rule_codes()

    def selects(code: str) -> bool:
        return bool(code) and any(k.startswith(code) for k in known)

    bad = [str(c) for c in codes if not selects(str(c).strip().upper())]
    if not bad:
        return None
    parts = []
    for code in bad:
        upper = code.strip().upper()
        digits = upper[:4] + upper[4:].translate(str.maketrans("OIL", "011"))  # SSOT1O1
        close = [digits] if selects(digits) else \
            difflib.get_close_matches(upper, known, n=1, cutoff=0.6)
        parts.append(f"{code!r} (did you mean {close[0]!r}?)" if close else repr(code))
    noun = "code" if len(bad) == 1 else "codes"
    return (f"unknown rule {noun} {', '.join(parts)}; rule codes are {known[0]}..{known[-1]} "
            "or a prefix of them (`ssot-lint rule --all` lists them)")


def _per_file_ignores(value: Any) -> list[tuple[str, tuple[str, ...]]] | str:
    """``{"glob" = ["SSOT103"]}`` as (glob, codes) pairs, or why it is malformed."""
    if not isinstance(value, dict):
        return 'expected a table of glob = ["CODE", ...], e.g. {"**/convert_*.py" = ["SSOT103"]}'
    pairs: list[tuple[str, tuple[str, ...]]] = []
    for pattern, codes in value.items():
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            return f"{pattern!r}: expected a list of rule codes"
        problem = unknown_codes(codes)
        if not is_path_glob(pattern):
            problem = "not a gitignore-style pattern"
        if problem:
            return f"{pattern!r}: {problem}"
        pairs.append((pattern, tuple(c.strip().upper() for c in codes)))
    return pairs


def _read_section(path: Path) -> tuple[dict[str, Any], LineIndex, str]:
    display = path.as_posix()
    try:
        text = read_text(path)
        data = load_toml(text)
    except TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", file=display,
                          line=decode_error_line(exc, text)) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config: {reason(exc)}", file=display) from exc
    if path.name == "pyproject.toml":
        _raise(shape_errors(data, text, display))
    tool = data.get("tool", {})
    section = tool.get("ssot-lint", {}) if isinstance(tool, dict) else {}
    if path.name != "pyproject.toml" and not section:
        section = data  # a standalone ssot-lint.toml holds the keys at top level
        text = "[tool.ssot-lint]\n" + text  # so line lookups share one key path (off by one)
        lines = LineIndex(text)
        return section, _Shifted(lines), display
    if not isinstance(section, dict):
        raise ConfigError("[tool.ssot-lint] must be a table", file=display)
    return section, LineIndex(text), display


class _Shifted(LineIndex):
    """A LineIndex for a standalone file we prefixed with one synthetic header line."""

    def __init__(self, inner: LineIndex) -> None:  # noqa: D107 - thin wrapper
        self._inner = inner

    def line_of(self, *path: Any) -> int | None:
        line = self._inner.line_of(*path)
        return line - 1 if line and line > 1 else line


def _project_requires_python(root: Path) -> tuple[int, int] | None:
    pyproject = root / "pyproject.toml"
    if not pyproject.is_file():
        return None
    try:
        text = read_text(pyproject)
        data = load_toml(text)
    except (OSError, UnicodeDecodeError, TOMLDecodeError):
        return None
    _raise(shape_errors(data, text, pyproject.as_posix(), only=("project",)))
    project = data.get("project", {})
    spec = project.get("requires-python") if isinstance(project, dict) else None
    return _requires_python_floor(spec) if isinstance(spec, str) else None


def interpreter_version() -> tuple[int, int]:
    return (sys.version_info.major, sys.version_info.minor)
