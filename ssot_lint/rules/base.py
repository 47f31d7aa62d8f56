"""What a rule is: stable code, slug, severity, documentation, examples, and a check.

One module per rule; the module's rule class docstring is the rule's documentation
(shown by ``ssot-lint rule CODE`` and in the README table), and its ``VALID`` and
``INVALID`` examples are run by the test suite automatically.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from ssot_lint.discover import SourceFile
from ssot_lint.model.facts import FileFacts, ImportFact
from ssot_lint.model.finding import Edit, Finding
from ssot_lint.model.registry import Origin
from ssot_lint.resolve.imports import ResolvedImport
from ssot_lint.resolve.project import Project


@dataclass(frozen=True)
class Example:
    """A rule example: ``code`` is written to ``app/main.py`` in a tiny project.

    ``files`` adds the other modules it needs, ``registry`` is TOML appended to
    ``version = 1``, and ``lines`` (for invalid examples) are the lines where the
    rule must fire, once per entry. ``fixed`` is the expected source after ``fix``.
    """

    code: str
    files: dict[str, str] = field(default_factory=dict)
    registry: str = ""
    lines: tuple[int, ...] = ()
    fixed: str | None = None
    note: str = ""
    # (line, column, message) of each finding, when the example pins the text too.
    messages: tuple[tuple[int, int, str], ...] = ()


class Rule:
    """Base class; subclasses set the class attributes and implement ``check``."""

    code: ClassVar[str]
    slug: ClassVar[str]
    severity: ClassVar[str] = "error"
    summary: ClassVar[str]  # one line, for tables
    fixable: ClassVar[str] = "no"  # "no" | "safe" | "unsafe"
    config: ClassVar[str] = ""  # config/registry keys that affect it
    # What to do about its findings, for the audit report (empty: the docstring's first
    # paragraph is used).
    remedy: ClassVar[str] = ""
    # What a file's findings depend on besides the registry and configuration:
    # "file" = the file's own facts and the project's interface (cache.interface_of);
    # "project" = the project's interface only (the import graph), so they stay valid
    # while an edit keeps the file's interface, and are not recomputed (results.py).
    scope: ClassVar[str] = "file"
    # Whether its findings are about edges of the import graph (SSOT201-SSOT204):
    # ``ssot-lint graph`` runs these rules and draws the edges they report red.
    graph: ClassVar[bool] = False
    # The rule's message: one ``str.format`` template, so every finding of the rule
    # reads the same way (as pyflakes' message classes, deptry's error_template).
    message: ClassVar[str] = "{subject}"
    VALID: ClassVar[tuple[Example, ...]] = ()
    INVALID: ClassVar[tuple[Example, ...]] = ()

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        raise NotImplementedError

    @classmethod
    def doc(cls) -> str:
        return (cls.__doc__ or "").strip()

    @classmethod
    def render(cls, **values: str) -> str:
        """The rule's ``message`` template filled in."""
        return cls.message.format(**values)


def advice(text: str | None, use_instead: str | None = None, docs: str | None = None) -> str:
    """``: TEXT; use `X` instead (see DOCS)`` -- the one spelling of migration advice.

    Every rule that passes on a registry entry's advice (SSOT101/104/111/122/301/302)
    ends its message with this, so the same entry reads the same in every finding.
    TEXT is the entry's ``reason`` (else its ``hint``): a hint beside a reason is shown
    as the finding's own hint line, not repeated in the message.
    """
    out = f": {text.strip().rstrip('.')}" if text and text.strip() else ""
    if use_instead:
        out += f"; use `{use_instead}` instead"
    if docs:
        out += f" (see {docs})"
    return out


class FileContext:
    """One file as rules see it, with resolution helpers computed once and shared."""

    def __init__(self, project: Project, source: SourceFile, facts: FileFacts,
                 cwd: Path | None = None) -> None:
        self.project = project
        self.source = source
        self.facts = facts
        self.display_path = display_path(source.path, cwd)
        self.imports: list[ResolvedImport] = project.resolved_imports(source)
        self.memo: dict[object, object] = {}

    def finding(self, rule: type[Rule] | Rule, fact: ImportFact | None, message: str, *,
                line: int | None = None, col: int | None = None,
                severity: str | None = None, hint: str | None = None,
                symbol: str | None = None, docs: str | None = None,
                fix: Edit | None = None) -> Finding:
        if fact is not None:
            line, col = fact.line, fact.col
            end_line, end_col = fact.end_line, fact.end_col
        else:
            line, col = line or 1, col or 1
            end_line, end_col = line, col
        return Finding(path=self.display_path, line=line, column=col, end_line=end_line,
                       end_column=end_col, code=rule.code, rule=rule.slug,
                       severity=severity or rule.severity, message=message, hint=hint,
                       symbol=symbol, docs=docs, fix=fix)


def display_path(path: Path, cwd: Path | None = None) -> str:
    """POSIX path relative to the working directory (absolute if on another drive)."""
    base = cwd or Path.cwd()
    try:
        return Path(os.path.relpath(path, base)).as_posix()
    except ValueError:
        return path.as_posix()


def registry_finding(rule: type[Rule] | Rule, origin: Origin, message: str, *,
                     cwd: Path | None = None, hint: str | None = None,
                     symbol: str | None = None) -> Finding:
    """A finding located at a registry entry (SSOT901's ``ignore_imports``, SSOT902):
    the registry file and the entry's line, column 1."""
    file = Path(origin.file)
    if not file.is_absolute():
        file = Path.cwd() / file
    line = origin.line or 1
    return Finding(path=display_path(file, cwd), line=line, column=1, end_line=line,
                   end_column=1, code=rule.code, rule=rule.slug, severity=rule.severity,
                   message=message, hint=hint, symbol=symbol)
