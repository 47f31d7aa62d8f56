from app.agents.bridge import make_bridge
