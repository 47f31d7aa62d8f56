from unittest import mock

import pytest


def test_old_bridge_path_is_gone():
    with pytest.raises(ImportError):
        from netra_backend.app.agents.agent_websocket_bridge import create_agent_websocket_bridge  # noqa: F401


def test_environment():
    from netra_backend.app.core.isolated_environment import IsolatedEnvironment
    assert IsolatedEnvironment


@mock.patch("netra_backend.app.agents.agent_websocket_bridge.create_agent_websocket_bridge")
def test_bridge_is_created(create):
    assert create is not None
