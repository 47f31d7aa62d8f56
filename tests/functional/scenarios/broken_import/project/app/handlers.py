from app.agents.bridge import make_bridge
import app.agents.bridge as bridge_module
from app.agents import bridge


def lazy():
    from app.agents.bridge import make_bridge as mb
    return mb
