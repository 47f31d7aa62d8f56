# Status strings, saved by a Windows editor as cp1252 (no coding declaration).
READY = "prêt"
