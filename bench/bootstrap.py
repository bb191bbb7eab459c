"""What every bench script needs first: the repository on the path, a throwaway data folder,
bench settings, and Django set up. Imported before anything from Django or atclusters."""

import os
import sys
import tempfile
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("ATCLUSTERS_VAR_DIR", tempfile.mkdtemp(prefix="atclusters-bench-"))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atclusters.settings")
django.setup()
