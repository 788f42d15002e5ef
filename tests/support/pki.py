"""A throw-away PKI built at test time with the real ``openssl`` binary.

No private key is committed to the repository: :func:`make_pki` creates, in a folder the
caller owns (the session fixture ``pki`` in ``tests/conftest.py`` passes a pytest temp
folder), a root CA, an intermediate CA and the signer certificates, keys and PKCS#12 files
the signing, GUI and robustness tests need. Leaf certificates are issued with ``openssl ca``
because it is the only ``openssl`` 3.0 command that can set arbitrary validity dates
(expired and not-yet-valid signers). Passwords reach ``openssl`` through the environment
(``-passout env:…``), never through its command line.

The :class:`Pki` fields are a stable interface shared by several test folders: add fields,
do not rename or remove them. :func:`run_openssl` runs any other ``openssl`` command the
tests need (password through the environment too) and records its argv in
:data:`OPENSSL_ARGV_LOG`.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

#: argv of every ``openssl`` child started here, so tests can prove no password was in one
OPENSSL_ARGV_LOG: list[list[str]] = []

#: environment variable that carries the password to child ``openssl`` processes
PASSWORD_ENV = "RSR_TEST_PKI_PASSWORD"  # noqa: S105 (a variable name, not a secret)

_CONFIG = """\
[req]
distinguished_name = req_dn
prompt = no
[req_dn]
CN = unused

[ca]
default_ca = test_ca

[test_ca]
database = {folder}/index.txt
new_certs_dir = {folder}/issued
serial = {folder}/serial
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
email_in_dn = no
preserve = yes

[policy_any]
commonName = supplied
organizationName = optional
organizationalUnitName = optional

[root_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[intermediate_ext]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[signer_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = emailProtection, codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[no_digital_signature_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, keyEncipherment
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[self_signed_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
"""


@dataclass(frozen=True)
class Pki:
    """Paths of the generated PKI (all PEM unless named ``*_p12``) and the one password.

    Chain: ``root_cert`` (self-signed RSA 2048) → ``intermediate_cert`` (EC P-384) → every
    ``*_cert`` below except ``self_signed_cert``. Signers have ``digitalSignature`` key usage
    and the extended key usages emailProtection and codeSigning unless their name says
    otherwise. ``password`` protects ``rsa_key_encrypted``, ``rsa_p12``, ``ec_p12`` and
    ``p12_without_key``.
    """

    directory: Path
    password: str
    root_cert: Path
    root_key: Path
    intermediate_cert: Path
    intermediate_key: Path
    #: RSA 2048 signer issued by the intermediate, valid now for ten years
    rsa_cert: Path
    rsa_key: Path
    #: ``rsa_key`` as an encrypted PKCS#8 PEM (AES-256, ``password``)
    rsa_key_encrypted: Path
    #: EC P-256 signer issued by the intermediate, valid now for ten years
    ec_cert: Path
    ec_key: Path
    #: EC P-256 signer that expired on 2021-01-01
    expired_cert: Path
    expired_key: Path
    #: EC P-256 signer valid only from 2090-01-01
    not_yet_valid_cert: Path
    not_yet_valid_key: Path
    #: RSA 2048 signer whose key usage is keyEncipherment only (no digitalSignature)
    no_digital_signature_cert: Path
    no_digital_signature_key: Path
    #: self-signed EC P-256 leaf with digitalSignature (its own root)
    self_signed_cert: Path
    self_signed_key: Path
    #: an RSA 2048 key that belongs to no certificate (key/certificate mismatch)
    unrelated_key: Path
    #: PKCS#12 (``password``): rsa_cert + rsa_key + intermediate_cert
    rsa_p12: Path
    #: PKCS#12 (``password``): ec_cert + ec_key + intermediate_cert
    ec_p12: Path
    #: PKCS#12 (``password``) holding rsa_cert only, no private key
    p12_without_key: Path
    #: ``intermediate_cert`` followed by ``root_cert`` in one PEM file
    chain_bundle: Path


def openssl_binary() -> str | None:
    """Path of the ``openssl`` command, or ``None`` when it is not installed."""
    return shutil.which("openssl")


def run_openssl(
    *args: str | Path,
    stdin: bytes | None = None,
    password: str | None = None,
    check: bool = True,
) -> subprocess.CompletedProcess[bytes]:
    """Run ``openssl ARGS…``; ``password`` is passed as ``$RSR_TEST_PKI_PASSWORD`` only.

    With ``check`` a non-zero exit raises :class:`RuntimeError` carrying openssl's stderr.
    """
    openssl = openssl_binary()
    if openssl is None:
        raise RuntimeError("the openssl command is not installed")
    env = dict(os.environ)
    if password is not None:
        env[PASSWORD_ENV] = password
    argv = [openssl, *map(str, args)]
    OPENSSL_ARGV_LOG.append(argv)
    result = subprocess.run(
        argv,
        input=stdin,
        capture_output=True,
        env=env,
        check=False,
        timeout=120,
    )
    if check and result.returncode != 0:
        command = " ".join(map(str, args[:2]))
        raise RuntimeError(
            f"openssl {command} failed: {result.stderr.decode(errors='replace').strip()}"
        )
    return result


def make_pki(directory: Path) -> Pki:
    """Create the whole PKI under ``directory`` (which must exist) and describe it.

    Skips the calling test when the ``openssl`` command is missing.
    """
    if openssl_binary() is None:
        import pytest

        pytest.skip("the openssl command is not installed")
    folder = Path(directory)
    (folder / "issued").mkdir(exist_ok=True)
    (folder / "index.txt").write_text("")
    (folder / "serial").write_text("1000\n")
    config = folder / "openssl.cnf"
    config.write_text(_CONFIG.format(folder=folder.as_posix()))
    password = "rsr-" + secrets.token_urlsafe(12)

    def path(name: str) -> Path:
        return folder / name

    def rsa_key(name: str) -> Path:
        key = path(name)
        run_openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key)
        return key

    def ec_key(name: str, curve: str = "P-256") -> Path:
        key = path(name)
        run_openssl(
            "genpkey", "-algorithm", "EC", "-pkeyopt", f"ec_paramgen_curve:{curve}", "-out", key
        )
        return key

    def issue(
        name: str,
        key: Path,
        subject: str,
        *,
        ca_cert: Path,
        ca_key: Path,
        extensions: str,
        start: str | None = None,
        end: str | None = None,
    ) -> Path:
        csr = path(f"{name}.csr")
        cert = path(f"{name}.pem")
        run_openssl("req", "-new", "-config", config, "-key", key, "-subj", subject, "-out", csr)
        validity = ["-days", "3650"] if start is None else ["-startdate", start, "-enddate", end]
        run_openssl(
            "ca",
            "-batch",
            "-notext",
            "-config",
            config,
            "-cert",
            ca_cert,
            "-keyfile",
            ca_key,
            "-extensions",
            extensions,
            *validity,
            "-in",
            csr,
            "-out",
            cert,
        )
        return cert

    root_key = rsa_key("root.key")
    root_cert = path("root.pem")
    run_openssl(
        "req",
        "-x509",
        "-new",
        "-config",
        config,
        "-key",
        root_key,
        "-subj",
        "/O=RSR Profile Editor Tests/CN=RSR Test Root CA",
        "-days",
        "7300",
        "-sha256",
        "-extensions",
        "root_ext",
        "-out",
        root_cert,
    )

    intermediate_key = ec_key("intermediate.key", "P-384")
    intermediate_cert = issue(
        "intermediate",
        intermediate_key,
        "/O=RSR Profile Editor Tests/CN=RSR Test Intermediate CA",
        ca_cert=root_cert,
        ca_key=root_key,
        extensions="intermediate_ext",
    )
    leaf = {"ca_cert": intermediate_cert, "ca_key": intermediate_key}

    rsa_signer_key = rsa_key("rsa.key")
    rsa_cert = issue(
        "rsa",
        rsa_signer_key,
        "/O=RSR Profile Editor Tests/CN=RSR Test RSA Signer",
        extensions="signer_ext",
        **leaf,
    )
    ec_signer_key = ec_key("ec.key")
    ec_cert = issue(
        "ec",
        ec_signer_key,
        "/O=RSR Profile Editor Tests/CN=RSR Test EC Signer",
        extensions="signer_ext",
        **leaf,
    )
    expired_key = ec_key("expired.key")
    expired_cert = issue(
        "expired",
        expired_key,
        "/CN=RSR Test Expired Signer",
        extensions="signer_ext",
        start="20200101000000Z",
        end="20210101000000Z",
        **leaf,
    )
    future_key = ec_key("not-yet-valid.key")
    future_cert = issue(
        "not-yet-valid",
        future_key,
        "/CN=RSR Test Not Yet Valid Signer",
        extensions="signer_ext",
        start="20900101000000Z",
        end="20950101000000Z",
        **leaf,
    )
    no_ds_key = rsa_key("no-digital-signature.key")
    no_ds_cert = issue(
        "no-digital-signature",
        no_ds_key,
        "/CN=RSR Test Signer Without digitalSignature",
        extensions="no_digital_signature_ext",
        **leaf,
    )
    self_key = ec_key("self-signed.key")
    self_cert = path("self-signed.pem")
    run_openssl(
        "req",
        "-x509",
        "-new",
        "-config",
        config,
        "-key",
        self_key,
        "-subj",
        "/CN=RSR Test Self-Signed Signer",
        "-days",
        "3650",
        "-sha256",
        "-extensions",
        "self_signed_ext",
        "-out",
        self_cert,
    )
    unrelated = rsa_key("unrelated.key")

    rsa_key_encrypted = path("rsa-encrypted.key")
    run_openssl(
        "pkcs8",
        "-topk8",
        "-v2",
        "aes-256-cbc",
        "-in",
        rsa_signer_key,
        "-passout",
        f"env:{PASSWORD_ENV}",
        "-out",
        rsa_key_encrypted,
        password=password,
    )
    rsa_p12 = path("rsa.p12")
    run_openssl(
        "pkcs12",
        "-export",
        "-in",
        rsa_cert,
        "-inkey",
        rsa_signer_key,
        "-certfile",
        intermediate_cert,
        "-name",
        "RSR Test RSA Signer",
        "-passout",
        f"env:{PASSWORD_ENV}",
        "-out",
        rsa_p12,
        password=password,
    )
    ec_p12 = path("ec.p12")
    run_openssl(
        "pkcs12",
        "-export",
        "-in",
        ec_cert,
        "-inkey",
        ec_signer_key,
        "-certfile",
        intermediate_cert,
        "-name",
        "RSR Test EC Signer",
        "-passout",
        f"env:{PASSWORD_ENV}",
        "-out",
        ec_p12,
        password=password,
    )
    p12_without_key = path("without-key.p12")
    run_openssl(
        "pkcs12",
        "-export",
        "-nokeys",
        "-in",
        rsa_cert,
        "-passout",
        f"env:{PASSWORD_ENV}",
        "-out",
        p12_without_key,
        password=password,
    )
    chain_bundle = path("chain-bundle.pem")
    chain_bundle.write_bytes(intermediate_cert.read_bytes() + root_cert.read_bytes())

    return Pki(
        directory=folder,
        password=password,
        root_cert=root_cert,
        root_key=root_key,
        intermediate_cert=intermediate_cert,
        intermediate_key=intermediate_key,
        rsa_cert=rsa_cert,
        rsa_key=rsa_signer_key,
        rsa_key_encrypted=rsa_key_encrypted,
        ec_cert=ec_cert,
        ec_key=ec_signer_key,
        expired_cert=expired_cert,
        expired_key=expired_key,
        not_yet_valid_cert=future_cert,
        not_yet_valid_key=future_key,
        no_digital_signature_cert=no_ds_cert,
        no_digital_signature_key=no_ds_key,
        self_signed_cert=self_cert,
        self_signed_key=self_key,
        unrelated_key=unrelated,
        rsa_p12=rsa_p12,
        ec_p12=ec_p12,
        p12_without_key=p12_without_key,
        chain_bundle=chain_bundle,
    )
