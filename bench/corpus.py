"""The benchmark's corpus: N deterministic, seed-like articles and the truth about their boilerplate.

generate_corpus() writes them as `.txt` list literals (the customer's format) plus
`ground_truth.json` naming every boilerplate paragraph (docs/benchmarks.md, "What it does").
"""

import json
import random
import time
from dataclasses import dataclass
from pathlib import Path

# Each source has its own markup classes (scrapers keep them) and its own boilerplate footer,
# repeated verbatim across its articles, as real sites do.
SOURCES = [
    (
        "bbc.co.uk",
        "ssrcss-hmf8ql-BoldText e5tfeyi3",
        "ssrcss-k17ofw-InlineLink e1no5rhv0",
        [
            "Sign up for our morning newsletter and get BBC News in your inbox. ",
            '© 2024 BBC. The BBC is not responsible for the content of external sites. <a href="https://www.bbc.co.uk/editorialguidelines/guidance/feeds-and-links" class="ssrcss-odwm7b-Link e14mg4ud0">Read about our approach to external linking.</a>',
        ],
    ),
    (
        "theguardian.com",
        "dcr-1kc3kp5",
        "dcr-lv2v9o u-underline",
        [
            "Related topics",
            "Follow us on X, Instagram and Facebook for the latest updates. ",
            "© 2024 Guardian News &amp; Media Limited or its affiliated companies. All rights reserved.",
        ],
    ),
    (
        "reuters.com",
        "text__text__1FZLe text__heading_6__1qUJ5",
        "text__inherit-color__3208F link__underline_default__2prE_",
        ["Our Standards: The Thomson Reuters Trust Principles."],
    ),
    (
        "lemonde.fr",
        "article__desc",
        "lien_interne",
        [
            "Lire aussi : notre newsletter « La Matinale » — l’essentiel de l’actualité chaque matin.",  # noqa: RUF001 - typographic apostrophes are the point
            "© Le Monde. Reproduction interdite sans autorisation.",
        ],
    ),
    (
        "spiegel.de",
        "leading-loose font-bold",
        "text-primary-base underline",
        [
            "Folgen Sie uns auf WhatsApp, Instagram und Threads. ",
            "Weitere Themen",
            "© DER SPIEGEL GmbH &amp; Co. KG — alle Rechte vorbehalten.",
        ],
    ),
    (
        "apnews.com",
        "Page-lead",
        "Link AnClick-LinkEnhancement",
        [
            "Follow AP’s coverage at https://apnews.com/hub/world-news. ",  # noqa: RUF001
            "Copyright © 2024 The Associated Press. All Rights Reserved.",
        ],
    ),
    (
        "wyborcza.pl",
        "art_lead",
        "art_link",
        ["Zapisz się na newsletter — najważniejsze wiadomości dnia. "],
    ),
    (
        "elpais.com",
        "a_st",
        "a_l",
        [
            "Suscríbete aquí a la newsletter de EL PAÍS América y recibe todas las claves informativas.",
            "Related topics",
        ],
    ),
]

PEOPLE = [
    "Volodymyr Zelensky",
    "Jürgen Müller",
    "Łukasz Wróbel",
    "François Lévêque",
    "Ayşe Çelik",
    "Karim Khan",
    "Hugh Williamson",
    "Philippe Sands",
    "Andriy Kostin",
    "María José García",
    "Søren Jensen",
    "Zoë Smith",
    "Oleksandr Shelipov",
    "Małgorzata Szymańska",
    "João Gonçalves",
    "Björn Åström",
    "Nadia Haddad",
    "Chidi Okonkwo",
    "Aiko Tanaka",
]
PLACES = [
    "Kherson",
    "Kraków",
    "Zürich",
    "São Paulo",
    "Bogotá",
    "Gdańsk",
    "Montréal",
    "Reykjavík",
    "Istanbul",
    "Brussels",
    "Nairobi",
    "Łódź",
    "Málaga",
    "Genève",
    "Kyiv",
    "The Hague",
]
ORGS = [
    "the International Criminal Court",
    "the UN Security Council",
    "Human Rights Watch",
    "the European Commission",
    "the finance ministry",
    "the city council",
    "the central bank",
    "the prosecutor general's office",
    "the Red Cross",
    "the electoral commission",
]
VERBS = [
    "said",
    "denied",
    "confirmed",
    "warned",
    "announced",
    "claimed",
    "insisted",
    "reported",
    "suggested",
    "argued",
]
CLAIMS = [
    "more than 400 cases had been documented since February",
    "the investigation would take at least two more years",
    "prices had risen by 12% over the past year",
    "the agreement could not be enforced without a new treaty",
    "no evidence of wrongdoing had been found",
    "the figures were provisional and could be revised",
    "thousands of residents had been evacuated overnight",
    "the vote would go ahead as planned despite the protests",
    "the budget gap was larger than previously thought",
    "officials had not independently verified the reports",
    "the company's profits fell for a third consecutive quarter",
    "the bridge would reopen to traffic by the end of the month",
]
DETAILS = [
    "according to documents seen by reporters",
    "in a televised address",
    "speaking at a press conference on Tuesday",
    "in a statement released late on Friday",
    "without giving further details",
    "citing two people familiar with the matter",
    "after weeks of negotiations",
    "in an interview with local radio",
]
FACTS = [
    "The court was set up in 2002 and has 123 member states.",
    "Turnout in the last election was 61.4%, the lowest since 1990.",
    "The region has a population of about 1.2 million people.",
    "Inflation peaked at 10.6% in October before easing.",
    "The treaty — signed by 38 countries — entered into force in 1998.",
    "The river crossing is the only road link between the two banks.",
    "Both sides have accused each other of breaking the ceasefire.",
    "The report runs to 214 pages and includes 56 recommendations.",
]
QUOTES = [
    "Even war has rules",
    "We will not be intimidated",
    "This is a dark day for our democracy",
    "The numbers simply do not add up",
    "We are doing everything we can to help the families",
    "Nobody is above the law",
]
HEADLINES = [
    "What we know so far",
    "Five things to watch this week",
    "The long road to a ceasefire",
    "How the vote was counted",
    "Inside the court that tries war crimes",
    "Why prices keep rising",
    "A city rebuilds after the flood",
]

# A rare name used by the benchmark's text search: it appears in about 1 article in 100.
SEARCH_TERM = "Kierkegaard"


@dataclass
class Corpus:
    directory: Path
    files: Path
    articles: int
    paragraphs: int
    boilerplate: int
    bytes: int
    seconds: float


def _link(rng: random.Random, domain: str, css: str, text: str) -> str:
    slug = "-".join(text.lower().split()[:4])
    return f'<a href="https://www.{domain}/news/{slug}-{rng.randrange(10**7, 10**8)}" class="{css}">{text}</a>'


def _sentence(rng: random.Random, domain: str, link_css: str) -> str:
    kind = rng.random()
    if kind < 0.4:
        speaker = rng.choice(PEOPLE + ORGS)
        text = f"{speaker} {rng.choice(VERBS)} {rng.choice(CLAIMS)}, {rng.choice(DETAILS)}."
    elif kind < 0.6:
        text = f"“{rng.choice(QUOTES)},” {rng.choice(PEOPLE)} {rng.choice(VERBS)} in {rng.choice(PLACES)}."
    elif kind < 0.8:
        text = rng.choice(FACTS)
    else:
        place = rng.choice(PLACES)
        text = f"In {place}, {rng.choice(ORGS)} {rng.choice(VERBS)} {rng.choice(CLAIMS)} — {rng.choice(DETAILS)}."
    if rng.random() < 0.15:
        phrase = rng.choice(HEADLINES)
        text = f"{text} {_link(rng, domain, link_css, phrase)}."
    return text


def _article(
    rng: random.Random, index: int, source: tuple
) -> tuple[str, list[str], list[int]]:
    """One article: (external id, paragraph HTML strings, 1-based boilerplate positions)."""
    domain, bold_css, link_css, footer = source
    external_id = f"{index:06d}_{rng.getrandbits(64):016x}"
    total = rng.randint(20, 35)
    body_count = total - len(footer)
    lead = " ".join(_sentence(rng, domain, link_css) for _ in range(2))
    paragraphs = [f'<b class="{bold_css}">{lead}</b>']
    boilerplate = []
    read_more_at = rng.randrange(4, body_count) if rng.random() < 0.3 else None
    mention_at = rng.randrange(2, body_count) if rng.random() < 0.01 else None
    for position in range(2, body_count + 1):
        if position == read_more_at:
            headline = rng.choice(HEADLINES)
            paragraphs.append(f"Read more: {_link(rng, domain, link_css, headline)}")
            boilerplate.append(position)
            continue
        text = " ".join(
            _sentence(rng, domain, link_css) for _ in range(rng.randint(1, 3))
        )
        if position == mention_at:
            text += f" The case was first described by {SEARCH_TERM} scholars in 1849."
        if rng.random() < 0.3:
            text += " " * rng.randint(1, 3)  # scrapers keep trailing spaces
        paragraphs.append(text)
    for line in footer:
        paragraphs.append(line)
        boilerplate.append(len(paragraphs))
    return external_id, paragraphs, boilerplate


def generate_corpus(directory: Path, *, articles: int, seed: int = 6) -> Corpus:
    """Write `articles` seed-like articles to `directory`/files/<domain>/<id>.txt, one by one.

    Beside them, `directory`/ground_truth.json: {"boilerplate": {external_id: [positions]}}, the
    answers a boilerplate suggester is scored against. Same seed, same files.
    """
    started = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    files = directory / "files"
    for domain, *_ in SOURCES:
        (files / domain).mkdir(parents=True, exist_ok=True)
    paragraphs = boilerplate = size = 0
    with open(directory / "ground_truth.json", "w", encoding="utf-8") as truth:
        truth.write(f'{{"seed": {seed}, "articles": {articles}, "boilerplate": {{')
        for index in range(articles):
            source = SOURCES[index % len(SOURCES)]
            external_id, texts, positions = _article(rng, index, source)
            data = repr(texts).encode()
            (files / source[0] / f"{external_id}.txt").write_bytes(data)
            truth.write(
                ("," if index else "") + f"\n{json.dumps(external_id)}: {positions}"
            )
            paragraphs += len(texts)
            boilerplate += len(positions)
            size += len(data)
        truth.write("\n}}\n")
    return Corpus(
        directory,
        files,
        articles,
        paragraphs,
        boilerplate,
        size,
        time.perf_counter() - started,
    )
