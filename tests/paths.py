"""Fixed paths for tests in any sub-folder: the repository root and the stored test data."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = REPO_ROOT / "tests" / "data"
