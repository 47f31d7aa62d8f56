"""Read files and extract their facts. The only stage that touches file contents.

Kept separate from the engine so a facts cache and parallel extraction can be added
here without any rule noticing.
"""

from __future__ import annotations

from collections.abc import Iterable

from ssot_lint.discover import SourceFile
from ssot_lint.facts.extract import extract_facts
from ssot_lint.model.facts import FileFacts, SyntaxProblem


def read_facts(source: SourceFile, target: tuple[int, int], max_file_size: int) -> FileFacts:
    """Facts for one file; read errors and oversized files become problems, not exceptions."""
    try:
        size = source.path.stat().st_size
        if size > max_file_size:
            return FileFacts(problem=SyntaxProblem(
                "SSOT002", f"file is {size:,} bytes, over max_file_size ({max_file_size:,}); "
                "raise max_file_size or exclude the file"))
        data = source.path.read_bytes()
    except FileNotFoundError:
        return FileFacts(problem=SyntaxProblem("SSOT002", "file vanished while being checked"))
    except OSError as exc:
        return FileFacts(problem=SyntaxProblem(
            "SSOT002", f"cannot read file: {exc.strerror or exc}; check its permissions"))
    return extract_facts(data, target)


def scan(files: Iterable[SourceFile], target: tuple[int, int],
         max_file_size: int) -> dict[str, FileFacts]:
    return {source.rel: read_facts(source, target, max_file_size) for source in files}
