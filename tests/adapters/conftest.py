"""Both fake platform APIs importable from any adapter test (by their module names)."""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
for folder in (HERE / "slack", HERE / "telegram"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
