from app.state import AgentPhase, DeepAgentState
from app.tracker import get_execution_tracker
from app.legacy_api import call
import app.legacy_api


def handler():
    from app.tracker import get_execution_tracker as old
    return old
