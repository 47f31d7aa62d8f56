def create_agent_websocket_bridge():
    return object()
