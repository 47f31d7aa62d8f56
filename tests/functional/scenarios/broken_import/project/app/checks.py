import pytest


def check_removed():
    with pytest.raises(ImportError):
        from app.agents.bridge import make_bridge
