"""The README's install instructions, run against a clone of this repository at the tag they
name: `pip install git+<repo>@v0.2.0` into a fresh virtual environment (the clone stands in
for the GitHub URL), then the installed command on a manifest.

Offline: the new environment borrows pip, setuptools and k8slint's dependencies from the
test environment through a .pth file, and pip runs with --no-index --no-build-isolation
--no-deps, so only k8slint itself is built and installed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig

import pytest

from k8slint import HOMEPAGE, __version__
from tests.conftest import ROOT
from tests.test_precommit import GIT_ENV, _hook_repo, readme_block

BROKEN = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  labels:\n    version: 1.10\n"


def _borrowing_venv(venv) -> str:
    """A new virtual environment that sees the test environment's packages (pip,
    setuptools, k8slint's dependencies) through a .pth file; its python."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = str(venv / "bin" / "python")
    purelib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    with open(os.path.join(purelib, "borrowed.pth"), "w", encoding="utf-8") as handle:
        handle.write(sysconfig.get_paths()["purelib"] + "\n")
    return python


def _readme_pip_line() -> str:
    block = readme_block("Install", "sh")
    lines = [line.split("#")[0].strip() for line in block.splitlines()]
    [pip] = [line for line in lines if line.startswith("pip install git+")]
    return pip


@pytest.fixture
def tagged(tmp_path):
    """(a git copy of this checkout tagged v<version>, the environment to run git and pip in)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    env = {**os.environ, **GIT_ENV, "NO_COLOR": "1"}
    env.pop("VIRTUAL_ENV", None)
    source, _ = _hook_repo(tmp_path, env)
    return source, env


def test_readme_pip_install_at_the_tag_works_from_a_clone(tmp_path, tagged):
    source, env = tagged

    pip_line = _readme_pip_line()
    assert pip_line == f"pip install git+{HOMEPAGE}@v{__version__}"
    url = pip_line.split()[-1].replace(f"git+{HOMEPAGE}", f"git+file://{source}")
    assert url.endswith(f"@v{__version__}")

    venv = tmp_path / "venv"
    installed = subprocess.run(
        [_borrowing_venv(venv), "-m", "pip", "install", "--quiet", "--no-index", "--no-deps",
         "--no-build-isolation", "--disable-pip-version-check", url],
        capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    command = venv / "bin" / "k8slint"
    version = subprocess.run([str(command), "--version"], capture_output=True, text=True, timeout=60)
    assert version.stdout.strip() == f"k8slint, version {__version__}"
    manifest = tmp_path / "app.yaml"
    manifest.write_text(BROKEN)
    checked = subprocess.run([str(command), "check", str(manifest)], capture_output=True, text=True,
                             timeout=60, cwd=tmp_path, env=env)
    assert checked.returncode == 1
    assert "error yaml-string-trap" in checked.stdout
    # The installed package has its data (rules, schemas, the CRD bundle), not the checkout's.
    where = subprocess.run([str(venv / "bin" / "python"), "-c",
                            "import k8slint, k8slint.resources as r; print(k8slint.__file__); "
                            "print(r.data_dir('schemas') / 'crds.json.gz')"],
                           capture_output=True, text=True, timeout=60, cwd=tmp_path)
    package, bundle = where.stdout.split()
    assert package.startswith(str(venv)) and os.path.isfile(bundle)
    assert re.search(r"FAILED: 1 error", checked.stdout)


def test_readme_install_from_a_clone(tmp_path, tagged):
    """The second block: clone, check out the tag, `pip install .`."""
    source, env = tagged
    steps = [line.split("  #")[0].strip() for line in readme_blocks("Install", "sh")[1].splitlines()]
    assert steps[:3] == [f"git clone {HOMEPAGE} && cd k8slint", f"git checkout v{__version__}",
                         "pip install ."], steps
    subprocess.run(["git", "clone", "-q", str(source), "k8slint"], cwd=tmp_path, env=env, check=True,
                   timeout=120)
    clone = tmp_path / "k8slint"
    subprocess.run(["git", "checkout", "-q", f"v{__version__}"], cwd=clone, env=env, check=True, timeout=60)
    python = _borrowing_venv(tmp_path / "venv")
    installed = subprocess.run([python, "-m", "pip", "install", "--quiet", "--no-index", "--no-deps",
                                "--no-build-isolation", "--disable-pip-version-check", "."],
                               capture_output=True, text=True, timeout=300, env=env, cwd=clone)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    version = subprocess.run([str(tmp_path / "venv" / "bin" / "k8slint"), "--version"],
                             capture_output=True, text=True, timeout=60)
    assert version.stdout.strip() == f"k8slint, version {__version__}"


def readme_blocks(heading: str, language: str) -> list[str]:
    section = (ROOT / "README.md").read_text(encoding="utf-8").split(f"\n## {heading}\n", 1)[1]
    section = section.split("\n## ", 1)[0]
    return [part.split("```", 1)[0] for part in section.split(f"```{language}\n")[1:]]
