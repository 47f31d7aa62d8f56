# ssot-lint: ignore-file[SSOT103]
from app.real import Gone
from app.missing import f
