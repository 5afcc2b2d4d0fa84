"""cattool: document torture and ill-treatment cases as YAML files in git, check them, act on them.

The package is a small library (loading, validation, checks, privacy, repositories) with a thin
command-line interface in ``cattool.cli``. Library functions return values and raise
``CattoolError``; they never print, prompt or exit.
"""

from cattool.errors import CattoolError, ExitCode

__version__ = "0.1.0"

__all__ = ["CattoolError", "ExitCode", "__version__"]
