"""A small realistic monorepo for the audit tests: four services, two forbidden edges,
deprecated symbols mid-migration, a broken path, an alias, a syntax error."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import write_project

REGISTRY = """
[project]
packages = ["api", "billing", "shared", "auth"]

[symbols."shared.client.Client"]
aliases = ["shared.Client"]

[broken."billing.old_invoices"]
use_instead = "billing.invoices"
reason = "removed in the billing rewrite"

[deprecated."shared.legacy.OldClient"]
use_instead = "shared.client.Client"
hint = "OldClient opens a connection per call; use Client."

[deprecated."shared.legacy.make_session"]
use_instead = "shared.client.Client"
hint = "sessions are owned by Client now"
severity = "error"

[deprecated."shared.retired"]
use_instead = "shared.client"
hint = "fully migrated; kept so nobody brings it back"

[services.api]
packages = ["api"]
may_import = ["shared", "billing"]

[services.billing]
packages = ["billing"]
may_import = ["shared"]

[services.shared]
packages = ["shared"]
may_import = []

[services.auth]
packages = ["auth"]
may_import = ["shared"]
"""

FILES: dict[str, str] = {
    "shared/__init__.py": "from shared.client import Client\n",
    "shared/client.py": "class Client:\n    pass\n",
    "shared/legacy.py": "class OldClient:\n    pass\n\n\ndef make_session():\n    return None\n",
    "shared/retired.py": "VALUE = 1\n",
    "shared/tokens.py": ("from auth.keys import signing_key\n\n\n"
                         "def sign(x):\n    return signing_key()\n"),
    "auth/keys.py": "def signing_key():\n    return 'k'\n",
    "auth/login.py": "from shared.client import Client\n",
    "api/routes.py": (
        "from shared.legacy import OldClient, make_session\n"
        "from shared import Client\n"
        "from billing.invoices import Invoice\n"
        "from billing.old_invoices import Invoice as OldInvoice\n"
    ),
    "api/views.py": "from shared.legacy import OldClient\nfrom api.routes import Invoice\n",
    "api/health.py": "import shared.client\n",
    "billing/invoices.py": "from shared.client import Client\n\n\nclass Invoice:\n    pass\n",
    "billing/reports.py": "from api.views import OldClient\nfrom api.routes import Invoice\n",
    "billing/broken.py": "def f(:\n    pass\n",
    "tools/script.py": "from shared.legacy import OldClient\n",
}


def make_project(root: Path, extra: dict[str, str] | None = None,
                 registry_extra: str = "") -> Path:
    return write_project(root, {**FILES, **(extra or {})}, REGISTRY + registry_extra)
