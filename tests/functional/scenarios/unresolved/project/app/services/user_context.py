class UserContext:
    pass


class ContextManager:
    pass
