"""A generated corpus of signed profiles for the differential test against ``openssl``.

:func:`build_corpus` writes, into a folder the caller owns, one signed file per case the
verification review named — the standard shapes (S/MIME and CMS, with and without signed
attributes, SHA-1 to SHA-512, RSA-PSS, ECDSA, key-identifier signers, BER streaming, two
signers) and the broken and hostile ones (tampered content and signature, a swapped
signer certificate, detached, no signer, missing certificates, an untrusted root,
non-CA issuers, a path-length violation, unknown critical extensions, dates, a missing
contentType attribute, stray certificates, hostile names, bags of same-named certificates).
Standard files are signed by the ``openssl`` binary; the rest are crafted here with
``cryptography`` (certificates) and ``asn1crypto`` (CMS structures), because no signing
tool writes them. Each :class:`Case` names the trust anchors to verify against and, when
our verdict deliberately differs from openssl's, why.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from support.pki import Pki, run_openssl

NOW = dt.datetime.now(dt.UTC)

#: a subject meant to rewrite a terminal line and to end a rich-text label
HOSTILE_NAME = "Evil\x1b[2K\r\x1b[32mVALID\x1b[0m\nchain trusted: yes\u202e<!--"


@dataclass(frozen=True)
class Case:
    """One signed file, what to trust when checking it, and any documented difference."""

    name: str
    path: Path
    anchors: tuple[Path, ...]
    #: why our verdict deliberately differs from ``openssl cms -verify`` (None: same verdict)
    difference: str | None = None


# --------------------------------------------------------------------------- certificates


def _ec_key():  # type: ignore[no-untyped-def]
    from cryptography.hazmat.primitives.asymmetric import ec

    return ec.generate_private_key(ec.SECP256R1())


def _name(common_name: str):  # type: ignore[no-untyped-def]
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _pem_cert(path: Path):  # type: ignore[no-untyped-def]
    from cryptography import x509

    return x509.load_pem_x509_certificate(path.read_bytes())


def _pem_key(path: Path):  # type: ignore[no-untyped-def]
    from cryptography.hazmat.primitives import serialization

    return serialization.load_pem_private_key(path.read_bytes(), None)


def make_certificate(  # type: ignore[no-untyped-def]
    subject,
    key,
    issuer,
    issuer_key,
    *,
    ca: bool = False,
    path_length: int | None = None,
    key_usage: set[str] | None = frozenset({"digital_signature"}),  # type: ignore[assignment]
    eku: list | None = None,  # type: ignore[type-arg]
    extra: tuple = (),  # type: ignore[type-arg]
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    serial: int | None = None,
):
    """A certificate made with ``cryptography``; ``issuer`` is a certificate or a name."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    issuer_name = issuer.subject if isinstance(issuer, x509.Certificate) else _name(issuer)
    subject_name = subject if isinstance(subject, x509.Name) else _name(subject)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject_name)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(serial or x509.random_serial_number())
        .not_valid_before(start or NOW - dt.timedelta(days=1))
        .not_valid_after(end or NOW + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=path_length), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
    )
    if key_usage is not None:
        flags = ["digital_signature", "content_commitment", "key_encipherment",
                 "data_encipherment", "key_agreement", "key_cert_sign", "crl_sign",
                 "encipher_only", "decipher_only"]  # fmt: skip
        builder = builder.add_extension(
            x509.KeyUsage(**{flag: flag in key_usage for flag in flags}), critical=True
        )
    if eku is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=False)
    if isinstance(issuer, x509.Certificate):
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), False
        )
    for extension, critical in extra:
        builder = builder.add_extension(extension, critical=critical)
    return builder.sign(issuer_key, hashes.SHA256())


def write_pem(path: Path, *items) -> Path:  # type: ignore[no-untyped-def]
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    out = b""
    for item in items:
        if isinstance(item, x509.Certificate):
            out += item.public_bytes(serialization.Encoding.PEM)
        else:
            out += item.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
    path.write_bytes(out)
    return path


def der(cert) -> bytes:  # type: ignore[no-untyped-def]
    from cryptography.hazmat.primitives import serialization

    return bytes(cert.public_bytes(serialization.Encoding.DER))


# --------------------------------------------------------------------------- CMS crafting


def _attribute(oid: str, values: list[bytes]) -> bytes:
    from asn1crypto import core

    body = core.ObjectIdentifier(oid).dump() + _tlv(0x31, b"".join(values))
    return _tlv(0x30, body)


def _tlv(tag: int, body: bytes) -> bytes:
    length = len(body)
    if length < 0x80:
        return bytes([tag, length]) + body
    raw = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(raw)]) + raw + body


def craft_signed(  # type: ignore[no-untyped-def]
    content: bytes,
    cert,
    key,
    *,
    bag: list[bytes],
    content_type: bool = True,
    signing_time: dt.datetime | None = None,
    extra_attributes: tuple[bytes, ...] = (),
    rsa_padding=None,
) -> bytes:
    """CMS SignedData over ``content`` (embedded, SHA-256) with chosen signed attributes.

    ``bag`` is the certificate set as raw DER elements (anything, malformed included).
    """
    from asn1crypto import algos, cms, core
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding

    attributes = [
        _attribute(
            "1.2.840.113549.1.9.4", [core.OctetString(hashlib.sha256(content).digest()).dump()]
        )
    ]
    if content_type:
        attributes.append(
            _attribute(
                "1.2.840.113549.1.9.3", [core.ObjectIdentifier("1.2.840.113549.1.7.1").dump()]
            )
        )
    if signing_time is not None:
        attributes.append(_attribute("1.2.840.113549.1.9.5", [core.UTCTime(signing_time).dump()]))
    attributes.extend(extra_attributes)
    attributes.sort()  # DER SET OF: sorted by encoding
    signed_set = _tlv(0x31, b"".join(attributes))
    if isinstance(key, ec.EllipticCurvePrivateKey):
        signature = key.sign(signed_set, ec.ECDSA(hashes.SHA256()))
        algorithm = algos.SignedDigestAlgorithm({"algorithm": "sha256_ecdsa"})
    else:
        pad = rsa_padding or padding.PKCS1v15()
        signature = key.sign(signed_set, pad, hashes.SHA256())
        algorithm = algos.SignedDigestAlgorithm({"algorithm": "rsassa_pkcs1v15"})
    parsed = asn1_x509.Certificate.load(der(cert))
    signer_info = (
        _tlv(0x30, b"".join([
            core.Integer(1).dump(),
            cms.IssuerAndSerialNumber(
                {"issuer": parsed.issuer, "serial_number": parsed.serial_number}
            ).dump(),
            algos.DigestAlgorithm({"algorithm": "sha256"}).dump(),
            _tlv(0xA0, b"".join(attributes)),
            algorithm.dump(),
            core.OctetString(signature).dump(),
        ]))
    )  # fmt: skip
    return assemble(content, bag, [signer_info])


def assemble(content: bytes | None, bag: list[bytes], signer_infos: list[bytes]) -> bytes:
    """ContentInfo(SignedData) from raw parts (what crafting and bag surgery share)."""
    from asn1crypto import algos, core

    encapsulated = core.ObjectIdentifier("1.2.840.113549.1.7.1").dump()
    if content is not None:
        encapsulated += _tlv(0xA0, core.OctetString(content).dump())
    signed_data = b"".join([
        core.Integer(1).dump(),
        _tlv(0x31, algos.DigestAlgorithm({"algorithm": "sha256"}).dump()),
        _tlv(0x30, encapsulated),
        _tlv(0xA0, b"".join(bag)) if bag else b"",
        _tlv(0x31, b"".join(signer_infos)),
    ])  # fmt: skip
    return _tlv(
        0x30,
        core.ObjectIdentifier("1.2.840.113549.1.7.2").dump() + _tlv(0xA0, _tlv(0x30, signed_data)),
    )


def split(signed: bytes) -> tuple[bytes | None, list[bytes], list[bytes]]:
    """(content, bag, signer infos) of a DER signed file, for surgery on openssl's output."""
    from asn1crypto import cms

    info = cms.ContentInfo.load(signed)
    data = info["content"]
    content = data["encap_content_info"]["content"].native
    bag = [c.dump() for c in (data["certificates"] or [])]
    signers = [s.dump() for s in data["signer_infos"]]
    return content, bag, signers


# --------------------------------------------------------------------------- the corpus


@dataclass
class _Builder:
    pki: Pki
    folder: Path
    content: bytes

    def __post_init__(self) -> None:
        self.cases: list[Case] = []
        self.root = (self.pki.root_cert,)
        self.intermediate = _pem_cert(self.pki.intermediate_cert)
        self.intermediate_key = _pem_key(self.pki.intermediate_key)
        self.root_cert = _pem_cert(self.pki.root_cert)
        self.root_key = _pem_key(self.pki.root_key)

    def add(self, name: str, data: bytes, anchors: tuple[Path, ...] | None = None,
            difference: str | None = None) -> bytes:  # fmt: skip
        path = self.folder / f"{name}.mobileconfig"
        path.write_bytes(data)
        self.cases.append(Case(name, path, self.root if anchors is None else anchors, difference))
        return data

    def openssl(self, cert: Path, key: Path, *extra: str | Path, command: str = "cms",
                certfile: Path | None = None, chain_file: bool = True) -> bytes:  # fmt: skip
        chain = ["-certfile", certfile or self.pki.intermediate_cert] if chain_file else []
        return run_openssl(
            command, "-sign", "-nodetach", "-binary", "-outform", "DER", "-signer", cert,
            "-inkey", key, *chain, *extra, stdin=self.content,
        ).stdout  # fmt: skip

    def signer(self, name: str, issuer=None, issuer_key=None, **options) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
        key = _ec_key()
        cert = make_certificate(
            name, key, issuer or self.intermediate, issuer_key or self.intermediate_key, **options
        )
        return write_pem(self.folder / f"{name}.pem", cert), write_pem(
            self.folder / f"{name}.key", key
        )


def build_corpus(pki: Pki, folder: Path, content: bytes) -> list[Case]:
    """Every case, signed over ``content``; see the module docstring."""
    b = _Builder(pki, folder, content)
    for step in _STEPS:
        step(b)
    return b.cases


def _standard(b: _Builder) -> None:
    p = b.pki
    b.add("smime-rsa", b.openssl(p.rsa_cert, p.rsa_key, command="smime"))
    b.add("cms-ec", b.openssl(p.ec_cert, p.ec_key))
    b.add("no-signed-attributes-rsa", b.openssl(p.rsa_cert, p.rsa_key, "-noattr"))
    b.add("no-signed-attributes-ec", b.openssl(p.ec_cert, p.ec_key, "-noattr"))
    for digest in ("sha1", "sha224", "sha384", "sha512"):
        b.add(f"digest-{digest}", b.openssl(p.ec_cert, p.ec_key, "-md", digest))
    b.add("rsa-pss", b.openssl(p.rsa_cert, p.rsa_key, "-keyopt", "rsa_padding_mode:pss"))
    b.add("key-identifier-signer", b.openssl(p.ec_cert, p.ec_key, "-keyid"))
    b.add("ber-streamed", b.openssl(p.rsa_cert, p.rsa_key, "-stream"))
    two = run_openssl(
        "cms", "-sign", "-nodetach", "-binary", "-outform", "DER", "-signer", p.rsa_cert,
        "-inkey", p.rsa_key, "-signer", p.ec_cert, "-inkey", p.ec_key,
        "-certfile", p.intermediate_cert, stdin=b.content,
    ).stdout  # fmt: skip
    b.add("two-signers", two)
    b.add(
        "real-world-expired-tls-signer",
        (Path(__file__).resolve().parents[3] / "shared" / "reference" / "real-profiles"
         / "paulmillr__encrypted-dns__signed__quad9-default-https.mobileconfig").read_bytes(),
        anchors=(_certifi(),),
    )  # fmt: skip


def _certifi() -> Path:
    import certifi

    return Path(certifi.where())


def _broken(b: _Builder) -> None:
    p = b.pki
    good = b.openssl(p.ec_cert, p.ec_key)
    index = good.find(b.content) + b.content.find(b"<plist") + 1
    tampered = bytearray(good)
    tampered[index] ^= 0x01
    b.add("tampered-content", bytes(tampered))
    signature = bytearray(b.openssl(p.rsa_cert, p.rsa_key))
    signature[-5] ^= 0x01
    b.add("tampered-signature", bytes(signature))
    detached = run_openssl(
        "cms", "-sign", "-binary", "-outform", "DER", "-signer", p.ec_cert, "-inkey", p.ec_key,
        stdin=b.content,
    ).stdout  # fmt: skip
    b.add("detached", detached)
    content, bag, _signers = split(good)
    b.add("zero-signers", assemble(content, bag, []))
    b.add("missing-certificates", b.openssl(p.ec_cert, p.ec_key, "-nocerts"))
    only_signer = assemble(content, [c for c in bag if c == der(_pem_cert(p.ec_cert))], _signers)
    b.add("missing-intermediate", only_signer)
    # an impostor: same issuer name and serial as the signer, another key
    signer = _pem_cert(p.ec_cert)
    impostor = make_certificate(
        "RSR Test EC Signer", _ec_key(), b.intermediate, b.intermediate_key,
        serial=signer.serial_number,
    )  # fmt: skip
    swapped = [der(impostor) if c == der(signer) else c for c in bag]
    b.add("swapped-signer-certificate", assemble(content, swapped, _signers))
    other_key = _ec_key()
    other_root = make_certificate("Other Root", other_key, "Other Root", other_key, ca=True,
                                  key_usage={"key_cert_sign", "crl_sign"})  # fmt: skip
    b.add("untrusted-root", good, anchors=(write_pem(b.folder / "other-root.pem", other_root),))
    b.add("signer-given-as-ca", good, anchors=(p.ec_cert,))
    b.add("intermediate-given-as-ca", good, anchors=(p.intermediate_cert,))
    b.add("expired-signer", b.openssl(p.expired_cert, p.expired_key))
    b.add("not-yet-valid-signer", b.openssl(p.not_yet_valid_cert, p.not_yet_valid_key))
    b.add(
        "no-digital-signature", b.openssl(p.no_digital_signature_cert, p.no_digital_signature_key)
    )
    self_signed = b.openssl(p.self_signed_cert, p.self_signed_key, chain_file=False)
    b.add("self-signed-signer-trusted", self_signed, anchors=(p.self_signed_cert,))
    b.add("self-signed-signer-untrusted", self_signed)


def _paths(b: _Builder) -> None:
    from cryptography import x509
    from cryptography.x509.oid import ExtendedKeyUsageOID, ObjectIdentifier

    p = b.pki
    leaf = _pem_cert(p.rsa_cert)
    cert, key = b.signer("Issued by a leaf", leaf, _pem_key(p.rsa_key))
    b.add("issued-by-non-ca", b.openssl(cert, key, certfile=write_pem(
        b.folder / "leaf-chain.pem", leaf, b.intermediate)))  # fmt: skip
    no_sign_key = _ec_key()
    no_sign = make_certificate("CA without keyCertSign", no_sign_key, b.root_cert, b.root_key,
                               ca=True, key_usage={"digital_signature", "crl_sign"})  # fmt: skip
    cert, key = b.signer("Under a CA without keyCertSign", no_sign, no_sign_key)
    b.add("intermediate-without-keycertsign",
          b.openssl(cert, key, certfile=write_pem(b.folder / "nks.pem", no_sign)))  # fmt: skip
    sub_key = _ec_key()
    sub = make_certificate("Sub CA under pathlen 0", sub_key, b.intermediate, b.intermediate_key,
                           ca=True, key_usage={"key_cert_sign", "crl_sign"})  # fmt: skip
    cert, key = b.signer("Beyond the path length", sub, sub_key)
    b.add("path-length-exceeded", b.openssl(cert, key, certfile=write_pem(
        b.folder / "sub.pem", sub, b.intermediate)))  # fmt: skip
    unknown = x509.UnrecognizedExtension(ObjectIdentifier("1.3.6.1.4.1.55555.1"), b"\x0c\x01x")
    cert, key = b.signer("Unknown critical extension", extra=((unknown, True),),
                         eku=[ExtendedKeyUsageOID.EMAIL_PROTECTION])  # fmt: skip
    b.add("unknown-critical-extension", b.openssl(cert, key))
    old_key = _ec_key()
    old = make_certificate("Expired intermediate", old_key, b.root_cert, b.root_key, ca=True,
                           key_usage={"key_cert_sign"}, start=NOW - dt.timedelta(days=900),
                           end=NOW - dt.timedelta(days=500))  # fmt: skip
    cert, key = b.signer("Under an expired intermediate", old, old_key)
    b.add(
        "expired-intermediate", b.openssl(cert, key, certfile=write_pem(b.folder / "old.pem", old))
    )
    for label, usage in (("tls-server", ExtendedKeyUsageOID.SERVER_AUTH),
                         ("code-signing", ExtendedKeyUsageOID.CODE_SIGNING),
                         ("time-stamping", ExtendedKeyUsageOID.TIME_STAMPING)):  # fmt: skip
        cert, key = b.signer(f"EKU {label}", eku=[usage])
        difference = None
        if label != "time-stamping":
            difference = (
                "policy: devices accept TLS and code-signing certificates as profile signers "
                "(Apple's basic X.509 policy); openssl's S/MIME purpose wants emailProtection"
            )
        b.add(f"eku-{label}-signer", b.openssl(cert, key), difference=difference)


def _crafted(b: _Builder) -> None:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    p = b.pki
    ec_cert, ec_key = _pem_cert(p.ec_cert), _pem_key(p.ec_key)
    chain = [der(ec_cert), der(b.intermediate)]
    b.add("crafted-baseline", craft_signed(b.content, ec_cert, ec_key, bag=chain))
    b.add("no-content-type-attribute",
          craft_signed(b.content, ec_cert, ec_key, bag=chain, content_type=False))  # fmt: skip
    unrelated_key = _ec_key()
    unrelated = make_certificate("Unrelated", unrelated_key, "Unrelated", unrelated_key)
    b.add("extra-unrelated-certificate",
          craft_signed(b.content, ec_cert, ec_key, bag=[*chain, der(unrelated)]))  # fmt: skip
    negative = run_openssl("x509", "-new", "-key", p.ec_key, "-subj", "/CN=Negative serial",
                           "-set_serial", "-5", "-days", "30",
                           "-outform", "DER").stdout  # fmt: skip
    b.add("negative-serial-certificate-in-bag",
          craft_signed(b.content, ec_cert, ec_key, bag=[*chain, negative]))  # fmt: skip
    # signing time 2020-06: the signer (2020–2021) was valid then, not now
    since = dt.datetime(2019, 1, 1, tzinfo=dt.UTC)
    old_root_key, old_key = _ec_key(), _ec_key()
    old_root = make_certificate("Root since 2019", old_root_key, "Root since 2019", old_root_key,
                                ca=True, key_usage={"key_cert_sign", "crl_sign"}, start=since,
                                end=since + dt.timedelta(days=365 * 30))  # fmt: skip
    old_cert = make_certificate("Signer of 2020", old_key, old_root, old_root_key,
                                start=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
                                end=dt.datetime(2021, 1, 1, tzinfo=dt.UTC))  # fmt: skip
    b.add(
        "signing-time-inside-validity-of-expired-signer",
        craft_signed(b.content, old_cert, old_key, bag=[der(old_cert)],
                     signing_time=dt.datetime(2020, 6, 1, tzinfo=dt.UTC)),
        anchors=(write_pem(b.folder / "root-since-2019.pem", old_root),),
        difference="dates: checked at the signing time the file carries (openssl checks now)",
    )  # fmt: skip
    hostile_key = _ec_key()
    hostile = make_certificate(HOSTILE_NAME, hostile_key, b.intermediate, b.intermediate_key)
    hostile_bag = [der(hostile), der(b.intermediate)]
    b.add("hostile-signer-name", craft_signed(b.content, hostile, hostile_key, bag=hostile_bag))
    # an RSA-PSS-restricted key that signed with PKCS#1 v1.5 (what the signer used to do)
    pss_key = b.folder / "pss.key"
    run_openssl(
        "genpkey", "-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:2048", "-out", pss_key
    )
    pss_csr = b.folder / "pss.csr"
    run_openssl("req", "-new", "-key", pss_key, "-subj", "/CN=RSA-PSS signer", "-out", pss_csr,
                "-config", p.directory / "openssl.cnf")  # fmt: skip
    pss_cert = b.folder / "pss.pem"
    run_openssl("x509", "-req", "-in", pss_csr, "-CA", p.intermediate_cert, "-CAkey",
                p.intermediate_key, "-set_serial", "77", "-days", "30", "-out", pss_cert,
                "-extfile", p.directory / "openssl.cnf", "-extensions", "signer_ext")  # fmt: skip
    key = _pem_key(pss_key)
    cert = _pem_cert(pss_cert)
    bag = [der(cert), der(b.intermediate)]
    b.add("rsa-pss-key-signed-pkcs1v15", craft_signed(b.content, cert, key, bag=bag))
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.DIGEST_LENGTH)
    b.add("rsa-pss-key-signed-pss", _pss_signed(b, cert, key, pss, bag))


def _pss_signed(b: _Builder, cert, key, pss, bag: list[bytes]) -> bytes:  # type: ignore[no-untyped-def]
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.serialization import pkcs7

    signed = (
        pkcs7.PKCS7SignatureBuilder().set_data(b.content)
        .add_signer(cert, key, hashes.SHA256(), rsa_padding=pss)
        .add_certificate(b.intermediate)
        .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary])
    )  # fmt: skip
    del bag
    return bytes(signed)


def _hostile(b: _Builder) -> None:
    p = b.pki
    ec_cert, ec_key = _pem_cert(p.ec_cert), _pem_key(p.ec_key)
    chain = [der(ec_cert), der(b.intermediate)]
    bag = [der(ec_cert), *same_named_decoys(b, 300, key_ids=True), der(b.intermediate)]
    b.add("same-named-decoys-with-other-key-ids", craft_signed(b.content, ec_cert, ec_key, bag=bag))
    bag = [der(ec_cert), *same_named_decoys(b, 300, key_ids=False), der(b.intermediate)]
    b.add(
        "same-named-decoys-without-key-ids",
        craft_signed(b.content, ec_cert, ec_key, bag=bag),
        difference=(
            "path building: we check each same-named candidate's signature and find the real "
            "issuer; openssl takes the first name match without key identifiers and fails"
        ),
    )
    deep = (deep_attribute(2000),)
    b.add("deep-unknown-signed-attribute",
          craft_signed(b.content, ec_cert, ec_key, bag=chain, extra_attributes=deep))  # fmt: skip
    wide = (wide_attribute(20_000),)
    b.add("wide-unknown-signed-attribute",
          craft_signed(b.content, ec_cert, ec_key, bag=chain, extra_attributes=wide))  # fmt: skip


def same_named_decoys(b: _Builder, count: int, *, key_ids: bool) -> list[bytes]:
    """``count`` CA certificates named like the real intermediate, none of which issued anything.

    With ``key_ids`` each carries a subject key identifier that differs from the real one
    (so key-identifier matching can skip it); without, only a signature check can.
    """
    from cryptography import x509

    key = _ec_key()  # one key for all: making thousands of keys would dominate the run
    template = make_certificate(
        b.intermediate.subject, key, b.root_cert, key, ca=True, key_usage={"key_cert_sign"}
    )
    out = []
    for serial in range(1, count + 1):
        builder = (
            x509.CertificateBuilder().subject_name(template.subject).issuer_name(template.issuer)
            .public_key(key.public_key()).serial_number(serial)
            .not_valid_before(template.not_valid_before_utc)
            .not_valid_after(template.not_valid_after_utc)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        )  # fmt: skip
        if key_ids:
            builder = builder.add_extension(
                x509.SubjectKeyIdentifier(serial.to_bytes(20, "big")), critical=False
            )
        from cryptography.hazmat.primitives import hashes

        out.append(der(builder.sign(key, hashes.SHA256())))
    return out


def deep_attribute(depth: int) -> bytes:
    """An unknown attribute whose value is ``depth`` nested SEQUENCEs (definite lengths)."""
    value = b"\x05\x00"
    for _ in range(depth):
        value = _tlv(0x30, value)
    return _attribute("1.3.6.1.4.1.55555.7", [value])


def wide_attribute(count: int) -> bytes:
    """An unknown attribute whose value is a SEQUENCE of ``count`` small integers."""
    return _attribute("1.3.6.1.4.1.55555.8", [_tlv(0x30, b"\x02\x01\x07" * count)])


_STEPS: list[Callable[[_Builder], None]] = [_standard, _broken, _paths, _crafted, _hostile]


# --------------------------------------------------------------------------- 10 MiB hostile files

MIB = 1024 * 1024


def _nested(depth: int, inner: bytes, tag: int = 0x30) -> bytes:
    """``depth`` definite-length ``tag`` wrappers around ``inner``, built in linear time."""
    headers: list[bytes] = []
    length = len(inner)
    for _ in range(depth):
        header = _tlv(tag, b"")[:1] + _length_octets(length)
        headers.append(header)
        length += len(header)
    return b"".join(reversed(headers)) + inner


def _length_octets(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    raw = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def _decoy_bag(template: bytes, count: int) -> list[bytes]:
    """``count`` distinct copies of a DER certificate: serial bytes patched, signatures broken."""
    from asn1crypto import x509 as asn1_x509

    serial = asn1_x509.Certificate.load(template)["tbs_certificate"]["serial_number"].contents
    at = template.find(serial)
    width = len(serial)
    return [
        template[:at]
        + (index | 1 << (8 * width - 2)).to_bytes(width, "big")
        + template[at + width :]
        for index in range(count)
    ]


def hostile_files(
    pki: Pki, folder: Path, content: bytes, size: int = 10 * MIB - 4096
) -> dict[str, Path]:
    """Signed files of about ``size`` bytes built to exhaust a careless verifier.

    * ``wide-attribute``: a correctly signed file whose unknown signed attribute holds a
      million small integers (converting it to Python values took ~1,000× the file size);
    * ``deep-attribute``: the same with the attribute nested hundreds of thousands deep;
    * ``same-named-bag``: a correctly signed file whose bag holds ~28,000 certificates named
      like the intermediate (path building was quadratic in them);
    * ``tiny-element-bag``: a bag of millions of empty SEQUENCEs;
    * ``deep-ber-content``: the embedded content as a constructed OCTET STRING nested
      hundreds of thousands deep (indefinite lengths).
    """
    builder = _Builder(pki, folder, content)
    ec_cert, ec_key = _pem_cert(pki.ec_cert), _pem_key(pki.ec_key)
    chain = [der(ec_cert), der(builder.intermediate)]
    budget = size - len(content) - 4096
    out: dict[str, Path] = {}

    def write(name: str, data: bytes) -> None:
        path = folder / f"hostile-{name}.mobileconfig"
        path.write_bytes(data)
        out[name] = path

    wide = _attribute("1.3.6.1.4.1.55555.8", [_nested(1, b"\x02\x01\x07" * (budget // 3 - 10))])
    write(
        "wide-attribute",
        craft_signed(content, ec_cert, ec_key, bag=chain, extra_attributes=(wide,)),
    )
    deep = _attribute("1.3.6.1.4.1.55555.7", [_nested(budget // 6, b"\x05\x00")])
    write(
        "deep-attribute",
        craft_signed(content, ec_cert, ec_key, bag=chain, extra_attributes=(deep,)),
    )
    name = builder.intermediate.subject.rfc4514_string().split("CN=", 1)[1].split(",", 1)[0]
    key = _ec_key()
    decoy = der(
        make_certificate(name, key, builder.root_cert, key, ca=True, key_usage={"key_cert_sign"})
    )
    decoys = _decoy_bag(decoy, budget // len(decoy))
    write(
        "same-named-bag", craft_signed(content, ec_cert, ec_key, bag=[chain[0], *decoys, chain[1]])
    )
    _content, _bag, signers = split(craft_signed(content, ec_cert, ec_key, bag=chain))
    write("tiny-element-bag", assemble(content, [*chain, b"\x30\x00" * (budget // 2)], signers))
    levels = budget // 4
    nested = b"\x24\x80" * levels + b"\x04\x01x" + b"\x00\x00" * levels
    ber = assemble(b"", chain, signers).replace(
        bytes.fromhex("a0020400"), b"\xa0\x80" + nested + b"\x00\x00", 1
    )
    write("deep-ber-content", ber)
    return out
