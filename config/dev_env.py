"""The `.env` of a development checkout: DEBUG on and secrets generated for this clone.

`make run` writes it (`python -m config.dev_env`) so that every `manage.py` command works in
the clone with nothing prepended; the settings read it without overriding the environment.
A production host has no `.env`, so it still refuses to start on the default secrets.
Runs before Django is set up: it only writes the file.
"""

import secrets
import sys
from pathlib import Path

from cryptography.fernet import Fernet

DEV_ENV_PATH = Path(__file__).resolve().parent.parent / ".env"


def _dev_values() -> dict[str, str]:
    return {
        "DEBUG": "true",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ENCRYPTION_KEY": Fernet.generate_key().decode(),
    }


def dev_env_write(*, path: Path = DEV_ENV_PATH) -> list[str]:
    """Add the development variables missing from the file at `path`; the names added."""
    text = path.read_text() if path.exists() else ""
    present = {
        line.split("=", 1)[0].strip().removeprefix("export ").strip()
        for line in text.splitlines()
        if "=" in line and not line.lstrip().startswith("#")
    }
    missing = {name: value for name, value in _dev_values().items() if name not in present}
    if not missing:
        return []
    if text and not text.endswith("\n"):
        text += "\n"
    if not text:
        text = "# Development settings of this clone, written by `make run`; never deploy it.\n"
    text += "".join(f"{name}={value}\n" for name, value in missing.items())
    path.write_text(text)
    path.chmod(0o600)
    return list(missing)


if __name__ == "__main__":
    added = dev_env_write()
    if added:
        sys.stdout.write(f"Wrote {', '.join(added)} to {DEV_ENV_PATH}\n")
