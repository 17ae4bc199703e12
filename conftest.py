"""Test-session setup shared by the unit tests and nbval.

nbval executes the committed notebooks with their default parameters; pointing
``ANALYSIS_OUT`` at a temporary folder (inherited by the kernels nbval starts)
keeps the test run from writing into the repository. ``ANALYSIS_CACHE`` gets
the same treatment: every test session starts from an empty cache, as on a
fresh clone, so a result cached by an earlier run cannot stand in for the code
a test means to run.
"""
import os
import tempfile


def pytest_configure(config):
    if "ANALYSIS_OUT" not in os.environ:
        os.environ["ANALYSIS_OUT"] = tempfile.mkdtemp(prefix="analysis-test-out-")
    if "ANALYSIS_CACHE" not in os.environ:
        os.environ["ANALYSIS_CACHE"] = tempfile.mkdtemp(prefix="analysis-test-cache-")
