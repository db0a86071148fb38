"""Key pairs for trial installations, the demo and the tests: the service provider's (self-signed, with the fields of
AgID's Avviso 29 so that the metadata looks like production's) and the local test identity provider's.

A production installation uses a certificate made as docs/spid.md says (spid-compliant-certificates) and registered
with AgID; nothing here runs there unless asked.
"""

import datetime as dt
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID, ObjectIdentifier

ORGANIZATION_IDENTIFIER = ObjectIdentifier("2.5.4.97")
URI = ObjectIdentifier("2.5.4.83")
AGID_CERT = ObjectIdentifier("1.3.76.16.6")
SPID_PUBLIC_SECTOR_SP = ObjectIdentifier("1.3.76.16.4.2.1")


def ensure_key_pair(key_path: Path, cert_path: Path, *, common_name: str, entity_id: str, ipa_code: str = "",
                    locality: str = "", key_size: int = 3072) -> bool:  # fmt: skip
    """Write an RSA key (3072 bits unless told) and a self-signed certificate valid for ten years, unless both
    exist. Returns whether it wrote them."""
    if key_path.is_file() and cert_path.is_file():
        return False
    key_path.parent.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=key_size)
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64])]
    if ipa_code:
        attributes += [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, common_name[:64]),
            x509.NameAttribute(ORGANIZATION_IDENTIFIER, f"PA:IT-{ipa_code}"),
            x509.NameAttribute(NameOID.LOCALITY_NAME, locality or "Roma"),
            x509.NameAttribute(URI, entity_id),
        ]
    attributes.append(x509.NameAttribute(NameOID.COUNTRY_NAME, "IT"))
    name = x509.Name(attributes)
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
    )
    if ipa_code:
        builder = builder.add_extension(
            x509.CertificatePolicies([x509.PolicyInformation(AGID_CERT, None),
                                      x509.PolicyInformation(SPID_PUBLIC_SECTOR_SP, None)]),
            critical=False,
        )  # fmt: skip
    certificate = builder.sign(key, hashes.SHA256())
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    key_path.chmod(0o600)
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return True


def certificate_body(cert_path: Path) -> str:
    """The base64 of a PEM certificate, as metadata carries it."""
    lines = cert_path.read_text().strip().splitlines()
    return "".join(line for line in lines if not line.startswith("-----"))
