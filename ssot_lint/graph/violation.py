"""A graph-wide finding before it becomes a ``Finding``: where, what, and which edges."""

from __future__ import annotations

from dataclasses import dataclass

from ssot_lint.graph.sites import ImportSite


@dataclass(frozen=True)
class GraphViolation:
    """Located at ``site`` (an import) or, for "unknown — partial graph", at a file line."""

    code: str
    rel: str  # the file the finding is reported in
    message: str
    site: ImportSite | None = None
    line: int = 1
    col: int = 1
    severity: str | None = None  # None: the rule's default
    hint: str | None = None
    edges: tuple[tuple[str, str], ...] = ()  # graph edges to mark as violating
    modules: tuple[str, ...] = ()  # modules on its chain or cycle (their files "touch" it)

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        if self.site is not None:
            return (self.rel, self.site.fact.line, self.site.fact.col, self.message)
        return (self.rel, self.line, self.col, self.message)


def unknown_verdict(code: str, what: str, partial: dict[str, str], modules: set[str],
                    problem_line: dict[str, tuple[int, int]]) -> GraphViolation:
    """The "unknown — partial graph" finding for a contract that would otherwise be kept.

    It is reported in the first unparsable file (sorted), naming all of them, because
    fixing those files is what turns the verdict into a real one.
    """
    files = sorted(partial[m] for m in modules)
    line, col = problem_line.get(files[0], (1, 1))
    listed = ", ".join(files)
    return GraphViolation(
        code=code, rel=files[0], line=line, col=col, severity="warning",
        modules=tuple(sorted(modules)),
        message=(f"{what} is unknown — partial graph: its verdict depends on the imports of "
                 f"{listed}, which cannot be parsed"),
        hint="fix the syntax error (SSOT001/SSOT002) so the imports can be read")
