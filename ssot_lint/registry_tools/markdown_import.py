"""Turn a hand-written Markdown import registry into observations, line by line.

Each import in a Python fence becomes an ``Observation`` (verified, broken or
deprecated, with its canonical/alias marker, date and reason) or a ``Skipped`` line
with the reason; nothing is dropped silently. ``markdown_merge`` then settles what
the observations add up to. The walk keeps a little state per fence: the comment block
above the current imports (it classifies them), and the broken/deprecated imports
still waiting for a ``# USE INSTEAD:`` line or a ``# ✅ AFTER`` block.
"""

from __future__ import annotations

import ast
import datetime as _dt
from dataclasses import dataclass, field

from ssot_lint.load.registry import is_dotted_path
from ssot_lint.registry_tools import markdown_rules as words
from ssot_lint.registry_tools.markdown_scan import (
    IMPORT_TEXT,
    PROSE_IMPORT,
    Fence,
    PyLine,
    parse_python,
    scan_markdown,
)


@dataclass
class Observation:
    path: str
    line: int
    kind: str  # "verified" | "broken" | "deprecated"
    marker: str | None = None  # "canonical" | "alias" (verified only)
    alias_of: str | None = None  # explicit "alias of a.b.C"
    verified: _dt.date | bool | None = None
    reason: str | None = None
    hint: str | None = None
    use_instead: str | None = None
    use_instead_line: int | None = None
    bare_use_instead: str | None = None  # a bare class name, resolved against the symbols


@dataclass(frozen=True)
class Skipped:
    line: int
    reason: str
    text: str


@dataclass
class Observed:
    observations: list[Observation] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def observe(text: str) -> Observed:
    """Every import-like line of the Markdown document, interpreted or skipped."""
    document = scan_markdown(text)
    out = Observed()
    for fence in document.fences:
        if fence.is_python:
            _FenceWalk(fence, out).run()
        else:
            for number, raw in fence.lines:
                if PROSE_IMPORT.search(raw):
                    out.skipped.append(Skipped(number, f"import in a non-Python fence "
                                                       f"({fence.language or 'no language'})",
                                               raw.strip()))
    for number, raw in document.prose:
        if PROSE_IMPORT.search(raw):
            out.skipped.append(Skipped(number, "import written in prose, not in a Python fence",
                                       raw.strip()))
    out.skipped.sort(key=lambda s: s.line)
    return out


class _FenceWalk:
    def __init__(self, fence: Fence, out: Observed) -> None:
        self.fence = fence
        self.out = out
        self.headings = tuple(reversed(fence.headings))  # nearest first
        self.header: list[str] = []
        self.in_block = False
        self.pending: list[Observation] = []  # the run of imports right above a USE INSTEAD
        # A new comment block starts a new run only when it brings imports of its own: a
        # comment between an import and its ``# ✅ CORRECTED:`` line keeps them waiting.
        self.fresh = False
        self.before: list[Observation] = []  # imports of a "❌ BEFORE" block
        self.in_before = False
        self.after: list[tuple[str, int]] | None = None  # targets of a "✅ AFTER" block

    def skip(self, line: PyLine, reason: str) -> None:
        self.out.skipped.append(Skipped(line.line, reason, line.text.strip()))

    def run(self) -> None:
        for line in parse_python(self.fence.lines):
            if line.kind == "blank":
                self.in_block = False
                self.pending = []
            elif line.kind == "comment":
                self.comment(line)
            else:
                self.in_block = False
                self.statement(line)
        self.close_after()

    # -- comments --------------------------------------------------------------------
    def comment(self, line: PyLine) -> None:
        text = line.comment
        if line.text[:1].isspace():
            return  # a comment inside example code (a function body), not a header
        use_instead = words.USE_INSTEAD.match(text)
        if use_instead:
            self.in_block = False
            self.replace(self.targets(use_instead.group(1), line), line)
            return
        hint = words.HINT.match(text)
        if hint and self.pending:
            for observation in self.pending:
                observation.hint = hint.group(1).strip()
            return
        if not self.in_block:
            self.close_after()
            self.header = []
            self.fresh = True
            self.in_before = bool(words.BEFORE.search(text))
            if words.AFTER.search(text):
                self.after = []
        self.in_block = True
        marked = words.MARKED_IMPORT.match(text)
        if marked and self.commented_import(line, marked.group("code"), marked.group("mark")):
            return  # "❌ DEPRECATED: from x import Y": the document lists it as deprecated
        if IMPORT_TEXT.search(" " + text) and not words.DESCRIPTIVE.match(text):
            # "# DEPRECATED ...:" then "# from x import Y": the header classifies it
            header_kind = words.kind_of(self.header)
            if header_kind in ("broken", "deprecated") and \
                    self.commented_import(line, text, None):
                return
            self.skip(line, "commented-out import (not a USE INSTEAD / CORRECTED line)")
        if not words.DESCRIPTIVE.match(text):
            self.header.append(text)

    def commented_import(self, line: PyLine, code: str, mark: str | None) -> bool:
        """Record the import written inside a comment; False if it is not one."""
        parsed = [p for p in parse_python([(line.line, code)]) if p.kind == "import"]
        if not parsed:
            return False
        kind = words.kind_of((mark or "", *self.header, *self.headings))
        if kind not in ("broken", "deprecated"):
            return False
        for name in parsed[0].names:
            self.add(name.path, line.line, kind, name.comment, mark or "")
        return True

    def targets(self, text: str, line: PyLine) -> list[tuple[str, bool]]:
        """(target, is_bare_name) from the text after ``USE INSTEAD:``."""
        text = text.split("  #")[0].strip()
        try:
            tree = ast.parse(text)
        except SyntaxError:
            tree = None
        if tree is not None and len(tree.body) == 1:
            node = tree.body[0]
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                return [(f"{node.module}.{a.name}", False) for a in node.names]
            if isinstance(node, ast.Import):
                return [(a.name, False) for a in node.names]
        parts = [p.strip().rstrip(".") for p in text.replace(" and ", ",").split(",")]
        if parts and all(is_dotted_path(p) for p in parts):
            return [(p, "." not in p) for p in parts]
        self.skip(line, "USE INSTEAD line names no import path")
        return []

    def replace(self, targets: list[tuple[str, bool]], line: PyLine,
                waiting_in: list[Observation] | None = None) -> None:
        """Give the waiting broken/deprecated imports their replacements."""
        waiting = [o for o in (self.pending if waiting_in is None else waiting_in)
                   if o.use_instead is None and o.bare_use_instead is None]
        if not targets:
            return
        if not waiting:
            self.skip(line, "USE INSTEAD line with no broken or deprecated import above it")
            return
        pairs = _pair(waiting, targets)
        if pairs is None:
            self.skip(line, f"cannot tell which of the {len(waiting)} imports above "
                            f"this replaces")
            return
        # A comment between the imports and this line explains *them* (no import of its
        # own came after it): it is their reason when they have none.
        between = words.reason_of("", self.header) if self.fresh and waiting_in is None \
            else None
        for observation, (target, bare) in pairs:
            if bare:
                observation.bare_use_instead = target
            else:
                observation.use_instead = target
            observation.use_instead_line = line.line
            if observation.reason is None and between:
                observation.reason = between
        if waiting_in is None:
            self.pending = []

    def close_after(self) -> None:
        """A ``# ✅ AFTER`` block's imports replace the ``# ❌ BEFORE`` ones, if any wait."""
        if self.after and any(o.use_instead is None for o in self.before):
            first = PyLine("comment", self.after[0][1], f"(the imports of the AFTER block "
                                                        f"at line {self.after[0][1]})")
            self.replace([(t, False) for t, _ in self.after], first, self.before)
            self.before = []
        self.after = None

    # -- statements ------------------------------------------------------------------
    def statement(self, line: PyLine) -> None:
        header = " ".join(self.header)
        if line.kind == "code":
            self.skip(line, "not an import (example code)")
            return
        if line.kind == "placeholder":
            self.skip(line, f"placeholder {line.target} names no symbol of {line.module}")
            return
        kind = words.kind_of((line.comment, header, *self.headings))
        if line.kind == "patch":
            if kind in ("broken", "deprecated"):
                self.add(line.target, line.line, kind, line.comment, header)
            else:
                self.skip(line, "mock patch target (where to patch, not an import path)")
            return
        for name in line.names:
            name_kind = words.kind_of((name.comment, header, *self.headings))
            if name_kind is None:
                self.skip(line, "no VERIFIED / BROKEN / DEPRECATED context for this import")
                continue
            self.add(name.path, name.line, name_kind, name.comment, header)
            if name_kind == "verified" and self.after is not None:
                self.after.append((name.path, name.line))

    def add(self, path: str, line: int, kind: str, trailing: str, header: str) -> None:
        observation = Observation(path=path, line=line, kind=kind)
        if kind == "verified":
            alias_of = words.ALIAS_OF.search(trailing)
            observation.alias_of = alias_of.group(1) if alias_of else None
            observation.marker = words.marker_of((trailing, header))
            observation.verified = words.verified_of((trailing, header))
        else:
            # The reason is this import's own comment, else a line of *its* comment block
            # (each line on its own: a label line does not hide the explanation below it).
            block = [header] if header and header not in self.header else self.header
            observation.reason = words.reason_of(trailing, block)
            if self.fresh:
                self.pending = []
                self.fresh = False
            self.pending.append(observation)
            if self.in_before:
                self.before.append(observation)
        self.out.observations.append(observation)


def _pair(waiting: list[Observation],
          targets: list[tuple[str, bool]]) -> list[tuple[Observation, tuple[str, bool]]] | None:
    """Match replacements to imports: by name, else in order, else one for one."""
    by_name = {t[0].rsplit(".", 1)[-1]: t for t in targets}
    named = [(o, by_name[o.path.rsplit(".", 1)[-1]]) for o in waiting
             if o.path.rsplit(".", 1)[-1] in by_name]
    if named:
        return named
    if len(waiting) == len(targets):
        return list(zip(waiting, targets, strict=True))
    if len(targets) == 1 and len(waiting) == 1:
        return [(waiting[0], targets[0])]
    return None
