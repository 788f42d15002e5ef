"""Apple's security-response version strings: parse, compare, and the compliance hint.

Rapid Security Responses (renamed Background Security Improvements in 26.0) gave OS
versions a letter: ``16.4.1 (a)``. Declarative status reports the letter alone as the
*extra version* (``a``) and the *supplemental build* as one opaque string such as
``20E772520a``. Compliance tooling that split versions on dots, or read the response letter
off the end of the build, broke on these — and the build's last letter is not the response
letter (16.5.1 (a) is build ``20F770750b``). This module parses the three forms into typed
values, compares like with like, refuses to compare an extra version or a build with an OS
version (there is no honest answer), and raises :class:`~rsr_editor.errors.VersionParseError`
with a message naming the accepted forms for anything else. The OS majors Apple shipped and
the known responses are data, read from ``resources/releases.json`` (:func:`release_data`).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from functools import total_ordering
from typing import Any, Literal

from rsr_editor.errors import VersionParseError
from rsr_editor.resources import resource_path
from rsr_editor.targets import OSVersion, Platform

# "16", "16.4", "16.4.1" with an optional response letter "(a)"; Apple writes one space
# before the parenthesis, sw_vers prints ProductVersionExtra "(a)" on its own.
_OS_RE = re.compile(r"^(?P<base>\d{1,3}(?:\.\d{1,3}){0,2})(?:\s*\((?P<extra>[A-Za-z])\))?$")
# the extra version alone: "a" (declarative status) or "(a)" (sw_vers ProductVersionExtra)
_EXTRA_RE = re.compile(r"^(?:\((?P<paren>[A-Za-z])\)|(?P<bare>[A-Za-z]))$")
# Apple build numbers: major number, train letter, build number, optional lowercase suffix
# (20E252, 22F82, 20E772520a, 21A5248v). Supplemental builds are just longer numbers.
_BUILD_RE = re.compile(r"^(?P<major>\d{1,3})(?P<train>[A-Z])(?P<number>\d{1,7})(?P<suffix>[a-z]?)$")

_ACCEPTED = (
    "expected an OS version with an optional response letter (16.4.1, 16.4.1 (a)), "
    "a response letter alone (a) or a build (20E772520a)"
)


@total_ordering
@dataclass(frozen=True)
class ResponseVersion:
    """An OS version with an optional security-response letter: ``16.4.1 (a)``.

    ``base`` is ``None`` for the extra version alone (declarative status ``a``), which can
    only be compared with another letter. A version with a letter sorts after the same
    version without one and before the next OS version: 16.4.1 < 16.4.1 (a) < 16.4.1 (c)
    < 16.5.
    """

    base: OSVersion | None
    extra: str | None = None

    @property
    def kind(self) -> Literal["os", "extra"]:
        return "extra" if self.base is None else "os"

    @property
    def is_extra_only(self) -> bool:
        return self.base is None

    def _key(self) -> tuple[tuple[int, int, int], str]:
        # a letter alone sorts as version 0; callers never mix it with an OS version
        padded = (*(self.base.parts if self.base else ()), 0, 0, 0)
        return ((padded[0], padded[1], padded[2]), self.extra or "")

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, ResponseVersion):
            return NotImplemented
        return compare_versions(self, other) < 0

    def __str__(self) -> str:
        if self.base is None:
            return self.extra or ""
        text = ".".join(str(p) for p in self.base.parts)
        return f"{text} ({self.extra})" if self.extra else text


@total_ordering
@dataclass(frozen=True)
class BuildVersion:
    """An Apple build string such as ``20E252`` or the supplemental ``20E772520a``.

    The build is treated as opaque: nothing is read off its suffix (the letter does not
    follow the response letter). Two builds are ordered the way Apple assigns them — major
    number, train letter, build number, suffix — which is how a compliance rule "at least
    this build" has to compare them; equality is exact.
    """

    text: str
    major: int
    train: str
    number: int
    suffix: str

    @property
    def kind(self) -> Literal["build"]:
        return "build"

    @property
    def is_supplemental(self) -> bool:
        """Supplemental (response) builds carry a six-digit-or-longer build number."""
        return self.number >= 100_000

    def _key(self) -> tuple[int, str, int, str, str]:
        # the text last: builds equal only when identical, consistent with ==
        return (self.major, self.train, self.number, self.suffix, self.text)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, BuildVersion):
            return NotImplemented
        return self._key() < other._key()

    def __str__(self) -> str:
        return self.text


AnyVersion = ResponseVersion | BuildVersion


def parse_version(text: str) -> AnyVersion:
    """Parse an OS/response version, an extra version alone, or a build string.

    Raises :class:`VersionParseError` naming the accepted forms when ``text`` is none of
    them (``16.4.1(a)b``, ``16..4``, ``(ab)``, an empty string …).
    """
    if not isinstance(text, str):
        raise VersionParseError(f"a version must be text, not {type(text).__name__}")
    stripped = text.strip()
    if not stripped:
        raise VersionParseError(f"empty version: {_ACCEPTED}")
    match = _OS_RE.match(stripped)
    if match:
        base = OSVersion(tuple(int(p) for p in match["base"].split(".")))
        extra = match["extra"].lower() if match["extra"] else None
        return ResponseVersion(base, extra)
    match = _EXTRA_RE.match(stripped)
    if match:
        return ResponseVersion(None, (match["paren"] or match["bare"]).lower())
    match = _BUILD_RE.match(stripped)
    if match:
        return BuildVersion(
            stripped,
            int(match["major"]),
            match["train"],
            int(match["number"]),
            match["suffix"],
        )
    raise VersionParseError(f"'{text}' is not a version: {_ACCEPTED}")


def _describe_kind(version: AnyVersion) -> str:
    if isinstance(version, BuildVersion):
        return f"build {version}"
    if version.is_extra_only:
        return f"response letter '{version}' alone"
    return f"OS version {version}"


def compare_versions(a: AnyVersion | str, b: AnyVersion | str) -> int:
    """-1, 0 or 1 as ``a`` is older than, the same as, or newer than ``b``.

    Like is compared with like: two OS versions (with or without letters), two letters
    alone, or two builds. Anything else raises :class:`VersionParseError` explaining why —
    a build cannot be turned into a response letter, and a letter alone has no OS version.
    """
    left = parse_version(a) if isinstance(a, str) else a
    right = parse_version(b) if isinstance(b, str) else b
    if isinstance(left, BuildVersion) and isinstance(right, BuildVersion):
        return (left._key() > right._key()) - (left._key() < right._key())
    if isinstance(left, ResponseVersion) and isinstance(right, ResponseVersion):
        if left.is_extra_only and right.is_extra_only:
            la, ra = left.extra or "", right.extra or ""
            return (la > ra) - (la < ra)
        if not left.is_extra_only and not right.is_extra_only:
            lk, rk = left._key(), right._key()
            return (lk > rk) - (lk < rk)
    raise VersionParseError(
        f"cannot compare {_describe_kind(left)} with {_describe_kind(right)}: "
        "compare OS versions with OS versions (16.4.1 (a)), letters with letters (a) "
        "and builds with builds (20E772520a)"
    )


# --------------------------------------------------------------------------- release data


@dataclass(frozen=True)
class KnownResponse:
    """A published security response: its version and, where Apple published it, its
    supplemental build."""

    platform: Platform
    version: ResponseVersion
    build: BuildVersion | None
    released: str | None = None


@dataclass(frozen=True)
class ReleaseData:
    """``resources/releases.json``: OS majors shipped and the known security responses."""

    majors: dict[Platform, tuple[int, ...]]
    responses: tuple[KnownResponse, ...]
    bsi_supported_from: dict[Platform, OSVersion]


def _response(entry: dict[str, Any]) -> KnownResponse:
    platform = Platform(entry["platform"])
    version = parse_version(entry["version"])
    build = parse_version(entry["build"]) if entry.get("build") else None
    if not isinstance(version, ResponseVersion) or not (
        build is None or isinstance(build, BuildVersion)
    ):  # a typo in the data file; fail loudly, not in front of a user
        raise TypeError(f"bad response entry in releases.json: {entry!r}")
    return KnownResponse(platform, version, build, entry.get("released"))


@functools.cache
def release_data() -> ReleaseData:
    """The release data file, read once."""
    raw = json.loads(resource_path("releases.json").read_text(encoding="utf-8"))
    bsi = raw["background_security_improvements"]["supported_from"]
    return ReleaseData(
        majors={Platform(name): tuple(values) for name, values in raw["majors"].items()},
        responses=tuple(_response(entry) for entry in raw["responses"]),
        bsi_supported_from={Platform(name): OSVersion.parse(v) for name, v in bsi.items()},
    )


def known_responses() -> tuple[KnownResponse, ...]:
    return release_data().responses


def released_majors(platform: Platform) -> tuple[int, ...]:
    return release_data().majors.get(platform, ())


#: why the hint names the build: the part compliance tooling gets wrong
BUILD_CAVEAT = (
    "compare the supplemental build as a whole; its last letter is not the response letter"
)


def compliance_hint(response: KnownResponse, *, explain: bool = True) -> str:
    """The one-line compliance-minimum advice for a known response."""
    if response.build is None:
        return f"require {response.version} (compare the response letter, not the build)"
    text = f"require {response.version}: build {response.build}"
    return f"{text} ({BUILD_CAVEAT})" if explain else text


def compliance_hints(
    platform: Platform,
    minimum: OSVersion | None = None,
    maximum: OSVersion | None = None,
    *,
    explain: bool = True,
) -> list[str]:
    """Hints for the known responses of ``platform`` whose OS version lies in the range."""
    hints: list[str] = []
    for response in known_responses():
        if response.platform is not platform:
            continue
        base = response.version.base
        if base is None:
            continue
        if minimum is not None and base < minimum:
            continue
        if maximum is not None and maximum < base:
            continue
        hints.append(f"{platform.label} {base}: {compliance_hint(response, explain=explain)}")
    return hints
