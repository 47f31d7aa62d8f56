def make_bridge():
    return None
