def get_session():
    return None
