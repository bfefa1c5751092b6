"""Features of single lines: what a line looks like on its own, before context.

Every pattern here describes how news pages in general lay out their furniture
(section headers, share prompts, credits, timestamps, datelines), never one
publisher's wording. :mod:`newsclass._segment` combines these with the line's
neighbours to decide its role.
"""

from __future__ import annotations

import re

__all__ = [
    "caption_score",
    "continues_on_next_line",
    "count_words",
    "ends_sentence",
    "is_ad_label",
    "is_boilerplate",
    "is_byline",
    "is_closing_credit",
    "is_footer_cue",
    "is_labelled_meta",
    "is_separator",
    "is_upper_label",
    "looks_like_ad_copy",
    "lead_in",
    "looks_like_credit",
    "looks_like_dateline",
    "looks_like_meta",
    "looks_like_person_name",
    "looks_like_short_title",
    "looks_like_title",
    "split_trailing_credit",
]

# A copyright notice: "Copyright ...", or a © with a year, "rights" or a company ("© 2031 The Courier",
# "© Courier Media Ltd"); a © and a name alone ("© Ivo Sarby") is a photo credit.
_COPYRIGHT_NOTICE = (
    r"(?:copyright\b|(?:©|\(c\))(?=.*(?:\b(?:19|20)\d\d\b|\brights\b|\b(?:ltd|limited|inc|llc|plc|gmbh|media|group)\b)))"
)
# Lines that organise a page rather than tell a story: section headers, share
# prompts, ad labels, sign-up prompts. Only short lines are tested against these.
_BOILERPLATE = re.compile(
    r"""^(?:
        more\ (?:from|in|on|stories|news|headlines)\b.*
      | related(?:\ (?:stories|articles|coverage|content|reading))?
      | read\ (?:more|next|this\ next|the\ full\ story|online)\b.*
      | (?:top|latest|trending|popular|recommended|featured|sponsored|partner|more)\ (?:stories|news|headlines|content|reads|for\ you)
      | most\ (?:read|popular|viewed|shared|emailed)\b.*
      | latest(?:\ news)? | trending(?:\ now)? | recommended(?:\ for\ you)? | opinion | analysis | in\ brief | briefs?
      | key\ (?:events|moments|points) | inside(?:\ today|\ this\ issue)? | also\ (?:this\ week|today|in\ the\ news)
      | you\ (?:may|might)\ also\ (?:like|enjoy)\b.* | editor['’]?s\ (?:picks?|choice)
      | don['’]?t\ miss\b.* | in\ other\ news | see\ also\b.* | also\ read\b.*
      | sponsored(?:\ content)? | paid\ (?:content|post) | advertisement | advertising | ad | promoted
      | share(?:\ (?:this|on|via)\b.*)? | share: .* | (?:tweet|email|print|copy\ link|comments?)
      | follow\ (?:us|our)\b.* | follow\ @\w+.* | subscribe\b.* | sign\ (?:up|in)\b.* | unsubscribe\b.* | log\ ?in
      | forward\ (?:this\ )?(?:e-?mail\ )?to\ a\ friend\b.* | reply\ to\ this\ e-?mail\b.*
      | last\ (?:updated|build)\b.* | updated\ \d.*
      | """ + _COPYRIGHT_NOTICE + r""".* | all\ rights\ reserved\b.* | privacy\ (?:policy|notice)\b.*
      | terms\ (?:of\ (?:use|service)|and\ conditions)\b.* | cookie\b.* | skip\ to\b.* | back\ to\ top
      | view\ (?:this\ e-?mail\ )?in\ (?:your\ )?browser\b.* | (?:home|menu|search|newsletters?)
    )[\s.:!|>»›→-]*$""",
    re.I | re.X,
)
# The line blog software appends to every post it syndicates: "The post <title> appeared first on <site>."
# It repeats a whole headline (which opens with a capital: "The post about the closure ..." is a
# sentence), so it is tested up to a long line's length; the site is a name or a domain, so that a
# sentence ("... appeared first on the ballot.") stays story text.
_SYNDICATION_FOOTER = re.compile(
    r"^[Tt]he\ post\ [A-Z0-9\"“‘'].*\ appeared\ first\ on\ (?!(?:{days}|{months})\b)"
    r"(?:[A-Z0-9][\w'’&.-]*|[\w-]+\.[a-z]{{2,}})(?:\ [A-Z0-9&][\w'’&.-]*){{0,5}}\.?$".format(
        days="(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day",  # "... appeared first on Tuesday." is a sentence
        months="January|February|March|April|May|June|July|August|September|October|November|December",
    ),
    re.X,
)
_SYNDICATION_FOOTER_WORDS = 40
# "Continue reading" links may carry the post's whole headline in quotes ("Continue reading 'Ferry
# returns' →") or a few words ("Keep reading about the ferry"); a sentence that goes on past a comma
# ("Continue reading the report, the minister said") is story text.
_READ_ON_LINK = re.compile(
    r"""^(?!(?:continue|keep)\ reading\ [^"“‘']*\w\.$)  # "Continue reading at home over the holidays." is a sentence
        (?:continue|keep)\ reading
        (?:\ (?:["“‘'][^"”’']{1,200}["”’']|[^.!?,;:"“‘]{1,40}))?
        \s*(?:…|\.\.\.)?[\s.:!|>»›→-]*$""",
    re.I | re.X,
)
# Sentences only footers say: why you get the email, how to stop it, who owns it.
_FOOTER_CUE = re.compile(
    r"\bunsubscribe\b|\ball rights reserved\b|^" + _COPYRIGHT_NOTICE + r"|\b(?:receiving|received|getting)\s+this\s+"
    r"(?:e-?mail|newsletter|message)|\bmanage\s+(?:your\s+)?(?:preferences|subscriptions?)\b|"
    r"\bupdate\s+your\s+preferences\b|\bnot\s+investment\s+advice\b",
    re.I,
)
# A row of short links split by dots or bars, one of them a footer link: "Privacy · Cookies · Contact us".
_LINK_SEPARATOR = re.compile(r"\s+[·|•]\s+")
_FOOTER_LINK = re.compile(
    r"^(?:cookies?|privacy|terms|accessibility|contact|advertise|about\ us|careers|imprint|sitemap)\b", re.I | re.X
)
_FOLLOW_PROMPT = re.compile(r"^(?:follow|watch|listen\ to)\ (?:us|our|all\ our)\ (?:live|coverage|updates)\b", re.I | re.X)
_SPONSORED_THING = (
    r"(?:(?:this|today['’]?s|the|our|live|coverage|issue|edition|newsletter|briefing|bulletin|digest|section|"
    r"episode|podcast|show|update|updates|email|content|series|report|is|are|was)\ ?){1,4}"
)
_AD_LABEL = re.compile(
    r"^(?:[-–—=*\s]*)(?:advertisement|advertising|sponsored(?:\ content)?|ad|promoted|paid\ (?:post|content)|"
    r"(?:today['’]?s|our|this\ week['’]?s)\ sponsor|a\ (?:word|message)\ from\ (?:our\ )?(?:sponsors?|partners?)\b.*|"
    # Only what a publication sponsors may stand before "sponsored by" ("This issue is ..."), so a
    # headline such as "Bill sponsored by senator advances" stays a headline.
    rf"(?:{_SPONSORED_THING}\ )?(?:presented|sponsored|brought\ to\ you)\ by(?:\ .+)?|in\ (?:partnership|association)\ with\ .+)"
    r"(?:[-–—=*\s:]*)$",
    re.I | re.X,
)
# What adverts offer: a discount, a code, a free trial, small print, a starting rate or price
# ("rates from 3.9%", "fares from £9") or a price per period ("£12 a month").
_PRICE_PER_PERIOD = r"[$£€]\s?\d[\d.,]*\s*(?:/|per\s+|a\s+)(?:month|mo|year|week)\b"
_AD_OFFER = re.compile(
    r"\b\d+\s?%\s+off\b|\bsave\s+(?:up\s+to\s+)?[$£€]?\d|\b(?:promo|discount|voucher|coupon)\s+code\b"
    r"|\buse\s+code\b|\bfree\s+trial\b|\b(?:t\s?&\s?cs?|terms(?:\s+and\s+conditions)?)\s+apply\b"
    rf"|{_PRICE_PER_PERIOD}"
    r"|\b(?:rates?|prices?|fares?|plans?)\s+from\s+(?:just\s+|only\s+)?(?:[$£€]\s?\d|\d[\d.,]*\s?%)",
    re.I | re.X,
)
_PRICE_PER_PERIOD_ALONE = re.compile(_PRICE_PER_PERIOD, re.I)
# A call to action: a sentence that opens with an imperative and asks the reader to act now, online,
# by phone or for themselves ("Call 0800 555 0199 today", "Apply online"), not a headline or a report
# that merely opens with the same word ("Order restored in Halden", "Shop owners ...").
_CALL_TO_ACTION = re.compile(
    r"^(?:call|visit|shop|order|switch|subscribe|sign\s+up|download|claim|buy|apply|discover|book|join|"
    r"register|upgrade|try)\b[^.!?]*?(?:\b(?:now|today|tonight|online|free|here|early|your?|in\s+minutes)\b"
    r"|\d[\d\s-]{6,}\d|\bwww\.|https?://)",
    re.I | re.X,
)
_REPORTING = re.compile(r"\b(?:said|says|say|told|according\ to|urged|announced|warned|added|reported)\b", re.I | re.X)
# A line offering a price per period with no call to action is ad copy only if it is this short
# ("Fennick Broadband: unlimited calls, £12 a month."); a longer one reads as a report of a price.
_PRICE_LINE_WORDS = 12
_CLOSING_CREDIT = re.compile(
    r"^\(?\s*(?:(?:additional\ )?reporting|writing|written|editing|edited|compiled|produced|additional\ reporting)\ by\b",
    re.I | re.X,
)
_CREDIT_LEAD = re.compile(
    r"^\(?\s*(?:photos?|photograph|photography|image|picture|pic|illustration|drawing|graphic|video|credit|artwork)s?"
    r"\s*(?:by\b|:|/|©)",
    re.I,
)
# A credit's lead followed by a name ("Photo: Kit Farrant", "Pictures by Jem Sarrow"), not by a
# sentence ("Video: the moment the wall gave way.").
_CREDIT_LEAD_AND_NAME = re.compile(f"(?i:{_CREDIT_LEAD.pattern})" + r"\s*[\"“(]?[A-Z0-9©]")
# Credits that say where a picture came from rather than who took it: "Picture supplied".
_CREDIT_PHRASE = re.compile(
    r"^\(?\s*(?:(?:photos?|pictures?|images?|pics?)\ (?:supplied|submitted|handout|courtesy\b.*)"
    r"|(?:supplied|handout)(?:\ (?:photos?|pictures?|images?))?|courtesy(?:\ of)?\ [A-Z].*)\s*\)?$",
    re.I | re.X,
)
_CREDIT_WORDS = re.compile(r"\b(?:handout|pool|file\ photo|courtesy|via|images|pictures|photos|press|wire|agency)\b", re.I | re.X)
_PERSON_NAME = re.compile(r"^[A-Z][a-z'’-]+(?:\s+[A-Z]\.)?(?:\s+(?:de|van|von|da|del|le|la)\b)?(?:\s+[A-Z][a-z'’-]+){1,2}$")
# A slash between capitalised names is how agencies write credits: "AGENCY/Name Surname".
# Every word is a name (or a particle in one); a slug headline ("TRADE/ Tariffs rise") is not.
_NAME_WORD = r"(?:[A-Z][\w.'’&-]*|&|of|the|and|de|van|von|da|del|le|la)"
_NAMES = rf"{_NAME_WORD}(?:\ {_NAME_WORD})*"
_SLASH_CREDIT = re.compile(rf"^[(]?{_NAMES}(?:\ ?/\ ?{_NAMES})+[)]?$", re.X)
# Where a credit can start at the end of a caption: after a sentence, an opening bracket,
# a copyright sign or a separator ("… on Monday. Photo: A/B", "… (Photo: A/B)", "… | © A").
_CREDIT_TAIL_START = re.compile(r"(?<=[.!?])\s+(?=\S)|\s+(?=\()|\s*(?=©)|\s+[|–—]\s+")
# The longest credit looks_like_credit takes (120 characters), with its separator.
_CREDIT_TAIL_CHARS = 124
# Something every credit looks_like_credit or _COPYRIGHT_CREDIT takes holds: most lines have none.
_CREDIT_HINT = re.compile(
    r"[/©]|\b(?:photo|picture|pic|image|illustration|drawing|graphic|video|credit|artwork|supplied|handout|courtesy)", re.I
)
_COPYRIGHT_CREDIT = re.compile(r"^\(?©\s*[\w'’.-]+(?:\s+[\w'’.&/-]+){0,6}\)?$")
_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’)]?\s+[A-Z“\"]")
# Where the next sentence starts, for splitting a text into its sentences.
_SENTENCE_START = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[A-Z“\"])")
_SENTENCE_END = re.compile(r"[.!?…:;,\"'”’)。！？；：」』）]\s*$")
# Scripts written without spaces between words: Chinese and Japanese (kana and ideographs), Thai.
_UNSPACED_SCRIPT = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Their words are about two characters long on average.
_CHARACTERS_PER_UNSPACED_WORD = 2

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday|rsday)?\.?"
# "16:42", "2.47pm BST", and the 24-hour clock of dispatches and wires: "0715 hrs", "1430h".
_TIME = (
    r"(?:\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?|[0-2]\d[0-5]\d\s*(?:hrs|hr|h)\b)"
    r"(?:\s*(?:gmt|utc|bst|cet|cest|et|pt|ct|est|edt|pst|pdt|local))?"
)
_META = re.compile(
    rf"""^(?:
        (?:published|posted|updated|date|pubdate|link|url|source|by)\s*:?\s*.*
      | (?:author|authors|category|categories|tags?|filed\ under|permalink|guid)\s*:\s*.*
      | (?:link:\s*)?<?https?://\S+?>?
      | www\.\S+
      | (?:{_WEEKDAY},?\s+)?(?:\d{{1,2}}\s+{_MONTH}|{_MONTH}\s+\d{{1,2}})(?:,?\s+\d{{4}})?(?:,?\s*(?:at\s+)?{_TIME})?(?:\s*[+-]\d{{4}})?
      | (?:{_WEEKDAY},?\s+)?\d{{1,2}}\s+{_MONTH}\s+\d{{4}}\s+{_TIME}(?::\d{{2}})?(?:\s*[+-]\d{{4}}|\s*gmt|\s*utc)?
      | \d{{4}}-\d{{2}}-\d{{2}}(?:[t\s]\d{{2}}:\d{{2}}(?::\d{{2}})?(?:z|[+-]\d{{2}}:?\d{{2}}|\s*utc)?)?
      | {_TIME}(?:\s*\(?{_WEEKDAY}\)?)?
      | \d{{1,3}}(?:\+\d{{1,2}})?\s*(?:min|mins|minutes|')
      | {_WEEKDAY}\s+\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?,?\s+{_TIME}
    )$""",
    re.I | re.X,
)
# "Source name · 12 Oct 2031": a short line made of a name and a date.
_SOURCE_AND_DATE = re.compile(rf"^[^.!?]{{2,60}}\s[·|•–—-]\s(?:{_WEEKDAY},?\s+)?(?:\d{{1,2}}\s+{_MONTH}|{_MONTH}\s+\d{{1,2}})(?:,?\s+\d{{4}})?$", re.I)
# A story's byline: "By Anna Branell", "by Ivo Sarby and Tom Reeve".
_BYLINE = re.compile(r"^[Bb]y\s+[A-Z][\w'’.-]+(?:\s+(?:and\s+)?[A-Z][\w'’.-]+){0,5}$")
# A sign-off under a text: "— Ana Ruiz, editor".
_SIGN_OFF = re.compile(r"^[—–]\s*[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3}(?:,\s*[\w'’ .-]{1,40})?$")
# Metadata that says what it is (a label, a link, a byline, a sign-off), unlike a bare
# timestamp: such a line can close the item above it as well as open the next one.
_LABELLED_META = re.compile(
    r"^(?:(?:posted|published|updated|filed|by|author|authors|category|categories|tags?|permalink|link|url|source"
    r"|via)\b"
    r"|<?https?://|www\.|[—–]\s*[A-Z])",
    re.I,
)
# "CITY, Country, Month Day (Agency) -" at the start of a wire story (the day may come first).
_DATELINE = re.compile(
    r"^[A-Z][A-Z'’.\-]+(?:\s+[A-Z][A-Z'’.\-]+){0,3}(?:,\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})?"
    rf"(?:,\s+(?:{_MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH}))?\s*\([A-Z][\w .&-]{{1,40}}\)\s*[-–—]+\s",
    re.I,
)
_DATELINE_CITY = re.compile(r"^[A-Z][A-Z'’.\-]{2,}")
# A newspaper's own dateline, with no agency: "KELDMOOR — Councillors ..." (the place in capitals).
_LOCAL_DATELINE = re.compile(
    r"^[A-Z][A-Z'’.\-]{2,}(?:\s+[A-Z][A-Z'’.\-]+){0,3}(?:,\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})?"
    r"\s+(?:[—–]|--?)\s+[A-Z\"“‘']"
)

# Words of photo captions: who stands where and does what in the picture.
_CAPTION_STRONG = re.compile(
    r"\((?:l|r|c|left|right|centre|center|front|back|top|bottom)\)|\b(?:pictured|photographed|poses?|posing)\b"
    r"|\bin\ (?:this|an|a)\ (?:file\ )?(?:picture|photo|photograph|image|handout|illustration)\b"
    r"|\b(?:image|picture|photo|view)\ of\b|\btaken\ (?:by|on|from|in)\b",
    re.I | re.X,
)
_CAPTION_VERB = re.compile(
    r"\b(?:stands?|sits?|walks?|waits?|queues?|holds?|lifts?|works?|checks?|rides?|crowds?|celebrates?|crosses|cross|"
    r"turns?|plants?|speaks?|talks?|looks?\ on|gestures?|waves?|arrives?|attends?|shakes?\ hands|counts?|examines?|"
    r"carr(?:y|ies)|watch(?:es)?|gathers?|marches?|march|rests?|plays?|prepares?|inspects?|surfaces?|greets?|"
    r"protests?|sings?|cheers?|queue|wait|clears?|repairs?|loads?|unloads?|pushes|push|pulls?|flies|fly|swims?|"
    r"runs?|smiles?|reacts?|listens?|points?|poses?|leaves?|enters?)\b",
    re.I | re.X,
)
_FINITE_WORD = re.compile(
    r"\b(?:said|says|told|tells|will|would|could|should|may|might|has|have|had|was|were|is|are|been|did|does|"
    r"can|won['’]t|cannot|expects?|plans?|wants?"
    # The past tense of common irregular verbs: story text reports what happened.
    r"|stole|took|gave|won|went|came|found|rose|grew|began|broke|brought|bought|sent|spent|kept|drew|threw|"
    r"struck|fought|caught|ran|knew|became|chose|froze)\b",
    re.I,
)
_PAST_ED = re.compile(r"\b\w{3,}ed\b", re.I)
_AUXILIARY = re.compile(
    r"\b(?:said|says|told|tells|will|would|could|should|has|have|had|was|were|is|are|been|can|cannot)\b", re.I
)
_DATE_END = re.compile(
    rf"(?:\bon\ )?(?:{_WEEKDAY}|{_MONTH}\ \d{{1,2}}|\d{{1,2}}\ {_MONTH}|in\ {_MONTH}|last\ \w+|this\ \w+)(?:,?\ \d{{4}})?[.]?$",
    re.I | re.X,
)


# A one-line brief led by its topic: "Parking: evening charges are scrapped from June."
_LEAD_IN = re.compile(r"^([A-Z][\w'’&-]+(?:\ [\w'’&-]+){0,2}):\ +\S.*[.!?…]$", re.X)


def count_words(text: str) -> int:
    """Words of a line: its space-separated tokens, and in scripts without spaces one word per
    two characters, so that a Chinese sentence is as long as its English translation."""
    unspaced = len(_UNSPACED_SCRIPT.findall(text))
    if not unspaced:
        return len(text.split())
    spaced = len(_UNSPACED_SCRIPT.sub(" ", text).split())
    return spaced + max(1, unspaced // _CHARACTERS_PER_UNSPACED_WORD)


def lead_in(text: str) -> str | None:
    """The topic a one-line brief opens with ("Parking" of "Parking: charges end."), or None."""
    match = _LEAD_IN.match(text)
    return match.group(1).lower() if match else None


def is_separator(text: str) -> bool:
    """A line with no letter or digit: rules, dashes, bullets on their own."""
    return not any(character.isalnum() for character in text)


def is_boilerplate(text: str, words: int) -> bool:
    return (
        (words <= 8 and bool(_BOILERPLATE.match(text)))
        or is_footer_cue(text, words)
        or (words <= 30 and _is_navigation_links(text))
        or (words <= 14 and bool(_FOLLOW_PROMPT.match(text)))
        or (words <= _SYNDICATION_FOOTER_WORDS and bool(_SYNDICATION_FOOTER.match(text) or _READ_ON_LINK.match(text)))
    )


def is_footer_cue(text: str, words: int) -> bool:
    return words <= 30 and (bool(_FOOTER_CUE.search(text)) or _is_footer_links(text))


def _is_footer_links(text: str) -> bool:
    return any(_FOOTER_LINK.match(link) for link in _short_links(text))


def _is_navigation_links(text: str) -> bool:
    """A masthead's row of links, one of them to a page's furniture: "The Ledger | Subscribe | Log in".

    Not a footer cue: it heads a page as often as it ends one.
    """
    return any(_BOILERPLATE.match(link) for link in _short_links(text))


def _short_links(text: str) -> list[str]:
    """The parts of a row of at least three short links split by dots or bars, or none."""
    if not any(mark in text for mark in "·|•"):
        return []
    links = _LINK_SEPARATOR.split(text)
    return links if len(links) >= 3 and all(len(link.split()) <= 4 for link in links) else []


def is_ad_label(text: str, words: int) -> bool:
    return words <= 8 and not ends_sentence(text) and bool(_AD_LABEL.match(text))


def looks_like_ad_copy(text: str, words: int) -> bool:
    """An advert's pitch read as a whole: every sentence offers something or calls to action, nothing
    is reported, and it holds a call to action with an offer ("Save 25% ... Call today."), or is a
    short line of a price per period. A call to action alone ("Join the ramblers for a free walk on
    Sunday.") may be a notice, so it is left to be a story.

    Examples
    --------
    >>> looks_like_ad_copy("Halvard Mortgages: rates from 4.1%. Apply online in minutes.", 9)
    True
    >>> looks_like_ad_copy("Lenders cut rates this week. Apply online now for rates from 3.9%, brokers advised.", 15)
    False
    >>> looks_like_ad_copy("Order restored in Halden", 4)
    False
    """
    if _REPORTING.search(text):
        return False
    sentences = _SENTENCE_START.split(text)
    offers = [bool(_AD_OFFER.search(sentence)) for sentence in sentences]
    calls = [bool(_CALL_TO_ACTION.search(sentence)) for sentence in sentences]
    if not all(offer or call for offer, call in zip(offers, calls)):
        return False  # a sentence of a report: "Lenders cut rates this week."
    if any(calls) and any(offers):
        return True
    return words <= _PRICE_LINE_WORDS and bool(_PRICE_PER_PERIOD_ALONE.search(text))


def is_closing_credit(text: str, words: int) -> bool:
    return words <= 30 and bool(_CLOSING_CREDIT.match(text))


def continues_on_next_line(text: str) -> bool:
    """A line broken off mid-sentence: an open bracket, or a last ";", "," or "and"."""
    return text.count("(") > text.count(")") or text.endswith((";", ",", " and", "&"))


def ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text))


def is_upper_label(text: str, words: int) -> bool:
    """A short line in capitals: an agency credit, or a section or masthead label."""
    letters = [character for character in text if character.isalpha()]
    return bool(letters) and words <= 4 and text.isupper()


def looks_like_credit(text: str, words: int) -> bool:
    """A photo or illustration credit, judged on the line alone."""
    if words > 12 or len(text) > 120:
        return False
    if _CREDIT_LEAD.match(text):
        return True
    if _COPYRIGHT_CREDIT.match(text) and not _FOOTER_CUE.search(text):
        return True  # "© Ivo Sarby"; "© 2031 The Courier" is a footer's copyright notice
    if text.endswith(".") and not text.lower().endswith("photo."):
        return False
    if words <= 8 and (_SLASH_CREDIT.match(text) or _CREDIT_PHRASE.match(text)):
        return True
    return words <= 6 and "/" in text and bool(_CREDIT_WORDS.search(text))


def _names_its_maker(credit: str) -> bool:
    """A credit at a caption's end that opens with "Photo:", "Pictures by" ... must go on with a name."""
    return not _CREDIT_LEAD.match(credit) or bool(_CREDIT_LEAD_AND_NAME.match(credit))


def split_trailing_credit(text: str) -> tuple[str, str | None]:
    """Split a caption into its text and the credit printed at its end, if any.

    Examples
    --------
    >>> split_trailing_credit("Divers check the hull at Orsk on May 2. (Photo: Ina Berg/Tidewire)")
    ('Divers check the hull at Orsk on May 2.', '(Photo: Ina Berg/Tidewire)')
    >>> split_trailing_credit("Divers check the hull at Orsk on May 2.")
    ('Divers check the hull at Orsk on May 2.', None)
    """
    # The earliest start wins, so that a credit's own initials ("Photo: J. Berg") stay in it. Only
    # a credit's length from the end is searched: every start tried costs the whole text's length.
    window = max(0, len(text) - _CREDIT_TAIL_CHARS)
    if not _CREDIT_HINT.search(text, window):
        return text, None
    for match in _CREDIT_TAIL_START.finditer(text, window):
        head, tail = text[: match.start()].rstrip(), text[match.end() :]
        if count_words(head) < 3:
            continue
        if _names_its_maker(tail) and looks_like_credit(tail, count_words(tail)):
            return head, tail
    return text, None


def looks_like_person_name(text: str) -> bool:
    return bool(_PERSON_NAME.match(text))


def looks_like_meta(text: str, words: int) -> bool:
    """A timestamp, date, link or byline line: item metadata, not story text."""
    if words > 12 or len(text) > 140:
        return False
    if _META.match(text) or _BYLINE.match(text):
        return not (text.lower().startswith(("by ", "source")) and ends_sentence(text))
    return bool(_SOURCE_AND_DATE.match(text) or _SIGN_OFF.match(text))


def is_byline(text: str) -> bool:
    """A line naming a story's writers: a masthead never has one."""
    return bool(_BYLINE.match(text))


def is_labelled_meta(text: str) -> bool:
    """A metadata line that names what it is ("Posted by ...", a link), not a bare date or time."""
    return bool(_LABELLED_META.match(text))


def looks_like_dateline(text: str) -> bool:
    return (bool(_DATELINE.match(text)) and bool(_DATELINE_CITY.match(text))) or bool(_LOCAL_DATELINE.match(text))


def looks_like_title(text: str, words: int) -> bool:
    """Headline-shaped: short, and not ended like a sentence."""
    return 1 <= words <= 16 and len(text) <= 120 and not _SENTENCE_END.search(text)


def looks_like_short_title(text: str, words: int) -> bool:
    """A short headline that ends in a full stop ("Bike lanes work. Build more.")."""
    return 2 <= words <= 7 and text.endswith(".") and not text.endswith("..")


def caption_score(text: str, words: int) -> int:
    """How much a lone sentence reads like a photo caption rather than story text."""
    if words < 4 or words > 45 or _SENTENCE_BREAK.search(text) or any(mark in text for mark in "\"“”"):
        return -1
    score = 0
    if _CAPTION_STRONG.search(text):
        score += 2
    if _CAPTION_VERB.search(text):
        score += 1
    if _DATE_END.search(text):
        score += 1
    verb = _CAPTION_VERB.search(text)
    # A past participle beside a picture verb is an adjective ("the protected lane").
    finite = _FINITE_WORD.search(text) or (not verb and _PAST_ED.search(text))
    if _AUXILIARY.search(text):
        score -= 1  # "said", "will", "has": story text reports, captions show
    if not finite:
        score += 1
        if not _CAPTION_VERB.search(text):
            score += 1  # a bare noun phrase: "Skiers on the floodlit track"
    return score
