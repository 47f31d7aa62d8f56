def get_execution_tracker():
    return None


def get_agent_state_tracker():
    return None
