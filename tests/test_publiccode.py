"""publiccode.yml follows the standard's rules that the official parser (publiccode-parser-go) enforces: the
categories from the controlled vocabulary, descriptions within their lengths, a maintainer who can be reached, no
deprecated keys; and its feature list keeps up with the portal."""

import datetime as dt
from pathlib import Path

import yaml

PUBLICCODE = yaml.safe_load((Path(__file__).resolve().parents[1] / "publiccode.yml").read_text())

# docs/standard/categories-list.rst of publiccodeyml/publiccode.yml
CATEGORIES = set(
    """
accounting agile-project-management applicant-tracking application-development appointment-scheduling backup
billing-and-invoicing blog budgeting business-intelligence business-process-management cad
call-center-management cloud-management collaboration communications compliance-management contact-management
content-management crm customer-service-and-support data-analytics data-collection data-visualization design
design-system digital-asset-management digital-citizenship document-management donor-management e-commerce
e-signature educational-content email-management email-marketing employee-management
enterprise-project-management enterprise-social-networking erp event-management facility-management
feedback-and-reviews-management financial-reporting fleet-management fundraising gamification
geographic-information-systems grant-management graphic-design help-desk hr ide identity-management
instant-messaging inventory-management it-asset-management it-development it-management it-security
it-service-management knowledge-management learning-management-system marketing mind-mapping mobile-marketing
mobile-payment network-management office online-booking online-community payment-gateway payroll
predictive-analysis procurement productivity-suite project-collaboration project-management
property-management real-estate-management remote-support resource-management sales-management seo
service-desk social-media-management survey talent-management task-management taxes-management
test-management time-management time-tracking translation video-conferencing video-editing visitor-management
voip warehouse-management web-collaboration web-conferencing website-builder whistleblowing
workflow-management
""".split()  # noqa: SIM905 (the list as the standard prints it)
)


def test_the_categories_come_from_the_official_list():
    assert PUBLICCODE["categories"]
    assert set(PUBLICCODE["categories"]) <= CATEGORIES


def test_descriptions_fit_their_limits():
    for language, description in PUBLICCODE["description"].items():
        assert len(description["shortDescription"]) <= 150, language
        assert 150 <= len(description["longDescription"]) <= 10000, language
        assert len(description["genericName"]) <= 35, language
        assert all(len(feature) <= 100 for feature in description["features"]), language


def test_a_maintainer_can_be_reached():
    assert PUBLICCODE["maintenance"]["type"] in {"internal", "contract", "community", "none"}
    for contact in PUBLICCODE["maintenance"]["contacts"]:
        assert contact["name"]
        assert "@" in contact["email"]


def test_no_deprecated_keys():
    assert "conforme" not in PUBLICCODE.get("it", {})
    assert "riuso" not in PUBLICCODE.get("it", {})
    assert "authorsFile" not in PUBLICCODE["legal"]
    assert not {"inputTypes", "outputTypes"} & set(PUBLICCODE)
    assert PUBLICCODE["it"]["countryExtensionVersion"] == "1.0"


def test_the_release_and_the_features_are_current():
    assert dt.date.fromisoformat(str(PUBLICCODE["releaseDate"])) <= dt.date.today()
    features = " ".join(PUBLICCODE["description"]["en"]["features"])
    for capability in ("voucher", "Employer welfare", "Outreach", "open data", "family assistants", "Second factor"):
        assert capability.lower() in features.lower(), capability
