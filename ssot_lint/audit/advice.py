"""How to fix each category of finding, in the words a team lead can hand on.

The advice is the rule's own (``Rule.remedy``, in its module); a rule without one
falls back to the first paragraph of its documentation, so the report never omits a
category.
"""

from __future__ import annotations

from ssot_lint.audit.model import Advice
from ssot_lint.rules import rule_by_code


def advice_for(codes: list[str]) -> tuple[Advice, ...]:
    """Advice for each code, in code order; unknown codes use the rule's own docs."""
    result = []
    for code in sorted(set(codes)):
        rule = rule_by_code(code)
        slug = rule.slug if rule else ""
        fixable = rule.fixable if rule else "no"
        text = rule.remedy if rule else ""
        if not text:
            text = _first_paragraph(rule.doc()) if rule else "See the rule's documentation."
        result.append(Advice(code=code, rule=slug, fixable=fixable, text=text))
    return tuple(result)


def _first_paragraph(doc: str) -> str:
    return " ".join(doc.split("\n\n", 1)[0].split())
