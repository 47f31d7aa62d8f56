# ssot-lint: ignore-file
from app.missing import e
from app.real import Other
