"""
Train the assistant only when its inputs changed since the model on disk was trained.

The model's file name is a fingerprint of everything training reads (configuration, domain,
training data and the pinned packages), so a stale model is simply one with another name.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "bot" / "models"
RASA = ROOT / ".venvs" / "bot" / "bin" / "rasa"


def training_inputs() -> list[Path]:
    files = [ROOT / "config.yml", ROOT / "domain.yml", ROOT / "requirements" / "bot.txt"]
    return files + sorted((ROOT / "data").rglob("*.yml"))


def fingerprint() -> str:
    digest = hashlib.sha256()
    for path in training_inputs():
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def main() -> int:
    name = f"model-{fingerprint()}"
    model = MODELS / f"{name}.tar.gz"
    if model.exists():
        print(f"Model up to date: {model.relative_to(ROOT)}")
        return 0
    print("Training the assistant (a few minutes)…", flush=True)
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", PYTHONHASHSEED="0")
    done = subprocess.run(
        [
            str(RASA), "train",
            "--config", "config.yml", "--domain", "domain.yml", "--data", "data",
            "--out", str(MODELS), "--fixed-model-name", name,
        ],
        cwd=ROOT,
        env=env,
    )
    if done.returncode != 0:
        return done.returncode
    for old in MODELS.glob("*.tar.gz"):
        if old != model:
            old.unlink()  # `rasa run --model bot/models` must find this one only
    return 0


if __name__ == "__main__":
    sys.exit(main())
