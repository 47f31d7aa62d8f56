"""Compatibility re-export kept for old callers."""

from netra_backend.app.agents.supervisor.agent_registry import AgentRegistry

__all__ = ["AgentRegistry"]
