from shared.types.core_types import UserID  # ssot-lint: ignore[SSOT112]


class AuthService:
    def login(self, user: UserID) -> bool:
        return bool(user)
