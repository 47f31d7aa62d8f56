class DeepAgentState:
    pass


class AgentPhase:
    pass
