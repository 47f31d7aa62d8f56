from netra_backend.app.core.agent_execution_tracker import get_agent_state_tracker


def get_execution_tracker():
    return get_agent_state_tracker()
