from app.missing import a  # ssot-lint: ignore[SSOT102]
from app.missing import b  # ssot-lint: ignore
from app.real import Thing  # ssot-lint: ignore[SSOT102]
from app.missing import c  # ssot-lint: ignore[SSOT102, SSOT111]
from app.real import (  # ssot-lint: ignore[SSOT103]
    Nope,
    Thing as T,
)
from app.real import (
    Thing as T2,
    Absent,  # ssot-lint: ignore[SSOT103]
)
from app.missing import d  # ssot-lint: ignore[SSOT112]
