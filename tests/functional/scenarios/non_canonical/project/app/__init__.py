from app.agents.supervisor.registry import AgentRegistry
