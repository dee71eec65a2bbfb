"""bench/ is a development-only app: a checkout has `manage.py benchmark`, the product does not
need it, and the product code never imports it (nor django.test)."""

import ast
import os
import shutil
import subprocess
import sys

from django.conf import settings
from django.core.management import get_commands
from django.core.management.utils import get_random_secret_key

from tests.conftest import ROOT


def test_a_checkout_installs_the_bench_app_and_its_command():
    assert "bench" in settings.INSTALLED_APPS
    assert get_commands()["benchmark"] == "bench"


def test_the_product_starts_without_the_bench_package(tmp_path):
    # What the wheel holds (pyproject: newsreview*, articles*), and manage.py to drive it.
    for package in ("newsreview", "articles"):
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__"),
        )
    shutil.copy(ROOT / "manage.py", tmp_path)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SECRET_KEY": get_random_secret_key(),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }

    def manage(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    check = manage("check")
    assert check.returncode == 0, check.stderr
    shell = manage(
        "shell",
        "-c",
        "import importlib.util; from django.conf import settings;"
        "print(importlib.util.find_spec('bench'), 'bench' in settings.INSTALLED_APPS)",
    )
    assert shell.returncode == 0, shell.stderr
    assert shell.stdout.splitlines()[-1] == "None False"
    commands = manage("help", "--commands")
    assert commands.returncode == 0, commands.stderr
    assert "benchmark" not in commands.stdout.split()


def test_product_code_imports_neither_django_test_nor_bench():
    offenders = []
    for package in ("articles", "newsreview"):
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and not node.level:
                    names = [node.module or ""]
                else:
                    continue
                offenders += [
                    f"{path.relative_to(ROOT)}:{node.lineno} {name}"
                    for name in names
                    if name.split(".")[0] == "bench"
                    or name == "django.test"
                    or name.startswith("django.test.")
                ]
    assert offenders == []
