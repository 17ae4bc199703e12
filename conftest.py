"""Test-session setup shared by the unit tests and nbval.

nbval executes the committed notebooks with their default parameters; pointing
``ANALYSIS_OUT`` at a temporary folder (inherited by the kernels nbval starts)
keeps the test run from writing into the repository. ``ANALYSIS_CACHE`` gets
the same treatment: every test session starts from an empty cache, as on a
fresh clone, so a result cached by an earlier run cannot stand in for the code
a test means to run. Folders made here are removed when the session ends.
"""
import os
import shutil
import tempfile

_CREATED: list[str] = []


def pytest_configure(config):
    for variable, prefix in (("ANALYSIS_OUT", "analysis-test-out-"), ("ANALYSIS_CACHE", "analysis-test-cache-")):
        if variable not in os.environ:
            os.environ[variable] = tempfile.mkdtemp(prefix=prefix)
            _CREATED.append(variable)


def pytest_unconfigure(config):
    # only what this session made: a folder the caller passed in is theirs
    while _CREATED:
        shutil.rmtree(os.environ.pop(_CREATED.pop()), ignore_errors=True)
