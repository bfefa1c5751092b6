"""Read the labelled corpora in ../shared/data and map their labels onto the 14-topic taxonomy.

Every corpus gives ONE label per item while the taxonomy is multi-label. So each item gets:

- ``positives``: taxonomy labels its source label makes certain;
- ``uncertain``: labels that commonly co-occur with that source label, which the item must not
  be taken as a negative example of (a CAP "international affairs" story is often about a war);

every other label is a negative. The mapping tables below are the project's modelling
decisions, each with its reason; docs/label_mapping.md explains how they were checked.
No text of the corpora is copied into the repository: this code reads them by path.

    python -m training.sources [--samples N]   # counts per source and label; N samples each
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "LabelledText", "default_data_dir", "read_all", "read_allsides", "read_huffpost",
    "read_nyt_cap", "read_reuters", "summarise",
]

MAX_CHARS = 2000  # the model reads short story items; longer leads add noise, not signal
Mapping = tuple[frozenset[str], frozenset[str]]


def _map(positives: str = "", uncertain: str = "") -> Mapping:
    return frozenset(positives.split()), frozenset(uncertain.split())


NONE = _map()  # a reliable "no topic" item


@dataclass(frozen=True, slots=True)
class LabelledText:
    """One training item: its text, its label knowledge, where it comes from.

    ``inferred`` are the positives added from the text itself rather than the source label
    (a subset of ``positives``); evaluations treat them as unknown.
    """

    text: str
    positives: frozenset[str]
    uncertain: frozenset[str]
    source: str
    group: str
    inferred: frozenset[str] = frozenset()


def default_data_dir() -> Path:
    """``../shared/data`` seen from the repository root."""
    return Path(__file__).resolve().parents[1].parent / "shared" / "data"


# --- NYT front page, Comparative Agendas Project -------------------------------------------
# CAP codes the US *policy* topic, so a foreign war is often 19 (international affairs), and
# politics-heavy codes leave "government"/"elections" open.
CAP_MAJOR: dict[str, Mapping] = {
    "1": _map("economy", "government trade"),            # macroeconomics
    "2": _map("justice", "government"),                  # civil rights and liberties
    "3": _map("health", "government economy"),
    "4": _map("", "trade economy environment"),          # agriculture: no taxonomy topic of its own
    "5": _map("economy", "government"),                  # labour and employment
    "6": _map("", "government"),                         # education: not in the taxonomy
    "7": _map("environment", "energy government"),
    "8": _map("energy", "environment economy"),
    "9": _map("immigration", "justice government"),
    "10": _map("", "disaster government"),               # transportation (crashes are also here)
    "12": _map("justice", "government"),                 # law, crime and family
    "13": _map("", "government economy health"),         # social welfare
    "14": _map("", "government economy"),                # housing
    "15": _map("economy", "justice technology"),         # banking, finance, commerce (firms: see 1520)
    "16": _map("defence", "conflict diplomacy"),
    "17": _map("technology", "health"),                  # space, science, technology, communications
    "18": _map("trade", "economy diplomacy"),
    "19": _map("diplomacy", "conflict defence"),         # international affairs
    "20": _map("government", "elections justice economy"),
    "21": _map("environment", "government energy"),      # public lands and water
    "23": NONE,                                          # culture
    "24": _map("government", "elections justice economy"),  # state and local government
    "26": _map("disaster", "environment"),               # weather and natural disasters
    "27": _map("disaster", "justice"),                   # fires
    "29": NONE,                                          # sports
    "30": NONE,                                          # obituaries
    "31": _map("", "justice"),                           # churches and religion
    "99": _map("", "justice disaster"),                  # human interest
}
# Subtopics that say more than their major topic (codes checked on samples of titles).
CAP_SUBTOPIC: dict[str, Mapping] = {
    "1619": _map("conflict", "defence diplomacy"),       # direct war-related issues
    "1927": _map("conflict", "justice diplomacy"),       # terrorism
    "1615": _map("defence", "conflict justice"),         # civil defence, homeland security: bombings, trials
    "1602": _map("defence", "diplomacy conflict"),       # alliances (NATO)
    "1605": _map("defence diplomacy", "conflict"),       # arms control and nuclear non-proliferation
    "1921": _map("", "diplomacy conflict defence elections government disaster justice economy"),
    # ^ "relations with a specific country" is any foreign news, from a summit to a festival
    "1910": _map("", "diplomacy government elections economy health justice"),  # Western Europe, likewise
    "1929": _map("", "diplomacy justice"),               # Americans abroad: often trials
    "1906": _map("economy", "diplomacy"),                # international finance, IMF
    "1925": _map("justice", "diplomacy conflict"),       # human rights abroad
    "1926": _map("diplomacy", "conflict"),               # international organisations, UN
    "1520": _map("", "economy technology justice"),      # single-company news, mergers: no topic
    "1502": _map("", "economy justice"),                 # securities and corporate regulation
    "1523": _map("disaster", "government economy"),      # disaster relief
    "1208": _map("", "justice health government"),      # family issues
    "2012": _map("elections", "government"),             # campaigns and elections
    "9900": NONE,                                        # human interest
}
# Foreign news that a source files under diplomacy or a country tag is often a war: an item
# whose source label is uncertain about conflict and whose text names fighting in two distinct
# ways is taken as a conflict positive. Such positives are "inferred": the benchmark's truth
# leaves them out, so the rule cannot flatter the model it trains.
_WAR_TERMS = re.compile(
    r"\b(?:killed|troops|soldiers|rebels?|insurgen\w+|militants?|air ?strikes?|bomb(?:ing|ings|ed)|shelling|"
    r"artillery|offensive|fighting|clashes|cease-?fire|guerrillas?|massacre|invasion|invaded|missiles?|"
    r"warplanes?|gunmen|militia\w*|army|combat|casualties|war)\b",
    re.I,
)


def _with_inferred_conflict(text: str, mapping: Mapping) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    positives, uncertain = mapping
    if "conflict" in uncertain and len({match.lower() for match in _WAR_TERMS.findall(text)}) >= 2:
        return positives | {"conflict"}, uncertain - {"conflict"}, frozenset({"conflict"})
    return positives, uncertain, frozenset()


def read_nyt_cap(data_dir: Path) -> Iterator[LabelledText]:
    with (data_dir / "nyt-cap" / "nyt_frontpage_cap_1996_2006.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            text = _join(row["title"], row["summary"])
            mapping = CAP_SUBTOPIC.get(row["subtopic"]) or CAP_MAJOR.get(row["majortopic"])
            if text and mapping is not None:
                positives, uncertain, inferred = _with_inferred_conflict(text, mapping)
                yield LabelledText(text, positives, uncertain, "nyt-cap", "nyt-cap", inferred)


# --- AllSides topic tags --------------------------------------------------------------------
# US political news: most tags are politics, so elections/government/justice stay uncertain
# unless the tag names them. Tags with no taxonomy topic still serve as negatives of the
# labels they cannot be about.
POLITICS = "government elections justice"
ALLSIDES_TAG: dict[str, Mapping] = {
    "elections": _map("elections", "government"),
    "campaign_finance": _map("elections", "justice government"),
    "campaign_rhetoric": _map("elections", "government"),
    "voting_rights_and_voter_fraud": _map("elections", "justice"),
    "tea_party": _map("elections", "government"),
    "politics": _map("", POLITICS + " economy immigration health diplomacy"),
    "white_house": _map("government", "elections diplomacy justice economy immigration"),
    "us_senate": _map("government", "elections justice economy health"),
    "us_house": _map("government", "elections justice economy health"),
    "us_congress": _map("government", "elections justice economy health"),
    "republican_party": _map("", "elections government"),
    "democratic_party": _map("", "elections government"),
    "polarization": _map("", POLITICS),
    "impeachment": _map("government", "justice elections"),
    "role_of_government": _map("government", "economy"),
    "domestic_policy": _map("government", "economy health"),
    "immigration": _map("immigration", "justice government elections"),
    "healthcare": _map("health", "government economy elections"),
    "coronavirus": _map("health", "economy government"),
    "public_health": _map("health", "government"),
    "ebola": _map("health", "diplomacy"),
    "opioid_crisis": _map("health", "justice"),
    "obesity_and_malnutrition": _map("health", ""),
    "fda": _map("health", "government"),
    "middle_east": _map("diplomacy", "conflict defence"),
    "foreign_policy": _map("diplomacy", "conflict defence trade"),
    "state_department": _map("diplomacy", "government conflict"),
    "world": _map("", "diplomacy conflict disaster elections government economy"),
    "north_korea": _map("diplomacy", "defence conflict"),
    "russia": _map("diplomacy", "conflict elections justice"),
    "china": _map("diplomacy", "trade economy technology"),
    "israel": _map("diplomacy", "conflict"),
    "palestine": _map("diplomacy", "conflict"),
    "great_britain": _map("", "diplomacy government elections"),
    "europe": _map("", "diplomacy government elections economy"),
    "mexico": _map("", "diplomacy immigration trade"),
    "asia": _map("", "diplomacy trade"),
    "africa": _map("", "diplomacy conflict"),
    "south_korea": _map("diplomacy", "defence"),
    "terrorism": _map("conflict", "justice"),
    "isis": _map("conflict", "diplomacy defence"),
    "national_security": _map("defence", "conflict justice technology"),
    "defense": _map("defence", "conflict diplomacy"),
    "national_defense": _map("defence", "conflict diplomacy"),
    "us_military": _map("defence", "conflict"),
    "nuclear_weapons": _map("defence", "diplomacy conflict"),
    "veterans_affairs": _map("defence", "government health"),
    "homeland_security": _map("", "immigration justice defence conflict"),
    "cia": _map("", "justice diplomacy defence"),
    "nsa": _map("", "technology justice defence"),
    "fbi": _map("justice", "government"),
    "justice": _map("justice", "government"),
    "justice_department": _map("justice", "government"),
    "criminal_justice": _map("justice", "government"),
    "supreme_court": _map("justice", "government"),
    "gun_control_and_gun_rights": _map("justice", "government elections"),
    "violence_in_america": _map("justice", "conflict"),
    "civil_rights": _map("justice", "government"),
    "race_and_racism": _map("", "justice"),
    "free_speech": _map("justice", "technology"),
    "lgbt_rights": _map("", "justice"),
    "abortion": _map("", "justice health government"),
    "death_penalty": _map("justice", ""),
    "capital_punishment_and_death_penalty": _map("justice", ""),
    "sexual_misconduct": _map("", "justice"),
    "marijuana_legalization": _map("", "justice health"),
    "privacy": _map("", "technology justice"),
    "us_constitution": _map("", "justice government"),
    "dea": _map("justice", "health"),
    "economy_and_jobs": _map("economy", "government"),
    "economic_policy": _map("economy", "government trade"),
    "federal_budget": _map("economy", "government"),
    "fiscal_cliff": _map("economy", "government"),
    "taxes": _map("economy", "government"),
    "treasury": _map("economy", "government"),
    "banking_and_finance": _map("economy", "justice"),
    "labor": _map("economy", "government"),
    "inequality": _map("economy", "justice"),
    "social_security": _map("", "economy government"),
    "welfare": _map("", "economy government"),
    "housing_and_homelessness": _map("", "economy"),
    "trade": _map("trade", "economy diplomacy"),
    "environment": _map("environment", "energy government"),
    "epa": _map("environment", "energy government"),
    "energy": _map("energy", "environment economy"),
    "technology": _map("technology", "justice economy"),
    "cybersecurity": _map("technology", "justice defence"),
    "science": _map("technology", "health environment"),
    "disaster": _map("disaster", "environment"),
    "business": _map("", "economy technology trade"),  # single-company news: no topic, unless...
    "transportation": _map("", "disaster economy"),
    "agriculture": _map("", "trade environment"),
    "media_bias": _map("", POLITICS),
    "media_industry": _map("", "technology"),
    "fake_news": _map("", "technology elections"),
    "facts_and_fact_checking": _map("", POLITICS),
    "general_news": _map("", "justice disaster government"),
    "bridging_divides": _map("", POLITICS),
    "education": _map("", "government"),
    "religion_and_faith": _map("", "justice"),
    "family_and_marriage": _map("", "justice"),
    "women's_issues": _map("", "justice health"),
    "animal_welfare": _map("", "environment"),
    "food": NONE,
    "holidays": _map("", "economy"),
    "culture": _map("", "justice"),
    "arts_and_entertainment": NONE,
    "sports": NONE,
}


def read_allsides(data_dir: Path) -> Iterator[LabelledText]:
    with (data_dir / "allsides" / "allsides_articles_lead.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            mapping = ALLSIDES_TAG.get(row["topic"])
            text = _join(row["title"], clean_lead(row["lead"]))
            if text and mapping is not None:
                positives, uncertain, inferred = _with_inferred_conflict(text, mapping)
                yield LabelledText(text, positives, uncertain, "allsides", f"allsides:{row['source']}", inferred)


# Page debris in AllSides leads: image counters, share prompts, ad labels, photo credits.
_DEBRIS = [
    re.compile(r"\b(?:next|previous|prev)?\s*image \d+ of \d+\b", re.I),
    re.compile(r"\b(?:share|tweet|email|print|comment)(?: (?:this|on \w+))?(?: (?:story|article))?\s*(?=\n|$)", re.I | re.M),
    re.compile(r"^\s*(?:advertisement|story continues below advertisement|skip advertisement)\s*$", re.I | re.M),
    re.compile(r"\((?:photo|image)[^)]{0,80}\)", re.I),
    re.compile(r"^\s*(?:photo|image|credit)s?:.*$", re.I | re.M),
]


def clean_lead(text: str) -> str:
    """Remove page debris from an AllSides lead (image counters, share prompts, ad labels, credits)."""
    for pattern in _DEBRIS:
        text = pattern.sub(" ", text)
    return text


# --- Reuters-21578 --------------------------------------------------------------------------
# Multi-label and complete within its own code list, but financial wire: earnings and
# acquisitions carry no topic of ours. Tanker attacks in the 1987 Gulf war are also conflict.
REUTERS_TOPIC: dict[str, str] = {
    **dict.fromkeys("crude nat-gas gas fuel heat propane jet naphtha pet-chem".split(), "energy"),
    "trade": "trade",
    **dict.fromkeys("money-fx interest gnp cpi jobs bop ipi wpi money-supply reserves income retail housing instal-debt".split(), "economy"),
}
_CONFLICT_WORDS = re.compile(r"\b(?:attack(?:ed|s)?|missiles?|warships?|gunboats?|mines?|military|navy|naval|war|bomb\w*|shell(?:ed|ing))\b", re.I)


def read_reuters(data_dir: Path) -> Iterator[LabelledText]:
    with (data_dir / "reuters21578" / "reuters21578_topics.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            codes = [code for code in row["topics"].split(";") if code]
            positives = {REUTERS_TOPIC[code] for code in codes if code in REUTERS_TOPIC}
            text = _join(_sentence_case(row["title"]), row["body"])
            if not text:
                continue
            uncertain, inferred = set(), set()
            if "energy" in positives and row["is_ship"] == "1" and _CONFLICT_WORDS.search(text):
                inferred.add("conflict")  # the Gulf tanker war: ships attacked in the oil trade
            elif _CONFLICT_WORDS.search(text):
                uncertain.add("conflict")
            if not codes:
                continue  # an uncoded story is not a reliable negative of anything
            # Reuters' economy codes are macro figures; other financial stories may touch them.
            if "economy" not in positives:
                uncertain.add("economy")
            yield LabelledText(
                text, frozenset(positives | inferred), frozenset(uncertain - positives), "reuters", "reuters", frozenset(inferred)
            )


def _sentence_case(title: str) -> str:
    """Wire headlines are often in capitals: lower-case them so they read like the rest."""
    return title.capitalize() if title.isupper() else title


# --- HuffPost News Category Dataset ---------------------------------------------------------
HUFFPOST_SECTION: dict[str, Mapping] = {
    **dict.fromkeys(
        ["ENTERTAINMENT", "COMEDY", "SPORTS", "STYLE & BEAUTY", "HOME & LIVING", "PARENTING", "FOOD & DRINK",
         "WEIRD NEWS", "TRAVEL", "WEDDINGS", "CULTURE & ARTS", "RELIGION"],
        NONE,
    ),
    "ENVIRONMENT": _map("environment", "disaster energy"),
    "CRIME": _map("justice", ""),
    "TECH": _map("technology", "justice"),
    "SCIENCE": _map("technology", "health environment"),
    "WELLNESS": _map("", "health"),
    "POLITICS": _map("", "government elections justice immigration economy health diplomacy"),
    "WORLD NEWS": _map("", "diplomacy conflict disaster elections government immigration"),
    "U.S. NEWS": _map("", "justice disaster government health immigration"),
    "BUSINESS": _map("", "economy technology trade justice"),
    "MONEY": _map("", "economy"),
    "MEDIA": _map("", "justice technology"),
    "WOMEN": _map("", "justice health"),
    "BLACK VOICES": _map("", "justice"),
    "QUEER VOICES": _map("", "justice"),
    "LATINO VOICES": _map("", "justice immigration"),
    "IMPACT": _map("", "disaster health economy environment"),
    "EDUCATION": _map("", "government"),
}


def read_huffpost(data_dir: Path) -> Iterator[LabelledText]:
    with (data_dir / "huffpost" / "huffpost_news_category_part1.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            mapping = HUFFPOST_SECTION.get(row["category"])
            text = _join(row["headline"], row["short_description"])
            if text and mapping is not None:
                yield LabelledText(text, *mapping, source="huffpost", group="huffpost")


# --- shared ---------------------------------------------------------------------------------

def _join(title: str, body: str) -> str:
    text = "\n".join(part for part in (_normalise(title), _normalise(body)) if part)
    return text[:MAX_CHARS]


def _normalise(text: str | None) -> str:
    return " ".join(html.unescape(text or "").split())


def read_all(data_dir: Path | None = None) -> list[LabelledText]:
    """Every usable item of the four corpora, in a fixed order."""
    folder = data_dir or default_data_dir()
    records = [*read_nyt_cap(folder), *read_allsides(folder), *read_reuters(folder), *read_huffpost(folder)]
    return [record for record in records if record.positives or record.uncertain or record.text]


def summarise(records: list[LabelledText]) -> dict[str, Counter[str]]:
    """Positive and uncertain counts per source and label; '(none)' counts no-topic items."""
    summary: dict[str, Counter[str]] = {}
    for record in records:
        counts = summary.setdefault(record.source, Counter())
        counts.update(f"+{label}" for label in record.positives)
        counts.update(f"?{label}" for label in record.uncertain)
        counts.update(f"~{label}" for label in record.inferred)
        if not record.positives:
            counts["(none)" if not record.uncertain else "(no positive)"] += 1
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Summarise the mapped corpora.")
    parser.add_argument("--samples", type=int, default=0, help="print N random items per source and mapped label")
    args = parser.parse_args(argv)
    records = read_all()
    for source, counts in summarise(records).items():
        print(source, dict(sorted(counts.items())))
    if args.samples:
        chooser = random.Random(0)
        for source in sorted({r.source for r in records}):
            for label in sorted({label for r in records if r.source == source for label in r.positives}):
                pool = [r for r in records if r.source == source and label in r.positives]
                for record in chooser.sample(pool, min(args.samples, len(pool))):
                    print(f"[{source} +{label}] {record.text[:160]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
