"""``rsr-editor-cli sign | verify | unsign``: exit codes, outputs, password handling.

Most cases call :func:`rsr_editor.cli.main` in-process; one end-to-end test runs the CLI as
a child process and lets the real ``openssl`` check its output. Passwords are given only
through the environment, a file or a (simulated) terminal prompt, and must never appear in
a child's argv, in log records or in anything printed.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from support.pki import Pki, run_openssl

from rsr_editor.cli import main, signing_cmds
from rsr_editor.model import new_profile
from rsr_editor.plist_io import profile_to_bytes, read_profile

PASSWORD_VAR = "RSR_CLI_TEST_PASSWORD"  # noqa: S105 (a variable name)


@pytest.fixture
def profile_file(tmp_path: Path) -> Path:
    path = tmp_path / "in.mobileconfig"
    path.write_bytes(profile_to_bytes(new_profile(name="CLI signing", organization="Example")))
    return path


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "signed.mobileconfig"


def expected_content(path: Path) -> bytes:
    return profile_to_bytes(read_profile(path).profile)


def openssl_content(path: Path, pki: Pki) -> bytes:
    result = run_openssl(
        "smime", "-verify", "-inform", "der", "-in", path, "-CAfile", pki.root_cert
    )
    return result.stdout


# --------------------------------------------------------------------------- sign


def test_sign_p12_with_password_env(
    pki: Pki, profile_file: Path, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSWORD_VAR, pki.password)
    code = main(["sign", str(profile_file), "-o", str(out), "--p12", str(pki.rsa_p12),
                 "--password-env", PASSWORD_VAR])  # fmt: skip
    assert code == 0
    assert openssl_content(out, pki) == expected_content(profile_file)


def test_sign_encrypted_pem_with_password_file(
    pki: Pki, profile_file: Path, out: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "password.txt"
    secret.write_text(pki.password + "\n")  # the line end is not part of the password
    code = main(["sign", str(profile_file), "-o", str(out), "--cert", str(pki.rsa_cert),
                 "--key", str(pki.rsa_key_encrypted), "--chain", str(pki.intermediate_cert),
                 "--password-file", str(secret)])  # fmt: skip
    assert code == 0
    assert openssl_content(out, pki) == expected_content(profile_file)


def test_sign_combined_pem_to_stdout(
    pki: Pki, profile_file: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    combined = tmp_path / "identity.pem"
    combined.write_bytes(pki.ec_cert.read_bytes() + pki.ec_key.read_bytes())
    code = main(["sign", str(profile_file), "-o", "-", "--cert", str(combined),
                 "--chain", str(pki.chain_bundle)])  # fmt: skip
    assert code == 0
    der = capsysbinary.readouterr().out
    stdout_file = tmp_path / "from-stdout.mobileconfig"
    stdout_file.write_bytes(der)
    assert openssl_content(stdout_file, pki) == expected_content(profile_file)


def test_sign_warning_goes_to_stderr(
    pki: Pki, profile_file: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A private root: signing works, and stderr says devices show Not Verified."""
    code = main(["sign", str(profile_file), "-o", str(out), "--cert", str(pki.rsa_cert),
                 "--key", str(pki.rsa_key), "--chain", str(pki.chain_bundle)])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0 and out.exists()
    assert "warning:" in captured.err and "Not Verified" in captured.err
    assert captured.out == ""


def test_sign_incomplete_chain_warns(
    pki: Pki, profile_file: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["sign", str(profile_file), "-o", str(out), "--cert", str(pki.ec_cert),
                 "--key", str(pki.ec_key)])  # fmt: skip
    assert code == 0
    assert "include the intermediates" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--cert", "{expired_cert}", "--key", "{expired_key}"], "expired on"),
        (["--cert", "{not_yet_valid_cert}", "--key", "{not_yet_valid_key}"], "not valid yet"),
        (["--cert", "{rsa_cert}", "--key", "{unrelated_key}"], "does not match"),
        (["--p12", "{p12_without_key}", "--password-env", PASSWORD_VAR], "no private key"),
        (["--p12", "{rsa_p12}"], "--password-env"),
        (["--cert", "{rsa_cert}", "--key", "{rsa_key_encrypted}"], "encrypted"),
        (["--p12", "{rsa_p12}", "--cert", "{rsa_cert}"], "not both"),
        ([], "give the signing identity"),
        (["--key", "{rsa_key}"], "--key needs --cert"),
        (["--p12", "{rsa_p12}", "--password-env", "RSR_UNSET_VARIABLE"], "is not set"),
        (["--p12", "{rsa_p12}", "--password-file", "{directory}/absent"], "a password file"),
        (
            ["--cert", "{no_digital_signature_cert}", "--key", "{no_digital_signature_key}"],
            "may not sign profiles",
        ),
    ],
)
def test_sign_refusals_write_nothing(  # noqa: PLR0917 (pytest fixtures)
    pki: Pki,
    profile_file: Path,
    out: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    flags: list[str],
    message: str,
) -> None:
    monkeypatch.setenv(PASSWORD_VAR, pki.password)
    monkeypatch.delenv("RSR_UNSET_VARIABLE", raising=False)
    monkeypatch.setattr(signing_cmds, "_can_prompt", lambda: False)
    values = {name: str(getattr(pki, name)) for name in pki.__dataclass_fields__}
    args = [flag.format(**values) for flag in flags]
    code = main(["sign", str(profile_file), "-o", str(out), *args])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert not out.exists()
    assert sorted(p.name for p in out.parent.iterdir()) == ["in.mobileconfig"]
    assert pki.password not in err


def test_wrong_password_leaves_no_trace(  # noqa: PLR0917 (pytest fixtures)
    pki: Pki,
    profile_file: Path,
    out: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = pki.password + "-wrong"
    monkeypatch.setenv(PASSWORD_VAR, wrong)
    code = main(["sign", str(profile_file), "-o", str(out), "--p12", str(pki.rsa_p12),
                 "--password-env", PASSWORD_VAR])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 2 and "wrong password" in captured.err
    assert not out.exists()
    monkeypatch.setenv(PASSWORD_VAR, pki.password)
    assert main(["sign", str(profile_file), "-o", str(out), "--p12", str(pki.rsa_p12),
                 "--password-env", PASSWORD_VAR]) == 0  # fmt: skip
    captured_ok = capsys.readouterr()
    for secret in (wrong, pki.password):
        assert secret not in caplog.text
        assert secret not in captured.err + captured.out + captured_ok.err + captured_ok.out
    assert any(r.name.startswith("rsr_editor") for r in caplog.records)


def test_password_is_not_accepted_on_the_command_line(
    pki: Pki, profile_file: Path, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for flag in ("--password", "--pass", "-p"):
        with pytest.raises(SystemExit) as info:
            main(["sign", str(profile_file), "-o", str(out), "--p12", str(pki.rsa_p12),
                  flag, pki.password])  # fmt: skip
        assert info.value.code == 2
    assert not out.exists()
    capsys.readouterr()


def test_terminal_prompt(
    pki: Pki,
    profile_file: Path,
    out: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    answers = iter(["wrong one", pki.password])
    prompts: list[str] = []

    def fake_getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr(signing_cmds, "_can_prompt", lambda: True)
    monkeypatch.setattr("getpass.getpass", fake_getpass)
    code = main(["sign", str(profile_file), "-o", str(out), "--p12", str(pki.ec_p12)])
    assert code == 0 and out.exists()
    assert prompts == ["Password: ", "Password: "]
    err = capsys.readouterr().err
    assert "protected by a password" in err and "wrong password" in err
    assert pki.password not in err


def test_terminal_prompt_gives_up(
    pki: Pki,
    profile_file: Path,
    out: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(signing_cmds, "_can_prompt", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda _prompt="": "never right")
    code = main(["sign", str(profile_file), "-o", str(out), "--p12", str(pki.ec_p12)])
    assert code == 2
    assert "wrong password" in capsys.readouterr().err
    assert not out.exists()


def test_end_to_end_child_process(pki: Pki, profile_file: Path, out: Path) -> None:
    """The CLI as its own process: the password travels in the environment only."""
    argv = [sys.executable, "-c", "from rsr_editor.cli import run; run()", "sign",
            str(profile_file), "-o", str(out), "--p12", str(pki.rsa_p12),
            "--password-env", PASSWORD_VAR]  # fmt: skip
    assert all(pki.password not in arg for arg in argv)
    env = {**__import__("os").environ, PASSWORD_VAR: pki.password}
    result = subprocess.run(argv, capture_output=True, env=env, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    assert pki.password.encode() not in result.stdout + result.stderr
    assert openssl_content(out, pki) == expected_content(profile_file)
    verify = subprocess.run(
        [sys.executable, "-c", "from rsr_editor.cli import run; run()", "verify", str(out),
         "--ca", str(pki.root_cert), "--format", "json"],
        capture_output=True, check=False, timeout=120,
    )  # fmt: skip
    assert verify.returncode == 0, verify.stderr
    assert json.loads(verify.stdout)["chain_trusted"] is True


# --------------------------------------------------------------------------- verify


@pytest.fixture
def signed_file(pki: Pki, profile_file: Path, out: Path) -> Path:
    assert main(["sign", str(profile_file), "-o", str(out), "--cert", str(pki.ec_cert),
                 "--key", str(pki.ec_key), "--chain", str(pki.intermediate_cert)]) == 0  # fmt: skip
    return out


def test_verify_valid_text(pki: Pki, signed_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    code = main(["verify", str(signed_file), "--ca", str(pki.root_cert)])
    text = capsys.readouterr().out
    assert code == 0
    assert "VALID" in text and "RSR Test EC Signer" in text
    assert "chain trusted: yes" in text
    assert "SHA-256:" in text


def test_verify_json(pki: Pki, signed_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    code = main(["verify", str(signed_file), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert report["valid"] is True and report["chain_trusted"] is None
    assert report["signer"]["common_name"] == "RSR Test EC Signer"
    assert [c["common_name"] for c in report["chain"]] == ["RSR Test Intermediate CA"]
    assert report["signing_time"].endswith("Z")


def test_verify_tampered_exits_1(
    signed_file: Path, profile_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = bytearray(signed_file.read_bytes())
    index = data.find(b"CLI signing")
    data[index] ^= 0x20
    signed_file.write_bytes(bytes(data))
    capsys.readouterr()
    code = main(["verify", str(signed_file), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert report["valid"] is False and report["content_matches"] is False
    assert "content does not match its signature" in report["message"]


def test_verify_untrusted_exits_1(
    pki: Pki, signed_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["verify", str(signed_file), "--ca", str(pki.self_signed_cert)])
    assert code == 1
    assert "chain trusted: no" in capsys.readouterr().out


def test_verify_unreadable_exits_2(
    profile_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a readable unsigned profile fails the check: exit 1, "not signed"
    assert main(["verify", str(profile_file)]) == 1
    assert "INVALID: not signed" in capsys.readouterr().out
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    assert main(["verify", str(garbage)]) == 2
    assert "PNG" in capsys.readouterr().err
    assert main(["verify", str(tmp_path / "absent.mobileconfig")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["verify", str(tmp_path)]) == 2
    assert "folder" in capsys.readouterr().err


def test_verify_bad_ca_file_exits_2(
    signed_file: Path, profile_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", str(signed_file), "--ca", str(profile_file)]) == 2
    assert "not a certificate" in capsys.readouterr().err


def test_verify_openssl_signed_from_stdin(
    pki: Pki,
    profile_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import io

    der = run_openssl(
        "smime", "-sign", "-nodetach", "-binary", "-outform", "der", "-in", profile_file,
        "-signer", pki.rsa_cert, "-inkey", pki.rsa_key, "-certfile", pki.intermediate_cert,
    ).stdout  # fmt: skip
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(der)))
    assert main(["verify", "-", "--ca", str(pki.root_cert)]) == 0
    assert "<stdin>: VALID" in capsys.readouterr().out


# --------------------------------------------------------------------------- unsign


def test_unsign_to_file_and_stdout(
    signed_file: Path,
    profile_file: Path,
    tmp_path: Path,
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    plain = tmp_path / "plain.mobileconfig"
    assert main(["unsign", str(signed_file), "-o", str(plain)]) == 0
    assert plain.read_bytes() == expected_content(profile_file)
    capsysbinary.readouterr()
    assert main(["unsign", str(signed_file), "-o", "-"]) == 0
    assert capsysbinary.readouterr().out == expected_content(profile_file)


def test_unsign_tampered_warns(
    signed_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = bytearray(signed_file.read_bytes())
    data[data.find(b"CLI signing")] ^= 0x20
    signed_file.write_bytes(bytes(data))
    plain = tmp_path / "plain.mobileconfig"
    assert main(["unsign", str(signed_file), "-o", str(plain)]) == 0
    assert "signature is not valid" in capsys.readouterr().err
    assert b"cLI signing" in plain.read_bytes()


def test_unsign_unsigned_exits_2(
    profile_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = tmp_path / "plain.mobileconfig"
    assert main(["unsign", str(profile_file), "-o", str(plain)]) == 2
    assert "not a signed profile" in capsys.readouterr().err
    assert not plain.exists()


def test_cryptography_is_imported_only_when_signing() -> None:
    """Importing the signing module or building the CLI parser loads no cryptography."""
    code = (
        "import sys\n"
        "import rsr_editor.signing\n"
        "from rsr_editor.cli import build_parser\n"
        "build_parser()\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] == 'cryptography')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


# --------------------------------------------------------------------------- hostile input


@pytest.mark.timeout(120)  # a hang guard, not a speed check
@pytest.mark.parametrize(
    "flags",
    [
        ["--ca", "{bad}"],
    ],
)
def test_verify_credential_and_input_files_are_capped_and_pipe_safe(
    pki: Pki,
    signed_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    flags: list[str],
) -> None:
    """/dev/zero is refused at the cap; a FIFO nobody writes to reads as empty, never hangs."""
    import os

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for bad in ("/dev/zero", str(fifo)):
        args = [flag.format(bad=bad) for flag in flags]
        assert main(["verify", str(signed_file), *args]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1, err  # one error line
        assert ("larger than" in err) if bad == "/dev/zero" else ("not a certificate" in err)
    assert main(["verify", str(fifo)]) == 2
    assert "the file is empty" in capsys.readouterr().err
    assert main(["unsign", str(fifo), "-o", str(tmp_path / "x")]) == 2
    assert "not a signed profile" in capsys.readouterr().err
    assert main(["verify", "/dev/zero"]) == 2
    assert "bytes are refused" in capsys.readouterr().err


@pytest.mark.timeout(120)
@pytest.mark.parametrize("flag", ["--p12", "--cert", "--key", "--chain", "--password-file"])
def test_sign_credential_files_are_capped_and_pipe_safe(  # noqa: PLR0917 (pytest fixtures)
    pki: Pki,
    profile_file: Path,
    out: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    flag: str,
) -> None:
    import os

    monkeypatch.setattr(signing_cmds, "_can_prompt", lambda: False)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    base = {
        "--p12": ["--p12", "{bad}"],
        "--cert": ["--cert", "{bad}", "--key", str(pki.ec_key)],
        "--key": ["--cert", str(pki.ec_cert), "--key", "{bad}"],
        "--chain": ["--cert", str(pki.ec_cert), "--key", str(pki.ec_key), "--chain", "{bad}"],
        "--password-file": ["--p12", str(pki.rsa_p12), "--password-file", "{bad}"],
    }[flag]
    for bad in ("/dev/zero", str(fifo)):
        args = [part.format(bad=bad) for part in base]
        code = main(["sign", str(profile_file), "-o", str(out), *args])
        err = capsys.readouterr().err
        assert code == 2 and not out.exists()
        assert err.count("\n") == 1, err
        if bad == "/dev/zero":
            assert "larger than 1,048,576 bytes are refused" in err


def _hostile_signed(pki: Pki, tmp_path: Path, profile_file: Path) -> Path:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from support.cms_corpus import HOSTILE_NAME, craft_signed, der, make_certificate

    issuer_key = serialization.load_pem_private_key(pki.intermediate_key.read_bytes(), None)
    issuer = x509.load_pem_x509_certificate(pki.intermediate_cert.read_bytes())
    key = ec.generate_private_key(ec.SECP256R1())
    cert = make_certificate(HOSTILE_NAME, key, issuer, issuer_key)
    path = tmp_path / "hostile.mobileconfig"
    path.write_bytes(
        craft_signed(profile_file.read_bytes(), cert, key, bag=[der(cert), der(issuer)])
    )
    return path


def test_hostile_names_cannot_fake_the_report(
    pki: Pki, profile_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Control characters in a certificate name neither rewrite lines nor add new ones."""
    signed = _hostile_signed(pki, tmp_path, profile_file)
    data = bytearray(signed.read_bytes())
    data[data.find(b"CLI signing")] ^= 0x20
    tampered = tmp_path / "tampered.mobileconfig"
    tampered.write_bytes(bytes(data))
    capsys.readouterr()
    assert main(["verify", str(tampered), "--ca", str(pki.root_cert)]) == 1
    captured = capsys.readouterr()
    for stream in (captured.out, captured.err):
        assert not any(ch in stream for ch in "\r\x1b\u202e")
    lines = captured.out.splitlines()
    assert lines[0].startswith(f"{tampered}: INVALID:")
    assert [line for line in lines if line.startswith("chain trusted:")] == ["chain trusted: no"]
    assert "\\x1b[32mVALID" in captured.out  # the name, visibly escaped
    assert any(line.startswith("devices: Not Verified") for line in lines)
    # the intact file: valid under the test root, and still one line per field
    assert main(["verify", str(signed), "--ca", str(pki.root_cert), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["device_verdict"] == "Verified"
    assert report["signer"]["common_name"] == (
        "Evil\x1b[2K\r\x1b[32mVALID\x1b[0m\nchain trusted: yes\u202e<!--"
    )


def test_malformed_bag_certificate_gives_no_python_warning(
    pki: Pki, profile_file: Path, tmp_path: Path
) -> None:
    """A negative serial in the bag: ignored (not on the path), no warning text on stderr."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from support.cms_corpus import craft_signed, der

    cert = x509.load_pem_x509_certificate(pki.ec_cert.read_bytes())
    key = serialization.load_pem_private_key(pki.ec_key.read_bytes(), None)
    intermediate = x509.load_pem_x509_certificate(pki.intermediate_cert.read_bytes())
    negative = run_openssl("x509", "-new", "-key", pki.ec_key, "-subj", "/CN=Negative",
                           "-set_serial", "-5", "-days", "3", "-outform", "DER").stdout  # fmt: skip
    path = tmp_path / "negative.mobileconfig"
    path.write_bytes(
        craft_signed(
            profile_file.read_bytes(), cert, key, bag=[der(cert), der(intermediate), negative]
        )
    )
    result = subprocess.run(
        [sys.executable, "-W", "default", "-c", "from rsr_editor.cli import run; run()",
         "verify", str(path), "--ca", str(pki.root_cert)],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stderr and "warn" not in result.stderr.lower()
    assert "devices: Verified" in result.stdout


def test_verify_trust_system(
    pki: Pki, signed_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The test root is not a system root: intact, Not Verified, exit 1."""
    capsys.readouterr()
    assert main(["verify", str(signed_file), "--trust", "system"]) == 1
    out = capsys.readouterr().out
    assert "chain trusted: no" in out and "devices: Not Verified" in out
    # the real public profile: signed under Let's Encrypt, judged at a time it was valid
    from rsr_editor.signing import verify_signed

    real = (Path(__file__).resolve().parents[3] / "shared" / "reference" / "real-profiles"
            / "paulmillr__encrypted-dns__signed__quad9-default-https.mobileconfig")  # fmt: skip
    if real.exists():
        import datetime as dt

        then = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
        result = verify_signed(real.read_bytes(), trust="system", now=then)
        assert result.valid and result.device_verdict == "Verified", result.message
        assert [c.common_name for c in result.chain] == ["E8", "ISRG Root X1"]
