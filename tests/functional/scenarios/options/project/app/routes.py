from app.agents.registry import AgentRegistry
from app.state import DeepAgentState
from app.bridge import make_bridge
from app.missing import x
from app.state import Nope
from .state import DeepAgentState as S
