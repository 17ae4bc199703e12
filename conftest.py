"""Test-session setup shared by the unit tests and nbval.

nbval executes the committed notebooks with their default parameters; pointing
``ANALYSIS_OUT`` at a temporary folder (inherited by the kernels nbval starts)
keeps the test run from writing into the repository.
"""
import os
import tempfile


def pytest_configure(config):
    if "ANALYSIS_OUT" not in os.environ:
        os.environ["ANALYSIS_OUT"] = tempfile.mkdtemp(prefix="analysis-test-out-")
