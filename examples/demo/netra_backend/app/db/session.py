from netra_backend.app.core.audit import audit_log  # db -> core.audit -> routes: upward


def get_session():
    audit_log("session opened")
    return None
