"""A second UserExecutionContext, written before the SSOT one existed (SSOT401)."""


class UserExecutionContext:
    def __init__(self, user_id: str) -> None:
        self.user_id = user_id
