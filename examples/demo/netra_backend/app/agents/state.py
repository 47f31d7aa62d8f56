"""Legacy agent state: shared between users (being migrated away)."""


class DeepAgentState:
    user_request: str = ""


class AgentPhase:
    pass
