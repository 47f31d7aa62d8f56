class DeepAgentState:
    pass
