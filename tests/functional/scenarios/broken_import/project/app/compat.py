try:
    from app.agents.bridge import make_bridge
except ImportError:
    from app.services.bridge import make_bridge
