class AgentRegistry:
    pass
