"""Write the generated documentation: README's rules table and ``docs/rules/CODE.md``.

Run ``python dev/gen_docs.py`` after changing a rule (its docstring, summary, severity,
fix availability or examples); ``python dev/gen_docs.py --check`` only reports drift
(``tests/test_docs.py`` fails on drift too). A development script, not part of the
package: nothing installed ever writes into a repository.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ssot_lint.report.rules_table import replace_table, rule_page, rules_table
from ssot_lint.rules import all_rules

REPO = Path(__file__).resolve().parents[1]


def generated(repo: Path = REPO) -> dict[Path, str]:
    """Every generated file's path and the text it must have."""
    readme = repo / "README.md"
    files = {readme: replace_table(readme.read_text(encoding="utf-8"), rules_table())}
    for rule in all_rules():
        files[repo / "docs" / "rules" / f"{rule.code}.md"] = rule_page(rule)
    return files


def stale_pages(repo: Path = REPO) -> list[Path]:
    """Pages under ``docs/rules`` that no rule generates any more."""
    wanted = set(generated(repo))
    return sorted(p for p in (repo / "docs" / "rules").glob("*.md") if p not in wanted)


def main(argv: list[str]) -> int:
    check = "--check" in argv
    drift = [path for path, text in generated().items()
             if not path.is_file() or path.read_text(encoding="utf-8") != text]
    stale = stale_pages()
    if check:
        for path in [*drift, *stale]:
            print(f"{path.relative_to(REPO)}: out of date; run `python dev/gen_docs.py`",
                  file=sys.stderr)
        return 1 if drift or stale else 0
    for path in drift:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(generated()[path], encoding="utf-8")
        print(f"wrote {path.relative_to(REPO)}")
    for path in stale:
        path.unlink()
        print(f"removed {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
