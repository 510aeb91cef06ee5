"""Where training finds its data: the repository root and the shared corpora beside it."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
# CI clones the repository with shared/ beside it: <parent>/main and <parent>/shared.
DEFAULT_DATA_DIR = REPO_ROOT.parent / "shared" / "data" / "arabic-harm"
EXAMPLES_DIR = REPO_ROOT / "data" / "classifier"
