from app.agents.supervisor import AgentRegistry
