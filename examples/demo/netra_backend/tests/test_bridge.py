import pytest


def test_old_bridge_path_is_gone():
    with pytest.raises(ImportError):
        from netra_backend.app.agents.agent_websocket_bridge import create_agent_websocket_bridge  # noqa: F401


def test_environment():
    from netra_backend.app.core.isolated_environment import IsolatedEnvironment
    assert IsolatedEnvironment
