"""Word lists for SMP-2.3 (professional content) and SMP-2.6 (abusive comments), by category, and the school allowlist.

Entries are written as a person would type them; `auditor.text.abuse` normalises them the same way as the text it
reads. Forms:

- `word`: that word only, on word boundaries ("cunt" never matches "Scunthorpe");
- `stem*`: any word that starts with the stem ("fuck*" covers fucking, fuckwit); only for stems no innocent word starts
  with;
- `two words`: a phrase, token by token; `{a|b}` lists alternatives for one token ("you {are|re} pathetic").

Threats are also found by `THREAT_VERBS` near `THREAT_TARGETS` after an intention (`THREAT_INTENT`): "I'm gonna smash
the head teacher's car", but not "Year 9 learned how to kill a frozen process".

The allowlist has two parts. `INNOCENT_PHRASES` are phrases in which a listed word is innocent ("blue tit", "pathetic
fallacy", "Moby Dick"). `INNOCENT_CONTEXT` names, for a listed word, words whose presence anywhere in the same text
shows the innocent sense: "hooker" beside rugby words, "Nazi" beside history, "tit" beside birds.

Held-out evaluation items (tests/data/eval, split "heldout") are never used to change these lists.
"""

from __future__ import annotations

from auditor.model import Severity

# Category -> (severity, what it is, in words for a reason sentence). The categories are the policy's own: what
# SMP-2.3 says a school account must never carry, and what SMP-2.6 says must be removed from under its posts.
CATEGORIES: dict[str, tuple[Severity, str]] = {
    "threat": (Severity.CRITICAL, "a threat"),
    "hate": (Severity.CRITICAL, "hate or a slur"),
    "sexual": (Severity.HIGH, "sexual content"),
    "profanity": (Severity.HIGH, "profanity"),
    "mockery": (Severity.HIGH, "an insult or mockery aimed at a person"),
    "political": (Severity.HIGH, "party-political campaigning"),
    "spam": (Severity.HIGH, "spam or a scam (the account may be compromised)"),
    "mild-profanity": (Severity.MEDIUM, "mild swearing"),
    "alcohol": (Severity.MEDIUM, "alcohol, drugs or partying"),
    "rant": (Severity.MEDIUM, "a personal rant about work"),
}

# fmt: off
LEXICON: dict[str, tuple[str, ...]] = {
    "hate": (
        "nigger", "niggers", "nigga", "niggas", "nigaz", "paki", "pakis", "faggot", "faggots", "fag", "fags", "retard",
        "retards", "retarded", "spastic", "spastics", "spaz", "spazz", "spacker", "tranny", "trannies", "dyke", "dykes",
        "kike", "kikes", "chink", "chinks", "wog", "wogs", "gyppo", "gypo", "pikey", "pikeys", "slag", "slags", "slut",
        "sluts", "whore", "whores", "skank", "skanks", "go back to your own country", "go back to where you came from",
        "poof", "poofs", "poofter*", "bender", "benders", "batty boy*", "homo", "homos", "lezza", "lezzas", "lesbo",
        "lesbos", "{that s|thats|so|ur|you re|youre|ure|how|well|proper|dead|sooo|soo} gay", "gay {boy|boys|lad|lads}",
        "sheep shagg*",
        "taff", "taffs", "taffy", "sheep {shagger|shaggers|shagging|shaggin}",
        "send them {back|home}", "speak english {you re|youre|ur|we re}",
        "{can t|cant|cannot|don t|dont} even speak english", "window {licker|lickers}", "mong", "mongs", "mongo",
        "spacca", "spacka", "special needs lot", "spaccy", "spacky", "spakky", "spacko", "spacca kids",
        "mongy",
    ),
    "profanity": (
        "fuck*", "fvck*", "fcuk*", "fuk", "fuks", "fukin", "fukking", "fck", "fcking", "fckin", "fkn", "fking", "fkin",
        "motherf*", "shit*", "bullshit", "horseshit", "cunt*", "twat*", "wank*", "bellend", "bellends", "dickhead*",
        "arsehole*", "asshole*", "a*hole", "a*holes", "bastard*", "prick", "pricks", "knob", "knobs", "knobhead*",
        "bollock*", "piss", "pissed", "pissing", "pisshead", "pissheads", "piss off", "piss up", "tosser", "tossers",
        "f ing", "f in useless", "f in joke",
        "cock", "cocks", "cocksucker", "dick", "dicks", "bitch", "bitches", "bitchy", "son of a bitch", "minger",
        "stfu", "gtfo", "wtf", "wtaf", "wtff", "ffs", "omfg", "fml", "jfc", "shove it up your {arse|a*e|a**e|ass}",
        "f off",
    ),
    "sexual": (
        "hooker", "hookers", "sexy", "porn", "porno", "pornography", "nudes", "horny", "shag", "shagging", "shagged",
        "blowjob", "blow job", "boobs", "tits", "tit", "titties", "milf", "milfs", "dilf", "dildo", "wet dream",
        "phwoar", "that s what she said", "yummy {mummy|mummies|mum|mums}", "hot {mum|mums|mummies|dads|singles}",
        "{send|more} {pics|nudes} of", "{detention|a detention} with {her|him}", "can teach me anything",
        "bending over", "bend over", "nice {legs|bum|arse|ass|boobs|figure|rack}", "stunners", "fittie", "hottie",
        "hotties",
    ),
    "mockery": (
        "idiot", "idiots", "idiotic", "moron", "morons", "moronic", "loser", "losers", "imbecile", "imbeciles",
        "cretin", "cretins", "muppet", "muppets", "numpty", "numpties", "pillock", "pillocks", "plonker", "plonkers",
        "halfwit", "halfwits", "dimwit", "dimwits", "nitwit", "nitwits", "scumbag", "scumbags", "scum", "clown",
        "clowns", "nazi", "nazis", "waste of space", "brain dead", "braindead", "nasty piece of work",
        "get a life", "airhead", "airheads",
        "{a|one|single} brain cell between {them|you|the lot|em}", "layabout", "layabouts", "knuckle dragger*",
        "yes man", "numbskull*", "two faced", "twofaced",
        # incompetence by idiom, said of anyone: "couldn't run a bath"
        "{couldn t|couldnt|could not|can t|cant} {run a bath|organise a piss up|pour water out of a boot}",
        "{couldn t|couldnt|could not|can t|cant} {find|fight} {his|her|their|your|ur} way out of a paper bag",
        "{can t|cant|can barely|could barely|couldn t|couldnt|can hardly} string a sentence together",
        "far up {his|her|their|the head s|the heads} {backside|arse|ass|bum}",
        "thick as {mince|shit|two short planks|a brick|pig shit|mud|a plank|two planks|they come|they get|"
        "anything}", "{so|too|pure|proper} thick",
        "{fat|stupid|silly|ugly|absolute|old|lazy|nasty} {cow|cows|pig|pigs|slob|slobs|bitch|bastard|witch|hag}",
        "{you|u|ya|youse} {stupid|useless|pathetic|fat|ugly|lazy|thick|dumb}",
        "{stupid|useless|dumb|lazy|incompetent|clueless|brainless|spineless|arrogant|gormless} {teacher|teachers|"
        "staff|head|headteacher|kids|parents|people|woman|man|idiot|idiots|lot|clowns|twats|fools|sheep|coward|"
        "cowards|little man|bunch}",
        "shut up you", "shut your {mouth|face|gob}",
        "bunch of {clowns|muppets|idiots|morons|losers|jokers|amateurs|fools|layabouts|knuckle draggers|idiots}",
        "excuse for a {teacher|school|head|headteacher|parent|human|man|woman|human being}",
        "{look|state} at the state of",
    ),
    "threat": (
        "{kill|stab|batter} {you|u|ya|yourself|him|her|them}", "kill {urself|yourself|yaself}", "kys",
        "{you|u|ya} {re|are|r} dead", "ur dead", "dead meat", "watch your back", "watch {yourself|herself|himself}",
        "know where {you|u|your kids|your children|your family|she|he|they} {live|lives|go|goes}",
        "know {what|which} {car|school|house|bus} {you|u|your|she|he} {drive|drives|kids|children|live|lives|go}",
        "{keep|kept} an eye on your {windows|car|house|back|tyres}",
        "{shame|pity} if something {happened|happens|were to happen}", "be a shame if",
        "{burn|torch|bomb} {it|the|this|that|your} {school|place|house|car}",
        "{burn|torch} {it|the|this|that|your|ur} {school|place|house|car} down", "burn it down", "shoot up the school",
        "{house|car|school} {burns|burn} down with you",
        "break every bone", "break all the bones", "beat {you|u|him|her|them} up", "smash your {face|head}",
        "get you after school", "{waiting|wait} {at|by|outside} the gates for you", "you re finished", "ur finished",
        "you ll pay for this", "you will pay for this", "acid in your face", "{you ll|youll|you will} regret {this|it}",
        "lock your doors", "a good kicking", "coming for you", "{sort|deal with} you out",
        "{touch|hurt|upset} my {son|daughter|kid|child|boy|girl} again",
        "{watch|mind} your {tyres|car|windows|house|kids|children|back|door|family}",
        "{get|gets|got|getting} what s coming to {you|him|her|them|ya|u}",
        "{brick|rock|stone|bottle|brick} through {the|your|his|her|their|ur|that}",
        "{get|gets|getting|got|have|has} {their|your|his|her|ur|yer} {legs|leg|arms|arm|neck|nose|fingers|knees|teeth|"
        "jaw|head|face|skull} {broken|broke|snapped|smashed|kicked in|knocked in|caved in}",
        "{waiting|wait} for {you|u|ya} {at|by|outside} the {gates|gate|school|car park}",
    ),
    "mild-profanity": (
        "crap", "crappy", "bloody", "bugger", "buggered", "arse", "arsed", "damn", "dammit", "goddamn", "sod off",
        "sod it", "frigging", "friggin", "feck", "fecking", "effing", "what the hell", "piss poor",
    ),
    "alcohol": (
        "hungover", "hangover", "drunk", "drunken", "{got|get|getting|so|very|proper|was|were|more} {drunk|wasted|"
        "smashed|hammered|plastered|trollied|steaming|sloshed|tipsy}", "{absolutely|completely|totally} {wasted|"
        "hammered|plastered|trollied|steaming|sloshed}", "on the lash", "on the piss", "pub crawl",
        "{few|many|some|couple of|ten|several|six} pints", "{need|needed|needs} a {drink|pint|pints|beer|wine}",
        "wine o clock", "prosecco", "{vodka|tequila|jager|jaeger|gin} shots", "boozy", "booze", "bevvies", "beers",
        "tipsy", "weed", "smoked weed", "spliff", "stoned", "cocaine", "high as a kite",
        "gin and {tonic|tonics}", "g and {t|ts}",
        "bottle of {red|white|rose|fizz|wine|vodka|gin}", "happy hour", "pub after", "{in|down} the pub",
        "night out was carnage", "pure carnage", "wine", "glass of wine", "cocktails", "lager", "lagers",
        "pints", "vodka", "vodkas", "double vodkas", "tequila", "jagerbombs", "jaegerbombs", "sambuca",
    ),
    "rant": (
        "hate my job", "hate {this|the} job", "hate teaching", "hate {these|the|my|those} {kids|pupils|parents|"
        "students|classes|class}", "hate this school", "sick of", "sick and tired", "fed up {with|of}",
        "{can t|cant|cannot} stand {the|these|those|my|this|some} {parents|kids|pupils|students|class|job|boss|head|"
        "management|slt|school|people}", "thanks for nothing", "why i went into teaching", "not paid enough",
        "{quit|leave} this {place|job|school|dump}", "{couldn t|could not|can t} organise a",
        "why do {we|i} even bother", "why do {we|i} bother", "death by powerpoint",
        # batch 5: the job's load, said in public
        "this is why {good|great|experienced} {teachers|staff} {leave|quit}",
        "this is why {teachers|staff} {leave|quit}",
        "something {has|s got|has got} to give", "{we re|i m|we are|i am} drowning", "nobody asked for",
        "{at|reached} breaking point", "{we re|i m|we are|i am} {burnt|burned} out",
    ),
    "spam": (
        "hot singles", "cheap followers", "free followers", "🔥 hot singles",
    ),
    "political": (
        "{tories|tory} out", "get the tories out", "{votelabour|voteplaid|voteconservative|votetory|votereform|"
        "votegreen|votelibdem|votelibdems}",
        # batch 5: asking for a vote, or for a government's removal; a campaign for independence
        "give {her|him|them} your vote", "{time to|let s} {kick|vote|get|boot|throw} them out", "yescymru",
        "yes cymru", "{march|rally} for independence", "independence {march|rally}",
    ),
}

THREAT_INTENT = frozenset(
    ("ll", "will", "gonna", "going", "should", "shall", "wanna", "want", "wants", "finna", "d", "must", "gon", "gunna",
     "getting", "needs", "deserves", "wna", "mi")
)
THREAT_VERBS = frozenset(
    ("kill", "stab", "smash", "hurt", "batter", "burn", "bomb", "shoot", "torch", "knife", "punch", "break", "snap",
     "strangle", "throttle", "wring", "thump", "slap", "deck", "kick", "thrown", "throw", "glass", "lamp", "bury",
     "flatten", "smack", "whack", "clobber", "headbutt", "choke", "drown", "slit", "slash", "pummel", "maim",
     "murder", "strangle",
     "lladd", "ladd", "nladd", "torri", "dorri", "dorra", "thorri", "curo", "guro", "llosgi", "losgi")
)
THREAT_TARGETS = frozenset(
    (
        "you", "u", "ya", "yourself", "him", "her", "them", "whoever", "school", "car", "cars", "window", "windows",
        "face", "head", "teacher", "teachers", "sir", "miss", "house", "place", "staff", "kids", "legs", "leg", "arms",
        "arm", "neck", "jaw", "nose", "teeth", "knees", "fingers", "skull", "parent", "parents", "kid", "pupil",
        "pupils", "ref", "referee", "lads", "boys", "girls", "headteacher", "mum", "dad", "anyone", "someone",
        "minibus", "van", "office", "building", "buildings", "classroom", "staffroom", "tyres", "tires", "bike",
        # Welsh: "dy" (your), "di"/"ti" (you), "e"/"hi" (him/her), "nhw" (them)
        "dy", "di", "ti", "chi", "e", "hi", "nhw",
    )
)
# A theme taught is not a theme indulged: a category is excused wherever the text is plainly a lesson or a talk
# about it ("PSE: units in a pint of lager", "Chemistry: ethanol in wine").
INNOCENT_CATEGORY_CONTEXT: dict[str, tuple[str, ...]] = {
    "alcohol": (
        "pse", "pshe", "abch", "chemistry", "science", "biology", "history", "lesson", "lessons", "units", "ethanol",
        "fermentation", "awareness", "risks", "law", "talk", "workshop", "nurse", "police", "temperance", "craze",
        "vinegar", "cooks", "recipe", "effects", "raffle", "prize", "prizes", "hamper", "auction", "tombola",
    ),
}
# A letter or two and a mask ("f—", "f🤬", "sh-"): what the reader hears.
MASKED_STUBS: dict[str, str] = {"f": "fuck", "fu": "fuck", "sh": "shit", "b": "bollocks"}
# How many tokens may stand between the intention and the verb, and between the verb and its target.
THREAT_REACH = 3

INNOCENT_PHRASES: tuple[str, ...] = (
    "pathetic fallacy", "winners and losers", "drunken sailor", "drunk driving", "drink driving", "spotted dick",
    "moby dick", "dick whittington", "dick turpin", "dick king smith", "philip k dick", "dick bruna", "the idiot",
    "bloody mary", "bloody sunday", "bloody tower", "bloody assizes", "dead right", "offa s dyke", "offas dyke",
    "cock pheasant", "cock robin", "cock a doodle doo", "{blue|great|coal|marsh|willow|crested|long tailed|bearded} "
    "{tit|tits}", "door knob", "knob of butter", "slag heap", "slag heaps", "pin prick", "finger prick",
    "skin prick test", "the muppets", "muppet christmas carol", "muppets christmas carol", "sick of the sea",
    "bastard feudalism", "bastard son", "bastard sons", "william the bastard",
    "kick against the pricks", "tit for tat", "john lee hooker",
    "{mr|mrs|ms|miss|dr} {hooker|dick|cock|knob}", "chink of light", "chink in {the|his|her|their|our} armour",
    "{pancake|coin} {tosser|tossers}", "pond scum", "soap scum",
    "{losers|loser s} {final|bracket|plate|semi final}", "kill {them|him|her|you} with kindness",
    "{you|u|ya} {re|are|r} dead {right|good|clever|lucky|funny|talented|brilliant|proud|excited|nice|quick}",
    "wine gums", "root {beer|beers}", "ginger beer", "non alcoholic", "gin palace", "gin palaces",
    # place names and a plant ("pidyn y gog": lords-and-ladies), as "Scunthorpe" is
    "shitterton", "penistone", "pidyn y gog",
)

_HISTORY = (
    "history", "historical", "ww2", "wwii", "war", "germany", "german", "hitler", "holocaust", "propaganda", "weimar",
    "1930s", "1933", "1939", "1945", "remembrance", "regime", "party", "persecuted", "memorial", "gcse", "lesson",
    "museum", "display", "soldiers", "jewish", "fascism", "tudors", "tudor", "battle", "massacre",
)
_BIRDS = (
    "bird", "birds", "feeder", "feeders", "nest", "nests", "nesting", "birdwatch", "rspb", "robin", "robins", "wren",
    "box", "species", "hedge", "garden", "chick", "chicks", "wildlife", "ornithology", "eggs",
)
# A fixture: "smash them on Saturday", "we'll batter them in the rematch", "kill them with pace on the wings".
_SPORT = (
    "saturday", "sunday", "weekend", "match", "rematch", "game", "games", "final", "semi", "cup", "league", "fixture",
    "fixtures", "season", "football", "rugby", "netball", "hockey", "cricket", "team", "coach", "pace", "wings",
    "defence", "attack", "opposition", "derby", "tournament", "trophy", "title", "score", "scored", "goals",
)
_RUGBY = (
    "rugby", "scrum", "scrums", "lineout", "lineouts", "prop", "props", "flanker", "try", "tries", "match", "xv",
    "pitch", "tackle", "tackles", "forwards", "fixture", "played", "throw", "threw", "training", "squad", "county",
    "u13s", "u14s", "u15s", "u16s", "u18s", "under", "front", "row", "youth", "sevens", "wrw", "tîm",
)
SPORT_CONTEXT = _SPORT  # excuses a threat to the other team, never one to "you" (auditor.text.abuse)
INNOCENT_CONTEXT: dict[str, tuple[str, ...]] = {
    "hooker": _RUGBY,
    "hookers": _RUGBY,
    "nazi": _HISTORY,
    "nazis": _HISTORY,
    "bloody": _HISTORY,
    "tit": _BIRDS,
    "tits": _BIRDS,
    "cock": (*_BIRDS, "hen", "hens", "rooster", "farm", "chicken", "chickens", "pheasant", "crow", "crows"),
    "cocks": (*_BIRDS, "hen", "hens", "rooster", "farm", "chicken", "chickens", "pheasant"),
    "shag": ("seabird", "cormorant", "cormorants", "rocks", "carpet", "pile", *_BIRDS),
    "slag": ("heap", "heaps", "coal", "colliery", "mining", "furnace", "iron", "steel", "aberfan", "blaenavon"),
    "slags": ("heap", "heaps", "coal", "colliery", "mining", "furnace", "iron", "steel"),
    "faggot": ("peas", "gravy", "menu", "dinner", "canteen", "mash", "pork", "butcher", "served", "recipe"),
    "faggots": ("peas", "gravy", "menu", "dinner", "canteen", "mash", "pork", "butcher", "served", "recipe"),
    "dick": (
        "whittington", "moby", "panto", "pantomime", "pudding", "custard", "turpin", "author", "novel", "story", "book",
        "bruna", "spotted", "cat", "highwayman",
    ),
    "weed": (
        "garden", "gardening", "allotment", "allotments", "beds", "bed", "weeding", "plants", "plant", "flowers",
        "sensory", "pulled", "pull", "seeds", "vegetable", "greenhouse",
    ),
    "stoned": ("stephen", "martyr", "bible", "christian", "stoning", "testament", "re", "religion", "religious"),
    "drunk": (
        "sailor", "shanty", "macbeth", "porter", "character", "play", "scene", "speech", "pshe", "awareness", "driving",
        "alcohol", "risks", "poem", "novel", "chapter", "act",
    ),
    "drunken": ("sailor", "shanty", "macbeth", "porter", "character", "play", "scene", "poem", "novel", "chapter"),
    "losers": ("winners", "winner", "match", "game", "quiz", "race", "buy", "round", "raffle"),
    "loser": ("winners", "winner", "match", "game", "quiz", "race", "buy", "round", "raffle"),
    "twatt": ("orkney", "island", "islands", "village"),
    "batter": (*_SPORT, "pancakes", "pancake", "fish", "recipe", "flour", "eggs", "whisk"),
    "idiot": ("dostoevsky", "novel", "book"),
    "muppet": ("christmas", "carol", "film", "movie", "show", "puppet", "puppets"),
    "muppets": ("christmas", "carol", "film", "movie", "show", "puppet", "puppets"),
    "clown": ("circus", "juggling", "juggler", "fair", "face", "paint", "party", "entertainer", "balloon"),
    "clowns": ("circus", "juggling", "juggler", "fair", "face", "paint", "party", "entertainer", "balloon"),
    "porn": ("pshe", "rse", "safety", "law", "awareness", "online", "safeguarding", "workshop", "talk"),
    "pornography": ("pshe", "rse", "safety", "law", "awareness", "online", "safeguarding", "workshop", "talk"),
    "prick": ("finger", "pin", "needle", "thorn", "thorns", "blood", "skin", "test", "cactus"),
    "bastard": ("conqueror", "norman", "normans", "1066", "illegitimate", "feudalism", "king", "duke", "history"),
    "knob": (
        "door", "butter", "dial", "radio", "volume", "handle", "drawer", "turn", "signal", "generator", "oscilloscope",
        "trace", "gain", "control", "controls", "frequency", "amplitude", "physics", "tuning", "burette", "tap",
        "twiddling", "science", "titration", "titrations",
    ),
    "dyke": ("offa", "offas", "dutch", "flood", "netherlands", "geography", "sea", "river", "path", "walk"),
    "fag": ("cigarette", "cigarettes", "smoking", "packet", "end", "ends"),
    "fags": ("cigarette", "cigarettes", "smoking", "packet", "ends"),
    "cocaine": ("pshe", "drugs", "awareness", "talk", "risks", "law", "police", "safety", "workshop"),
    "hangover": ("pshe", "awareness", "alcohol", "risks"),
    "prosecco": ("raffle", "prize", "prizes", "pta", "auction", "hamper"),
    "booze": ("pshe", "awareness", "alcohol", "risks"),
    "damn": ("dam", "engineering", "geography"),
    # Threats are judged by their verb's context: sport, photography and science use the same verbs.
    "shoot": (
        "photo", "photos", "photograph", "photographs", "photographer", "portrait", "portraits", "camera", "film",
        "filming", "video", "hoops", "basketball", "netball", "goal", "penalty", "penalties",
    ),
    "smash": (
        *_SPORT, "record", "records", "target", "targets", "total", "competition", "cup", "league", "quiz", "challenge",
        "badminton", "tennis", "volleyball", "exams", "exam", "gcses",
    ),
    "watch": ("icy", "ice", "steps", "step", "slippery", "wet", "floor", "floors", "roads", "paths", "road", "stairs"),
    "coming": _SPORT,
    "wine": ("raffle", "prize", "prizes", "pta", "auction", "hamper", "tombola", "vinegar", "history", "communion"),
    "beers": ("root", "ginger", "history", "fermentation"),
    "burn": ("calories", "candle", "bunsen", "experiment", "magnesium", "flame", "fuel"),
    "bomb": ("bath", "photo", "seed"),
    "kill": (*_SPORT, "process", "bacteria", "germs", "weeds", "virus", "app", "task", "pathogens"),
    "murder": (*_SPORT, "mystery", "novel", "play", "macbeth", "history", "trial", "detective", "cluedo"),
    "flatten": (*_SPORT, "dough", "pastry", "clay", "cardboard", "boxes"),
    "drown": (*_SPORT, "sorrows", "noise", "lifeguard", "swimming", "safety"),
    "slut": ("rse", "pshe", "shaming", "consent", "misogyny", "respect", "stereotypes", "victim"),
    "whore": ("babylon", "shakespeare", "othello", "revelation", "bible", "play", "scene"),
    "retard": ("reaction", "reactions", "rate", "catalyst", "inhibitor", "inhibitors", "growth", "flame", "fire"),
    "retards": ("reaction", "reactions", "rate", "catalyst", "inhibitor", "inhibitors", "growth", "flame", "fire"),
}
# fmt: on
