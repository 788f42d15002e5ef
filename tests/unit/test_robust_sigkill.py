"""SIGKILL a process while it saves: the target is always the old or the new version.

A helper process imports the writer once, then 30 times forks a child that saves two
versions of a ~400 kB profile to the same path in a loop through the one atomic writer, and
kills it with SIGKILL after a random (seeded) delay; after each kill the test reads the
target with the app's reader and with plistlib. The
bytes must equal one of the two versions exactly — never empty, never a mix. Temp files a
killed process leaves behind may remain (nothing can remove them), but only under the
writer's hidden ``.<name>.*.tmp`` pattern, and the next save still works.
"""

from __future__ import annotations

import os
import plistlib
import subprocess
import sys
from pathlib import Path

import pytest

from rsr_editor.model import new_profile
from rsr_editor.plist_io import profile_to_bytes, read_profile, write_profile

KILLS = 30
SEED = 20_260_428

_HELPER = r"""
import os, random, signal, sys, time
from pathlib import Path
from rsr_editor.plist_io import atomic_write_bytes
target = Path(sys.argv[1])
versions = [Path(p).read_bytes() for p in sys.argv[2:4]]
rng = random.Random(int(sys.argv[4]))
for _ in range(int(sys.argv[5])):
    pid = os.fork()
    if pid == 0:  # the saving process: save forever until killed
        index = 0
        while True:
            atomic_write_bytes(target, versions[index % 2])
            index += 1
    time.sleep(rng.uniform(0.0, 0.06))  # a random moment, not a time limit
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    print("killed" if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
          else f"status {status}", flush=True)
    sys.stdin.readline()  # wait until the test has checked the target
"""


def _version(tag: str) -> bytes:
    data = new_profile(name=f"Version {tag}").to_plist()
    data["Padding"] = [f"{tag}-{i:06d}" * 4 for i in range(8_000)]  # ~400 kB: a wide window
    return profile_to_bytes(data)


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork() and SIGKILL (POSIX)")
def test_sigkill_during_save_leaves_old_or_new(tmp_path: Path) -> None:
    version_a, version_b = _version("A"), _version("B")
    sources = []
    for tag, data in (("a", version_a), ("b", version_b)):
        source = tmp_path / f"version-{tag}.bin"
        source.write_bytes(data)
        sources.append(str(source))
    folder = tmp_path / "target"
    folder.mkdir()
    target = folder / "profile.mobileconfig"
    write_profile(plistlib.loads(version_a), target)
    assert target.read_bytes() == version_a

    seen = {"A": 0, "B": 0}
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    helper = subprocess.Popen(
        [sys.executable, "-c", _HELPER, str(target), *sources, str(SEED), str(KILLS)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
    )
    assert helper.stdin is not None and helper.stdout is not None
    try:
        for _ in range(KILLS):
            assert helper.stdout.readline().strip() == b"killed"
            data = target.read_bytes()
            assert data in (version_a, version_b), "target is neither the old nor the new one"
            seen["A" if data == version_a else "B"] += 1
            loaded = read_profile(target)
            assert loaded.profile.payload_display_name in ("Version A", "Version B")
            assert plistlib.loads(data)["PayloadDisplayName"] == (
                loaded.profile.payload_display_name
            )
            helper.stdin.write(b"next\n")
            helper.stdin.flush()
    finally:
        helper.stdin.close()
        helper.stdout.close()
        assert helper.wait() == 0

    leftovers = [p.name for p in folder.iterdir() if p != target]
    assert all(name.startswith(f".{target.name}.") and name.endswith(".tmp") for name in leftovers)
    write_profile(plistlib.loads(version_b), target)  # saving again still works
    assert target.read_bytes() == version_b
    assert seen["A"] + seen["B"] == KILLS
