"""`make run`: the whole product on the embedded default, until Ctrl-C."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.stack import Stack, serve  # noqa: E402


def banner(stack: Stack) -> str:
    demo_sites = "".join(
        f"  territory site, widget {stack.directory_url}/t/{slug}\n"
        for slug in ("hautes-terres", "creuse-grand-sud", "coeur-de-lozere")
    )
    return (
        "\nAccueil Massif central is ready:\n"
        f"  chat test page         {stack.directory_url}/\n"
        f"{demo_sites}"
        f"  directory API          {stack.directory_url}/api/v1/territories\n"
        f"  Rasa REST webhook      {stack.rasa_url}/webhooks/rest/webhook\n"
        f"  action server          {stack.actions_url}/health\n"
        "Ctrl-C stops everything."
    )


def main() -> int:
    stack = Stack(
        directory_port=int(os.environ.get("DIRECTORY_PORT", 8080)),
        actions_port=int(os.environ.get("ACTIONS_PORT", 5055)),
        rasa_port=int(os.environ.get("RASA_PORT", 5005)),
    )
    print("Starting the directory, the action server and Rasa (about 30 s)…", flush=True)
    return serve(stack, banner)


if __name__ == "__main__":
    sys.exit(main())
