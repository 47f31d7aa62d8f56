"""The HTML audit in a real headless browser (Debian's chromium): it renders without
console errors, the DOM holds the graph and no injected markup, and a screenshot shows
the violating edges in red.

Marked ``browser`` and deselected by default; run with ``pytest -m browser`` (needs
``apt-get install -y chromium``).
"""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from ssot_lint.audit import audit
from ssot_lint.audit.html import render_html
from ssot_lint.audit.svg import BAD
from ssot_lint.load.config import load_config
from tests.conftest import make_audit_project as make_project
from tests.conftest import shared_tree

pytestmark = pytest.mark.browser

EVIL_FILE = "api/<img src=x onerror=alert(1)>.py"


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "chromium is not installed: apt-get install -y chromium"
    return found


def _browse(tmp_path: Path, page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    command = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}",
               "--enable-logging=stderr", "--v=0", *args, page.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def _console(stderr: str) -> list[str]:
    """Console messages the page produced (chromium logs them as ``CONSOLE`` lines)."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def _pixels(png: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit, non-interlaced RGB/RGBA PNG (what chromium writes) with zlib."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(png):
        (length,), kind = struct.unpack(">I", png[pos:pos + 4]), png[pos + 4:pos + 8]
        body = png[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and color in (2, 6) and interlace == 0
    bpp = 3 if color == 2 else 4
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up, corner = prev[i], prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
                line[i] = (line[i] + pred) & 255
        rows.append(bytes(line))
        prev = line
    return width, bpp, rows


def _count_colour(decoded: tuple[int, int, list[bytes]], hex_colour: str,
                  tolerance: int = 12) -> int:
    width, bpp, rows = decoded
    target = bytes.fromhex(hex_colour.lstrip("#"))
    count = 0
    for row in rows:
        for x in range(0, width * bpp, bpp):
            if all(abs(row[x + c] - target[c]) <= tolerance for c in range(3)):
                count += 1
    return count


def _report(tmp_path: Path, name: str, registry_extra: str = "",
            extra: dict[str, str] | None = None) -> Path:
    root = make_project(tmp_path / name, extra, registry_extra=registry_extra)
    page = tmp_path / f"{name}.html"
    page.write_text(render_html(audit([], load_config(root))), encoding="utf-8")
    return page


def test_console_errors_are_detected(tmp_path: Path) -> None:
    """The check below can fail: a page that logs an error is caught."""
    page = tmp_path / "noisy.html"
    page.write_text("<p>x</p><script>console.error('noisy page')</script>")
    assert any("noisy page" in line for line in _console(_browse(tmp_path, page,
                                                                  "--dump-dom").stderr))


def test_report_renders_without_console_errors(tmp_path: Path) -> None:
    page = _report(tmp_path, "mono", extra={EVIL_FILE: "def broken(:\n"})
    done = _browse(tmp_path, page, "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    assert _console(done.stderr) == []
    dom = done.stdout
    assert "<svg" in dom and 'class="edge violation"' in dom
    assert 'id="headline">' in dom and "compliant," in dom and "Service dependency graph" in dom
    assert "<script" not in dom and "<img" not in dom and "onerror=alert" in dom
    assert "&lt;img src=x onerror=alert(1)&gt;.py" in dom


def test_screenshot_shows_red_violating_edges(tmp_path: Path) -> None:
    page = _report(tmp_path, "mono")
    shot = tmp_path / "mono.png"
    done = _browse(tmp_path, page, f"--screenshot={shot}", "--window-size=1280,2000")
    assert done.returncode == 0 and shot.is_file(), done.stderr[-2000:]
    decoded = _pixels(shot.read_bytes())
    width, _, rows = decoded
    assert (width, len(rows)) == (1280, 2000)
    assert len({row[x:x + 3] for row in rows[::8] for x in range(0, len(row), 24)}) > 50
    red = _count_colour(decoded, BAD)
    assert red > 400, f"only {red} pixels of the violation colour"
    # Control: the same project with every service edge allowed draws no red edge.
    allowed = make_project(tmp_path / "calm")
    registry = (allowed / "ssot-registry.toml").read_text()
    registry = registry.replace('may_import = ["shared"]', 'may_import = ["*"]')
    registry = registry.replace("may_import = []", 'may_import = ["*"]')
    (allowed / "ssot-registry.toml").write_text(registry)
    calm_page = tmp_path / "calm.html"
    calm_page.write_text(render_html(audit([], load_config(allowed))), encoding="utf-8")
    calm_shot = tmp_path / "calm.png"
    assert _browse(tmp_path, calm_page, f"--screenshot={calm_shot}",
                   "--window-size=1280,2000").returncode == 0
    calm = _count_colour(_pixels(calm_shot.read_bytes()), BAD)
    assert calm < red / 10, (calm, red)


def _columns_with(decoded: tuple[int, int, list[bytes]], hex_colour: str) -> tuple[int, int]:
    """Leftmost and rightmost pixel column showing ``hex_colour`` (exactly)."""
    width, bpp, rows = decoded
    target = bytes.fromhex(hex_colour.lstrip("#"))
    found = [x // bpp for row in rows for x in range(0, width * bpp, bpp)
             if row[x:x + 3] == target]
    assert found, f"no pixel of {hex_colour}"
    return min(found), max(found)


@pytest.mark.parametrize("window", [1280, 2400])
def test_page_uses_the_window_width(tmp_path: Path, window: int) -> None:
    """The tables (header cells are #eef1f5) span the window, less the page's padding."""
    page = _report(tmp_path, "wide")
    shot = tmp_path / "wide.png"
    done = _browse(tmp_path, page, f"--screenshot={shot}", f"--window-size={window},1200")
    assert done.returncode == 0 and shot.is_file(), done.stderr[-2000:]
    left, right = _columns_with(_pixels(shot.read_bytes()), "#eef1f5")
    assert left < 60 and right > window - 60, (left, right)


DJANGO = "5.1.4"


def _django_tree() -> Path:
    """Django's sdist, downloaded from PyPI once into the gitignored ``.corpora/``."""
    tree = shared_tree(f"django=={DJANGO}", "audit")
    registry = Path(__file__).parent / "audit_corpus" / "django-registry.toml"
    shutil.copyfile(registry, tree / "ssot-registry.toml")
    return tree


def test_real_django_audit_renders(tmp_path: Path) -> None:
    """A real codebase of ~2,800 files, with the services of audit_corpus/django-registry."""
    tree = _django_tree()
    report, data_file = tmp_path / "django.html", tmp_path / "django.json"
    done = subprocess.run([sys.executable, "-m", "ssot_lint", "audit", "-o", str(report),
                           "--json", str(data_file)], cwd=tree, capture_output=True, text=True,
                          timeout=1800)
    assert done.returncode == 0, done.stderr[-2000:]
    data = json.loads(data_file.read_text(encoding="utf-8"))
    assert data["overall"]["files"] >= 2000
    deprecated = {d["symbol"]: d for d in data["deprecated"]}
    itercompat = deprecated["django.utils.itercompat"]  # Django's own RemovedInDjango60Warning
    assert [s["path"] for s in itercompat["sites"]] == ["tests/utils_tests/test_itercompat.py"]
    assert deprecated["django.utils.functional.cached_property"]["references"] > 50
    violating = [e for e in data["edges"] if not e["allowed"]]
    assert {"source": "foundation", "target": "orm"} in [
        {"source": e["source"], "target": e["target"]} for e in violating]
    boundary = next(r for r in data["rules"] if r["code"] == "SSOT201")
    assert boundary["findings"] == sum(e["imports"] for e in violating)
    rendered = _browse(tmp_path, report, "--dump-dom")
    assert rendered.returncode == 0 and _console(rendered.stderr) == []
    assert rendered.stdout.count('class="edge violation"') == len(violating)
