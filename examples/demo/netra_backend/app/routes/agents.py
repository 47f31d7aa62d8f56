"""HTTP routes: a realistic mix of good and bad imports."""

from netra_backend.app.agents.registry import AgentRegistry  # alias, not canonical
from netra_backend.app.agents.state import DeepAgentState, AgentPhase
from netra_backend.app.agents.agent_websocket_bridge import create_agent_websocket_bridge
from netra_backend.app.core.execution_tracker import get_execution_tracker
from netra_backend.app.services.user_execution_context import (
    UserExecutionContext,
    UserContextManager,
)
from netra_backend.app.db.session import get_session
from .helpers import format_response

try:
    from netra_backend.app.services.metrics import record  # fallback hides a break
except ImportError:
    record = None


def start_agent(user_id: str) -> dict:
    from netra_backend.app.servics.agent_websocket_bridge import create_agent_websocket_bridge as make
    registry = AgentRegistry()
    return format_response({"registry": registry, "bridge": make()})
