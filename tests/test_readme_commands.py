"""The README's and `docs/` pages' commands work as pasted in a fresh clone.

Every `manage.py` command of their shell blocks runs; the README's tour runs whole against a
server started in the clone, each `curl` failing on an HTTP error.

The clone is a copy of the project without `.venv`, `.env` and `var/` (what git ignores),
with the shared virtualenv linked in as `.venv`, the `.env` that `make run` writes (same
code) and `make run`'s setup: migrations and a `places` tileset. Commands run in bash with
no variable but `PATH` (without the virtualenv) and `HOME`, as in a new terminal. The sample
tileset is built from a few cities: the full build takes half a minute and no README command
reads its content.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from config.dev_env import dev_env_write
from tiles.sample_builder import places_tileset_build

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
# Not part of a clone: git ignores them (see .gitignore) or they are the repository itself.
_NOT_CLONED = {".git", ".venv", ".env", "var", ".pytest_cache", ".ruff_cache", "bench/out"}
_SHELL_BLOCK = re.compile(
    r"^[ \t]*```(sh|bash|console)[ \t]*\n(.*?)^[ \t]*```", re.MULTILINE | re.DOTALL
)
CITIES = [
    {
        "name": "Lyon",
        "countrycode": "FR",
        "population": 516_000,
        "latitude": 45.75,
        "longitude": 4.85,
    },
    {
        "name": "Lagos",
        "countrycode": "NG",
        "population": 15_300_000,
        "latitude": 6.45,
        "longitude": 3.39,
    },
]


def shell_commands(markdown: str) -> list[str]:
    """The commands of the markdown's sh, bash and console blocks, continuation lines joined."""
    commands = []
    for language, block in _SHELL_BLOCK.findall(markdown):
        pending = ""
        for raw in block.splitlines():
            line = raw.strip()
            if language == "console":
                if not line.startswith("$ "):
                    continue
                line = line.removeprefix("$ ")
            if line.endswith("\\"):
                pending += line.removesuffix("\\")
                continue
            command = (pending + line).strip()
            pending = ""
            if command and not command.startswith("#"):
                commands.append(command)
    return commands


def manage_py_commands() -> list[str]:
    commands = []
    for page in [README, *DOCS]:
        commands += [
            command for command in shell_commands(page.read_text()) if "manage.py" in command
        ]
    return commands


def tour_script() -> str:
    """The README's tour: the first shell block after its heading."""
    readme = README.read_text()
    tour = readme[readme.index("## A five-minute tour") :]
    return _SHELL_BLOCK.search(tour).group(2)


def _not_cloned(directory: str, names: list[str]) -> set[str]:
    relative = Path(directory).relative_to(ROOT)
    return {
        name
        for name in names
        if name == "__pycache__" or (relative / name).as_posix() in _NOT_CLONED
    }


def _fresh_shell_env(home: Path) -> dict[str, str]:
    venv_bin = (Path(sys.prefix) / "bin").resolve()
    path = [p for p in os.environ["PATH"].split(os.pathsep) if Path(p).resolve() != venv_bin]
    return {"PATH": os.pathsep.join(path), "HOME": str(home)}


def _bash(command: str, *, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A set-up clone of the project and the environment of a new terminal in it."""
    base = tmp_path_factory.mktemp("readme")
    directory = base / "clone"
    shutil.copytree(ROOT, directory, ignore=_not_cloned, symlinks=True)
    (directory / ".venv").symlink_to(Path(sys.prefix).resolve(), target_is_directory=True)
    dev_env_write(path=directory / ".env")
    home = base / "home"
    home.mkdir()
    env = _fresh_shell_env(home)
    migrated = _bash(".venv/bin/python manage.py migrate --noinput", cwd=directory, env=env)
    assert migrated.returncode == 0, migrated.stderr
    places_tileset_build(directory=directory / "var" / "tilesets", cities=CITIES, maxzoom=4)
    return directory, env


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, *, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read()
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the clone's server did not start")


def test_the_readme_tour_runs_as_pasted_against_the_clones_server(clone):
    directory, env = clone
    port = _free_port()
    server = subprocess.Popen(
        [".venv/bin/python", "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=directory,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(port, process=server)
        script = tour_script().replace("127.0.0.1:8000", f"127.0.0.1:{port}")
        # As pasted, but each curl fails on an HTTP error status and the first failure stops.
        strict = 'set -e\ncurl() { command curl --fail-with-body "$@"; }\n' + script
        completed = _bash(strict, cwd=directory, env=env)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-3000:]
    assert '"results"' in completed.stdout
    assert '"status":"pending"' in completed.stdout.replace(" ", "")


def test_readme_has_the_commands_a_newcomer_needs():
    commands = " ".join(manage_py_commands())
    for name in ("issue_test_jwt", "create_api_token", "rotate_signing_key", "createsuperuser"):
        assert f".venv/bin/python manage.py {name}" in commands


def test_readme_runs_manage_py_with_the_clones_python_and_nothing_prepended():
    for command in manage_py_commands():
        invocations = re.findall(r"(?:^|\$\()([^$()]*?)manage\.py", command)
        assert invocations, command
        assert all(prefix == ".venv/bin/python " for prefix in invocations), command


def test_every_readme_manage_py_command_works_as_pasted_in_a_fresh_clone(clone):
    directory, env = clone
    commands = list(dict.fromkeys(manage_py_commands()))
    # Two at a time: each command is mostly Django starting up.
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda command: _bash(command, cwd=directory, env=env), commands))
    failures = [
        f"$ {command}\n{completed.stdout[-1000:]}{completed.stderr[-3000:]}"
        for command, completed in zip(commands, results, strict=True)
        if completed.returncode != 0
    ]
    assert not failures, "\n\n".join(failures)


def test_shell_commands_joins_continuations_and_skips_comments_and_output():
    markdown = (
        "text\n"
        "```sh\n"
        "# a comment\n"
        "curl -s http://x \\\n"
        "  -H 'A: b'\n"
        "```\n"
        "  ```bash\n"
        "  .venv/bin/python manage.py check\n"
        "  ```\n"
        "```console\n"
        "$ make run\n"
        "output line\n"
        "```\n"
        "```python\n"
        "print('not shell')\n"
        "```\n"
    )
    assert shell_commands(markdown) == [
        "curl -s http://x -H 'A: b'",
        ".venv/bin/python manage.py check",
        "make run",
    ]
