def call():
    return None
