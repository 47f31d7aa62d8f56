class AgentExecutionTracker:
    pass


def get_agent_state_tracker() -> AgentExecutionTracker:
    return AgentExecutionTracker()
