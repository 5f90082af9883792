"""Fixtures shared by the tests: the repository, the example assessments, the Roadmap,
and the command line's advice for the same assessments."""

import json
import pathlib
import shutil
import subprocess

import pytest

import studentsucces

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "programmes.json"


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def roadmap():
    return studentsucces.RuleSet.roadmap()


@pytest.fixture()
def assessments():
    """The five example programmes, fresh per test (tests may change them)."""
    return json.loads(EXAMPLES.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def cli_advice():
    """`studentsucces advise examples/programmes.json --format json`, through cargo."""
    if shutil.which("cargo") is None:
        pytest.skip("cargo is not installed: the command line cannot be run")
    done = subprocess.run(
        ["cargo", "run", "--quiet", "--locked", "--",
         "advise", str(EXAMPLES), "--format", "json"],
        cwd=ROOT, capture_output=True, check=True,
    )
    return json.loads(done.stdout)
