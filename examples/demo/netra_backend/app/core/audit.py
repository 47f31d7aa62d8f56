"""Audit log helpers (formats entries like an HTTP response: a layering mistake)."""

from netra_backend.app.routes.helpers import format_response


def audit_log(event: str) -> dict:
    return format_response({"event": event})
