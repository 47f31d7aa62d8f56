from netra_backend.app.core import execution_tracker  # legacy hook: a cycle of two


class AgentExecutionTracker:
    pass


def get_agent_state_tracker() -> AgentExecutionTracker:
    return AgentExecutionTracker()
