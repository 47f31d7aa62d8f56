from typing_extensions import deprecated

from netra_backend.app.core.audit import audit_log  # db -> core.audit -> routes: upward


def get_session():
    audit_log("session opened")
    return None


@deprecated("get_db_session opens a session per call; use get_session() inside a request scope")
def get_db_session():
    return get_session()
