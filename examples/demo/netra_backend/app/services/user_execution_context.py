"""Per-request, per-user execution context (the secure replacement for DeepAgentState)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class UserExecutionContext:
    user_id: str
    run_id: str
