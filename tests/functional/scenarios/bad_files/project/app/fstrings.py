import os

LABEL = f"{"nested"}"
