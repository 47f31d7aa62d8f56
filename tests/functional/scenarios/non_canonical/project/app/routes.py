from app.agents.registry import AgentRegistry as Registry
from app import (
    AgentRegistry,
)
from app.agents.supervisor.registry import AgentRegistry as Canonical
