"""HTTP routes: a realistic mix of good and bad imports."""

from netra_backend.app.agents.registry import AgentRegistry  # alias, not canonical
from netra_backend.app.agents.state import DeepAgentState, AgentPhase
from netra_backend.app.agents.agent_websocket_bridge import create_agent_websocket_bridge
from netra_backend.app.core.execution_tracker import get_execution_tracker
from netra_backend.app.services.user_execution_context import (
    UserExecutionContext,
    UserContextManager,
)
from netra_backend.app.db.session import get_session, get_db_session
from .helpers import format_response

try:
    from netra_backend.app.services.metrics import record  # fallback hides a break
except ImportError:
    record = None


def run_legacy_agent(state: DeepAgentState) -> None:
    """Still typed against the deprecated state object (SSOT301)."""
    tracker = get_execution_tracker()
    tracker.track(state)


def load_plugin(name: str):
    import importlib

    return importlib.import_module("netra_backend.app.agents.plugins")


def start_agent(user_id: str) -> dict:
    session = get_db_session()
    from netra_backend.app.servics.agent_websocket_bridge import create_agent_websocket_bridge as make
    registry = AgentRegistry()
    return format_response({"registry": registry, "bridge": make(), "session": session})
