"""How to fix each category of finding, in the words a team lead can hand on.

Advice is written per stable rule code; a rule without an entry here (a newer rule)
falls back to its own summary and documentation, so the report never omits a category.
"""

from __future__ import annotations

from ssot_lint.audit.model import Advice
from ssot_lint.rules import rule_by_code

_ADVICE = {
    "SSOT001": "Fix the syntax error, or raise target_version if the file really targets a "
               "newer Python. Until it parses, its imports are unknown to every other check.",
    "SSOT002": "Make the file readable (permissions, encoding declaration) or exclude it; "
               "oversized generated files belong in `exclude`.",
    "SSOT101": "Replace the import with the entry's `use_instead` path. `ssot-lint fix` does "
               "this automatically where the entry allows it.",
    "SSOT102": "The module does not exist: correct the path (the message suggests the closest "
               "module), or add a [broken] entry with `use_instead` so everyone learns the "
               "right one.",
    "SSOT103": "The name is not defined in that module: import it from where it is defined "
               "(the message suggests it), or register the canonical home in [symbols].",
    "SSOT104": "Point the patch target at where the name is looked up now (usually the module "
               "that imports it); a target that does not resolve patches nothing, or fails "
               "only at test time.",
    "SSOT111": "Migrate each reference to the entry's `use_instead` (the deprecated "
               "symbols table shows where they are). Safe cases are rewritten by "
               "`ssot-lint fix`; tolerate intended uses with `allow_in` or `paths`.",
    "SSOT112": "Import the symbol from its canonical home instead of the alias; "
               "`ssot-lint fix` rewrites these safely.",
    "SSOT113": "Add a [symbols.\"module.Name\"] entry for each symbol's canonical home "
               "(`ssot-lint registry` tooling can bootstrap them).",
    "SSOT121": "Write the import as an absolute import; `ssot-lint fix` rewrites these.",
    "SSOT122": "Change the module string passed to `importlib.import_module` / `__import__` "
               "to an existing, non-deprecated module (the registry's `use_instead`).",
    "SSOT201": "Depend on the other service through an allowed path (a shared package or its "
               "public API), or, if the dependency is intended, add it to `may_import` "
               "with a reason.",
    "SSOT202": "Break the chain at the first import shown, or allow the indirect path in the "
               "contract if it is intended.",
    "SSOT203": "Move the code to the right layer or invert the dependency (pass the "
               "higher-layer object in) so lower layers never import higher ones.",
    "SSOT204": "Remove one of the suggested cycle-breaking imports: move shared code to a "
               "third module, or make the import lazy.",
    "SSOT301": "Replace each use with the entry's `use_instead` (annotations, calls, base "
               "classes); the import goes once the last use does.",
    "SSOT302": "Rewrite the call as the pattern's hint says.",
    "SSOT303": "Move callers off the code-level deprecated class or function to its "
               "replacement.",
    "SSOT401": "Keep one definition in the canonical home and re-export or import it "
               "elsewhere; register deliberate copies as aliases or exclude them with "
               "`policy.duplicate_exclude`.",
    "SSOT901": "Delete the `# ssot-lint: ignore` comment: it no longer suppresses anything.",
    "SSOT902": "Update or delete the stale registry entry (run `ssot-lint registry verify` "
               "for details); a deprecated path that no longer exists should become [broken].",
}


def advice_for(codes: list[str]) -> tuple[Advice, ...]:
    """Advice for each code, in code order; unknown codes use the rule's own docs."""
    result = []
    for code in sorted(set(codes)):
        rule = rule_by_code(code)
        slug = rule.slug if rule else ""
        fixable = rule.fixable if rule else "no"
        text = _ADVICE.get(code)
        if text is None:
            text = _first_paragraph(rule.doc()) if rule else "See the rule's documentation."
        result.append(Advice(code=code, rule=slug, fixable=fixable, text=text))
    return tuple(result)


def _first_paragraph(doc: str) -> str:
    return " ".join(doc.split("\n\n", 1)[0].split())
