from app.state import DeepAgentState
