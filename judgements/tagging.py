"""Automatic service-area tags and evidence links, as plain functions over a report's text.

Two taggers live here:

- the keyword **rulebook** (`compile_rules`, `suggest`): one regular expression per row of
  judgements.TaggingRule, every match a tag. It was the importer's tagger until issue 15
  and stays for `manage.py tag_agreement` and as the "before" figure of
  `bench/score_tagger.py`;
- the **structured tagger** (`tag_report`): weighted cues per service area, counted per
  sentence (a paragraph is *substantially* about what several of its sentences, or its
  first, are about), read with the judgement section the paragraph stands in and its
  neighbours, and always at least one service area. `ServiceAreaTag.objects.create_automatic()`
  and `manage.py retag` call it, so that the importer (in the reports app) meets this code
  only through the models.

`link_evidence` guesses the paragraphs behind each "What needs to improve" point.
Everything here works on slugs and numbers, without the database; the figures come from
`bench/score_tagger.py` and are in docs/decisions/automatic-tagging.md.
"""

import functools
import math
import re
from collections import Counter
from dataclasses import dataclass

#: Raise when tag_report's or link_evidence's output changes, so that a re-tag can say
#: what made the tags and `retag --stale` re-links the reports linked by an older linker.
TAGGER_VERSION = "structured-4"
#: What bench/score_tagger.py measured on the labelled test split (fixtures/tagging/), for
#: the methods page; docs/decisions/automatic-tagging.md has the per-area figures.
#: structured-4 (the linker of structured-3) was built on the tune split, 26 reports
#: (never the test split), and the test split was measured once, after the merge
#: (3 December 2026).
MEASURED = {
    "paragraphs": 233,
    "reports": 7,
    "actions": 51,
    "before": {"precision": 0.55, "recall": 0.63, "f1": 0.59, "untagged": 0.17},
    "after": {"precision": 0.86, "recall": 0.77, "f1": 0.81, "untagged": 0.0},
    "links_before": {"precision": 0.45, "recall": 0.61, "f1": 0.52},
    "links_after": {"precision": 0.71, "recall": 0.69, "f1": 0.70},
    # The tune split (837 paragraphs, 26 reports), which the rules were written from: an
    # optimistic figure, for the decision record (`--split tune`); not for the methods page.
    "tune": {"precision": 0.89, "recall": 0.86, "f1": 0.87, "macro_f1": 0.85},
}
#: A label meaning "no service area fits" (in the labelled sets; never a ServiceArea).
NONE = "none"


def compile_rules(rules):
    """[(service area id, compiled pattern)] for (service area id, pattern) pairs, each
    matched case-insensitively at word boundaries."""
    return [
        (area_id, re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE)) for area_id, pattern in rules
    ]


def suggest(text, rulebook):
    """The ids of the service areas whose rules match `text`."""
    return {area_id for area_id, pattern in rulebook if pattern.search(text)}


@dataclass(frozen=True)
class Agreement:
    service_area: str
    manual: int
    automatic: int
    both: int

    @property
    def precision(self):
        return self.both / self.automatic if self.automatic else None

    @property
    def recall(self):
        return self.both / self.manual if self.manual else None


def agreement(areas, tagged_texts, rulebook):
    """Per service area, how the rulebook's suggestions agree with tags a person made.

    `areas` are (id, name) pairs; `tagged_texts` (text, {ids of its manual tags}) pairs.
    Precision: the share of suggestions a person also made; recall: the share of manual
    tags the rules found. Returns one Agreement per area and, last, their total."""
    counts = {area_id: [name, 0, 0, 0] for area_id, name in areas}
    for text, manual in tagged_texts:
        automatic = suggest(text, rulebook)
        for area_id in manual:
            counts[area_id][1] += 1
        for area_id in automatic:
            counts[area_id][2] += 1
        for area_id in manual & automatic:
            counts[area_id][3] += 1
    rows = [Agreement(*values) for values in counts.values()]
    total = Agreement(
        "All service areas",
        sum(row.manual for row in rows),
        sum(row.automatic for row in rows),
        sum(row.both for row in rows),
    )
    return [*rows, total]


# --- The structured tagger -------------------------------------------------------------


@dataclass(frozen=True)
class ReportParagraph:
    number: int
    section: str  # the judgement area's slug, e.g. help-and-protection
    text: str


@dataclass(frozen=True)
class ReportAction:
    position: int
    text: str


def action_text(action):
    """An improvement action's words with its sub-points, for matching."""
    return " ".join([action.text, *getattr(action, "sub_points", [])])


HELP = "help-and-protection"
CARE = {"children-in-care-and-care-leavers", "children-in-care"}
LEAVERS = "care-leavers"

#: service area: [(pattern, weight, sections where it counts, or None for all)]. A cue of
#: weight 1 alone makes a sentence about the area; weaker ones add up.
CUES = {
    "early-help": [
        (r"early help", 1.0, None),
        (r"family hubs?|children'?s centres?|troubled families|supporting families", 0.8, None),
        (r"step(?:ped|ping|s)?[- ](?:down|up)", 0.7, None),
        (r"targeted (?:family )?support|early intervention", 0.6, None),
    ],
    "front-door": [
        (r"MASH|multi-agency safeguarding hubs?|front door", 1.0, None),
        (r"contacts?|referrals?|re-?referrals?", 0.5, None),
        (r"thresholds?|screen(?:ing|ed)|consent", 0.6, None),
        (r"first response|initial response|duty and assessment|children'?s advice", 0.8, None),
        (r"refer(?:s|red|ring)?", 0.5, None),
    ],
    "child-protection": [
        (r"child[- ]protection|section 47|s47|strategy (?:meetings?|discussions?)", 1.0, None),
        (
            r"child(?:ren)? in need of (?:help and )?protection|out[- ]of[- ]hours|"
            r"outside (?:of )?(?:normal )?office hours|"
            r"emergency duty|EDT",
            1.0,
            None,
        ),
        (r"radicalis(?:ation|ed)|Prevent", 0.6, None),
        (r"protection plans?|(?:child protection |initial |review )?conferences?", 0.8, None),
        (r"significant harm|core groups?|MARAC", 0.6, None),
        (r"domestic abuse|neglect", 0.35, None),
    ],
    "children-in-need": [
        (r"child(?:ren)?[- ]in[- ]need|CIN", 1.0, None),
        (
            r"edge[- ]of[- ]care|family support (?:service|workers?)|family support|"
            r"family group conferenc\w*|family network meetings?",
            0.7,
            None,
        ),
        (r"assessments?|plans?|visit(?:s|ed)?|direct work", 0.35, {HELP}),
        (r"disabled children'?s|young carers?", 0.0, None),
    ],
    "exploitation-and-missing": [
        (
            r"exploit(?:ation|ed)|county lines|gangs?|extra-?familial|contextual safeguarding",
            1.0,
            None,
        ),
        (
            r"missing (?:from|episodes?|children|coordinator)|"
            r"(?:go|goes|going|went|been|reported) missing|"
            r"(?:children|young people|child|young person|they|who) (?:are|were|is|was) missing",
            0.9,
            None,
        ),
        (r"return (?:home )?interviews?|CSE|CCE|trafficking|modern slavery", 0.9, None),
        (r"youth (?:justice|offending)", 0.5, None),
    ],
    "disabled-children": [
        (r"disabled children|children with (?:disabilities|a disability)|short breaks", 1.0, None),
        (r"disabilit(?:y|ies)|complex needs|SEND", 0.5, None),
    ],
    "private-fostering": [(r"private(?:ly)? foster(?:ing|ed)", 1.0, None)],
    "allegations-against-adults": [
        (r"designated officers?|LADO|positions? of trust", 1.0, None),
        (r"allegations?", 0.6, None),
    ],
    "education-and-attendance": [
        (r"elective(?:ly)? home[- ]educat\w*|missing (?:from )?education", 1.0, None),
        (
            r"reduced timetables?|alternative (?:education|provision)|part-time timetables?",
            1.0,
            None,
        ),
        (r"exclu(?:sions?|ded)|attendance|home education", 0.5, None),
    ],
    "court-and-pre-proceedings": [
        (r"pre-?proceedings|public law outline|PLO|care proceedings", 1.0, None),
        (r"letters? before proceedings|legal (?:planning|gateway|advice)", 1.0, None),
        (r"courts?|proceedings|Cafcass|parenting assessments?", 0.6, None),
    ],
    "children-in-care": [
        (r"independent reviewing officers?|IROs?|family time|life[- ]story", 1.0, None),
        (r"independent visitors?|advocacy|advocates?", 0.8, None),
        (r"care plans?|reviews?|visit(?:s|ed)?|direct work", 0.4, CARE),
        (r"come into care|coming into care|entering care|enter care", 0.45, None),
        # "Children placed in the area by other councils = children-in-care" (the guide).
        (
            r"placed (?:in|into) [\w -]{1,30}? by other (?:local authorities|councils)|"
            r"placing (?:local )?authorit(?:y|ies)",
            1.0,
            None,
        ),
        (r"brothers and sisters|siblings|contact with (?:their )?(?:family|parents)", 0.5, None),
    ],
    "permanence-and-placements": [
        (r"permanen(?:ce|t homes?|tly)|special guardian\w*|SGOs?|kinship", 1.0, None),
        (r"placements?|sufficiency|unregistered|unregulated|children'?s homes?", 0.7, None),
        (r"stability|stable homes?|matching|matched|reunifi\w*|residential", 0.6, None),
        # The guide's "return home and placement with parents", "living with family members".
        (r"placed (?:at home )?with (?:their )?parents|placements? with parents", 1.0, None),
        (r"stable(?:,? [\w-]+){1,3} homes?|long-term homes?", 0.6, None),
        (
            r"liv(?:e|es|ing) (?:\w+ ){0,2}(?:with|within) (?:their )?"
            r"(?:connected |extended |wider )?family (?:members|networks?)|"
            r"(?:extended|wider) family carers",
            0.7,
            CARE,
        ),
        (r"connected (?:persons?|carers?)|family and friends|out of area|at a distance", 0.6, None),
        (
            r"return(?:s|ed|ing)? home|discharg\w+ (?:of )?(?:their )?care orders?|revocation",
            0.6,
            None,
        ),
        (r"where they live|homes? (?:for|that meet)", 0.35, CARE),
    ],
    "fostering": [
        (
            r"fostering (?:service|households?|panel|recruitment|agenc\w+|teams?)|mockingbird",
            1.0,
            None,
        ),
        (r"foster carers?|foster families|supervising social workers?", 0.5, None),
        (r"connected (?:persons?|carers?) assessments?|viability assessments?", 0.6, None),
    ],
    "adoption": [
        (r"adopt(?:ion|ers?|ed|ive)|regional adoption agenc\w+|RAA", 1.0, None),
        (
            r"early permanence|fostering for adoption|foster to adopt|letterbox|"
            r"child permanence reports?|later life letters?",
            1.0,
            None,
        ),
        (r"placement orders?", 0.6, None),
    ],
    "virtual-school": [
        (r"virtual school|virtual head\w*|personal education plans?|PEPs?", 1.0, None),
        (r"pupil premium|designated teachers?", 1.0, None),
        (r"school|education|attainment|educational", 0.4, CARE),
    ],
    "health": [
        (r"health assessments?|CAMHS|SDQs?|strengths and difficulties", 1.0, None),
        (r"mental health|emotional (?:health|well-?being)|health histor(?:y|ies)", 0.9, None),
        (r"therap(?:y|ies|ist|eutic)|psycholog\w*|clinical|substance (?:mis)?use", 0.6, None),
        (r"GPs?|health (?:needs|checks?|appointments?|services?|passports?)|dentists?", 0.7, None),
        (r"health|well-?being|dental|immunisations?", 0.4, None),
    ],
    "care-leavers": [
        (r"care leavers?|pathway plans?|personal advis[eo]rs?|PAs?|leaving care", 1.0, None),
        (r"staying (?:put|close)|local offer|care-experienced|care experienced", 0.9, None),
        (
            r"(?:education,? )?employment(?:,| and| or) training|EET|NEET|apprenticeships?",
            0.6,
            None,
        ),
        (r"employment|universit(?:y|ies)", 0.4, None),
        (
            r"independen(?:t living|ce)|semi-independent|supported (?:accommodation|lodgings)",
            0.6,
            None,
        ),
        (r"young (?:people|adults?)|accommodation|housing", 0.4, {LEAVERS}),
    ],
    "leadership-and-governance": [
        (
            r"director of children'?s services|DCS|chief executive|lead member|elected members?",
            0.9,
            None,
        ),
        (r"councillors?|governance|political", 0.9, None),
        # The council's handling of complaints; a child's complaint is casework.
        (r"complaints?", 0.9, {"impact-of-leaders", "overall-effectiveness"}),
        (r"leaders|leadership", 0.4, None),
        (r"partnerships?|partners|scrutiny|budgets?|invest(?:ed|ment)|financial", 0.5, None),
        (
            r"improvement (?:plan|journey|board)|(?:previous|last|recent) inspection|"
            r"monitoring visits?|focused visits?",
            0.6,
            None,
        ),
        (r"strateg(?:y|ic)|practice model|vision|culture", 0.4, None),
    ],
    "workforce": [
        (r"workforce|caseloads?|workloads?|retention|morale|vacanc(?:y|ies)|turnover", 1.0, None),
        (r"agency (?:staff|social workers|workers)|newly qualified|ASYE|academy", 1.0, None),
        (r"recruit\w*", 0.6, None),
        (r"training|learning and development|professional development|careers?", 0.6, None),
        (r"(?:staff|workers|practitioners) (?:told|say|said|feel|are proud|reported)", 0.6, None),
        (r"feel valued|social work students|staff absence|restructure", 0.6, None),
        (
            r"social workers (?:say|said|told|are positive|enjoy|feel|like)|"
            r"changes? of social workers?",
            0.6,
            None,
        ),
    ],
    "quality-assurance": [
        (r"audit(?:s|ing|ed|ors)?|supervision|management oversight|quality assurance", 1.0, None),
        (
            r"performance (?:information|data|management|reports?)|self-assessment|moderat\w+",
            0.9,
            None,
        ),
        (r"oversight|practice (?:reviews?|evaluations?|learning|standards)", 0.6, None),
        (r"managers|data|learning from|quality of practice", 0.3, None),
    ],
    "homeless-young-people": [
        (r"homeless(?:ness)?", 0.6, None),
        (
            r"16[- ]and 17|16/17|(?:aged )?16 (?:or|and|to) 17|17-year-olds?|housing protocol",
            0.6,
            None,
        ),
        (r"present(?:s|ing|ed)? as homeless", 0.8, None),
        (
            r"(?:16|17|sixteen|seventeen)\b[^.]{0,60}\bhomeless\w*|"
            r"homeless\w*\b[^.]{0,60}\b(?:16|17|sixteen|seventeen)",
            1.0,
            None,
        ),
    ],
    "young-carers": [(r"young carers?", 1.0, None)],
    "unaccompanied-children": [
        (r"unaccompanied|asylum[- ]seek\w*|UASC|separated (?:migrant )?children", 1.0, None),
        (r"national transfer scheme|age assessments?|immigration|refugees?", 1.0, None),
        (r"(?:journeys?|arriv\w+|travel\w*) (?:to|in) the UK|home office", 0.9, None),
    ],
    "participation": [
        (
            r"children in care councils?|child in care councils?|CiCC|co-?produc\w*|participation",
            1.0,
            None,
        ),
        (
            r"(?:young people'?s|care leavers'?|youth) (?:forums?|councils?|groups?|voice)",
            0.8,
            None,
        ),
        (r"interview panels?|youth parliament|ambassadors?|consultation", 0.6, None),
        # Children shaping a service ("care leavers helped to design the hub", "young people
        # were involved in its creation"): co-production in other words.
        (
            r"(?:children|young people|care leavers|care-experienced young people)\b[^.]{0,80}?"
            r"\b(?:(?<!are )(?<!are also )(?<!is )(?<!been )(?<!being )"
            r"help(?:ed|s|ing)? (?:to )?(?:design|shape|create|develop)(?! their| them)|"
            r"involved in (?:its|the) (?:creation|design|development)|"
            r"included (?:\w+ ){0,3}in (?:the|its) (?:development|design|creation)|"
            r"shap(?:e|es|ed|ing) (?:\w+ ){0,2}(?:services?|practice|priorities))",
            1.0,
            None,
        ),
        (r"influenc\w*|voice of (?:the )?(?:child|children|young people)", 0.35, None),
    ],
    "corporate-parenting": [
        (r"corporate parent\w*|protected characteristic", 1.0, None),
        # "A whole-council commitment to children in care or care leavers is
        # corporate-parenting even without the words" (docs/tagging-guide.md).
        (
            r"(?:whole|wider)[- ]council (?:commitment|approach|responsibility)\b[^.]{0,200}?"
            r"\b(?:children in care|looked after|care leavers?|care-experienced)|"
            r"(?:children in care|looked after|care leavers?|care-experienced)\b[^.]{0,200}?"
            r"\b(?:whole|wider)[- ]council (?:commitment|approach|responsibility)",
            1.0,
            None,
        ),
        (r"pledge|care leaver covenant|covenant", 0.5, None),
    ],
}
#: Who a sentence is about rather than what: "children in care" counts for the children
#: in care area only in a sentence that no other area's strong cue claims (a sentence on
#: the virtual school's work with children in care is about the virtual school).
POPULATION = {"children-in-care": (r"children in care|child in care|looked after", 0.45)}
POPULATION_YIELDS_TO = 0.9

#: Cues that take the sentence away from an area (a longer name that contains its words).
EXCLUDE = {
    "fostering": r"private(?:ly)? foster\w*|fostering for adoption|foster to adopt",
    "children-in-care": r"children in care councils?",
    # "Children in care and care leavers" names who, not which service.
    "care-leavers": r"(?:children|child|young people) in care(?:,)? and (?:those |young people )?"
    r"(?:leaving care|care leavers|care-experienced young people)|"
    r"children(?:,? (?:young people|their families|families|parents))*,? and care leavers",
    # Missing education is education's (children "missing or at risk of missing education").
    "exploitation-and-missing": r"missing (?:or at risk of missing )?(?:from )?education",
    "permanence-and-placements": r"placement orders?|early permanence|child permanence reports?",
    # Recruiting and training carers, and care leavers' education, training and employment,
    # are not the council's workforce.
    "workforce": r"recruit\w* (?:of )?(?:more )?(?:adopters|foster carers|foster families|carers)|"
    r"(?:carers|adopters)\b[^.;]*?\b(?:training|recruit\w*)|"
    r"(?:training|recruit\w*)\b[^.;]*?\b(?:carers|adopters)|"
    r"(?:education|employment),? (?:and |or )?training|training,? (?:and |or )?employment",
    # A group named in passing in a list ("including disabled children") is not the subject.
    "disabled-children": r"(?:including|such as|as well as) (?:for |those who are )?"
    r"(?:disabled children|children with (?:disabilities|a disability))",
    "unaccompanied-children": r"(?:including|such as|as well as) (?:for |those who are )?"
    r"(?:unaccompanied|asylum[- ]seeking|separated)[\w ,-]*?children",
    "child-protection": r"family group conferenc\w*",
    # "Children in need of early help" are early help's, not the child in need level.
    "children-in-need": r"child(?:ren)? in need of early help",
    # Children's voice in their own plan is casework (docs/tagging-guide.md), and services
    # co-producing with each other is not children's participation.
    "participation": r"(?:partners?|partner agency|agency|agencies|multi-agency|professionals?|"
    r"parents?|parental|family|families) participation|"
    r"participation (?:of|by|from) (?:partners?|agencies|professionals|parents)|"
    r"participation in (?:education|employment|training|learning|school)|"
    r"co-?produc\w* (?:\w+ ){0,2}plan\w*|plan\w* (?:[\w,]+ ){0,5}co-?produc\w*|"
    r"co-?produc\w* with (?:adult|partner|health)\w*(?: services| agencies)?|"
    r"(?:creation|design|development|review)(?: and \w+)? of (?:their|his|her) (?:own )?"
    r"(?:[\w-]+ ){0,3}plans?",
    "front-door": r"contact with (?:their )?(?:famil\w+|parents|brothers|sisters|siblings)",
}

#: The section's own service area: "children" in the care leavers section are care leavers.
SECTION_PRIOR = {
    HELP: {"children-in-need": 0.25},
    "children-in-care-and-care-leavers": {"children-in-care": 0.25},
    "children-in-care": {"children-in-care": 0.3},
    LEAVERS: {"care-leavers": 0.6},
    "impact-of-leaders": {"leadership-and-governance": 0.35},
    "overall-effectiveness": {"leadership-and-governance": 0.35},
}
#: Where nothing matches at all: the area a paragraph of that section is most often about.
SECTION_DEFAULT = {
    HELP: "children-in-need",
    "children-in-care-and-care-leavers": "children-in-care",
    "children-in-care": "children-in-care",
    LEAVERS: "care-leavers",
    "impact-of-leaders": "leadership-and-governance",
    "overall-effectiveness": "leadership-and-governance",
}

#: Tuned on the tune split only (docs/decisions/automatic-tagging.md).
FIRST_SENTENCE_BONUS = 0.3  # the topic sentence counts 1.3 times
LIST_AREAS, LIST_CUE, LIST_SHARE = 3, 0.9, 2.0  # a list: 3+ areas' strong cues share 2
MIN_SCORE = 1.0  # a tag needs cues worth a whole sentence
SECOND_MIN = 1.5  # a second or third tag, more: the topic sentence, or two sentences
#: Areas named by words that hardly occur in passing (a sentence on the corporate
#: parenting board is about corporate parenting): one sentence makes a second tag.
SPECIFIC = {
    "participation", "corporate-parenting", "unaccompanied-children", "young-carers",
    "homeless-young-people", "disabled-children", "private-fostering",
}  # fmt: skip
SECOND_MIN_FOR = dict.fromkeys(SPECIFIC, 1.0)
RELATIVE = 0.55  # ... and at least this share of the paragraph's best area's score
RELATIVE_SPECIFIC = 0.35  # ... or of it for the specific groups
MOST_TAGS = 3
NEIGHBOUR_BELOW = 1.0  # a paragraph whose best area scores less than this...
NEIGHBOUR_WEIGHT = 0.3  # ...gets this much for each of the previous paragraph's areas
SUMMARY_WEIGHT = 1.0  # a section's summing-up topic sentence: this for each area it names
#: Areas that most paragraphs touch in passing (leaders are the subject of many sentences
#: about other services): tagged only when no other area scores as high.
#: Corporate parenting's words hardly occur in passing (the guide: a sentence of its own on
#: the protected characteristic or the council as corporate parent adds it): 30 % will do.
RELATIVE_FOR = {"leadership-and-governance": 1.0, "corporate-parenting": 0.3}

#: Where children's participation takes place, rather than what it is about.
FORUM_OF_PARTICIPATION = ("corporate-parenting", "care-leavers", "children-in-care")

LEADERSHIP = "leadership-and-governance"
LEADERS_SECTIONS = {"impact-of-leaders"}
LEADERSHIP_JOINS = 0.8
#: Under the leadership judgement, these are leaders' own subjects (the workforce, quality
#: assurance, corporate parenting, children's participation, the sufficiency of homes), not
#: services leaders act on: they replace leadership rather than join it.
LEADERSHIP_DOES_NOT_JOIN = {
    "quality-assurance", "workforce", "corporate-parenting", "participation",
    "permanence-and-placements",
}  # fmt: skip

#: The service a group's paragraph is also about, by section (docs/tagging-guide.md:
#: unaccompanied children "beside children-in-care or care-leavers").
GROUP_SERVICE = {
    "children-in-care-and-care-leavers": "children-in-care",
    "children-in-care": "children-in-care",
    LEAVERS: "care-leavers",
}

#: The judgement named in a section's opening topic sentence, and the services it names.
SUMMARY = {
    HELP: (
        re.compile(r"\bhelp and protection\b", re.IGNORECASE),
        ("children-in-need", "child-protection"),
    ),
}

SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z‘'\"(])")
COMPILED = {
    area: [
        (re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE), weight, sections)
        for pattern, weight, sections in cues
    ]
    for area, cues in CUES.items()
}
COMPILED_POPULATION = {
    area: (re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE), weight)
    for area, (pattern, weight) in POPULATION.items()
}
COMPILED_EXCLUDE = {area: re.compile(rf"\b(?:{p})\b", re.IGNORECASE) for area, p in EXCLUDE.items()}


def sentences(text):
    return [s for s in SENTENCE.split(text) if s.strip()] or [text]


def sentence_scores(sentence, section):
    """{area: the weight of its strongest cue in `sentence`} (case-sensitive acronyms too)."""
    scores = {}
    for area, cues in COMPILED.items():
        exclude = COMPILED_EXCLUDE.get(area)
        text = exclude.sub(" ", sentence) if exclude else sentence
        best = 0.0
        for pattern, weight, sections in cues:
            if weight > best and (sections is None or section in sections) and pattern.search(text):
                best = weight
        if best:
            scores[area] = best
    for area, (pattern, weight) in COMPILED_POPULATION.items():
        claimed = any(w >= POPULATION_YIELDS_TO for a, w in scores.items() if a != area)
        if not claimed and scores.get(area, 0) < weight and pattern.search(sentence):
            scores[area] = weight
    return scores


def area_scores(paragraph):
    """{area: score}: each sentence adds its strongest cue per area, the first sentence
    counting extra, and the section its own area's prior."""
    totals = Counter()
    for position, sentence in enumerate(sentences(paragraph.text)):
        bonus = 1 + FIRST_SENTENCE_BONUS if position == 0 else 1
        scores = sentence_scores(sentence, paragraph.section)
        strong = sum(1 for weight in scores.values() if weight >= LIST_CUE)
        # A sentence naming three or more services ("including adoption, the designated
        # officer and care leavers") lists them: mentions, not subjects.
        share = LIST_SHARE / strong if strong >= LIST_AREAS else 1
        for area, weight in scores.items():
            totals[area] += weight * bonus * (share if weight >= LIST_CUE else 1)
    for area, prior in SECTION_PRIOR.get(paragraph.section, {}).items():
        if totals[area]:
            totals[area] += prior
    return totals


#: Thresholds applied, and cases stepped up or down between early help, child in need and
#: child protection: under help and protection, the front door beside the level the
#: paragraph is about (docs/tagging-guide.md, "Thresholds"), never instead of it.
THRESHOLDS = re.compile(r"\b(?:thresholds?|step(?:ped|ping|s)?[- ](?:down|up))\b", re.IGNORECASE)
LEVELS = ("early-help", "children-in-need", "child-protection")
FRONT_DOOR = "front-door"
#: Assessing family members as carers (viability and connected-person assessments): in a
#: paragraph about kinship care or placements, fostering beside permanence (the guide:
#: "with fostering where assessing or supporting connected carers is the subject").
CARER_ASSESSMENTS = re.compile(
    r"\b(?:viability (?:and [\w-]+ (?:\w+ )?)?assessments?|connected[- ]persons?'? assessments?|"
    r"assessments? of (?:potential |prospective |connected |kinship |family and friends )?"
    r"(?:carers|family members|connected persons?))\b",
    re.IGNORECASE,
)
PERMANENCE, FOSTERING = "permanence-and-placements", "fostering"


def the_point(said):
    """Whether something said in some of a paragraph's sentences (`said`: one boolean a
    sentence) is its point: the topic sentence, or at least half of the sentences (one
    sentence in passing in a long paragraph is a mention)."""
    return said[0] or 2 * sum(said) >= len(said)


def about_thresholds(split):
    """Whether thresholds are the point of a paragraph (`split`: its sentences)."""
    return the_point([bool(THRESHOLDS.search(sentence)) for sentence in split])


#: Both levels named together as who the paragraph is about ("children in need of help and
#: protection", "plans for children in need and for children subject to child protection
#: planning", "child protection and child in need plans"): the guide's "gets both".
TOGETHER = ("children-in-need", "child-protection")
NAMED_TOGETHER = re.compile(
    r"\b(?:child(?:ren)?[- ]in[- ]need (?:of (?:help and )?protection|(?:plans? )?(?:and|or) "
    r"(?:for |those |children )?(?:\w+ ){0,3}(?:child[- ]protection|protection plans?))|"
    r"child[- ]protection (?:plans? )?(?:and|or) child(?:ren)?[- ]in[- ]need)"
    r"(?! thresholds?| teams?| services?)",
    re.IGNORECASE,
)


def named_together(paragraph, split):
    """TOGETHER if the paragraph (`split`: its sentences) names both levels together."""
    if paragraph.section != HELP:
        return ()
    said = [bool(NAMED_TOGETHER.search(sentence)) for sentence in split]
    return TOGETHER if the_point(said) else ()


def choose(totals, section, thresholds=False, carers=False, together=()):
    """The areas a paragraph is substantially about: at least one, at most MOST_TAGS."""
    ranked = [(area, score) for area, score in totals.most_common() if score > 0]
    if not ranked:
        return {SECTION_DEFAULT.get(section, "leadership-and-governance")}
    best = ranked[0][1]
    forum = set()
    if ranked[0][0] == "participation":
        # Children shaping services: the corporate parenting board they speak to and the
        # section's own group (care leavers' forum) are the setting, not a second subject
        # (docs/tagging-guide.md): they need two sentences of their own, the section's
        # prior not counted.
        forum = set(FORUM_OF_PARTICIPATION)
        prior = SECTION_PRIOR.get(section, {})
        ranked = [(a, score - prior.get(a, 0) if a in forum else score) for a, score in ranked]
    chosen = [
        area
        for position, (area, score) in enumerate(ranked)
        if score
        >= (
            MIN_SCORE
            if position == 0
            else SECOND_MIN
            if area in forum
            else SECOND_MIN_FOR.get(area, SECOND_MIN)
        )
        and score
        >= RELATIVE_FOR.get(
            area, RELATIVE_SPECIFIC if area in SPECIFIC and area not in forum else RELATIVE
        )
        * best
    ]
    chosen = chosen[:MOST_TAGS] or [ranked[0][0]]
    if (
        section in LEADERS_SECTIONS
        and chosen[0] not in LEADERSHIP_DOES_NOT_JOIN
        and LEADERSHIP not in chosen
        and totals.get(LEADERSHIP, 0) >= LEADERSHIP_JOINS
        and len(chosen) < MOST_TAGS
    ):
        # Under the leadership judgement, a paragraph whose subject is one service, with
        # leaders' action on it a sentence of its own, is about both.
        chosen.append(LEADERSHIP)
    if thresholds and chosen[0] in LEVELS and FRONT_DOOR not in chosen and len(chosen) < MOST_TAGS:
        chosen.append(FRONT_DOOR)
    if chosen[0] in together:
        # Services named together as the paragraph's subject ("help and protection",
        # "children in need and those on protection plans"): all of them.
        chosen += [area for area in together if area not in chosen][: MOST_TAGS - len(chosen)]
    if carers and chosen[0] == PERMANENCE and FOSTERING not in chosen and len(chosen) < MOST_TAGS:
        chosen.append(FOSTERING)
    service = GROUP_SERVICE.get(section)
    if "unaccompanied-children" in chosen and service and service not in chosen:
        # The group plus the service: unaccompanied children's care (or leaving care).
        chosen = [*chosen[: MOST_TAGS - 1], service]
    return set(chosen)


def tag_report(paragraphs, actions=(), vote=None):
    """{paragraph number: set of service-area slugs} for every paragraph of one report,
    each with at least one. `paragraphs` are ReportParagraphs in order; `actions` the
    report's ReportActions (not used for tags yet: see link_evidence). `vote`, if given,
    is a function of a paragraph and its cue scores returning {area: extra score} (what
    bench/score_tagger.py --cross-validate measures a trained model's vote with)."""
    tags, previous = {}, None
    for paragraph in paragraphs:
        totals = area_scores(paragraph)
        if vote is not None:
            totals.update(vote(paragraph, totals))
        opens = previous is None or previous.section != paragraph.section
        split = sentences(paragraph.text)  # once, for the structural rules below
        together = named_together(paragraph, split)
        if opens and SUMMARY.get(paragraph.section):
            # A section's opening paragraph whose topic sentence sums up the judgement by
            # its name ("children who need help and protection receive...") is about the
            # services that name covers (docs/tagging-guide.md).
            pattern, areas = SUMMARY[paragraph.section]
            if pattern.search(split[0]):
                for area in areas:
                    totals[area] += SUMMARY_WEIGHT
                together = areas
        best = max(totals.values(), default=0)
        if best < NEIGHBOUR_BELOW and previous and previous.section == paragraph.section:
            # Too few words of its own: a paragraph that goes on with the one before is
            # usually about the same (its neighbour's areas count for a sentence).
            for area in sorted(tags[previous.number]):  # sorted: the same tags every run
                totals[area] += NEIGHBOUR_WEIGHT
        thresholds = paragraph.section == HELP and about_thresholds(split)
        carers = bool(CARER_ASSESSMENTS.search(paragraph.text))
        tags[paragraph.number] = choose(totals, paragraph.section, thresholds, carers, together)
        previous = paragraph
    return tags


# --- Evidence links ----------------------------------------------------------------------

WORD = re.compile(r"[a-z][a-z'-]+")
STOP = frozenset(
    re.findall(
        r"\S+",
        "the and for that with are have has this their they them from were was been which "
        "who when where what not all but also some more most other into there these those "
        "than such does need needs should would could will can its our out about across "
        "being make made many much well very only over both each how any yet too",
    )
)
WEAKNESS = re.compile(
    r"\b(?:not|too|weak\w*|inconsisten\w*|variab\w*|delay\w*|lack\w*|insufficient\w*|"
    r"poor\w*|limited|gaps?|fail\w*|needs? to|less|few|drift|shortfalls?|deficits?|"
    r"inadequate|unclear|does not|do not|cannot|absence|rarely|sometimes)\b",
    re.IGNORECASE,
)
#: The most paragraphs the crude baseline (overlap_links, the "before" figure) links.
EVIDENCE_MOST = 3


def stem(word):
    for ending in ("ments", "ment", "ings", "ing", "ies", "es", "s", "ed"):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def words(text):
    return [stem(w) for w in WORD.findall(text.lower()) if w not in STOP and len(w) > 2]


def overlap_links(actions, paragraphs):
    """The crude baseline: per action, the paragraphs sharing the most words with it
    (at least half as many as the best), at most EVIDENCE_MOST."""
    links = {}
    for action in actions:
        mine = set(words(action.text))
        shared = {p.number: len(mine & set(words(p.text))) for p in paragraphs}
        best = max(shared.values(), default=0)
        ranked = sorted(shared, key=lambda n: -shared[n])
        links[action.position] = [n for n in ranked[:EVIDENCE_MOST] if shared[n] >= best / 2][
            :EVIDENCE_MOST
        ]
    return links


# The linker: a likelihood per (action, paragraph) from a few signals that every ILACS
# report shares, weighted by a logistic regression fitted on the tune split's hand links
# (`bench/score_tagger.py --cross-validate` refits it leaving each report out in turn).

#: Praise with no weakness in the sentence: a paragraph of strengths is seldom the finding
#: an improvement action answers.
STRENGTH = re.compile(
    r"\b(?:effective\w*|good|strong\w*|well|timely|robust\w*|appropriate\w*|improv\w*|"
    r"thorough\w*|clear\w*|purposeful\w*|positive\w*)\b",
    re.IGNORECASE,
)
#: Ofsted writes one idea several ways: "timeliness" in the action is "delay" and "drift"
#: in the finding; "consistency" is "inconsistent" and "variable".
CONCEPTS = (
    (
        re.compile(
            r"\b(?:timel\w*|untimely|delay\w*|drift\w*|wait\w*|late|too long|prompt\w*|"
            r"swift\w*|slow\w*|pace)\b"
        ),
        " timeli ",
    ),
    (
        re.compile(r"\b(?:consisten\w*|inconsisten\w*|variab\w*|var(?:y|ies|ied)|mixed|uneven)\b"),
        " consist ",
    ),
)
#: Since 2023 actions end with the national framework outcome they serve: not findings' words.
FRAMEWORK_NOTE = re.compile(
    r"\((?:[^()]*national framework[^()]*|enabler[^()]*|outcome[^()]*)\)", re.I
)
#: Where a point with several parts is cut ("X, Y and Z", "X, including Y"; "so that",
#: "to ensure", "with"): each part that has two words or more of its own is matched alone.
PART = re.compile(r",|;|:|\b(?:and|including|so that|to ensure|with)\b")
#: Who the action is for ("children in care and care leavers") says which section to look
#: in (the service-area signals do that); what must improve is in the other words.
POPULATION_WEIGHT = 0.3
BM25_K1, BM25_B = 1.2, 0.75
#: Fitted on the tune split's 132 actions (26 reports) by `bench/score_tagger.py
#: --cross-validate` (which prints them), in the signals' own units (evidence_features).
EVIDENCE_BIAS = -7.52
EVIDENCE_WEIGHTS = {
    "words": 4.35,
    "sentence": 0.83,
    "weak sentence": 1.34,
    "previous": 0.86,
    "coverage": 1.28,
    "relative coverage": -3.34,  # with "words": the rarer words count, not how many
    "own action": 1.30,
    "weakness": 1.37,
    "strength": -0.92,
    "leadership section": -0.85,
    "areas": 1.28,
    "area sentence": 0.94,
    "part": 1.99,
}
#: A second or third link needs at least this likelihood, and this share of the best
#: paragraph's (cross-validated on the tune split's 26 reports: 0.25 to 0.35 and shares
#: from 0 to 0.4 within 0.01; a fourth link lowers F1 by 0.01).
EVIDENCE_LIKELY = 0.3
EVIDENCE_RELATIVE = 0.3
EVIDENCE_MOST_LINKS = 3


@functools.lru_cache(maxsize=20000)
def porter(word):
    """Porter's (1980) suffix stripper: "planning", "plans" and "planned" are all "plan";
    "participation" and "participate" both "particip"."""
    if len(word) <= 2:
        return word
    if word.endswith("sses") or word.endswith("ies"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    if word.endswith("eed"):
        if _measure(word[:-3]) > 0:
            word = word[:-1]
    else:
        for ending in ("ed", "ing"):
            if word.endswith(ending) and _has_vowel(word[: -len(ending)]):
                word = word[: -len(ending)]
                if word.endswith(("at", "bl", "iz")):
                    word += "e"
                elif _double(word) and word[-1] not in "lsz":
                    word = word[:-1]
                elif _measure(word) == 1 and _cvc(word):
                    word += "e"
                break
    if word.endswith("y") and _has_vowel(word[:-1]):
        word = word[:-1] + "i"
    for table in (_STEP2, _STEP3):
        for ending, replacement in table:
            if word.endswith(ending):
                if _measure(word[: -len(ending)]) > 0:
                    word = word[: -len(ending)] + replacement
                break
    for ending in _STEP4:
        if word.endswith(ending):
            rest = word[: -len(ending)]
            if _measure(rest) > 1 and (ending != "ion" or rest.endswith(("s", "t"))):
                word = rest
            break
    if word.endswith("e"):
        rest = word[:-1]
        if _measure(rest) > 1 or (_measure(rest) == 1 and not _cvc(rest)):
            word = rest
    if word.endswith("ll") and _measure(word) > 1:
        word = word[:-1]
    return word


_STEP2 = (
    ("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("izer", "ize"),
    ("bli", "ble"), ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous"),
    ("ization", "ize"), ("ation", "ate"), ("ator", "ate"), ("alism", "al"),
    ("iveness", "ive"), ("fulness", "ful"), ("ousness", "ous"), ("aliti", "al"),
    ("iviti", "ive"), ("biliti", "ble"), ("logi", "log"),
)  # fmt: skip
_STEP3 = (
    ("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"),
    ("ful", ""), ("ness", ""),
)  # fmt: skip
_STEP4 = sorted(
    [
        "al",
        "ance",
        "ence",
        "er",
        "ic",
        "able",
        "ible",
        "ant",
        "ement",
        "ment",
        "ent",
        "ion",
        "ou",
        "ism",
        "ate",
        "iti",
        "ous",
        "ive",
        "ize",
    ],
    key=len,
    reverse=True,
)


def _consonant(word, i):
    if word[i] in "aeiou":
        return False
    return word[i] != "y" or i == 0 or not _consonant(word, i - 1)


def _measure(stem):
    """How many vowel-consonant sequences `stem` has (Porter's m)."""
    kinds = "".join("c" if _consonant(stem, i) else "v" for i in range(len(stem)))
    return kinds.count("vc")


def _has_vowel(stem):
    return any(not _consonant(stem, i) for i in range(len(stem)))


def _double(word):
    return len(word) >= 2 and word[-1] == word[-2] and _consonant(word, len(word) - 1)


def _cvc(word):
    return (
        len(word) >= 3
        and _consonant(word, len(word) - 3)
        and not _consonant(word, len(word) - 2)
        and _consonant(word, len(word) - 1)
        and word[-1] not in "wxy"
    )


def terms(text):
    """The stems of `text`'s words that say something (no stop words, no possessive 's),
    one idea's several wordings (CONCEPTS) as one."""
    text = text.lower().replace("\u2019", "'")
    for pattern, concept in CONCEPTS:
        text = pattern.sub(concept, text)
    found = []
    for word in WORD.findall(text):
        word = word.removesuffix("'s").strip("'-")
        if len(word) > 2 and word not in STOP:
            found.append(porter(word))
    return found


POPULATION_TERMS = frozenset(
    porter(w)
    for w in [
        "need",
        "help",
        "protection",
        "care",
        "leavers",
        "children",
        "child",
        "young",
        "people",
        "family",
        "families",
    ]
)


def _bm25(query, counts, length, average, idf):
    score = 0.0
    for term, weight in query.items():
        frequency = counts.get(term, 0)
        if frequency:
            norm = BM25_K1 * (1 - BM25_B + BM25_B * length / average)
            score += weight * idf.get(term, 0.0) * frequency * (BM25_K1 + 1) / (frequency + norm)
    return score


def _idf(documents):
    frequency = Counter(term for counts in documents for term in counts)
    total = len(documents)
    return {t: math.log(1 + (total - n + 0.5) / (n + 0.5)) for t, n in frequency.items()}


def _cosine(a, b):
    dot = sum(value * b.get(area, 0.0) for area, value in a.items())
    size = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / size if size else 0.0


def evidence_features(actions, paragraphs):
    """{action position: {paragraph number: {signal: value}}} for every pair of one report's
    actions and paragraphs, the signals EVIDENCE_WEIGHTS weighs:

    - `words`: BM25 of the action's words in the paragraph (rarer words in this report
      count more; population words POPULATION_WEIGHT), as a share of the best
      paragraph's for this action; `sentence`: the same for its best single sentence, and
      `weak sentence` for its best sentence that states a weakness; `previous`: `words`
      of the paragraph before it in the same section (a paragraph often goes on with the
      finding of the one before in other words);
    - `coverage` and `relative coverage`: the share of the action's (weighted) words the
      paragraph has, and that as a share of the best paragraph's;
    - `own action`: the paragraph's BM25 for this action as a share of its best for any
      of the report's actions (a paragraph behind another action is less likely this one's);
    - `weakness`, `strength`: the shares of its sentences that state a weakness, and that
      praise without one;
    - `leadership section`: it stands in the leaders' judgement (which restates other
      sections' findings);
    - `areas`, `area sentence`: how alike the action's service-area cue scores and the
      paragraph's are (cosine), for the paragraph and for its best sentence;
    - `part`: the best, over the action's parts (PART: "X, Y and Z"), of the paragraph's
      BM25 for that part alone as a share of the best paragraph's for it (`words` for an
      action of one part).
    """
    texts = [terms(p.text) for p in paragraphs]
    documents = [Counter(t) for t in texts]
    split = [[(s, Counter(terms(s))) for s in sentences(p.text)] for p in paragraphs]
    flat = [counts for parts in split for _, counts in parts]
    idf, sentence_idf = _idf(documents), _idf(flat)
    average = sum(sum(c.values()) for c in documents) / (len(documents) or 1) or 1
    sentence_average = sum(sum(c.values()) for c in flat) / (len(flat) or 1) or 1
    areas = [area_scores(p) for p in paragraphs]
    sentence_areas = [
        [sentence_scores(s, p.section) for s, _ in parts]
        for p, parts in zip(paragraphs, split, strict=True)
    ]
    weakness = [sum(bool(WEAKNESS.search(s)) for s, _ in parts) / len(parts) for parts in split]
    strength = [
        sum(bool(STRENGTH.search(s)) and not WEAKNESS.search(s) for s, _ in parts) / len(parts)
        for parts in split
    ]
    raw = {}
    for action in actions:
        text = FRAMEWORK_NOTE.sub(" ", action.text)
        query = {t: POPULATION_WEIGHT if t in POPULATION_TERMS else 1.0 for t in terms(text)}
        mass = sum(idf.get(t, 0.0) * w for t, w in query.items()) or 1.0
        wanted = area_scores(ReportParagraph(0, "", text))
        parts = []
        for part in PART.split(text):
            words_of_part = terms(part)
            if len(words_of_part) >= 2:
                weighted = {
                    t: POPULATION_WEIGHT if t in POPULATION_TERMS else 1.0 for t in words_of_part
                }
                matches = [_bm25(weighted, c, sum(c.values()), average, idf) for c in documents]
                top = max(matches, default=0.0) or 1.0
                parts.append([m / top for m in matches])
        rows = []
        for i, counts in enumerate(documents):
            each = [
                (s, _bm25(query, c, sum(c.values()), sentence_average, sentence_idf))
                for s, c in split[i]
            ]
            rows.append(
                {
                    "bm25": _bm25(query, counts, sum(counts.values()), average, idf),
                    "sentence": max(score for _, score in each),
                    "weak sentence": max(
                        (score for s, score in each if WEAKNESS.search(s)), default=0.0
                    ),
                    "coverage": sum(idf.get(t, 0.0) * w for t, w in query.items() if t in counts)
                    / mass,
                    "weakness": weakness[i],
                    "strength": strength[i],
                    "leadership section": float(paragraphs[i].section == "impact-of-leaders"),
                    "areas": _cosine(wanted, areas[i]),
                    "area sentence": max(_cosine(wanted, s) for s in sentence_areas[i]),
                    "part": max((matches[i] for matches in parts), default=None),
                }
            )
        raw[action.position] = rows
    best_for_paragraph = [
        max((raw[a.position][i]["bm25"] for a in actions), default=0)
        for i in range(len(paragraphs))
    ]
    features = {}
    for action in actions:
        rows = raw[action.position]
        best = {
            k: max((r[k] for r in rows), default=0) or 1.0
            for k in ("bm25", "sentence", "weak sentence", "coverage")
        }
        features[action.position] = {
            p.number: {
                "words": r["bm25"] / best["bm25"],
                "sentence": r["sentence"] / best["sentence"],
                "weak sentence": r["weak sentence"] / best["weak sentence"],
                "previous": (
                    rows[i - 1]["bm25"] / best["bm25"]
                    if i and paragraphs[i - 1].section == p.section
                    else 0.0
                ),
                "coverage": r["coverage"],
                "relative coverage": r["coverage"] / best["coverage"],
                "own action": r["bm25"] / (best_for_paragraph[i] or 1.0),
                "weakness": r["weakness"],
                "strength": r["strength"],
                "leadership section": r["leadership section"],
                "areas": r["areas"],
                "area sentence": r["area sentence"],
                "part": r["bm25"] / best["bm25"] if r["part"] is None else r["part"],
            }
            for i, (p, r) in enumerate(zip(paragraphs, rows, strict=True))
        }
    return features


def likelihood(signals, weights=None, bias=None):
    """The fitted chance (0 to 1) that a paragraph with these signals is the action's evidence."""
    weights = EVIDENCE_WEIGHTS if weights is None else weights
    bias = EVIDENCE_BIAS if bias is None else bias
    z = bias + sum(weight * signals[name] for name, weight in weights.items())
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def link_evidence(
    actions,
    paragraphs,
    relative=EVIDENCE_RELATIVE,
    most=EVIDENCE_MOST_LINKS,
    weights=None,
    features=None,
    likely=EVIDENCE_LIKELY,
):
    """{action position: [paragraph numbers]}: per improvement action, the paragraph most
    likely behind it and up to `most` in all whose likelihood is at least `likely` and at
    least `relative` of the best's. At least one each (when the report has paragraphs).
    The service-area signals are the tagger's cue scores themselves, not its tags;
    `weights` is (bias, {signal: weight}) for a linker fitted elsewhere
    (bench/score_tagger.py --cross-validate), and `features` evidence_features' answer for
    these actions and paragraphs if already made."""
    bias, weights = weights if weights is not None else (EVIDENCE_BIAS, EVIDENCE_WEIGHTS)
    links = {}
    if features is None:
        features = evidence_features(actions, paragraphs)
    for position, candidates in features.items():
        chance = {n: likelihood(signals, weights, bias) for n, signals in candidates.items()}
        ranked = sorted(chance, key=lambda n: (-chance[n], n))
        best = chance[ranked[0]] if ranked else 0.0
        links[position] = [
            n
            for i, n in enumerate(ranked[:most])
            if i == 0 or (chance[n] >= likely and chance[n] >= relative * best)
        ]
    return links


# --- Figures -------------------------------------------------------------------------------


def split_tags(value):
    return {tag.strip() for tag in value.split(";") if tag.strip()}


def harmonic(precision, recall):
    if not precision or not recall:
        return 0.0 if precision is not None and recall is not None else None
    return 2 * precision * recall / (precision + recall)


@dataclass(frozen=True)
class Figures:
    name: str
    gold: int
    predicted: int
    both: int

    @property
    def precision(self):
        return self.both / self.predicted if self.predicted else None

    @property
    def recall(self):
        return self.both / self.gold if self.gold else None

    @property
    def f1(self):
        return harmonic(self.precision, self.recall)


@dataclass(frozen=True)
class Scores:
    rows: list
    micro: Figures

    def _mean(self, attribute):
        values = [getattr(row, attribute) for row in self.rows if row.gold]
        values = [v or 0.0 for v in values]
        return sum(values) / len(values) if values else None

    @property
    def macro_precision(self):
        return self._mean("precision")

    @property
    def macro_recall(self):
        return self._mean("recall")

    @property
    def macro_f1(self):
        return self._mean("f1")


def score(gold, predicted):
    """Scores of `predicted` against `gold`, both {key: set of slugs}, per slug and in all.
    "none" in the labels counts as a label like any other (a tagger that never says it
    loses recall there)."""
    slugs = sorted(
        {s for tags in gold.values() for s in tags}
        | {s for tags in predicted.values() for s in tags}
    )
    rows = []
    for slug in slugs:
        in_gold = sum(1 for tags in gold.values() if slug in tags)
        given = sum(1 for key in gold if slug in predicted.get(key, set()))
        both = sum(
            1 for key, tags in gold.items() if slug in tags and slug in predicted.get(key, set())
        )
        rows.append(Figures(slug, in_gold, given, both))
    micro = Figures(
        "micro",
        sum(r.gold for r in rows),
        sum(r.predicted for r in rows),
        sum(r.both for r in rows),
    )
    return Scores(rows, micro)
