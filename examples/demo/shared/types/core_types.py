from typing import NewType

UserID = NewType("UserID", str)
