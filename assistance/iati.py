"""Activities in the IATI activity standard, version 2.03 (XML), for donors' own systems.

What goes where, and why:
- `iati-identifier`: the reporting organisation's identifier, a hyphen, the activity's ref.
- `reporting-org`: settings IATI_REPORTING_ORG_REF / _NAME / _TYPE. The defaults are a
  placeholder: the secretariat sets its registered organisation identifier before publishing.
- `participating-org`: the provider as implementing (role 4); each donor with a funding
  contribution as funding (role 1).
- `activity-status` (ActivityStatus codelist): planned 1 (pipeline), ongoing 2
  (implementation), completed 4 (closed).
- `activity-date` (ActivityDateType codelist): a start is actual (2) once the activity is
  ongoing or completed, planned (1) before; an end is actual (4) when completed, planned (3)
  otherwise. An "actual" date in the future is written as planned: IATI forbids future
  actual dates.
- `recipient-country`: beneficiary States, ISO 3166-1 alpha-2 (from pycountry), with equal
  percentages adding up to 100. The European Union (EUU) has no alpha-2 code and is no
  country: it is left out, with an XML comment saying so.
- `sector`: DAC 5-digit code 15113, anti-corruption organisations and institutions
  (vocabulary 1).
- `tag`: SDG target 16.5 (vocabulary 3: "substantially reduce corruption and bribery"), and
  one tag per UNCAC article of the linked needs (vocabulary 99, reporting organisation's own,
  code `UNCAC-ART-<n>`, with a vocabulary-uri), or `UNCAC-CH-<roman>` for a need about a
  chapter in general.
- `budget`: the activity's budget over its dates (only when it has a budget and both dates).
- `transaction`: each funding contribution as an incoming commitment (type 11) from the
  donor, dated 1 January of its year: the tracker records contributions by year only.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

import pycountry
from django.conf import settings
from django.utils import timezone
from lxml import etree

from .models import Activity, ActivityStatus

IATI_VERSION = "2.03"
DAC_SECTOR_ANTI_CORRUPTION = "15113"
SECTOR_VOCABULARY_DAC_5 = "1"
TAG_VOCABULARY_SDG_TARGET = "3"
SDG_TARGET_CORRUPTION = "16.5"
TAG_VOCABULARY_REPORTING_ORG = "99"
UNCAC_VOCABULARY_URI = "https://www.unodc.org/unodc/en/corruption/uncac.html"
ROLE_FUNDING = "1"
ROLE_IMPLEMENTING = "4"
TRANSACTION_INCOMING_COMMITMENT = "11"
BUDGET_ORIGINAL = "1"
BUDGET_INDICATIVE = "1"

STATUS_CODES = {
    ActivityStatus.PLANNED: "1",
    ActivityStatus.ONGOING: "2",
    ActivityStatus.COMPLETED: "4",
}
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"


def reporting_org() -> tuple[str, str, str]:
    return (
        getattr(settings, "IATI_REPORTING_ORG_REF", "XI-IATI-UNCAC-TRACKER"),
        getattr(settings, "IATI_REPORTING_ORG_NAME", "UNCAC secretariat, UNODC"),
        getattr(settings, "IATI_REPORTING_ORG_TYPE", "40"),  # 40: multilateral
    )


def alpha_2(iso3: str) -> str | None:
    country = pycountry.countries.get(alpha_3=iso3)
    return country.alpha_2 if country is not None else None


def _narrative(parent: etree._Element, tag: str, text: str, **attributes) -> etree._Element:
    element = etree.SubElement(parent, tag, **attributes)
    etree.SubElement(element, "narrative").text = text
    return element


def _date_element(parent, date_type: str, date: datetime.date) -> None:
    etree.SubElement(parent, "activity-date", type=date_type, **{"iso-date": date.isoformat()})


def _dates(parent, activity: Activity, today: datetime.date) -> None:
    started = activity.status in (ActivityStatus.ONGOING, ActivityStatus.COMPLETED)
    ended = activity.status == ActivityStatus.COMPLETED
    if activity.start_date:
        actual = started and activity.start_date <= today
        _date_element(parent, ACTUAL_START if actual else PLANNED_START, activity.start_date)
    if activity.end_date:
        actual = ended and activity.end_date <= today
        _date_element(parent, ACTUAL_END if actual else PLANNED_END, activity.end_date)
    if not activity.start_date and not activity.end_date:
        # The standard requires at least one date; the record's creation is the only one known.
        _date_element(parent, PLANNED_START, activity.created_at.date())


def _percentages(count: int) -> list[Decimal]:
    """Equal shares with two decimals that add up to exactly 100."""
    share = (Decimal(100) / count).quantize(Decimal("0.01"))
    return [share] * (count - 1) + [Decimal(100) - share * (count - 1)]


def _recipients(parent, activity: Activity) -> None:
    countries = []
    for state in sorted(activity.beneficiary_states.all(), key=lambda s: s.iso3):
        code = alpha_2(state.iso3)
        if code is None:
            parent.append(
                etree.Comment(
                    f" {state.name} ({state.iso3}) is a beneficiary but has no ISO 3166-1 "
                    "alpha-2 code, so it is not listed as a recipient country "
                )
            )
        else:
            countries.append((code, state.name))
    if not countries:
        return
    for (code, name), percentage in zip(countries, _percentages(len(countries)), strict=True):
        attributes = {"code": code}
        if len(countries) > 1:
            attributes["percentage"] = str(percentage)
        _narrative(parent, "recipient-country", name, **attributes)


def _tags(parent, activity: Activity) -> None:
    _narrative(
        parent,
        "tag",
        "Substantially reduce corruption and bribery in all their forms",
        vocabulary=TAG_VOCABULARY_SDG_TARGET,
        code=SDG_TARGET_CORRUPTION,
    )
    articles: dict[str, str] = {}
    for link in activity.iati_links:
        need = link.need
        if need.article_id:
            code = f"UNCAC-ART-{need.article.number}"
            text = f"UNCAC article {need.article.number}: {need.article.title}"
        else:
            code = f"UNCAC-CH-{need.chapter.roman}"
            text = f"UNCAC chapter {need.chapter.roman}: {need.chapter.title}"
        articles.setdefault(code, text)
    for code, text in sorted(articles.items(), key=lambda item: _tag_order(item[0])):
        _narrative(
            parent,
            "tag",
            text,
            vocabulary=TAG_VOCABULARY_REPORTING_ORG,
            **{"vocabulary-uri": UNCAC_VOCABULARY_URI},
            code=code,
        )


def _tag_order(code: str) -> tuple[int, str]:
    suffix = code.rsplit("-", 1)[1]
    return (int(suffix), "") if suffix.isdigit() else (0, suffix)


def _money(parent, tag: str, amount: Decimal, currency: str, value_date: datetime.date):
    etree.SubElement(
        parent, tag, currency=currency, **{"value-date": value_date.isoformat()}
    ).text = f"{amount:.2f}"


def _activity(activity: Activity, org_ref: str, org_name: str, org_type: str, today):
    element = etree.Element(
        "iati-activity",
        **{
            "last-updated-datetime": activity.updated_at.replace(microsecond=0).isoformat(),
            "{http://www.w3.org/XML/1998/namespace}lang": "en",
            "default-currency": activity.budget_currency,
        },
    )
    etree.SubElement(element, "iati-identifier").text = f"{org_ref}-{activity.ref}"
    _narrative(element, "reporting-org", org_name, ref=org_ref, type=org_type)
    _narrative(element, "title", activity.title)
    _narrative(element, "description", activity.description or activity.title, type="1")
    _narrative(element, "participating-org", activity.provider.name, role=ROLE_IMPLEMENTING)
    funders = {}
    for contribution in activity.funding.all():
        funders.setdefault(contribution.donor_id, contribution.donor.name)
    for name in funders.values():
        _narrative(element, "participating-org", name, role=ROLE_FUNDING)
    etree.SubElement(element, "activity-status", code=STATUS_CODES[activity.status])
    _dates(element, activity, today)
    _recipients(element, activity)
    etree.SubElement(
        element, "sector", vocabulary=SECTOR_VOCABULARY_DAC_5, code=DAC_SECTOR_ANTI_CORRUPTION
    )
    _tags(element, activity)
    if activity.budget is not None and activity.start_date and activity.end_date:
        budget = etree.SubElement(element, "budget", type=BUDGET_ORIGINAL, status=BUDGET_INDICATIVE)
        etree.SubElement(budget, "period-start", **{"iso-date": activity.start_date.isoformat()})
        etree.SubElement(budget, "period-end", **{"iso-date": activity.end_date.isoformat()})
        _money(budget, "value", activity.budget, activity.budget_currency, activity.start_date)
    for contribution in activity.funding.all():
        transaction = etree.SubElement(element, "transaction")
        etree.SubElement(transaction, "transaction-type", code=TRANSACTION_INCOMING_COMMITMENT)
        day = datetime.date(contribution.year, 1, 1)
        etree.SubElement(transaction, "transaction-date", **{"iso-date": day.isoformat()})
        _money(transaction, "value", contribution.amount, contribution.currency, day)
        _narrative(transaction, "description", f"Contribution for {contribution.year}")
        _narrative(transaction, "provider-org", contribution.donor.name)
    return element


def iati_document(activities: Iterable[Activity]) -> bytes:
    """The `iati-activities` document for these activities (prefetched as by
    `selectors.activity_iati_rows`)."""
    org_ref, org_name, org_type = reporting_org()
    now = timezone.now().replace(microsecond=0)
    today = timezone.localdate()
    root = etree.Element(
        "iati-activities", version=IATI_VERSION, **{"generated-datetime": now.isoformat()}
    )
    for activity in activities:
        root.append(_activity(activity, org_ref, org_name, org_type, today))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
