"""Make root obey file permissions in a child process, so permission tests are real.

Root ignores file modes (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), and these tests often run
as root in containers. Dropping the two capabilities from the bounding set before
``exec`` keeps them dropped in the child (root's capabilities are recomputed from it), so
the child is root that meets the same kernel permission checks as anyone else. As a
normal user nothing needs to be done.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Callable

CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, PR_CAPBSET_DROP = 1, 2, 24


def _drop_root_file_powers() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed: cannot make "
                          "root obey file modes without CAP_SETPCAP")


def obey_file_modes() -> Callable[[], None] | None:
    """A ``preexec_fn`` for subprocess that makes the child obey file modes (None if it will)."""
    return _drop_root_file_powers if os.geteuid() == 0 else None
