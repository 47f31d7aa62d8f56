"""Bytes in, ``FileFacts`` out: decode, parse for the target version, walk.

Nothing here raises for bad input: undecodable or unparsable files become a
``SyntaxProblem`` inside the facts, so one bad file never stops a run.
"""

from __future__ import annotations

import ast
import contextlib

from ssot_lint.facts.calls import collect_call_facts, could_have_calls
from ssot_lint.facts.decode import decode_source
from ssot_lint.facts.dynamic import module_names, registers_modules
from ssot_lint.facts.references import collect_usage
from ssot_lint.facts.suppressions import find_suppressions
from ssot_lint.facts.syntax import TargetSyntaxError, parse_for_target
from ssot_lint.facts.version import FACTS_VERSION  # noqa: F401 - re-exported
from ssot_lint.facts.visitor import ColumnMap, FactVisitor, Scope
from ssot_lint.model.facts import FileFacts, ImportFact, SyntaxProblem


def extract_facts(data: bytes, target: tuple[int, int]) -> FileFacts:
    """Extract the facts of one file's bytes for a project targeting ``target``."""
    decoded = decode_source(data)
    if isinstance(decoded, SyntaxProblem):
        return FileFacts(problem=decoded)
    text = decoded.text
    suppressions = find_suppressions(text)
    try:
        tree = parse_for_target(text, target)
    except TargetSyntaxError as exc:
        return FileFacts(suppressions=suppressions,
                         problem=SyntaxProblem("SSOT001", exc.message, exc.line, exc.col))
    except (RecursionError, MemoryError):
        return FileFacts(suppressions=suppressions, problem=SyntaxProblem(
            "SSOT001", "too deeply nested for the parser (Python's own parser would fail too)"))
    except ValueError as exc:  # e.g. surrogates the parser refuses
        return FileFacts(suppressions=suppressions,
                         problem=SyntaxProblem("SSOT002", f"cannot parse: {exc}"))
    columns = ColumnMap(text)
    visitor = FactVisitor(columns, scan_globals="global" in text)
    try:
        visitor.visit_body(tree.body, Scope())
    except RecursionError:
        return FileFacts(suppressions=suppressions, problem=SyntaxProblem(
            "SSOT001", "too deeply nested to analyse"))
    imports = list(visitor.imports)
    if could_have_calls(text):

        def make(kind: str, target_path: str, node: ast.expr) -> ImportFact:
            line = node.lineno
            return ImportFact(kind=kind, module=target_path, name=None, asname=None, level=0,
                              line=line, col=columns.col(line, node.col_offset),
                              end_line=node.end_lineno or line,
                              end_col=columns.col(node.end_lineno or line,
                                                  node.end_col_offset or node.col_offset),
                              stmt_line=line)

        with contextlib.suppress(RecursionError):
            imports.extend(collect_call_facts(tree, make))
    imports.sort(key=lambda f: (f.line, f.col))
    # ``:=`` is one token, so a walrus in the tree means these two characters are in the
    # text; without them, binding walks can skip expressions (exact, see ``_bind``).
    references, classes = collect_usage(tree, columns, walrus=":=" in text)
    names = module_names(tree, text, has_getattr_def=visitor.has_getattr,
                         all_names=visitor.all_names, all_dynamic=visitor.all_dynamic)
    return FileFacts(
        imports=tuple(imports),
        definitions=tuple(visitor.definitions),
        suppressions=suppressions,
        all_names=names.all_names,
        has_getattr=names.dynamic.present,
        all_dynamic=names.all_dynamic,
        references=references,
        classes=classes,
        getattr_names=names.dynamic.names,
        getattr_stub=names.dynamic.stub,
        names_dynamic=names.computed,
        registers_modules=registers_modules(tree, text),
    )
