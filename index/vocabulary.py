"""The news vocabulary: families of counted things and of predicates, as plain data.

One declared file serves both sides:

* extraction (``index.extract.readings``) looks up the lemma of a figure's counted noun
  and of its predicate to fill ``counted_family`` and ``predicate_family``;
* query expansion (``commands.synonyms``) adds a family's other members to a search word.

A family lists ``members`` (used both ways) and ``noisy`` words: words that belong to the
family once the parse has tied them to a figure ("six men were shot": men are people),
but that are too general, or too ambiguous, to add to a search or to pull other words in
("men" would drown a search; "positive" is a test result as often as an opinion). A family can
opt out of expansion altogether (``expands=False``): stages of a deployment are not
synonyms of it.

Members are written in every form a reporter uses, so that query expansion, which works
on surface words, finds them; extraction looks words up by lemma, which every list holds.

Roles: ``counted`` names a thing that is counted ("12,000 troops", "52 seats");
``predicate`` what happened to or with it ("sent", "spent"); ``outcome`` both at once: a
word that names the event and counts the people it happened to ("20 dead", "four
deaths"). The counted family of an outcome noun is ``people``.

Families are general news, grouped by domain. No family is shaped on one story.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Role = Literal["counted", "predicate", "outcome"]
Domain = Literal["general", "conflict & disaster", "crime & courts", "elections & polls", "economy & budgets", "health"]


@dataclass(frozen=True)
class Family:
    key: str
    role: Role
    domain: Domain
    meaning: str
    members: frozenset[str]
    noisy: frozenset[str] = frozenset()
    expands: bool = True
    # Narrower families a search for this one also answers with: people hospitalised
    # were injured, so "/claims injured" finds "three were hospitalised".
    covers: tuple[str, ...] = ()


def _family(
    key: str, role: Role, domain: Domain, meaning: str, members: str, noisy: str = "", expands: bool = True,
    covers: tuple[str, ...] = (),
) -> Family:
    return Family(key, role, domain, meaning, frozenset(members.split()), frozenset(noisy.split()), expands, covers)


# The counted family of an outcome noun ("deaths", "evacuees"): they count people.
OUTCOME_COUNTS = "people"

_KIN_WORDS = (
    "mother mothers father fathers son sons daughter daughters wife wives husband husbands "
    "brother brothers sister sisters parent parents grandmother grandmothers grandfather "
    "grandfathers grandchild grandchildren grandson grandsons granddaughter granddaughters "
    "cousin cousins nephew nephews niece nieces uncle uncles aunt aunts sibling siblings "
)

FAMILIES: tuple[Family, ...] = (
    # ------------------------------------------------------------- counted things
    _family(
        "people", "counted", "general", "people in general, and narrower groups of people",
        "people persons person individuals individual residents resident inhabitants "
        "inhabitant villagers villager civilians civilian",
        # Narrower groups are people once a figure is attached ("two men were shot"), but
        # searching "people" must not pull in every man, woman and child.
        noisy="man men woman women child children boy boys girl girls teen teens teenager "
        "teenagers adult adults victim victims other others "
        # Police and court wording: "a male was killed", "two females were wounded".
        "male males female females "
        # Kin: "a mother and a grandmother were killed", "his wife and two daughters".
        + _KIN_WORDS
        + "girlfriend girlfriends boyfriend boyfriends fiance fiancee "
        "baby babies infant infants toddler toddlers "
        # People by what they were doing when it happened.
        "passenger passengers driver drivers pedestrian pedestrians bystander bystanders "
        "worker workers employee employees customer customers neighbour neighbours neighbor neighbors "
        # More kin and company: "his mom and younger brother", "a friend and his roommate".
        "mom moms dad dads "
        "stepson stepsons stepdaughter stepdaughters stepchild stepchildren stepfather stepmother "
        "friend friends roommate roommates relative relatives classmate classmates coworker coworkers",
    ),
    _family(
        "troops", "counted", "conflict & disaster", "members of armed forces",
        "troop troops soldier soldiers infantry infantryman infantrymen serviceman servicemen "
        "servicemember servicemembers personnel contingent contingents",
        # "a force of 5,000" counts troops; "force" as a query word matches half the news.
        noisy="force forces",
    ),
    _family("officers", "counted", "crime & courts", "police officers",
            "officer officers policeman policemen policewoman policewomen deputy deputies trooper troopers"),
    _family("suspects", "counted", "crime & courts", "people suspected of a crime",
            "suspect suspects gunman gunmen shooter shooters attacker attackers assailant assailants"),
    _family("missiles", "counted", "conflict & disaster", "missiles and rockets",
            "missile missiles rocket rockets projectile projectiles"),
    _family("drones", "counted", "conflict & disaster", "unmanned aircraft", "drone drones uav uavs"),
    _family("protesters", "counted", "conflict & disaster", "people demonstrating",
            "protester protesters protestor protestors demonstrator demonstrators marchers marcher"),
    _family("hostages", "counted", "conflict & disaster", "people held captive",
            "hostage hostages captive captives abductee abductees"),
    _family("homes", "counted", "conflict & disaster", "dwellings and buildings",
            "home homes house houses building buildings dwelling dwellings", noisy="property properties structure structures"),
    _family("weapons", "counted", "crime & courts", "guns and other weapons",
            "weapon weapons gun guns firearm firearms rifle rifles handgun handguns pistol pistols"),
    _family("rounds", "counted", "crime & courts", "rounds of ammunition fired or found",
            "round rounds bullet bullets casing casings", noisy="shot shots"),
    _family("charges", "counted", "crime & courts", "criminal charges ('four counts of murder')",
            "count counts", noisy="charge charges"),
    _family("votes", "counted", "elections & polls", "votes cast or counted", "vote votes ballot ballots"),
    _family("seats", "counted", "elections & polls", "seats in a chamber or council", "seat seats"),
    _family("voters", "counted", "elections & polls", "voters and poll respondents",
            "voter voters respondent respondents elector electors"),
    _family("jobs", "counted", "economy & budgets", "jobs and positions", "job jobs", noisy="position positions post posts"),
    _family("dollars", "counted", "economy & budgets", "amounts in dollars", "dollar dollars usd"),
    _family("pounds", "counted", "economy & budgets", "amounts in pounds sterling", "pound pounds sterling"),
    _family("euros", "counted", "economy & budgets", "amounts in euros", "euro euros"),
    _family("cases", "counted", "health", "cases of a disease", "case cases infection infections"),
    _family("doses", "counted", "health", "vaccine doses", "dose doses", noisy="vaccine vaccines jab jabs"),
    _family("patients", "counted", "health", "patients", "patient patients"),
    _family("beds", "counted", "health", "hospital beds", "bed beds"),
    _family("students", "counted", "general", "students and pupils", "student students pupil pupils"),
    # "four shootings that left seven people injured": events are counted apart from the
    # people they happen to. Noisy only: "shootings" as a search word keeps its own family.
    _family("incidents", "counted", "general", "events counted: shootings, attacks, crashes",
            "incident incidents",
            noisy="shooting shootings stabbing stabbings attack attacks crash crashes collision collisions"),
    # ------------------------------------------------- conflict & disaster predicates
    _family(
        "killed", "outcome", "conflict & disaster", "people who died",
        "killed kill kills killing killings dead death deaths died die dies dying fatality "
        "fatalities fatal murder murders murdered slain slay perish perished drown drowned "
        "homicide homicides",
        # "The toll rose to 12": a toll alone is a death toll; "four bodies were found".
        noisy="toll tolls body bodies",
    ),
    _family("injured", "outcome", "conflict & disaster", "people hurt but alive",
            "injured injure injures injuring injury injuries wounded wound wounds wounding hurt",
            covers=("hospitalised",)),
    _family("shot", "outcome", "crime & courts", "people hit by gunfire, killed or not",
            "shot shoot shoots shooting gunshot gunshots", noisy="gunfire"),
    _family("casualties", "outcome", "conflict & disaster", "people killed or injured, together",
            "casualty casualties"),
    _family("missing", "outcome", "conflict & disaster", "people unaccounted for", "missing unaccounted disappeared"),
    _family(
        "evacuated", "outcome", "conflict & disaster", "people moved out of danger",
        "evacuated evacuate evacuates evacuating evacuation evacuations evacuee evacuees",
    ),
    _family(
        "displaced", "outcome", "conflict & disaster", "people driven from their homes",
        "displaced displace displacement fled flee flees fleeing homeless refugee refugees",
    ),
    _family("rescued", "outcome", "conflict & disaster", "people saved or pulled out",
            "rescued rescue rescues rescuing saved save airlifted airlift"),
    _family("destroyed", "predicate", "conflict & disaster", "things destroyed or damaged",
            "destroyed destroy destroys damaged damage damages flattened"),
    _family(
        "deploy", "predicate", "conflict & disaster", "forces sent or to be sent",
        "send sends sent sending deploy deploys deployed deploying deployment deployments "
        "dispatch dispatches dispatched dispatching mobilise mobilised mobilising "
        "mobilize mobilized mobilizing",
        # These phrase a deployment ("supply troops", "troops to join the fighting") but
        # are far too general to add to a search. ("Involved" is left out altogether:
        # "four people who were not involved in the fight".)
        noisy="supply supplies supplied supplying provide provides provided providing "
        "join joins joined joining "
        "fight fights fighting",
    ),
    # Movement already carried out and training are stages of a deployment, not synonyms
    # of it: they name predicates but never expand a query.
    _family(
        "move", "predicate", "conflict & disaster", "forces already moved or arrived",
        "transport transports transported transporting transfer transferred transferring "
        "arrive arrives arrived arriving arrival shipped stationed landed moved",
        expands=False,
    ),
    _family("train", "predicate", "conflict & disaster", "forces in training",
            "train trains trained training", expands=False),
    _family("cancelled", "predicate", "general", "flights, events or services called off",
            "cancelled canceled cancel cancels cancelling canceling cancellation cancellations "
            "cancelation cancelations scrapped scrap scraps"),
    _family("dismissed", "predicate", "general", "people removed from a post",
            "dismissed dismiss sacked sack ousted oust"),
    # ------------------------------------------------------ crime & courts predicates
    _family("arrested", "outcome", "crime & courts", "people taken into custody",
            "arrested arrest arrests detained detain detention detainee detainees apprehended apprehend"),
    _family("charged", "predicate", "crime & courts", "people or counts charged",
            "charged charge charges indicted indict indictment indictments"),
    _family("convicted", "predicate", "crime & courts", "people or counts found guilty",
            "convicted convict conviction convictions guilty"),
    _family("acquitted", "predicate", "crime & courts", "people or counts found not guilty",
            "acquitted acquit acquittal"),
    _family("sentenced", "predicate", "crime & courts", "prison terms or people sentenced",
            "sentenced sentence sentences jailed jail imprisoned imprison imprisonment"),
    _family("stolen", "predicate", "crime & courts", "things or money stolen",
            "stolen steal stole steals theft robbed rob robbery embezzled embezzle"),
    _family("fined", "predicate", "crime & courts", "fines and penalties", "fined fine fines penalty penalties"),
    # -------------------------------------------------- elections & polls predicates
    _family("voted", "predicate", "elections & polls", "votes cast, or people voting",
            "voted vote votes voting cast"),
    _family("won", "predicate", "elections & polls", "seats or votes won",
            "won win wins winning", noisy="secure secured gain gained"),
    _family("lost", "predicate", "elections & polls", "seats, votes or money lost",
            "lost lose loses losing loss losses"),
    _family("turnout", "predicate", "elections & polls", "the share of voters who voted", "turnout"),
    _family("polled", "predicate", "elections & polls", "people asked in a poll",
            "polled poll polls surveyed survey surveys interviewed sampled"),
    _family("support", "predicate", "elections & polls", "people backing a person or measure",
            "support supports supported backed back backs favour favoured favor favored approve "
            "approved approval"),
    _family("oppose", "predicate", "elections & polls", "people against a person or measure",
            "oppose opposed opposes opposition disapprove disapproved disapproval"),
    # ------------------------------------------------ economy & budgets predicates
    _family("spent", "predicate", "economy & budgets", "money spent",
            "spent spend spends spending expenditure expenditures outlay"),
    _family("budgeted", "predicate", "economy & budgets", "money set aside for a purpose",
            "budgeted budget budgets allocated allocate allocation earmarked earmark "
            "appropriated appropriation funding funded fund"),
    _family("raised", "predicate", "economy & budgets", "money raised or collected",
            "raised raise raises collected collect donated donate donation donations"),
    _family("cut", "predicate", "economy & budgets", "reductions: money, jobs, services",
            "cut cuts cutting slashed slash reduced reduce reduction trimmed trim layoffs laid"),
    _family("cost", "predicate", "economy & budgets", "what something costs",
            "cost costs costing price priced", noisy="worth value valued"),
    _family("paid", "predicate", "economy & budgets", "money paid", "paid pay pays payment payments"),
    # An amount that modifies a noun gives that thing's size: "a $1 trillion bill" and
    # "a $1.2 trillion package" state the size of one measure, whatever was done to it.
    _family("package", "predicate", "economy & budgets", "the size of a bill, deal or spending plan",
            "bill bills package packages deal deals legislation",
            noisy="plan plans measure measures proposal proposals act agreement agreements",
            expands=False),
    _family("owed", "predicate", "economy & budgets", "money owed", "owed owe owes debt debts"),
    _family("earned", "predicate", "economy & budgets", "money earned or taken in",
            "earned earn earns revenue revenues income salary"),
    _family("increased", "predicate", "economy & budgets", "a rise by or to an amount",
            "increased increase increases rose rise rises risen grew grow grows climbed climb jumped jump"),
    _family("decreased", "predicate", "economy & budgets", "a fall by or to an amount",
            # "decline" is left out: "declined to comment" is a refusal far more often.
            "decreased decrease decreases fell fall falls fallen dropped drop"),
    _family("hired", "predicate", "economy & budgets", "people hired or employed",
            "hired hire hires employed employ employs"),
    # ----------------------------------------------------------- health predicates
    _family("infected", "outcome", "health", "people who caught a disease",
            "infected infect infects contracted", noisy="positive"),
    _family("hospitalised", "outcome", "health", "people taken into hospital",
            "hospitalised hospitalized hospitalise hospitalize hospitalisation hospitalization",
            noisy="admitted admit treated treat"),
    _family("vaccinated", "outcome", "health", "people vaccinated or doses given",
            "vaccinated vaccinate vaccination vaccinations inoculated inoculate immunised immunized"),
    _family("tested", "predicate", "health", "people or samples tested", "tested test tests testing"),
    # Keeping a tally says only that the count was taken: "recorded 412 cases" and
    # "counted 520 cases" are one quantity. Far too common to widen a search.
    _family("recorded", "predicate", "general", "a count taken and reported",
            "recorded record records recording logged log logs tallied tally registered register "
            "count counted confirmed confirm confirms reported report reports",
            expands=False),
    _family("recovered", "outcome", "health", "people who recovered", "recovered recover recovery recoveries"),
    _family("sickened", "outcome", "health", "people made ill", "sickened sicken ill illness illnesses"),
)

# A predicate family whose "done" stage is another family: a deployment carried out is
# forces moved, so "sent 1,500 soldiers" and "1,500 troops were transported" measure one
# quantity, while "will send 12,000" stays a deployment planned.
DONE_FAMILIES = {"deploy": "move"}

# Nouns that stand for a figure's predicate in nominal phrasing ("the death toll rose to
# 12", "the number of injured is 30"): the family comes from their modifier.
MEASURE_NOUNS = frozenset(
    "toll tally count number total figure estimate amount sum level rate share".split()
)

# Outcomes that split into others: of the people shot, or the casualties, those not
# killed were injured. (whole family -> (the rest's family, the stated part's family));
# used to work out "five people were shot, one fatally" -> 4 injured.
SPLITS = {"shot": ("injured", "killed"), "casualties": ("injured", "killed")}

# Where a verb sends its object, when that says what happened: "shot to death",
# "sent four teens to the hospital", "taken into custody".
DESTINATIONS = {"death": "killed", "hospital": "hospitalised", "custody": "arrested"}
# What hit someone, when a verb says only that it did: "struck by gunfire", "hit by
# stray bullets", "grazed by a bullet" are people shot. Read only where the verb itself
# names nothing ("killed by gunfire" stays killed).
AGENTS = {"gunfire": "shot", "bullet": "shot", "gunshot": "shot"}
# States someone is in that say what happened to them: "two are in critical condition",
# "listed in stable condition" (a hospital's word for a patient hurt or ill).
STATES = {"condition": "injured"}
# What says that people hurt lived (``index.extract.survival``): verbs said of them
# ("are expected to survive", "are recovering") and the conditions a hospital lists them
# in ("in stable condition"). "Critical" is left out: people in critical condition can die.
SURVIVAL_VERBS = frozenset("survive recover".split())
SURVIVAL_STATES = frozenset("stable good fair".split())
# Losing a life, or a relative, is a death: "three people lost their lives" (the subject
# died), "twelve lives were lost", "he lost two brothers" (the relatives counted died).
# Read only where the parse ties the count to that object of "lose": "lost two seats",
# "lost their jobs", "two families lost sons" (the families did not die) stay losses.
LOSS_VERB = "lose"
LOST_LIFE = "life"
KIN = frozenset(_KIN_WORDS.split())
LOSS_FAMILY = "killed"
LOSS_FORMS = frozenset("lose loses losing lost".split())

# Irregular forms of verbs whose reading can fall in another verb's family, so that a
# headline can still name the predicate with the word a quote uses when no word of the
# family is there ("he lost two brothers": killed, worded "lost"). Regular endings are
# recognised without a list.
IRREGULAR_FORMS = {LOSS_VERB: ("lost",)}

# People named one by one (``extract/enumerated.py``). Words that say a person is one
# more besides those named before ("another man", "the other victim", "a second
# victim", "was also killed"), and words that put an event before or beside the one
# reported ("a previous shooting", "an unrelated attack", "two years ago").
ADDITION_WORDS = frozenset("another other second third fourth fifth sixth additional".split())
ADDITION_ADVERBS = frozenset("also too".split())
ELSEWHEN_WORDS = frozenset("previous prior earlier separate unrelated different another other".split())
ELSEWHEN_ADVERBS = frozenset({"ago"})
# Families of what happens to a person in court: "the two brothers and their cousin
# were charged" counts people as an outcome does.
COURT_FAMILIES = frozenset("charged convicted acquitted sentenced".split())
# Adverbs that say how an event ended: "fatally shot", "five were shot, one fatally".
OUTCOME_ADVERBS = {"fatally": "killed", "mortally": "killed"}
# How badly someone was hurt, standing for the wound in an elliptical count: "three were
# shot, one critically". Read only there: "critically ill" is an illness, not a wound.
WOUNDING_ADVERBS = {
    "critically": "injured", "seriously": "injured", "gravely": "injured",
    "severely": "injured", "slightly": "injured", "nonfatally": "injured", "non-fatally": "injured",
}

# Words that make a count a rate over a stretch of time ("daily cases", "deaths a day").
RATE_WORDS = {"daily": "day", "nightly": "day", "weekly": "week", "monthly": "month",
              "annual": "year", "annually": "year", "yearly": "year"}
PERIOD_NOUNS = {"day": "day", "week": "week", "month": "month", "year": "year"}
# Words naming one day, which make "N new cases" that day's count.
ONE_DAY_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday yesterday today".split()
)

# Names of months: a proper noun that says when, never where or whose ("in January").
MONTH_NAMES = frozenset(
    "january february march april may june july august september october november december".split()
)

# Adjectives that make a count the whole world's ("the global tally of cases"), so that
# it is never one country's count.
WORLD_WORDS = frozenset("global worldwide world".split())

# Verbs of keeping a tally: "recorded 279 deaths Sunday" is that day's count, where
# "three were killed on Sunday" says when an event happened.
TALLY_VERBS = frozenset("record log register tally".split())

# Units that make a number something other than a count or an amount.
TIME_UNITS = frozenset(
    """year month week day hour minute second decade century night weekend term season
    yr min sec""".split()
)
DISTANCE_UNITS = frozenset(
    """mile kilometre kilometer km metre meter foot feet yard inch centimetre centimeter cm
    mm block""".split()
)
MEASURE_UNITS = frozenset(
    """ton tonne kg kilogram gram lb ounce gallon litre liter barrel acre hectare degree mph
    kph""".split()
)
FREQUENCY_NOUNS = frozenset({"time"})  # "shot five times": how often, not how many
# Every unit of time, length or measure: never the thing an event happened to.
UNIT_WORDS = TIME_UNITS | DISTANCE_UNITS | MEASURE_UNITS | FREQUENCY_NOUNS
CURRENCY_NOUNS = {"dollar": "dollars", "cent": "dollars", "pound": "pounds", "euro": "euros", "yen": "yen"}
STREET_WORDS = frozenset(
    """street st avenue ave road rd boulevard blvd drive dr lane ln way court ct place pl
    highway hwy parkway pkwy terrace circle square""".split()
)


def family(key: str) -> Family:
    return next(f for f in FAMILIES if f.key == key)


def derivable_words(key: str) -> frozenset[str]:
    """Words of sentences a count of family ``key`` can be worked out from (``SPLITS``,
    the outcome adverbs): "five people were shot, one fatally" holds a killed and an
    injured count without a word of either family."""
    words: set[str] = set()
    for whole, (rest, part) in SPLITS.items():
        if key in (rest, part):
            words |= family(whole).members | {agent for agent, k in AGENTS.items() if k == whole}
    words |= {adverb for adverbs in (OUTCOME_ADVERBS, WOUNDING_ADVERBS) for adverb, k in adverbs.items() if k == key}
    return frozenset(words)


def reading_words(key: str) -> frozenset[str]:
    """Words through which the parse gives a figure family ``key`` without a member of
    it in the sentence: the destination a verb sends people to ("taken to the hospital":
    hospitalised), the state they are in ("in critical condition": injured) and a loss
    that is a death ("lost two brothers": killed), for
    ``key`` and for the narrower families it covers; and the covered families' noisy
    words ("treated"). For finding claims only: the reading decides what they answer."""
    keys = {key, *family(key).covers} if any(f.key == key for f in FAMILIES) else {key}
    words: set[str] = set()
    for mapping in (DESTINATIONS, STATES):
        words |= {word for word, k in mapping.items() if k in keys}
    for covered in keys - {key}:
        words |= family(covered).noisy
    if LOSS_FAMILY in keys:
        words |= LOSS_FORMS  # "he lost two brothers"
    return frozenset(words)


def _index(roles: tuple[Role, ...]) -> dict[str, Family]:
    found: dict[str, Family] = {}
    for family in FAMILIES:
        if family.role in roles:
            for word in family.members | family.noisy:
                found.setdefault(word, family)
    return found


_COUNTED = _index(("counted",))
_PREDICATES = _index(("predicate", "outcome"))
_OUTCOMES = {word: family for word, family in _PREDICATES.items() if family.role == "outcome"}


def counted_family(lemma: str | None) -> str | None:
    """The family of a counted noun's lemma ("man" -> "people"; "death" -> "people")."""
    if not lemma:
        return None
    family = _COUNTED.get(lemma)
    if family is not None:
        return family.key
    return OUTCOME_COUNTS if lemma in _OUTCOMES else None


# Counted families whose members are people: what can be hurt, killed, rescued.
PEOPLE_FAMILIES = frozenset(
    {"people", "troops", "officers", "suspects", "protesters", "hostages", "voters", "patients", "students"}
)


def event_family(word: str | None) -> Family | None:
    """The predicate or outcome family of a noun that names an event ("cancellation",
    "evacuation", "cuts"), None for a counted thing ("charges", "votes") or any other word."""
    if not word or word in _COUNTED:
        return None
    return _PREDICATES.get(word)


def counts_people(lemma: str | None) -> bool:
    """Whether a counted noun's lemma names people ("passenger" is not listed: unknown)."""
    return counted_family(lemma) in PEOPLE_FAMILIES


def names_people(lemma: str) -> bool:
    """Whether a noun names people themselves ("man", "victim"), not an event that
    happens to them ("shooting", "death"), which ``counted_family`` also files as people."""
    family = _COUNTED.get(lemma)
    return family is not None and family.key == OUTCOME_COUNTS


# Words of events that happen to people, court events included ("a man was charged"):
# a sentence with one is parsed even without a number.
_OUTCOME_WORDS = frozenset(
    word for family in FAMILIES if family.role == "outcome" or family.key in COURT_FAMILIES for word in family.members
)
_LETTERS = re.compile(r"[A-Za-z]+")


def mentions_outcome(text: str) -> bool:
    """Whether the text names an event that happens to people ("killed", "wounded").

    A set lookup per word: an alternation of every form is about ten times slower, and
    this runs on every sentence."""
    return not _OUTCOME_WORDS.isdisjoint(word.lower() for word in _LETTERS.findall(text))


def is_outcome(key: str | None) -> bool:
    """Whether a family names an event that happens to people ("killed", "arrested")."""
    return any(family.key == key and family.role == "outcome" for family in FAMILIES)


def happens_to_people(key: str | None) -> bool:
    """Whether a family counts people something happened to: an outcome ("killed",
    "arrested") or what a court does to people ("charged"): "two men and their cousin
    were charged" adds up as "two men and a woman were wounded" does."""
    return is_outcome(key) or key in COURT_FAMILIES


def predicate_family(lemma: str | None) -> str | None:
    """The family of a predicate's lemma ("wound" -> "injured", "spend" -> "spent")."""
    family = _PREDICATES.get(lemma or "")
    return family.key if family is not None else None


def family_named_by(word: str) -> str | None:
    """The predicate family a word of a quote names: its own, or the one a destination or
    state gives ("taken to the hospital": hospitalised; "in stable condition": injured),
    so that a headline may name what such a quote says happened."""
    return predicate_family(word) or DESTINATIONS.get(word) or STATES.get(word)


def outcome_family(lemma: str | None) -> str | None:
    """The family of a noun or adjective that names an event and counts people ("deaths")."""
    family = _OUTCOMES.get(lemma or "")
    return family.key if family is not None else None
