"""A throw-away certificate authority for the request verifier's tests: real keys, real X.509.

root -> intermediate -> leaf (SAN echo-api.amazon.com), plus the broken chains an attacker or
a stale cache could present. Build it once per test session: RSA key generation is the slow part.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, ExtensionOID, NameOID

# The tests' "now": every certificate's validity is laid out around it.
NOW = datetime(2026, 11, 26, 4, 0, tzinfo=UTC)
ECHO_API_NAME = "echo-api.amazon.com"
# Leaves issued for the cache tests expire this soon after NOW.
SHORT_LIFE = timedelta(hours=1)


@dataclass(frozen=True)
class Issued:
    cert: x509.Certificate
    key: rsa.RSAPrivateKey


@dataclass(frozen=True)
class TamperCA:
    """The trusted root, the good leaf's key, and one PEM bundle per scenario."""

    root: x509.Certificate
    leaf_key: rsa.RSAPrivateKey
    other_key: rsa.RSAPrivateKey
    valid_chain: bytes
    good_chains: dict[str, bytes]
    short_lived_chain: bytes
    renewed_chain: bytes
    bad_chains: dict[str, bytes]


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common_name: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Tamper Test CA"),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


def issue(
    common_name: str,
    key: rsa.RSAPrivateKey,
    issuer: Issued | None,
    *,
    ca: bool,
    san: tuple[str, ...] = (),
    not_before: datetime = NOW - timedelta(days=30),
    not_after: datetime = NOW + timedelta(days=300),
    usage: x509.ObjectIdentifier | None = ExtendedKeyUsageOID.SERVER_AUTH,
    profile: bool = True,
    malformed: bool = False,
) -> Issued:
    """A certificate for `key`, signed by `issuer` (self-signed when None).

    With `profile`, extensions follow the CA/Browser Forum profile, so that only the flaw a
    scenario plants makes verification fail; without it, the certificate carries only its SAN.
    With `malformed`, it also carries a name-constraints extension that is not valid DER.
    """
    subject = _name(common_name)
    signer_key = issuer.key if issuer is not None else key
    issuer_name = issuer.cert.subject if issuer is not None else subject
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
    )
    if profile:
        builder = (
            builder.add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(signer_key.public_key()),
                critical=False,
            )
            .add_extension(_usage(cert_sign=ca), critical=True)
        )
    if profile and not ca and usage is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
    if malformed:
        garbage = x509.UnrecognizedExtension(ExtensionOID.NAME_CONSTRAINTS, b"\x30\x03\x01\x01")
        builder = builder.add_extension(garbage, critical=False)
    if san:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(name) for name in san]), critical=False
        )
    return Issued(cert=builder.sign(signer_key, hashes.SHA256()), key=key)


def _usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=False,
        key_encipherment=not cert_sign,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def pem(*certs: x509.Certificate) -> bytes:
    return b"".join(cert.public_bytes(serialization.Encoding.PEM) for cert in certs)


def sign(body: bytes, key: rsa.RSAPrivateKey) -> str:
    """The `Signature-256` header Alexa would send for `body`."""
    signature = key.sign(body, padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(signature).decode("ascii")


def build_ca() -> TamperCA:
    root_key, intermediate_key, leaf_key, other_key = (new_key() for _ in range(4))
    root = issue("Tamper Root", root_key, None, ca=True, not_after=NOW + timedelta(days=3650))
    intermediate = issue("Tamper Intermediate", intermediate_key, root, ca=True)

    def leaf(
        san: tuple[str, ...] = (ECHO_API_NAME,),
        not_before: datetime = NOW - timedelta(days=30),
        not_after: datetime = NOW + timedelta(days=300),
        usage: x509.ObjectIdentifier | None = ExtendedKeyUsageOID.SERVER_AUTH,
        profile: bool = True,
        malformed: bool = False,
    ) -> x509.Certificate:
        return issue(
            ECHO_API_NAME, leaf_key, intermediate, ca=False, san=san, not_before=not_before,
            not_after=not_after, usage=usage, profile=profile, malformed=malformed,
        ).cert

    expired_intermediate = issue(
        "Tamper Intermediate", intermediate_key, root, ca=True, not_after=NOW - timedelta(days=1)
    )
    malformed_intermediate = issue(
        "Tamper Intermediate", intermediate_key, root, ca=True, malformed=True
    )
    # Named like the trusted root: only its key tells them apart.
    foreign_root = issue("Tamper Root", other_key, None, ca=True)
    # Every leaf below holds `leaf_key`, so a request signed with it has only its chain wrong.
    foreign_leaf = issue(ECHO_API_NAME, leaf_key, foreign_root, ca=False, san=(ECHO_API_NAME,))
    self_signed = issue(ECHO_API_NAME, leaf_key, None, ca=False, san=(ECHO_API_NAME,))
    # The classic forgery: a genuine certificate for some other site, used as if it were a CA.
    attacker = issue("evil.example", other_key, intermediate, ca=False, san=("evil.example",))
    forged = issue(ECHO_API_NAME, leaf_key, attacker, ca=False, san=(ECHO_API_NAME,))
    return TamperCA(
        root=root.cert,
        leaf_key=leaf_key,
        other_key=other_key,
        valid_chain=pem(leaf(), intermediate.cert),
        # Amazon's signing certificate need not be a TLS server's: only its name matters.
        good_chains={
            "tls_profile_leaf": pem(leaf(), intermediate.cert),
            "san_only_leaf": pem(leaf(profile=False), intermediate.cert),
            "code_signing_leaf": pem(
                leaf(usage=ExtendedKeyUsageOID.CODE_SIGNING), intermediate.cert
            ),
            "no_usage_leaf": pem(leaf(usage=None), intermediate.cert),
            "chain_with_root": pem(leaf(), intermediate.cert, root.cert),
        },
        short_lived_chain=pem(leaf(not_after=NOW + SHORT_LIFE), intermediate.cert),
        renewed_chain=pem(leaf(not_after=NOW + timedelta(days=300)), intermediate.cert),
        bad_chains={
            "expired_leaf": pem(leaf(not_after=NOW - timedelta(seconds=1)), intermediate.cert),
            "leaf_not_yet_valid": pem(
                leaf(not_before=NOW + timedelta(minutes=5)), intermediate.cert
            ),
            "leaf_without_san": pem(leaf(san=()), intermediate.cert),
            "leaf_for_another_name": pem(leaf(san=("echo-api.example.com",)), intermediate.cert),
            "leaf_with_wildcard_san": pem(leaf(san=("*.amazon.com",)), intermediate.cert),
            "self_signed_leaf": pem(self_signed.cert),
            "missing_intermediate": pem(leaf()),
            "expired_intermediate": pem(leaf(), expired_intermediate.cert),
            "untrusted_root": pem(foreign_leaf.cert, foreign_root.cert),
            "signed_by_a_leaf": pem(forged.cert, attacker.cert, intermediate.cert),
            "malformed_leaf": pem(leaf(malformed=True), intermediate.cert),
            "malformed_intermediate": pem(leaf(), malformed_intermediate.cert),
            "intermediate_first": pem(intermediate.cert, leaf()),
            "not_pem": b"not a certificate",
            "empty": b"",
        },
    )
