"""The README's two set-up commands are real, and what they install is pinned."""

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
RUN_COMMAND = "python3 -m harrow_inspection run"
TEST_COMMAND = "python3 -m harrow_inspection test"
# Installed with every virtual environment, not by the project.
TOOLING = {"pip", "setuptools", "wheel"}


def first_code_block():
    return re.search(r"```(?:sh|bash|console)?\n(.*?)```", README, re.DOTALL)[1]


def test_readme_starts_with_the_run_and_test_commands():
    commands = [line for line in first_code_block().splitlines() if line and line[0] != "#"]
    assert commands == [RUN_COMMAND, TEST_COMMAND]
    assert README.index(RUN_COMMAND) < README.index("## ")  # before any other section


def test_ci_runs_exactly_the_readmes_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(rf"^\s*{re.escape(TEST_COMMAND)}\s*$", ci, re.MULTILINE)
    assert re.search(rf"^[^#\n]*{re.escape(RUN_COMMAND)}\b", ci, re.MULTILINE)


def test_everything_installed_is_pinned_in_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = {}
    for line in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
        requirement = Requirement(line)
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", f"{line} is not pinned"
        pins[canonical(requirement.name)] = specifier.version
    installed = {
        canonical(dist.metadata["Name"]): dist.version for dist in metadata.distributions()
    }
    unpinned = {
        name: v for name, v in installed.items() if name not in pins and name not in TOOLING
    }
    assert not unpinned, f"installed but not pinned in pyproject.toml: {unpinned}"
    wrong = {name: (installed.get(name), pin) for name, pin in pins.items()
             if installed.get(name) != pin}  # fmt: skip
    assert not wrong, f"installed version differs from the pin: {wrong}"


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()
