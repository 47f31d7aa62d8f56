from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.services.user_context import UserContext
