"""SPID and CIE name their attributes plainly (fiscalNumber, name, ...): pysaml2 keeps those names as they are."""

NAMES = (
    "spidCode", "name", "familyName", "placeOfBirth", "countyOfBirth", "dateOfBirth", "gender", "companyName",
    "registeredOffice", "fiscalNumber", "ivaCode", "idCard", "mobilePhone", "email", "address", "expirationDate",
    "digitalAddress", "domicileStreetAddress", "domicilePostalCode", "domicileMunicipality", "domicileProvince",
    "domicileNation", "companyFiscalNumber",
)  # fmt: skip

MAP = {
    "identifier": "urn:oasis:names:tc:SAML:2.0:attrname-format:basic",
    "fro": {name: name for name in NAMES},
    "to": {name: name for name in NAMES},
}
