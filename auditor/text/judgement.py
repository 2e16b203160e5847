"""Judgement over the shape of what is said, for the kinds a word list misses (issue 14, comments).

`auditor.text.patterns` finds a target and a derogatory word joined by a linking verb. These rules read the same
normalised words for the other shapes abuse takes when it uses no listed word:

- insults as noun phrases aimed at a person: "you spineless worm", "this clown of a deputy", "miserable old bag",
  "has the brains of a goldfish", "as dim as the new head", "a complete waste of oxygen";
- hate as a group with contempt, or with exclusion: "overrun by foreigners", "Saeson diog", "shouldn't be allowed
  to wear that", "should have their own school", "send them all back", "go back to England", "gay agenda";
- sexual innuendo aimed at staff or pupils: "can give me detention any day", "is Miss single?", "a right goer",
  "a private lesson with the new PE teacher 😏" (the flirting emoji and a cue of innuendo together);
- implicit threats, that name a person's home, car or family or their safety: "be a pity if anything happened to
  it", "park it somewhere safe", "I've seen which way you walk home", "check under his car", "people like you end
  up in hospital", "you won't be smiling for long", "just you and me"; direct ones with a verb and its particle:
  "put him through the window", "knock ... teeth out", "run that teacher over", "make you suffer";
- Welsh: a harm verb (with its mutations: "lladd", "dy ladd", "dorra i") or a beating ("cweir", "gweir") beside
  "ti", "chi", "dy" or "eich"; "gwylia di dy hun"; insults in Welsh order ("pen dafad yw'r dirprwy", "ti'n dda i
  ddim", "y mochyn tew");
- spam by its kinds: a recovery scam ("got it all back thanks to @..."), money from home, a loan, a link to follow,
  a giveaway, a stranger's "hello dear ... kindly"; phishing in the platform's name ("verify your account").

Threat shapes are listed in `_THREAT_SHAPES`, each with its gate: the sets of words that must all be in the text
before its expression is read ("shame" or "pity", and "if"). Batch 4 of the evaluation set (`"batch": 4`, tune
half) holds the sentences these shapes were written from, and the traps that keep them narrow: fair complaints,
safety notices ("check your tyres", "keep an eye on your children near the road"), groups named kindly, sport.

Each rule runs only when its trigger word or emoji is in the text, and reads the words joined by single spaces, so
one regular expression states a shape; a hit is mapped back to the tokens it covers, and gets the same span, excerpt
and allowlist treatment as a word-list match. A fair complaint about a thing is not an insult ("the app is a joke",
"an absolute disgrace that the heating is broken"): every insult rule needs a person, and the nouns that are also
complaints ("joke", "disgrace", "shambles") count only when said of one.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Sequence

from auditor.text import welsh

Hit = tuple[int, int, str, str]  # first token, last token, category, the words in evidence


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


def welsh_forms(words: str) -> frozenset[str]:
    return frozenset(form for word in words.split() for form in welsh.mutations(word))


# fmt: off
# Who can be insulted, threatened or sexualised: people in a school's life, and pronouns.
PEOPLE = _set("""
    teacher teachers staff head headteacher headteachers headmaster headmistress sir miss parents parent mum mums
    mam dad dads kids kid pupils pupil students student governors slt management referee ref inspector inspectors
    lads girls boys children woman man women men caretaker deputy deputies receptionist receptionists secretary
    assistant assistants cleaner cleaners principal tutor tutors coach whoever senco wife husband daughter son
    athro athrawon athrawes prifathro prifathrawes pennaeth rhieni plant disgyblion dirprwy lady ladies bloke blokes
""")
_HONORIFICS = _set("mr mrs ms miss dr sir mx")
_YOU = _set("you u ya ye youse")
_THIRD_PERSON = _set("she he her him")
# Nouns that insult a person and hardly anything else; said of a person, or to one.
INSULT_NOUNS = _set("""
    weasel weasels snake snakes rat rats worm worms troll trolls slug slugs leech leeches parasite parasites pig pigs
    hag hags bully bullies creep creeps nobody simpleton simpletons halfwit halfwits buffoon buffoons oaf oafs dunce
    dunces prat prats berk berks wally wallies plank donkey donkeys fraud frauds hypocrite hypocrites jobsworth
    jobsworths weirdo weirdos freak freaks nutter nutters psycho psychos lunatic lunatics tyrant tyrants dictator thug
    thugs lout louts yob yobs chav chavs scrounger scroungers slob slobs snob snobs bigot bigots pervert perverts
    perv pervs sleazebag sleazebags nonce nonces savages vermin toad toads maggot maggots waster wasters dimwit
    dimwits goon goons liar liars coward cowards clown clowns idiot idiots moron morons fool fools cretin cretins
    muppet muppets numpty loser losers imbecile imbeciles witch dinosaur dinosaurs mug laughing stock disgrace
    embarrassment joke failure animals cow cows div divs pleb plebs gimp gimps wimp wimps dork dorks dope dopes twit
    twits clot clots nincompoop dolt dolts ignoramus lowlife lowlifes dirtbag slimeball slimeballs vulture vultures
    hyena hyenas ogre ogres harridan shrew battleaxe crone harpy snowflake snowflakes waster bellend drip drips
    wipe meathead meatheads airhead airheads bonehead boneheads blockhead blockheads pinhead pinheads numbskull
    numbskulls dipstick dipsticks plonker plonkers pillock pillocks wazzock wazzocks melt melts nitwit nitwits
""")
# Of those, the ones that are also said of things in a fair complaint ("what a joke", "an absolute disgrace"), or of
# animals on a farm visit: they insult only when said of a person.
COMPLAINT_NOUNS = _set("disgrace embarrassment joke failure animals cow cows pig pigs mug stock dinosaur dinosaurs")
_VOCATIVE_NOUNS = INSULT_NOUNS - COMPLAINT_NOUNS
# Adjectives in an insult, before the noun: "you spineless worm", "jumped-up little nobody".
INSULT_ADJECTIVES = _set("""
    spineless gutless useless clueless incompetent pathetic thick dim dense stupid dumb brainless lazy arrogant
    ignorant gormless vile nasty ugly fat smug pompous creepy feral miserable sad jumped up little old absolute
    complete total utter right proper stuck two faced snivelling sniveling slimy pig ignorant rude horrible
    disgusting repulsive hideous senile deranged unhinged obnoxious greasy sly lying cowardly fat bald bitter sour
    evil twisted spiteful petty vindictive silly sad selfish wet hopeless
""")
# "a bitter old woman", "a pathetic little man": a person's noun with an insulting adjective.
_HUMAN_NOUNS = _set("man woman men women individual creature specimen person human case")
_STRONG_ADJECTIVES = _set("""
    bitter sour evil twisted spiteful petty vindictive pathetic vile nasty horrible miserable ugly fat stupid thick
    useless smug arrogant pompous creepy slimy sad sorry ignorant obnoxious repulsive disgusting spineless gutless
    incompetent clueless lazy sly selfish hopeless
""")
_LINKING = _set("is s are re was were")
_BRIGHT = _set("intelligent clever useful sensible competent brains sense personality")
_SCORN_SUPERLATIVES = _set("worst laziest rudest thickest stupidest ugliest dumbest nastiest vilest")
_SUBJECT_WORDS = _set("maths english science welsh pe music art history geography drama new")
_THING_AFTER_PERSON = _set("""
    evening evenings portal app meeting meetings car park parking room rota pay email letter letters association
    group room s classroom classrooms corridor corridors block lockers toilets field
""")
# Sarcasm by simile: "as useful as a chocolate teapot", "about as sharp as a marble".
_SARCASTIC_SIMILE = re.compile(
    r"\bas (?:useful|much use|helpful|effective|sharp|bright|clever|smart|intelligent|competent|organised|reliable|"
    r"quick|welcoming|approachable) as (?:a|an)\b"
)
# "miserable old bag", "silly old goat": an insult only after "old".
_OLD_INSULTS = _set("bag bat trout git hag cow witch goat fool windbag boot crone")
_SIMILE_SUBJECTS = _set("brains brain intelligence iq memory personality charm sense")
_COLLECTIVES = _set("full bunch pack load gang nest lot set crowd")
_FOND_FACES = _set("kid child cheshire angel little happy proud")  # "a face like a kid on Christmas morning"
_INSULT_ADJECTIVE_CORE = _set("""
    thick dim dense stupid dumb useless clueless gormless brainless ugly fat lazy daft pathetic
""")

# Hate: groups of people, and what shows contempt for them.
GROUPS = _set("""
    english welsh saeson sais immigrants immigrant foreigners foreigner polish poles romanians pakistanis muslims
    muslim jews jew gypsies gypsy travellers traveller gays asians africans refugees migrants blacks taffs hoyw
    lesbians lesbian trans transgender lgbt lgbtq disabled autistic sen needs asylum seekers eastern europeans
    catholics pakis mums dads mams queer queers foreign incomers mewnfudwyr fewnfudwyr ffoaduriaid tramorwyr dramorwyr
    pwyliaid bwyliaid hoywon gay blind deaf dyslexic adhd chinese romanian pakistani indian nigerian somali syrian
    albanian albanians bulgarian
    bulgarians lithuanian lithuanians roma
""")
# Words that are also school subjects or a language: a group only when not followed by one ("English homework").
_SUBJECT_GROUPS = _set("english welsh polish")
_OURSELVES = _set("we i they ll will to s d shall")
_SEND_OR_GO = _set("go goes going went send sent sending fuck piss clear ship deport boot kick"
    " jog run crawl get pray bugger sod")
_SUBJECT_NEXT = _set("""
    homework lesson lessons class classes teacher teachers department exam exams test tests essay essays book books
    literature language lit gcse gcses set sets result results medium unit units speaking writing reading club
    dept mock mocks paper papers oracy grammar spelling stream unit choir team cakes weather
""")
_STRONG_CONTEMPT = _set("""
    scum vermin filth parasites inbred overrun overran swamped swarming infested invasion invading cockroaches
    savages subhuman scroungers spongers thieving thieves criminals rapists terrorists ruining ruined ruin ruins
    destroying difetha ddifetha dinistrio ddinistrio sbwylio
""")
# Adjacent to a group only: "Saeson diog", "lazy Poles", "typical Saeson arrogance".
_NEAR_CONTEMPT = _set("""
    lazy diog ddiog arrogance arrogant disgusting ych cachu ignorant thick stupid twp dwp dirty filthy smelly
    stinking animals nonsense rubbish propaganda ideology garbage diawl uffar blydi
""")
_EXCLUSION = re.compile(
    r"\b(?:shouldn ?t|should not|should never|mustn ?t) be (?:allowed|in|at|here|near|mixing|teaching|let|anywhere)\b"
    r"|\bshould be (?:banned|kicked out|sent|deported|kept|locked|removed|segregated|separated|thrown out)\b"
    r"|\bshould (?:have|get|go to) their own (?:school|schools|class|classes)\b|\bnot mix(?:ing)? with\b"
    r"|\b(?:drag|slow|hold)(?:s|ging|ing)? (?:everyone|us|the rest|the others|the class|our kids|the other kids)"
    r"(?: else)? (?:down|back)\b|\b(?:sick|fed up|tired) (?:of|with) (?:paying|them|these|those|all)\b"
    r"|\b(?:explains|explain) (?:a lot|everything)\b|\b(?:keep|kept) (?:them|it|your \w+ \w+|"
    r"your \w+) (?:away from|out of) (?:my|our|ours)\b|\bnot welcome\b|\bdon t belong\b"
    r"|\b(?:ewch|cer|cerwch|mynd|fynd) (?:n)?(?:nol|adre|adref)\b"
    r"|\b(?:cymryd|gymryd|dwyn|taking|stealing|nicking|take|steal|takes|steals) (?:pob|ein|our|all (?:the|our)|all)"
    r" (?:swydd|swyddi|tai|ty|dy|thy|jobs|houses|places|homes)\b|\bdead language\b"
    r"|\bforc(?:ing|ed) (?:it|welsh) on\b"
    r"|\bdown our throats\b|\b(?:keep|kept|get|kick|throw) (?:\w+ ){1,3}(?:away from|out of) (?:my|our|this|the)\b"
    r"|\b(?:causing|cause|causes|bring|brings|bringing) (?:all |nothing but )?(?:the )?(?:trouble|problems"
    r"|crime|disease)\b"
    r"|\b(?:get|gets|getting|given) (?:everything|it all|all the \w+|free \w+|priority)\b"
    r"|\bhanded (?:to them|everything)\b"
    r"|\ball (?:the|these|those) \w+ (?:coming|flooding|pouring|moving|flocking) (?:in|over|here)\b"
    r"|\bgone downhill (?:since|because|with)\b|\bfilled up with\b|\b(?:a )?drain on\b|\bburden on\b"
    r"|\bshould be (?:in|at|sent to) (?:a |their own )?(?:special|separate|different|own)"
    r" (?:school|schools|class|unit)\b"
    # batch 5: told to leave, or not wanted here; a group made out to be thieves; Welsh "getting everything"
    r"|\b(?:nobody|no one|noone) asked (?:you|u|ya|them) to (?:come|move|live)\b|\bjog on\b"
    r"|\b(?:(?:now|so|just|then|and) go|go (?:pray|do|live)|clear off|piss off|bugger off|sod off|fuck off)"
    r"(?: \w+){0,4} back (?:home|to \w+)\b"
    r"|\b(?:lock|hide|watch|guard) (?:up )?(?:your|ur) (?:cars|car|doors|bikes|bags|purses|wallets|valuables|"
    r"handbags)\b|\b(?:pushing|push|pushed|ramming|shoving|forcing) (?:it|this|that|their \w+) (?:on|onto|down)\b"
    r"|\bsick of it\b|\bwithout hearing (?:a word of )?(?:english|welsh)\b|\bevery language (?:but|except)\b"
    r"|\b(?:cael|gael) (?:popeth|pob dim|bob dim|y cwbl)\b"
    r"|\bno wonder (?:the )?(?:results|standards|grades|marks|behaviour|the school|the class|the town|it)"
    r"(?: \w+){0,2} (?:are|is|s|have|has|re|went|go|going|gone) (?:\w+ )?(?:rubbish|shocking|terrible|awful|down|"
    r"downhill|dropping|slipping|bad|poor|low|falling|worse|to pot|to the dogs|down the pan)\b"
    r"|\bshouldn ?t (?:get to|be able to|be let)\b"
    r"|\bthe only (?:english|welsh|white|british) (?:one|kid|child|family|person|pupil)\b"
    r"|\b(?:nick|nicks|steal|steals|rob|robs|pinch|pinches) (?:everything|anything|stuff)\b"
    r"|\b(?:take|takes|get|rip) (?:that|the|this) (?:thing|rag|tea towel|towel|bin bag|sheet) off (?:her|his|their)"
    r" (?:head|heads|face)\b"
    r"|\b(?:ddylai|dylai|dylen|ddylen|dylsen|ddylsen) (?:\w+ ){0,2}(?:aros|mynd|fynd) (?:yn|i|nol|adre)\b"
    r"|\b(?:drag|slow|hold)(?:s|ging|ing)? (?:the )?(?:whole |entire )?(?:class|lesson|year|group|school) "
    r"(?:down|back)\b"
)
# A nationality or a people's name said of one person or family, laughed at: "chinese kid in 8T probably ate the
# class hamster 😂". Laughing at someone for who their people are is racist mockery, whatever the joke.
_GROUP_PERSON = _set("kid kids lad lads girl girls boy boys family families woman man lot pupil pupils mum dad twins")
_LAUGHING = ("\U0001f602", "\U0001f923", "\U0001f606", "\U0001f92d")
# Hearts, heart eyes, applause and stars: a text that shows them laughs with the people it names, not at them.
_WARM_EMOJI = ("\u2764", "\U0001f60d", "\U0001f970", "\U0001f44f", "\U0001f495", "\U0001f496", "\U0001f497",
               "\U0001f499", "\U0001f49a", "\U0001f49b", "\U0001f49c", "\U0001f9e1", "\u2b50", "\U0001f31f")
_PRAISE = _set("""
    amazing brilliant fantastic lovely proud wonderful superb congratulations congrats welldone well done gorgeous
    delicious llongyfarchiadau gwych ardderchog anhygoel bendigedig
""")
# Same-sex parents, and gay or trans people, spoken of with disgust.
_QUEER_GROUPS = _set("gay gays lesbian lesbians trans transgender lgbt lgbtq queer queers mums dads mams")
_MAN_IN_A_DRESS = re.compile(
    r"\b(?:man|men|bloke|blokes|guy|guys|boy|boys|lad|lads) in (?:a )?(?:dress|dresses|skirt|skirts)\b"
)
# Where a trans pupil is kept out of, said with a man or boy "in a dress": "not sharing a changing room with ...".
_KEPT_OUT_OF = _set("changing toilets toilet loos showers")
_PRIDE = _set("pride rainbow gay lgbt lgbtq trans transgender queer")
_PRIDE_CONTEMPT = _set("filth filthy grooming groomers brainwashing indoctrination perverts perverted degenerate")
_QUEER_CONTEMPT = _set("disgusting disgrace sick vile wrong unnatural perverted perverts grooming gross")
# Insulting nouns that, near a group, abuse the group: "Welsh speakers ... bunch of snobs".
_GROUP_INSULTS = _set("""
    snobs bigots liars cowards idiots morons leeches rats peasants inbreds hypocrites scroungers savages pigs
""")
_CANT_SPEAK = re.compile(
    r"\b(?:they|them|half (?:of )?(?:them|the \w+)|most of them|these \w+|those \w+|kids|children|families|parents)"
    r" (?:\w+ ){0,4}can t (?:even )?speak (?:the language|english|proper english|a word of (?:english|welsh))\b"
)
# Welsh: "cer nôl i dy wlad dy hun", "dim lle i bobl fel ti".
_WELSH_GO_BACK = re.compile(
    r"\b(?:cer|ewch|cerwch|dos|mynd|fynd) (?:n)?(?:nol|adre|adref|yn ol) (?:i|at) (?:dy|eich|ei|eu) (?:wlad|gwlad|"
    r"gwledydd)\b|\b(?:cer|ewch|cerwch|dos) (?:n)?(?:nol|adre|adref|yn ol) i ch (?:gwlad|gwledydd)\b"
    r"|\bdim lle i (?:bobl|pobl) fel (?:ti|chi|nhw|chdi)\b"
)
# Said without naming the group, and still exclusion: "nobody asked them to come here", "this is a Christian
# country" (told to someone whose faith or people is another).
_UNWELCOME_TRIGGERS = _set("asked christian british white")
_UNWELCOME = re.compile(
    r"\b(?:nobody|no one|noone) asked (?:you|u|ya|them|em) to (?:come|move) (?:here|over|to this country|to wales)\b"
    r"|\bthis is a (?:christian|british|english|white) country\b"
)
_GO_BACK = re.compile(
    r"\b(?:ship|deport|boot|kick) (?:them|em|the lot|the lot of them|them all|all of them) (?:all )?(?:back|home|out)\b"
    r"|\b(?:go|goes|going|went|send|sent|sending|fuck|piss|clear) (?:them |em |the lot |him |her |you |them all "
    r"|all )?(?:back|off|home) (?:to|over) (?:england|wales|poland|romania|pakistan|africa|india|china|syria|"
    r"afghanistan|bulgaria|lithuania|albania|your own|your country|where|the bridge|over the bridge|their own|"
    r"their country)\b"
    r"|\bsend (?:them|em|the lot|them all|all of them|him|her|the lot of them) (?:all )?(?:back|home)\b"
    r"|\b(?:jog on|clear off|piss off|bugger off|sod off|fuck off|go|get|run|crawl|pray)(?: \w+){0,3} back"
    r" (?:home )?to (?:england|wales|poland|romania|pakistan|africa|india|china|syria|afghanistan|bulgaria|"
    r"lithuania|albania|your (?:own )?country|where (?:you|they) came from)\b"
    r"|\b(?:ship|deport|boot) (?:\w+ ){0,3}(?:back|home|out)\b"
)

# Sexual innuendo: a flirting emoji with a person and a cue, or a phrase that says it alone.
_FLIRT_EMOJI = ("\U0001f60f", "\U0001f609", "\U0001f608", "\U0001f975", "\U0001f924", "\U0001f445", "\U0001f4a6",
                "\U0001f351", "\U0001f346", "\U0001f440", "\U0001f48b", "\U0001f61c")
_FLIRTING = re.compile("[" + "".join(_FLIRT_EMOJI) + "]")
_INNUENDO_CUES = _set("""
    detention private behind single naughty punish punished spank spanked pair rack legs bum phwoar spanking hours
    nicely favours heat steamy personally taken shorter tighter
""")
# Heart eyes are as often pride as a leer: with them, only a cue that is innuendo on its own counts.
_HEART_EYES = "\U0001f60d"
_STRONG_INNUENDO_CUES = _set("detention private single naughty punish punished spank spanked spanking taken favours")
# Rated out of ten, said of a person: "the new drama teacher is a ten".
_RATING = re.compile(
    r"\b(?:is|s|was|looks) (?:a|an) (?:solid )?(?:ten|10|11|dime)"
    r"(?! (?:out|minutes|minute|year|years|mile|miles|points|teacher|o clock|pm|am))\b"
)
_INNUENDO = re.compile(
    r"\b(?:can|could|would|should) (?:give|put|keep|mark|teach|punish|spank|take|tell|have|check|inspect|discipline)"
    r" (?:me|us|my(?! (?:kids|son|daughter|children|child|boy|girl|lot|little|class|grandson|granddaughter)))\b"
    r"(?: \w+){0,4} (?:any ?day|any ?time|anytime|whenever (?:she|he) likes?|all night)\b"
    r"|\bis (?:miss|sir|she|he|(?:mr|mrs|ms|miss|sir) \w+|the new (?:\w+ )?(?:teacher|head|deputy)) single\b"
    r"|\b(?:a right|right|a bit of a|such a) goer\b|\b(?:nice|cracking|great|lovely|fine|decent|top) (?:pair|rack)"
    r" (?:on|of (?:legs|pins|knockers|melons))\b"
    r"|\b(?:stay|staying|stayed|kept|keep|keeping) (?:me |him |her )?behind after (?:class|school|the lesson)"
    r" with\b|\bi d (?:happily |gladly )?(?:stay behind|give (?:her|him) one|do (?:her|him)|let (?:her|him))\b"
    r"|\bwouldn t (?:mind|say no to) (?:a (?:go|night|piece|bit|private \w+) (?:with|of|on)|(?:her|him|miss|sir)"
    r" (?:for|in|on|as))\b|\bteach(?:ing)? me a (?:thing|lesson) or two\b"
    r"|\bdeveloped for (?:her|his|their) age\b"
    r"|\b(?:would|i d|id|wud|wld) (?:smash|bang|ruin|rail|wife|do) (?:the|that|mr|mrs|miss|sir|her|him|ms)\b"
    r"|\b(?:miss|sir|she|he|mr \w+|mrs \w+|ms \w+|teacher) can (?:get|have) it\b"
    r"(?! (?:back|from|on|at|to|done|sorted|signed|for|when|in|by|fixed|ready))"
    r"|\b(?:well|very|nicely|fully) developed (?:girl|girls|for|in that|young)\b"
    r"|\b(?:wifey|wife|husband|hubby|girlfriend|boyfriend) material\b"
    r"|\b(?:girls|girl|she|her|miss)\b(?: \w+){0,3} (?:well|very|nicely|fully|quite) developed\b"
    r"|\b(?:i d|id) (?:happily |gladly |definitely )?let (?:her|him|miss|sir|mr \w+|mrs \w+|ms \w+|the (?:new )?"
    r"(?:\w+ )?(?:teacher|ta|coach)) (?:mark|teach|check|inspect|punish|examine|tutor)\b"
    r"|\bis (?:she|he|miss|sir|mr \w+|mrs \w+|ms \w+|the new \w+(?: teacher)?) (?:taken|spoken for)\b"
    r"(?! (?:to|on|off|for|away|ill|in|out|into|up|by|from|care|part))"
    r"|\b(?:pics|pictures|photos|pic|photo|ones|snaps) (?:\w+ ){0,2}(?:taken )?from (?:behind|below|underneath)\b"
)

# Threats: names of someone's property and family, ominous words, and shapes.
_POSSESSIONS = _set("""
    car cars house home windows window tyres tires family kids children daughter son wife husband door garden van
    dog cat motor corsa fiesta golf
""")
_COMPLIMENT = re.compile(
    r"\b(?:nice|lovely|beautiful|smart|shiny|flash) (?:\w+ ){0,3}(?:you ve got|you have|you got|you drive|you re "
    r"driving|you live in|of yours|you park)\b"
)
_COMPLIMENT_OMINOUS = _set("shame pity careful happen happened happens accident accidents remember warned")
# Damage to someone's things, with an omen: "funny how cars get keyed ... just saying", "would be awful if that new
# car of yours got scratched". Without the omen it is news or a safety notice ("cars broken into, lock them").
_DAMAGE = _set("""
    keyed scratched slashed smashed torched vandalised vandalized damaged burnt burned broken dented nicked stolen
""")
_OMEN = re.compile(
    r"\bjust saying\b|\bfunny how\b|\b(?:would|could|might|d) be (?:awful|a shame|terrible|sad|a pity|unfortunate|"
    r"horrible) if\b|\bwouldn t want\b|\b(?:shame|pity) if\b|\baccidents happen\b"
)
_FAMILY = _set("kids children son daughter wife husband boy girl little ones family")
_DUCK = "\U0001f986"
_POO = "\U0001f4a9"
# The emoji where a noun would be, after a word that wants one: "a pile of 💩", "talking 💩", "full of 💩".
_POO_AS_WORD = re.compile(r"\b(of|a|load|pile|full|talking|talk|utter|absolute|total|complete|such) ?\U0001f4a9",
                          re.IGNORECASE)
_WH = _set("what who where why how")
_WHAT_THE_DUCK = re.compile(r"\b(?:what|who|where|why|how) the\s*\U0001f986", re.IGNORECASE)
_YOULL_SEE = re.compile(r"\b(?:you ll|youll|ull|u ll|you will) see$")
_CAREFUL = re.compile(r"\bcareful (?:walking|driving|going) (?:home|to your car|to work|back)\b")
_SAFETY_WORDS = _set("""
    icy ice dark darker roads road weather snow wet slippery traffic lights fog foggy floods flooding storm wind
    frost frosty cyclists drivers speed safe safely everyone kids children pupils
""")
_W = re.compile  # each shape below is one expression over the words joined by spaces


def _gate(*words: str) -> tuple[frozenset[str], ...]:
    """Sets of words that must each meet the text for a shape to be worth reading."""
    return tuple(_set(w) for w in words)


# (gate, shape): the shape is searched only when every set of its gate meets the text's words, so a post that has
# none of "shame", "pity", "accidents", ... costs a few set look-ups, not a regular expression.
_THREAT_SHAPES: tuple[tuple[tuple[frozenset[str], ...], re.Pattern[str]], ...] = (
    (_gate("shame pity", "if"), _W(r"\b(?:shame|pity) if (?:anything|something|owt|summat) (?:was to "
        r"|were to |should |bad )?happen")),
    (
        _gate("happen happened happens happening", "anything something owt"),
        _W(
            r"\b(?:anything|something|owt) (?:bad |nasty )?(?:to )?happen(?:ed|s|ing)? to (?:you|your|his"
                r"|her|that|those|"
            r"their)\b(?: \w+){0,3} (?:" + "|".join(sorted(_POSSESSIONS)) + r"|you|yours)\b"
        ),
    ),
    (_gate("happen", "what"), _W(r"\bwhat s (?:going to|gonna|about to) happen to (?:you|your|him|her|his"
        r"|the head)\b")),
    (
        _gate("accidents"),
        _W(r"\baccidents (?:can |do |will )?happen to (?:people|you|teachers|those|staff|him|her|them|nosy"
            r"|teachers)\b"),
    ),
    (
        _gate("hospital intensive box ground ditch canal river wheelchair e"),
        _W(
            r"\b(?:you|people like you|the likes of you|your sort|your kind|teachers like you|heads like you)"
            r" (?:will |ll |could |might |tend to |often |usually |always |soon )?(?:end|ends|wind"
                r"|winds) up (?:in|under)"
            r" (?:hospital|a e|intensive care|a box|the ground|a ditch|the canal|the river|a wheelchair)\b"
        ),
    ),
    (
        _gate("smiling laughing smug cocky brave mouthy gobby smirking", "long longer"),
        _W(
            r"\b(?:won t|will not|wont|not) be (?:smiling|laughing|so smug|so cocky|so brave|so mouthy|so gobby|"
            r"smirking) for (?:long|much longer)\b(?! if)"
        ),
    ),
    (_gate("under"), _W(r"\bcheck under (?:your|his|her|their|the|ur) (?:car|cars|van|bonnet|motor)\b")),
    (_gate("somewhere"), _W(r"\bpark it somewhere safe\b")),
    (_gate("just", "me i"), _W(r"\bjust (?:you and me|you and i|me and you)\b")),
    (_gate("warned warn"), _W(r"\b(?:you ve|you have|consider yourself|you ve all) been warned\b|\b(?:don t"
        r"|dont) say (?:i|we) didn t warn (?:you|ya|u)\b")),
    (_gate("shoulder"), _W(r"\b(?:better|best|d|ll be|start|keep) look(?:ing)? over (?:your|ur|his|her) shoulder\b")),
    (_gate("sleep"), _W(r"\bsleep with (?:one eye open|the lights on)\b")),
    (_gate("happens"), _W(r"\b(?<!wait )and see what happens\b|\bsee what happens to (?:you|u|ya|him|her|your)\b")),
    (
        _gate("miss", "nobody noone no"),
        _W(r"\b(?:nobody|no one|noone|no body) (?:would|will|d|is going to|s going to) miss (?:you|him|her"
            r"|that|the|mr|mrs|miss|sir)\b"),
    ),
    (
        _gate("hope", "dies die run crash crashes rots rot hit burns suffers suffer dead"),
        _W(
            r"\bhope (?:you|he|she|that \w+|the \w+|your \w+)(?: \w+)? (?:dies|die|get run over|gets run over|"
            r"crash|crashes|rots|rot|get hit|gets hit|burns|suffers|suffer|drops dead|drop dead)\b"
        ),
    ),
    (
        _gate("know knows seen saw", " ".join(_FAMILY), "your his her"),
        _W(
            r"\b(?:i|we) (?:know|knows|ve seen|have seen|saw) (?:your|his|her) (?:kids|children|son"
                r"|daughter|wife|husband"
            r"|family|little one|boy|girl|little girl|little boy) (?:s |is |are )?(?:in|at|go|goes|walk"
                r"|walks|plays|play)\b"
        ),
    ),
    (
        _gate("watching watched followed following clocked"),
        _W(
            r"\b(?:watching|watched|followed|following|clocked) (?:you|u|him|her|mr \w+|mrs \w+|miss"
                r"|sir) (?:leave|leaving"
            r"|walk|walking|go|going|park|parking|arrive|arriving|get|getting|drive|driving)\b"
        ),
    ),
    (
        _gate(
            "slap smack kicking hiding beating punch thump clip battering pasting leathering slapping whack hammering",
            "a an",
        ),
        _W(
            r"\b(?:give|giving|gives|deserves|needs|need|needed|deserve|wants|want|asking for|getting|get|gets|got)"
            r" (?:\w+ ){0,3}"
            r"(?:a|an) (?:good "
                r"|proper |real |right "
            r")?(?:slap|smack|kicking|hiding|beating|punch|thump|clip|battering|pasting|leathering|slapping"
                r"|whack|hammering)\b(?! on the wrist)"
        ),
    ),
    (
        _gate("doesn isn aren didn don", "your", " ".join(_FAMILY)),
        _W(
            r"\byour (?:kids|children|son|daughter|wife|husband|boy|girl|little ones|family) (?:go|goes"
                r"|walk|walks|play|plays"
            r"|attend|attends|live|lives|catch|catches|get|gets|finish|finishes)\b.*\b(?:don t|doesn t"
                r"|isn t|aren t|didn t"
            r") (?:they|he|she|it|you)\b"
        ),
    ),
    (
        _gate("seen watched clocked noticed followed know knows", "which what where when how"),
        _W(
            r"\b(?:i|we|they|ive|weve|i ve|we ve|they ve) (?:have |ve )?(?:seen|watched|clocked|noticed"
                r"|followed|know|knows)"
            r" (?:which way|what time|where|when|how) (?!(?:you|u) (?:can|could|should|might|may"
            r"|need) )(?:you|u|your \w+|he|she|his \w+|her \w+|the head"
                r"|the \w+ teacher|"
            r"mr \w+|mrs \w+|miss|sir)(?: \w+){0,2} (?:walk|walks|drive|drives|park|parks|parked|leave|"
            r"leaves|go|goes|live|lives|finish|finishes|sleep|sleeps)\b"
        ),
    ),
    (
        _gate("window wall door floor table fence", "through thru out"),
        _W(
            r"\b(?:put|throw|chuck|thrown|shove|smash|kick) (?:you|u|him|her|them|the \w+|that \w+|that \w+ \w+|"
            r"ur|your) (?:\w+ )?(?:through|thru|out of) (?:a|the|that|your|his|her) (?:\w+ )?(?:window|wall|door"
                r"|floor|table|fence)\b"
        ),
    ),
    (
        _gate("live lives"),
        _W(r"\b(?:street|road|house|estate|close|avenue|cul de sac|terrace|bungalow) (?:you|u|she"
        r"|he) (?:live|lives)"),
    ),
    (
        _gate("back careful", "if"),
        _W(r"\bi d (?:watch|mind) (?:my|his|her|their) back if i (?:was|were)\b"),
    ),
    (
        _gate("happens happen", "mess messes cross crosses touch touches upset upsets hurt hurts annoy"),
        _W(
            r"\bwhat happens (?:when|if) (?:you|u|people|anyone|someone) (?:mess|messes|cross|crosses|touch|touches|"
            r"upset|upsets|hurt|hurts|annoy)"
        ),
    ),
    (
        _gate("careful"),
        _W(
            r"\b(?:should|better|best|d|want to|wants to|needs to|ll want to|ought to) be (?:very |extra |really )?"
            r"careful (?:walking|driving|going|leaving|parking|getting)\b"
        ),
    ),
    (
        _gate("floor ground hospital wheelchair"),
        _W(
            r"\b(?:put|putting|knock|knocking|send|sending|leave|leaving) (?:you|u|him|her|them|the \w+|that \w+|"
            r"mr \w+|mrs \w+|miss|sir) (?:on|in|into|through) (?:the floor|the ground|hospital|a wheelchair|a e)\b"
        ),
    ),
    (
        _gate("smack slap punch kick thump whack clip", "mouth face head ear teeth gob jaw"),
        _W(
            r"\ba (?:smack|slap|punch|kick|thump|whack|clip) (?:in|round|across|to) the"
            r" (?:mouth|face|head|ear|teeth|gob|jaw)\b"
        ),
    ),
    (
        _gate("wait"),
        _W(r"\bjust you wait\b|\bwait (?:till|until|til|tll) i (?:see|get|catch|find) (?:you|u|him|her|ya)\b"),
    ),
    (
        _gate("insured glazed alarmed fireproof bulletproof"),
        _W(
            r"\b(?:your|ur|his|her|their) (?:\w+ )?(?:car|house|windows|home|tyres|van|motor) (?:is|are|s"
            r"|re) (?:\w+ )?"
            r"(?:insured|double glazed|alarmed|fireproof|bulletproof)\b"
        ),
    ),
    (
        _gate("teach", "lesson"),
        _W(
            r"\b(?:should|needs to|need to|ll|will|gonna|going to|wanna|want to|someone to) teach (?:you|u|him|her|"
            r"that \w+|the \w+|mr \w+|mrs \w+|miss|sir) a (?:\w+ )?lesson\b"
        ),
    ),
    (
        _gate(
            "know", "drive drives park parks live lives walk walks leave leaves", "think remember bear saying careful"
        ),
        _W(
            r"\b(?:i|we) know (?:you|u|he|she|mr \w+|mrs \w+|miss|sir|the head) (?:drive|drives|park|parks|live|lives"
            r"|walk|walks|leave|leaves)\b.*\b(?:think about (?:that|it)|remember that|bear (?:that|it) in mind|just "
            r"saying|be careful)\b"
        ),
    ),
    (
        _gate("happen happens", "who that like"),
        _W(r"\b(?:things|accidents|stuff|bad things) (?:happen|can happen|do happen) to (?:people|those"
        r"|teachers|anyone)"
           r" (?:who|that|like)\b"),
    ),
    (
        _gate("door doorstep house home", "find turn show"),
        _W(r"\b(?:find me|turn up|show up) (?:at|on|outside) your (?:front |back )?(?:door|doorstep|house|home)\b"
           r"|\bon your doorstep\b(?= (?:tonight|tomorrow|soon|one day|next))"),
    ),
    (
        _gate("hope", "never"),
        _W(r"\bbetter hope (?:i|we) (?:never|don t) (?:find|see|catch|meet|find out)\b"),
    ),
    (
        _gate("sort", "myself personally properly"),
        _W(r"\bsort (?:them|him|her|you|u|ya|the \w+|that \w+) out (?:myself|personally|properly)\b"),
    ),
    (
        _gate("past by round", "house home place flat"),
        _W(r"\b(?:drove|driven|walked|went|been|drive|driving|walking) (?:past|by|round) (?:your|ur|his|her) "
           r"(?:house|home|place|flat)\b"),
    ),
    (
        _gate("brave tough cocky smug mouthy gobby", "see", "how"),
        _W(r"\bsee how (?:brave|tough|cocky|smug|mouthy|gobby) (?:you are|you re|u are|he is|she is|he s|she s)\b"),
    ),
    (
        _gate("careful"),
        _W(r"\bcareful (?:who|what) (?:you|they|he|she|u) (?:upset|upsets|cross|crosses|mess with|say to|talk to|"
           r"annoy)\b"),
    ),
    (_gate("knock"), _W(r"\bknock (?:\w+ ){1,4}(?:teeth|head|block|lights|brains|spark|jaw|nose) (?:out|off|in)\b")),
    (_gate("make", "suffer pay bleed regret sorry"), _W(r"\bmake (?:you|u|ya|him|her) (?:suffer|pay|bleed"
        r"|regret it|sorry)\b")),
    (_gate("hunt track find"), _W(r"\b(?:hunt|track) (?:you|u|ya) down\b|\bfind (?:you|u|ya) and (?:i"
        r"|we) (?:ll|will)\b")),
    (
        _gate("over", "run ran"),
        _W(
            r"\b(?:ll|will|gonna|going to|should|must|wanna|want to|deserves to|needs to) (?:be )?(?:run"
                r"|ran) (?:you|u|him"
            r"|her|them|that \w+|the \w+|that \w+ \w+|the \w+ \w+) over\b"
        ),
    ),
    (
        _gate("visit"),
        _W(
            r"\b(?:ll|will|gonna|going to|shall) (?:be )?(?:paying|pay) (?:you|u|him|her|them|the \w+|mr \w+|mrs \w+|"
            r"miss|sir) (?:a )?(?:little |nice |quiet |friendly )?visit\b(?: \w+){0,3} (?:at home|at his"
                r"|at her|at your|"
            r"at their|home|house|tonight|soon)\b"
            r"|\b(?:ll|will|gonna|going to) (?:be )?(?:paying|pay) (?:you|u|ya) (?:a )?(?:little |nice "
                r"|quiet )?visit\b"
        ),
    ),
)
_THREAT_SHAPES += (
    # batch 5 (issue 14): the kinds a new writer used.
    # "I know people who'd sort Mr Davies out for fifty quid": violence by others, offered.
    (
        _gate("people lads lad guy mates blokes", "sort deal batter hurt visit do"),
        _W(
            r"\b(?:know|got|have) (?:some )?(?:people|lads|a lad|a guy|mates|blokes) (?:who d|who would|who ll|that d|"
            r"that would|who will|who can|that ll) (?:happily |gladly )?(?:sort|deal with|batter|hurt|visit|do)\b"
        ),
    ),
    # "the head should watch his back on the way to the car", "watch your back, sir".
    (
        _gate("back", "watch"),
        _W(
            r"\b(?:should|better|d better|best|wants to|needs to|ll want to|had better|want to) watch (?:his|her|"
            r"your|ur|their) back\b|^watch (?:your|ur) back\b|\bwatch (?:your|ur) back (?:sir|miss|mr|mrs|mate)\b"
        ),
    ),
    # "don't be surprised if your windows go in, sir": damage foretold to someone's things.
    (
        _gate("surprised", " ".join(sorted(_POSSESSIONS))),
        _W(
            r"\b(?:don t|dont|do not|wouldn t|wouldnt|won t|wont) be (?:too )?surprised if (?:your|ur|his|her|their) "
            r"(?:\w+ )?(?:" + "|".join(sorted(_POSSESSIONS)) + r")\b(?! (?:park|parking|space|share|boot|wash))"
        ),
    ),
    # "if my son gets one more detention someone is getting hurt": harm as the price of a condition.
    (
        _gate("hurt", "if"),
        _W(
            r"\bif (?:my \w+|he|she|that \w+|mr \w+|mrs \w+|miss|sir)\b(?: \w+){1,12} (?:someone|somebody|people|sum1)"
            r" (?:is|s|will|ll|gonna|is going to|s going to|are|re) (?:be )?(?:getting|get|gonna get) hurt\b"
        ),
    ),
    # "someone will give that deputy what he deserves": a punishment promised.
    (
        _gate("deserves deserve", "what"),
        _W(
            r"\b(?:will|ll|gonna|should|going to|needs to|need to|wanna|want to|someone|somebody|d) (?:\w+ )?"
            r"(?:give|giving|get|gets|getting) (?:him|her|them|you|u|that \w+|the \w+|mr \w+|mrs \w+|"
            r"miss|sir) what (?:he|she|they|you|u) (?:deserves|deserve|s got coming|has got coming)\b"
            r"(?! (?:a|an|the|some|more|his|her) (?:standing|round|big|huge|medal|award|prize|pay|rise|break|rest|"
            r"holiday|thank|thanks|cheer|clap|applause|recognition|praise|credit))"
        ),
    ),
    # "we know your missus works at Tesco", "I know the head's reg plate": their life is known.
    (
        _gate("know knows", "missus wife husband hubby partner reg registration plate plates"),
        _W(
            r"\b(?:i|we|they) (?:know|knows) (?:your|his|her|ur|the \w+ s) (?:missus|wife|husband|hubby|partner) "
            r"(?:works|work|drives|goes|walks|shops|drinks)\b"
            r"|\b(?:i|we|they) (?:know|knows|ve got|have got|got) (?:your|his|her|ur|the \w+ s) (?:reg|registration|"
            r"number plate|reg plate)\b"
        ),
    ),
    # "I'll be waiting outside the gates for that teacher": lying in wait for someone.
    (
        _gate("waiting", "for"),
        _W(
            r"\b(?:i ll|i will|we ll|we will|ill|il|i m|im|we re|i am|we are|gonna|going to) (?:be )?waiting"
            r"(?: \w+){0,4} for (?:you|u|ya|him|her|that \w+|mr \w+|mrs \w+|ms \w+|miss|sir|the (?:head|deputy|"
            r"\w+ teacher|teacher|ref|referee))\b"
        ),
    ),
    # "your dead when I find you": death or an end promised to the reader, not "you're dead right".
    (
        _gate("dead finished"),
        _W(
            r"\b(?:you re|youre|your|ur|you are|u r|u re|ya) (?:so |well |proper )?(?:dead|finished|done for)"
            r"(?: \w+){0,2} (?:when|if|once|after|mate|pal|lad|swear|tomorrow|tonight|monday)\b"
            r"|\b(?:you re|youre|your|ur|you are|u r|u re) (?:so |well |proper )?(?:dead|finished|done for)$"
        ),
    ),
    # "when I find you", "when we catch him": someone hunted.
    (
        _gate("catch find", "when"),
        _W(r"\bwhen (?:i|we) (?:find|catch) (?:you|u|ya|him|her|them|the (?:lad|kid|boy|girl|one) who)\b"),
    ),
    # "enjoy his teeth while he's still got them": a body or a car that will not last.
    (
        _gate("while", "enjoy"),
        _W(
            r"\benjoy (?:your|ur|his|her|their) (?:\w+ )?(?:teeth|legs|knees|kneecaps|face|nose|fingers|arms|car|"
            r"windows|house|looks) while (?:you|u|he|she|they|it|its|hes|shes|youre|theyre)\b"
        ),
    ),
    # "Interesting what you can find out about people online, Mr Bowen": being looked into.
    (
        _gate("dig find", "interesting amazing funny surprising scary", "about on"),
        _W(
            r"\b(?:interesting|amazing|funny|surprising|scary) (?:what|how much) (?:you|u|one|people|i|we) "
            r"(?:can |could )?(?:find out|dig up|find) (?:about|on)\b"
        ),
    ),
    # "Tell the head his little girl looks lovely": a message to staff about their child.
    (
        _gate("tell", " ".join(_FAMILY)),
        _W(
            r"\btell (?:the \w+|mr \w+|mrs \w+|ms \w+|miss|sir|him|her) (?:that )?(?:his|her|their) (?:little |lovely "
            r"|beautiful )?(?:girl|boy|daughter|son|kids|children|wife|husband|family|little one|little ones)\b"
        ),
    ),
    # "Noticed the black Qashqai is parked on the road tonight ... Brave.": a car watched, with an omen.
    (
        _gate("parked", "brave bold risky trusting careless"),
        _W(r"\b(?:noticed|spotted|saw|seen|clocked)\b(?: \w+){0,6} parked\b.*\b(?:brave|bold|risky|trusting|"
           r"careless)\b"),
    ),
    # "we no which house is urs": knowing whose house, car or street it is.
    (
        _gate("yours urs hers theirs", "know no kno knw knows"),
        _W(
            r"\b(?:i|we|they) (?:know|no|kno|knw|knows) (?:which|what|where) (?:house|car|street|road|door|flat|"
            r"motor|one)(?: \w+)? (?:is|s|belongs to) (?:yours|urs|hers|theirs)\b"
        ),
    ),
    # "Wouldn't want to be the one who wrote that report when my husband gets out": a reckoning to come.
    (
        _gate("wouldnt wouldn", "want"),
        _W(
            r"\bwouldn ?t want to be (?:you|u|him|her|them|the one|the (?:teacher|person|one) who)\b"
            r"(?! (?:either|too|tbh))"
        ),
    ),
    # "Funny how quick a fire spreads in them old prefab classrooms": harm foretold, by fire.
    (
        _gate("funny shame", "fire fires flames"),
        _W(r"\b(?:funny|shame) how (?:\w+ ){0,3}(?:fire|fires|flames) (?:spread|spreads|start|starts|catch|"
           r"catches|take|takes)\b"),
    ),
    # "Any pupil caught with a phone ... will be dropped in the canal 😂": harm promised to a person, as a joke.
    (
        _gate("dropped thrown chucked locked buried fed flushed", "in into to down off"),
        _W(
            r"\b(?:pupil|pupils|person|anyone|whoever|kids|children|you|student|students|staff|child|kid)\b"
            r"(?: \w+){0,10} (?:is|are|will be|ll be|gets|getting|get|be|going to be|gonna be) (?:dropped|thrown|"
            r"chucked|locked|buried|fed|flushed) (?:in|into|to|down|off) (?:the |a )?(?:canal|river|sea|lake|pond|"
            r"stock cupboard|cupboard|skip|dungeon|cellar|lions|sharks|wheelie bin|bin|basement|toilet)\b"
        ),
    ),
)
_THREAT_TRIGGERS = frozenset().union(*(gate[0] for gate, _ in _THREAT_SHAPES))
# Which shapes each trigger word opens: a text reads only the shapes its words can open.
_SHAPES_BY_TRIGGER: dict[str, tuple[int, ...]] = {
    word: tuple(i for i, (gate, _) in enumerate(_THREAT_SHAPES) if word in gate[0]) for word in _THREAT_TRIGGERS
}
_DREADFUL = _set("terrible awful shame pity unfortunate horrible")
# Others sent to a person, beside where to find them (a car, a reg plate, a street): "if anyone wants to say hello".
_WHERE_TO_FIND = _set("reg registration lives address drives")
_SENT_TO = re.compile(
    r"\b(?:if|for) anyone (?:who )?(?:wants?|fancies|wanna) (?:to )?(?:say hello|have a word|pay (?:him|her|"
    r"them) a visit|tell (?:him|her|them) what|give (?:him|her|them) a piece|go round|pop round|knock)\b"
)
_DREADFUL_IF = re.compile(r"\b(?:would|d|could) be (?:terrible|awful|a shame|a real shame|a pity"
r"|unfortunate|horrible) if\b")
_SOMEONES_OWN = re.compile(
    r"\b(?:your|ur|his|her) (?:lovely |nice |beautiful |little )?(?:family|kids|children|wife|husband|car|house|home"
    r"|windows)\b|\b(?:has|have|got) a (?:lovely|nice|beautiful) (?:family|house|home|car)\b"
)
_OMINOUS_OF_THINGS = _COMPLIMENT_OMINOUS | _DAMAGE | _DREADFUL

# Welsh.
_WELSH_YOU = _set("ti di chi dy eich")
_WELSH_HARM = welsh_forms("""
    lladd curo torri llosgi cicio malu dyrnu crogi trywanu tagu colbio waldio
""") | _set("dorra dorrai mriwo cweir gweir nghweir chweir crasfa grasfa nghrasfa chrasfa cic gic nghic")
# The verbs in the first person future, said of what they will do: "mi losga i ei gar o", "mi lladda i di".
_WELSH_HARM |= _set("llosga losga lladda ladda cura gura mala fala")
_WELSH_SPORT = _set("""
    tim dim gem gemau cwpan cynghrair sadwrn sul rygbi peldroed pel gol cais ceisiau sgorio twrnamaint buddugoliaeth
    rownd derfynol tymor chwarae chwaraewyr gwallt record recordiau ewinedd bara cacen amdani lwc bois gosb
    cosb cornel
""")
_WELSH_INSULT_NOUNS = welsh_forms("""
    mochyn moch buwch gwrach sinach hwch cnaf llipryn bwbach twpsyn twpsod ffwl ffyliaid llo lembo penbwl cachgi
    cachgwn diawl jolpen clown clowns clowniaid idiot idiotiaid celwyddgi cadno sgrwb asyn mwnci llabwst hulpyn
    diogyn gwalch ffwlbart snichyn
""")
_WELSH_INSULT_ADJECTIVES = welsh_forms("tew hyll ffiaidd budr drewllyd twp dwl diog hurt sur cas gwirion boncyrs")
# A Welsh person, and the adjectives that insult one when they follow the noun: "pennaeth anobeithiol", "hen ddyn
# sur" ("anobeithiol" of the car park is a complaint, and needs a person).
_WELSH_PEOPLE = welsh_forms("""
    athro athrawes athrawon pennaeth prifathro prifathrawes dirprwy llywodraethwyr rhieni dyn menyw ddynes
""")
_WELSH_PERSON_ADJECTIVES = _WELSH_INSULT_ADJECTIVES | welsh_forms("anobeithiol cythreulig hunanol")
# Said of a person anywhere in a short Welsh sentence ("rhieni sy'n parcio ...: hunanol a di-glem"), not of a thing.
_WELSH_STRONG_ADJECTIVES = welsh_forms("hunanol twp dwl diog hurt ffiaidd") | _set("glem")
# A beating ("crasfa", "cweir") given to someone: "rhoi crasfa iddo fe".
_WELSH_BEATINGS = _set("cweir gweir nghweir chweir crasfa grasfa nghrasfa chrasfa cic gic nghic")
_WELSH_THEM = _set("iddo iddi iddyn fe fo e hi nhw")
_WELSH_THEIR_THINGS = _set("gar nghar char dy dŷ thy")  # "ei gar o", "ei thŷ hi": their car, their house
_WELSH_LINK = _set("yw ydy ydi oedd")
_WELSH_BEFORE_INSULT = _set("hen y yr ti chi n yn")
_WELSH_SPECIAL = re.compile(
    r"\b(?:ti|chi|e|hi|fe|fo|nhw|athro|athrawes|athrawon|pennaeth|prifathro|dirprwy|rhieni) (?:n|yn|yw|ydy|ydi)"
    r" (?:\w+ ){0,2}(?:da|dda) i ddim\b|\bpen (?:dafad|rwdan|maharen|bwced)\b"
    r"|\bgwylia(?:wch)? (?:di |chi )?(?:dy|eich) (?:hun|hunain|cefn)\b|\bedrych dros dy (?:ysgwydd|sgwydd)\b"
    r"|\b(?:siwr|sicr) (?:bod|fod|dy fod|eich bod) (?:ti|chi) n (?:difaru|edifar)\b"
    r"|\b(?:bydd|fydd) hi n (?:ddrwg|ddrwg iawn) (?:arnat ti|arnoch chi|arnat|arnoch)\b"
    r"|\baros (?:di|chi) (?:tan|nes)\b|\b(?:hollol|cwbl) (?:da|dda) i ddim\b"
    r"|\b(?:gei|cei|gewch|cewch) (?:di|chi) weld (?:be|beth) (?:sy n|fydd yn) digwydd\b"
    r"|\bgwybod (?:pa|ble mae|lle mae) (?:dy|ty|gar|car|stryd|heol|ysgol) (?:\w+ )?(?:ti|chi|di|dy|eich|sy n)\b"
    # batch 5: "dwi'n gwbod lle ti'n byw", "gwbod ble mae dy wraig di'n gweithio" (spoken spellings of "gwybod");
    # "gwylia di dy gar"; "biti os bydd rhywbeth yn digwydd iddo fe"
    r"|\b(?:gwybod|gwbod|wybod|wbod) (?:pa|ble|lle) (?:mae |ma |r )?(?:dy|ti|chi|eich|di)\b"
    r"|\bgwylia(?:wch)? (?:di |chi )?(?:dy|eich) (?:gar|car|plant|ty|wraig|wr|gwr|merch|mab|teulu)\b"
    r"|\b(?:biti|trueni|piti|bechod) (?:os|pe|tase|tasai) (?:\w+ ){0,3}(?:rhywbeth|rhwbeth|unrhyw beth)\b"
    r"|\b(?:be|beth) (?:sy n|sydd yn|fydd yn|sy) digwydd i (?:bobl|pobl|rai) (?:sy n|sydd|sy|fel)\b"
    r"|\b(?:athro|athrawes|pennaeth|prifathro|dirprwy|athrawon) (?:gwaetha|gwaethaf)(?: r| yn y)? byd\b"
    r"|\b(?:byddi|fyddi|byddwch|fyddwch) (?:di|chi) n (?:difaru|edifar)\b|\b(?:n|yn) (?:\w+ ){0,2}(?:ddi|di) glem\b"
)

# Spam: the kinds of cue; two kinds make spam.
_SPAM_INVESTMENT = re.compile(
    r"\b(?:forex|crypto|bitcoin|btc|trading signals|signals|investment|investing)\b"
    r"|\bchanged my life\b|\bi was sceptical\b|\bthanks to (?:mr|mrs|ms|miss|dr) \w+"
)
_SPAM_RECOVERY = re.compile(
    r"\b(?:got (?:it|my money|everything|all my money) (?:all )?back|recover(?:ed|y)? (?:my|your|lost|all)"
    r"|scammed|hacked account|account recovery|recovery expert|funds recovered|was scammed)\b"
)
_SPAM_MONEY = re.compile(
    r"\b(?:enillwch|ennill) (?:\d+|arian)\b|\bo (?:adref|adre|gartref)\b"
    r"|\b(?:make|made|making|earn|earned|earning) (?:money|cash|\d+ a day|\d+ per day|\d+ a week)"
    r"|\bmoney online\b|\bfrom home\b|\bno experience (?:needed|required)\b|\bpassive income\b"
    r"|\bdouble your (?:money|income)\b|\bfinancial freedom\b|\b(?:a|per) (?:day|week) (?:from|working)\b"
    r"|\bside hustle\b"
)
# A miracle product, or a hook to answer at once: "lost 2 stone in 3 weeks", "keto gummies", "5 mins a day",
# "comment YES", "only 50 left", "bad credit".
_SPAM_HOOK = re.compile(
    r"\blost \d+ ?(?:stone|st|lbs|pounds|kg|kilos) in\b|\bketo\b|\bgumm(?:y|ies)\b|\b\d+ mins? a day\b"
    r"|\bcomment (?:yes|info|interested|me|below|now)\b|\bonly \d+ left\b|\blimited stock\b|\bbad credit\b"
    r"|\bsame day\b.*\bloan|\bloan.*\bsame day\b"
)
_SPAM_LINK = re.compile(
    r"\blink in (?:my )?bio\b|\bcheck (?:my|out my) (?:page|profile|bio|account)\b|\btinyurl\b|\bbit ly\b"
    r"|\bclick (?:here|the link|this link|my link)\b"
)
_SPAM_GIVEAWAY = re.compile(
    r"\bgift ?cards?\b|\bfree (?:iphone|ipad|amazon|gift|vouchers?|followers|money|cash)\b|\bgiveaway\b"
    r"|\byou ve (?:won|been selected)\b|\bclaim (?:your|it|now|here)\b"
)
_SPAM_LOAN = re.compile(
    r"\b(?:need|needs|get) a loan\b|\bloans? (?:fast|today|available|approved|in minutes)\b"
    r"|\bno credit checks?\b|\bcredit score\b|\b(?:earn|make) \d+ (?:daily|a day|weekly)\b"
)
_SPAM_CONTACT = re.compile(
    r"\b(?:whatsapp|telegram|signal me|dm (?:me|us)|inbox (?:me|us)|message (?:me|us|him|her|them)"
    r"|contact (?:him|her|them|me)|reach (?:out to )?(?:him|her|them)|text \w+ to \d+)\b"
)
_SPAM_TONE = re.compile(
    r"\b(?:hello|hi) dear\b|\bkindly\b|\binterested in your (?:account|page|profile)\b"
    r"|\bthanks to @?\w+ (?:on|via) (?:instagram|facebook|telegram|whatsapp)\b|\bpromo\b|\bmore followers\b"
)
_SPAM_KINDS = (
    _SPAM_INVESTMENT, _SPAM_RECOVERY, _SPAM_MONEY, _SPAM_LINK, _SPAM_GIVEAWAY, _SPAM_LOAN, _SPAM_CONTACT, _SPAM_TONE,
    _SPAM_HOOK,
)
# Kinds beside which an address to go to ("prize-uk.net") is a second kind.
_SPAM_WITH_ADDRESS = (_SPAM_MONEY, _SPAM_GIVEAWAY, _SPAM_LOAN, _SPAM_INVESTMENT)
# Phishing in the platform's name: on a school's page, always a scam.
_PHISHING = re.compile(
    r"\bviolat\w* (?:our|the) (?:community|terms)|\bcommunity (?:standards|guidelines)\b.*\b(?:verify|confirm|appeal"
    r"|click|link)\b|\bverify your (?:account|page|identity)\b|\b(?:account|page) (?:will be|has been|is being) "
    r"(?:suspended|disabled|deleted|restricted|unpublished|removed)\b|\bcopyright (?:infringement|violation)\b"
    r"|\bwho (?:viewed|visited|looked at|stalks|stalked) your (?:profile|page|account)\b"
)
_ADDRESS = re.compile(r"\b[\w-]+\.(?:com|net|org|co\.uk|xyz|info|online|site|top|shop|store|link|click|io"
r"|ly)\b", re.I)
_SPAM_HANDLE = re.compile(r"@\w*(?:hack|recover|invest|crypto|forex|fx|trade|trading|profit|earn)\w*", re.IGNORECASE)
# fmt: on

# What each rule needs in the text before it is worth running.
_SIMILE_ADJECTIVES = _INSULT_ADJECTIVE_CORE | _set("""
    useful much helpful effective sharp bright clever smart intelligent competent organised reliable quick welcoming
    approachable
""")


def _may_insult(cues: frozenset[str], vocabulary: frozenset[str]) -> bool:
    """Whether any insult shape of `_insults` could be in a text with these trigger words (`cues`) and words."""
    return (
        not cues.isdisjoint(INSULT_NOUNS)
        or ("face" in cues and "like" in vocabulary)
        or ("old" in vocabulary and not cues.isdisjoint(_OLD_INSULTS))
        or ("of" in vocabulary and not cues.isdisjoint(_SIMILE_SUBJECTS))
        or (not cues.isdisjoint(_HUMAN_NOUNS) and not vocabulary.isdisjoint(_STRONG_ADJECTIVES))
        or ("as" in vocabulary and not cues.isdisjoint(_SIMILE_ADJECTIVES))
        or "waste" in cues
        or not cues.isdisjoint(_SCORN_SUPERLATIVES)
        or ("state" in cues and "of" in vocabulary)
        or ("than" in vocabulary and not cues.isdisjoint(_BRIGHT))
        or ("most" in vocabulary and not vocabulary.isdisjoint(_STRONG_ADJECTIVES))
        or ("lot" in vocabulary and "you" in vocabulary and not cues.isdisjoint(INSULT_NOUNS))
    )


_DRESSES = _set("dress dresses skirt skirts")
_HATE_TRIGGERS = (
    GROUPS
    | _DRESSES
    | _set("send gay fairy speak ship deport boot pride rainbow fel wlad gwlad asked christian british white")
)
_HATE_ALONE = _set(
    "send speak ship deport boot filth grooming brainwashing indoctrination fel wlad gwlad asked christian british"
    " white dress dresses skirt skirts"
)  # "send them all back", "can't even speak the language": no other word needed
_GO_BACK_TRIGGERS = _set("""
    england wales poland romania pakistan africa india china syria afghanistan bulgaria lithuania albania own
    country where bridge
""")
# Spam needs two kinds of cue, or phishing: one of these rarer words is in any spam the shapes can find.
_SPAM_TRIGGERS = _set("""
    recover recovered recovery scam scammed hacked hacker hackers money experience passive financial bio tinyurl bit
    click gift giftcard giftcards whatsapp telegram dm inbox kindly dear promo followers giveaway claim violated
    violates violation verify copyright suspended bitcoin crypto forex earn earned earning income iphone loan loans
    selected viewed visited stalks stalked enillwch signals sceptical hustle keto gummies gummy mins stone lbs
""")
_INNUENDO_TRIGGERS = _set("""
    any anytime whenever single goer pair rack behind wouldn teach teaching developed smash bang rail ruin wife
    material taken id
""")
_RATINGS = _set("ten dime")
_WELSH_SPECIAL_TRIGGERS = _set(
    "ddim pen gwylia gwyliwch edrych siwr sicr byddi fyddi byddwch fyddwch glem arnat arnoch aros byd weld gwybod"
    " gwbod wybod wbod biti trueni piti bechod digwydd"
)
_WELSH_TRIGGERS = _WELSH_SPECIAL_TRIGGERS | _WELSH_HARM | _WELSH_INSULT_NOUNS | _WELSH_PERSON_ADJECTIVES
_BACK_HOME_OFF = _set("back home off")
# A word of contempt or of exclusion, one of which every group rule of `_hate` needs.
_CONTEMPT_OR_EXCLUSION = (
    _STRONG_CONTEMPT
    | _NEAR_CONTEMPT
    | _set("""
        shouldn shouldnt mustnt should mustn mix mixing drag drags dragging slow slows slowing hold holds holding keep
        kept welcome
        belong ewch cer cerwch mynd dead forcing forced throats sick fed tired explains explain agenda fairy get kick
        throw wrong unnatural perverted perverts grooming gross disgrace snobs bigots liars cowards idiots morons
        leeches rats peasants inbreds hypocrites pigs causing cause causes bring brings bringing gets getting given
        fynd cymryd gymryd dwyn taking stealing nicking take steal takes steals downhill filled drain burden
        handed coming flooding pouring moving flocking asked jog country go clear lock hide watch guard it
        without language cael gael pushing push pushed ramming shoving forcing difetha ddifetha dinistrio
        ddinistrio sbwylio wonder ddylai dylai dylen ddylen dylsen ddylsen only nick nicks steal steals rob robs
        pinch pinches take takes rip ours
    """)
    | _KEPT_OUT_OF
)
# Every rule's own trigger words; the words a rule needs beside its trigger ("old" for "old bag") are looked up in
# the text's whole vocabulary once the trigger is there.
_TRIGGERS = (
    INSULT_NOUNS
    | _OLD_INSULTS
    | _SIMILE_SUBJECTS
    | _HUMAN_NOUNS
    | _SIMILE_ADJECTIVES
    | {"waste", "state", "most", "face"}
    | _BRIGHT
    | _SCORN_SUPERLATIVES
    | _HATE_TRIGGERS
    | _GO_BACK_TRIGGERS
    | _INNUENDO_TRIGGERS
    | _RATINGS
    | _THREAT_TRIGGERS
    | _OMINOUS_OF_THINGS
    | {"anyone"}
    | _WELSH_TRIGGERS
    | _SPAM_TRIGGERS
    | _INNUENDO_CUES
)
_HATE_PARTNERS = _CONTEMPT_OR_EXCLUSION | _HATE_ALONE


def find(words: Sequence[str], text: str, vocabulary: frozenset[str]) -> list[Hit]:
    """Every shape above in the text: `words` are the tokens' canonical spellings (class codes as written)."""
    # One intersection with every rule's triggers: most posts meet none, and the rules below ask the small result.
    # Three shapes are made of common words, and are asked for by cheaper means than a trigger word.
    can_get_it = "can" in vocabulary and "it" in vocabulary and ("get" in vocabulary or "have" in vocabulary)
    rated = ("10" in vocabulary or "11" in vocabulary) and _rated(words)  # "she's a 10"
    closing_see = bool(words) and words[-1] == "see"  # "you'll see." closing a comment
    emoji = not text.isascii()
    duck = emoji and _DUCK in text  # "who the 🦆": a mask for the word it rhymes with
    poo = emoji and _POO in text  # "a pile of 💩": the word it stands for
    if vocabulary.isdisjoint(_TRIGGERS) and not can_get_it and not rated and not closing_see and not duck and not poo:
        return []
    cues = vocabulary & _TRIGGERS
    # A flirting emoji matters only beside a cue of innuendo ("detention", "private", ...).
    flirt = not cues.isdisjoint(_INNUENDO_CUES) and not text.isascii() and _FLIRTING.search(text) is not None
    if not flirt and emoji and _HEART_EYES in text and not cues.isdisjoint(_STRONG_INNUENDO_CUES):
        flirt = True  # "a proper fox 😍 any chance of a private lesson"
    hits: list[Hit] = []
    line = _Line(words)
    if _may_insult(cues, vocabulary):
        hits += _insults(words)
    if (not cues.isdisjoint(_HATE_TRIGGERS) and not vocabulary.isdisjoint(_HATE_PARTNERS)) or (
        not cues.isdisjoint(_GO_BACK_TRIGGERS) and not vocabulary.isdisjoint(_BACK_HOME_OFF)
    ):
        hits += _hate(words, line, vocabulary)
    if flirt or can_get_it or rated or not cues.isdisjoint(_INNUENDO_TRIGGERS) or not cues.isdisjoint(_RATINGS):
        hits += _innuendo(words, line, flirt, cues, can_get_it, rated)
    see = _YOULL_SEE.search(line.text) if closing_see else None
    if see:
        hits.append(line.hit(see, "threat"))
    elif (
        not cues.isdisjoint(_THREAT_TRIGGERS)
        or (not cues.isdisjoint(_OMINOUS_OF_THINGS) and not vocabulary.isdisjoint(_POSSESSIONS))
        or ("anyone" in cues and not vocabulary.isdisjoint(_WHERE_TO_FIND))
    ):
        hits += _threats(line, vocabulary)
    if not cues.isdisjoint(_WELSH_TRIGGERS):
        hits += _welsh(words, line)
    if not cues.isdisjoint(_SPAM_TRIGGERS):
        hits += _spam(line, text)
    if poo:
        m = _POO_AS_WORD.search(text)
        if m:
            k = len(text[: m.start()].split()) - 1
            hits.append(
                (
                    max(0, min(k, len(words) - 1)),
                    max(0, min(k, len(words) - 1)),
                    "profanity",
                    f"{m.group(1).lower()} {_POO}",
                )
            )
    if emoji and not cues.isdisjoint(GROUPS) and any(e in text for e in _LAUGHING):
        hits += _laughed_at_for_their_people(words, text)
    if duck and _WHAT_THE_DUCK.search(text):
        i = next((i for i in range(len(words) - 1) if words[i] in _WH and words[i + 1] == "the"), None)
        if i is not None:
            hits.append((i, i + 1, "profanity", f"{words[i]} the {_DUCK}"))
    return hits


class _Line:
    """The words joined by single spaces: a regular expression's match over the line is mapped back to the tokens
    it covers (where each word starts is worked out only for a match)."""

    def __init__(self, words: Sequence[str]) -> None:
        self.words = words

    @functools.cached_property
    def text(self) -> str:
        return " ".join(self.words)

    def hit(self, m: re.Match[str], category: str) -> Hit:
        starts = list(itertools.accumulate((len(w) + 1 for w in self.words[:-1]), initial=0))
        first = bisect.bisect_right(starts, m.start()) - 1
        last = bisect.bisect_right(starts, max(m.start(), m.end() - 1)) - 1
        first, last = max(0, first), max(0, last)
        return (first, last, category, " ".join(self.words[first : last + 1]))  # whole words, as the span quotes


def is_person(words: Sequence[str], i: int) -> bool:
    word = words[i]
    if i > 0 and words[i - 1] in ("year", "yr", "blwyddyn") and word[:1].isdigit():
        return True  # "the year 7s", "Year 10"
    return word in PEOPLE or word in _YOU or (i > 0 and words[i - 1] in _HONORIFICS and word.isalpha())


def _insults(words: Sequence[str]) -> list[Hit]:
    """Insults as noun phrases: to a person ("you spineless worm"), of one ("this clown of a deputy"), "miserable old
    bag", similes ("the brains of a goldfish", "as dim as the new head"), "a complete waste of oxygen"."""
    n = len(words)
    for j, word in enumerate(words):
        # "you [adjectives] worm": the insult said to a person.
        if word in _VOCATIVE_NOUNS:
            i = j - 1
            while i >= 0 and j - i <= 4 and words[i] in INSULT_ADJECTIVES:
                i -= 1
            if i >= 0 and words[i] in _YOU:
                return [(i, j, "mockery", " ".join(words[i : j + 1]))]
            # "what a clown" (but "what a joke" is said of letters and car parks: not a vocative noun)
            if j > 1 and words[j - 2] == "what" and words[j - 1] in ("a", "an"):
                return [(j - 2, j, "mockery", " ".join(words[j - 2 : j + 1]))]
        # "you selfish cow": a noun that is also a farm animal or a complaint, with an insult between.
        if word in COMPLAINT_NOUNS and j > 1 and words[j - 1] in INSULT_ADJECTIVES:
            i = j - 1
            while i >= 0 and j - i <= 4 and words[i] in INSULT_ADJECTIVES:
                i -= 1
            if i >= 0 and words[i] in _YOU:
                return [(i, j, "mockery", " ".join(words[i : j + 1]))]
        # "[insult] of a [person]": "clown of a deputy", "joke of a headteacher", "excuse of a man".
        if word in INSULT_NOUNS and j + 3 < n and words[j + 1] == "of" and words[j + 2] in ("a", "an"):
            k = j + 3
            while k < n - 1 and k - j <= 5 and words[k] in INSULT_ADJECTIVES:
                k += 1
            if is_person(words, k) or words[k] in _HUMAN_NOUNS:
                return [(j, k, "mockery", " ".join(words[j : k + 1]))]
        # "miserable old bag": an insult after "old".
        if word in _OLD_INSULTS and j > 0 and words[j - 1] == "old":
            start = j - 2 if j > 1 and words[j - 2] in INSULT_ADJECTIVES | _INSULT_ADJECTIVE_CORE else j - 1
            return [(start, j, "mockery", " ".join(words[start : j + 1]))]
        # "a face like a bulldog chewing a wasp": only when a person is in the text ("face like thunder" is a mood).
        if (
            word == "face"
            and j + 2 < n
            and words[j + 1] == "like"
            and words[j + 2] in ("a", "an")
            and (j + 3 >= n or words[j + 3] not in _FOND_FACES)
            and any(is_person(words, k) or words[k] in _THIRD_PERSON for k in range(n))
        ):
            return [(j, j + 2, "mockery", " ".join(words[j : j + 4]))]
        # "the brains of a goldfish": only when a person is in the text.
        if (
            word in _SIMILE_SUBJECTS
            and j + 3 < n
            and words[j + 1] == "of"
            and words[j + 2] in ("a", "an")
            and any(is_person(words, k) for k in range(n))
        ):
            return [(j, j + 3, "mockery", " ".join(words[j : j + 4]))]
        # "as dim as the new head": a person in the comparison.
        if word == "as" and j + 3 < n and words[j + 1] in _INSULT_ADJECTIVE_CORE and words[j + 2] == "as":
            for k in range(j + 3, min(n, j + 7)):
                if is_person(words, k):
                    return [(j, k, "mockery", " ".join(words[j : k + 1]))]
        if word == "as" and any(is_person(words, k) for k in range(max(0, j - 6), j)):
            m = _SARCASTIC_SIMILE.match(" ".join(words[j : j + 6]))
            if m:
                return [(j, j + len(m.group(0).split()) - 1, "mockery", m.group(0))]
        # "a bitter old woman", "you pathetic little man": said of or to a person.
        if word in _HUMAN_NOUNS and j > 1:
            i = j - 1
            while i >= 0 and j - i <= 4 and words[i] in INSULT_ADJECTIVES:
                i -= 1
            adjectives = words[i + 1 : j]
            if adjectives and not _STRONG_ADJECTIVES.isdisjoint(adjectives):
                k = i - 1 if i >= 0 and words[i] in ("a", "an") else i
                said_of = k >= 1 and words[k] in _LINKING and any(is_person(words, p) for p in range(max(0, k - 5), k))
                if said_of or (i >= 0 and words[i] in _YOU):
                    return [(i + 1, j, "mockery", " ".join(words[i + 1 : j + 1]))]
        # "the worst head this school has ever had": a superlative of scorn said of a person.
        if word in _SCORN_SUPERLATIVES and j + 1 < n:
            k = j + 2 if j + 2 < n and words[j + 1] in _SUBJECT_WORDS else j + 1
            if k < n and is_person(words, k) and not (k + 1 < n and words[k + 1] in _THING_AFTER_PERSON):
                return [(j, k, "mockery", " ".join(words[j : k + 1]))]
        # "the state of the new deputy": mocking a person's looks.
        if word == "state" and j > 0 and words[j - 1] == "the" and j + 1 < n and words[j + 1] == "of":
            for k in range(j + 2, min(n, j + 5)):
                if is_person(words, k) and not (k + 1 < n and words[k + 1] in _THING_AFTER_PERSON):
                    return [(j - 1, k, "mockery", " ".join(words[j - 1 : k + 1]))]
        # "more intelligent house plants than the woman who runs the office": a comparison that belittles a person.
        if word == "than" and j > 1 and any(w in _BRIGHT for w in words[max(0, j - 5) : j]):
            for k in range(j + 1, min(n, j + 4)):
                if is_person(words, k):
                    return [(j, k, "mockery", " ".join(words[max(0, j - 5) : k + 1]))]
        # "school's full of scroungers", "a bunch of snakes": people called by an insulting noun, in the plural.
        if (
            word in _VOCATIVE_NOUNS
            and word.endswith("s")
            and j > 1
            and (
                (words[j - 1] == "of" and words[j - 2] in _COLLECTIVES)
                or (j > 2 and words[j - 2] == "of" and words[j - 3] in _COLLECTIVES)
            )
        ):
            start = j - 2 if words[j - 1] == "of" else j - 3
            return [(start, j, "mockery", " ".join(words[start : j + 1]))]
        # "Cowards, the lot of you": an insult said to everyone addressed.
        if word in INSULT_NOUNS and words[j + 1 : j + 5] in (
            ["the", "lot", "of", "you"],
            ["every", "one", "of", "you"],
        ):
            return [(j, j + 4, "mockery", " ".join(words[j : j + 5]))]
        # "the most spineless, gutless management team": a superlative of scorn, with "most".
        if word == "most" and j + 1 < n and words[j + 1] in _STRONG_ADJECTIVES:
            for k in range(j + 2, min(n, j + 6)):
                if is_person(words, k) or words[k] in _set("team lot bunch"):
                    return [(j, k, "mockery", " ".join(words[j : k + 1]))]
        # "is a complete waste of oxygen": of a person (the subject before a linking verb).
        if word == "waste" and j + 2 < n and words[j + 1] == "of" and words[j + 2] in _set("oxygen space skin air"):
            return [(j, j + 2, "mockery", " ".join(words[j : j + 3]))]
    return []


def _laughed_at_for_their_people(words: Sequence[str], text: str) -> list[Hit]:
    """A people's name said of a person or a family, in a text that laughs: "chinese kid in 8T probably ate the class
    hamster 😂". ("Our Polish families' food stall 😍" does not laugh; "English kids" in a lesson is a subject; a text
    that also praises or shows love, "The Polish kids made amazing pierogi 😂❤️", laughs with them, not at them.)"""
    if any(e in text for e in _WARM_EMOJI) or not _PRAISE.isdisjoint(words):
        return []
    for i in range(len(words) - 1):
        if _is_group(words, i) and words[i + 1] in _GROUP_PERSON:
            return [(i, i + 1, "hate", f"{words[i]} {words[i + 1]} (laughed at)")]
    return []


_TRAVELLING_TO = _set("to from heading going bound")


def _is_group(words: Sequence[str], i: int) -> bool:
    word = words[i]
    if word not in GROUPS:
        return False
    if word in _SUBJECT_GROUPS and i + 1 < len(words) and words[i + 1] in _SUBJECT_NEXT:
        return False  # "English homework", "Welsh lesson": a subject, not a people
    if word == "needs":
        return i > 0 and words[i - 1] == "special"
    if word in ("travellers", "traveller") and i + 1 < len(words) and words[i + 1] in _TRAVELLING_TO:
        return False  # "Travellers to the Eisteddfod": people on a journey
    if word in ("mums", "dads", "mams"):
        return i > 0 and words[i - 1] == "two"  # same-sex parents
    return True


def _hate(words: Sequence[str], line: _Line, vocabulary: frozenset[str]) -> list[Hit]:
    """A group with strong contempt in the sentence, weak contempt beside it, or exclusion: "overrun by foreigners",
    "Saeson diog", "Muslims shouldn't be allowed ...", "send them all back", "go back to England"."""
    text = line.text
    if "fel" in vocabulary or "wlad" in vocabulary or "gwlad" in vocabulary:
        m = _WELSH_GO_BACK.search(text)
        if m:
            return [line.hit(m, "hate")]
    if not vocabulary.isdisjoint(_SEND_OR_GO) and not vocabulary.isdisjoint(_BACK_HOME_OFF):
        for back in _GO_BACK.finditer(text):
            before = text[: back.start()].split()[-1:]
            if not before or before[0] not in _OURSELVES:
                return [line.hit(back, "hate")]  # said to or of others, not "we go back to England on Saturday"
    unwelcome = _UNWELCOME.search(text) if not vocabulary.isdisjoint(_UNWELCOME_TRIGGERS) else None
    if unwelcome:
        return [line.hit(unwelcome, "hate")]
    speak = _CANT_SPEAK.search(text) if "speak" in vocabulary else None
    if speak:
        return [line.hit(speak, "hate")]
    if vocabulary.isdisjoint(_CONTEMPT_OR_EXCLUSION):
        return []
    if not vocabulary.isdisjoint(_PRIDE) and not vocabulary.isdisjoint(_PRIDE_CONTEMPT):
        k = next(i for i, w in enumerate(words) if w in _PRIDE_CONTEMPT)
        return [(k, k, "hate", words[k])]  # "Pride flag on the school page? Keep that filth away from our children."
    dressed = _MAN_IN_A_DRESS.search(text) if not vocabulary.isdisjoint(_DRESSES) else None
    if dressed and not vocabulary.isdisjoint(_QUEER_CONTEMPT | _KEPT_OUT_OF | {"normal", "natural"}):
        return [line.hit(dressed, "hate")]  # "a man in a dress reading to our kids is not normal" (a panto dame is not)
    if "gay" in words or "fairy" in words:
        g = re.search(
            r"\b(?:gay|lgbt|lgbtq|trans|woke) agenda\b|\b(?:bit of a|right|proper|such a|total) fairy\b"
            r"(?! (?:godmother|tale|tales|lights|cake|cakes|costume|wings|dust|door|garden))",
            text,
        )
        if g:
            return [line.hit(g, "hate")]
    groups = [i for i in range(len(words)) if _is_group(words, i)]
    if not groups:
        return []
    for i in groups:
        for k in range(max(0, i - 3), min(len(words), i + 15)):
            if (
                words[k] in _STRONG_CONTEMPT
                or words[k] in _GROUP_INSULTS
                or (words[i] in _QUEER_GROUPS and words[k] in _QUEER_CONTEMPT)
            ):
                first, last = min(i, k), max(i, k)
                return [(first, last, "hate", " ".join(words[first : last + 1]))]
        for k in (i - 2, i - 1, i + 1, i + 2):
            if 0 <= k < len(words) and words[k] in _NEAR_CONTEMPT:
                first, last = min(i, k), max(i, k)
                return [(first, last, "hate", " ".join(words[first : last + 1]))]
    m = _EXCLUSION.search(text)
    if m:
        hit = line.hit(m, "hate")
        if m.group().startswith("the only "):
            # "the only English one in his class" is exclusion beside another people named ("full of immigrants");
            # alone, "the only Welsh family on the trip" is a fact.
            groups = [i for i in groups if not hit[0] <= i <= hit[1]]
        if any(abs(i - hit[0]) <= 20 for i in groups):
            first = min(min(groups, key=lambda i: abs(i - hit[0])), hit[0])
            return [(first, hit[1], "hate", " ".join(words[first : hit[1] + 1]))]
    return []


def _rated(words: Sequence[str]) -> bool:
    """ "is a 10": a person rated by a number (as "a ten" is, by its word). "Year 10" is in most posts that have a
    "10", so the numbers are found by `list.index`, not by reading every word."""
    as_list = list(words)
    for number in ("10", "11"):
        i = 0
        while True:
            try:
                i = as_list.index(number, i + 1)
            except ValueError:
                break
            if as_list[i - 1] in ("a", "an"):
                return True
    return False


def _innuendo(
    words: Sequence[str], line: _Line, emoji: bool, vocabulary: frozenset[str], can_get_it: bool, rated: bool
) -> list[Hit]:
    """Innuendo aimed at a person: a phrase that says it ("is Miss single?", "can give me detention any day"), or a
    flirting emoji with a person and a cue ("a private lesson with the new PE teacher 😏")."""
    m = _INNUENDO.search(line.text) if can_get_it or not vocabulary.isdisjoint(_INNUENDO_TRIGGERS) else None
    if m:
        return [line.hit(m, "sexual")]
    m = _RATING.search(line.text) if rated or not vocabulary.isdisjoint(_RATINGS) else None
    cue = next((k for k, w in enumerate(words) if w in _INNUENDO_CUES), None) if emoji else None
    if (m or cue is not None) and any(is_person(words, i) or words[i] in _THIRD_PERSON for i in range(len(words))):
        if m:
            return [line.hit(m, "sexual")]
        if cue is not None:
            return [(cue, cue, "sexual", f"{words[cue]} (with a flirting emoji)")]
    return []


def _threats(line: _Line, vocabulary: frozenset[str]) -> list[Hit]:
    """Implicit threats and direct ones by their shape (see the module docstring)."""
    text = line.text
    opened = sorted({i for word in vocabulary & _THREAT_TRIGGERS for i in _SHAPES_BY_TRIGGER[word]})
    for gate, shape in (_THREAT_SHAPES[i] for i in opened):
        if all(not vocabulary.isdisjoint(words) for words in gate[1:]):
            m = shape.search(text)
            if m:
                return [line.hit(m, "threat")]
    if "anyone" in vocabulary and not vocabulary.isdisjoint(_WHERE_TO_FIND):
        # "the deputy drives a red fiesta, reg starts CU19, if anyone wants to say hello": others sent to a person
        m = _SENT_TO.search(text)
        if m:
            return [line.hit(m, "threat")]
    if "careful" in vocabulary and vocabulary.isdisjoint(_SAFETY_WORDS):
        # "Be careful walking home, Miss. Just saying." with no ice, dark or traffic to be careful of
        m = _CAREFUL.search(text)
        if m:
            return [line.hit(m, "threat")]
    if vocabulary.isdisjoint(_POSSESSIONS):
        return []
    m = _COMPLIMENT.search(text) if not vocabulary.isdisjoint(_COMPLIMENT_OMINOUS) else None
    if m:
        return [line.hit(m, "threat")]
    if not vocabulary.isdisjoint(_DREADFUL):
        m = _DREADFUL_IF.search(text)
        if m and _SOMEONES_OWN.search(text):
            return [line.hit(m, "threat")]  # "the head has a lovely family; it would be terrible if ..."
    if not vocabulary.isdisjoint(_DAMAGE):
        m = _OMEN.search(text)
        if m:
            return [line.hit(m, "threat")]
    return []


def _welsh(words: Sequence[str], line: _Line) -> list[Hit]:
    """Welsh threats (a harm verb or a beating beside "ti", "chi", "dy", "eich") and insults in Welsh order."""
    vocabulary = set(words)
    m = _WELSH_SPECIAL.search(line.text) if not vocabulary.isdisjoint(_WELSH_SPECIAL_TRIGGERS) else None
    if m:
        mocking = m.group(0).endswith(("ddim", "glem", "byd")) or m.group(0).startswith("pen")
        category = "mockery" if mocking else "threat"
        return [line.hit(m, category)]
    n = len(words)
    for j, word in enumerate(words):
        if word in _WELSH_PEOPLE and j + 1 < n and words[j + 1] in _WELSH_PERSON_ADJECTIVES:
            return [(j, j + 1, "mockery", " ".join(words[j : j + 2]))]  # "pennaeth anobeithiol", "ddyn sur"
        if word in _WELSH_PEOPLE:
            for k in range(j + 2, min(n, j + 10)):
                if words[k] in _WELSH_STRONG_ADJECTIVES and (words[k] != "glem" or words[k - 1] in ("di", "ddi")):
                    return [(j, k, "mockery", " ".join(words[j : k + 1]))]
        if word in _WELSH_HARM and vocabulary.isdisjoint(_WELSH_SPORT):
            targets = _WELSH_YOU | _WELSH_THEM if word in _WELSH_BEATINGS else _WELSH_YOU | _WELSH_THEIR_THINGS
            for k in range(max(0, j - 4), min(n, j + 4)):
                if words[k] in targets and k != j:
                    first, last = min(j, k), max(j, k)
                    return [(first, last, "threat", " ".join(words[first : last + 1]))]
        if word in _WELSH_INSULT_NOUNS:
            # "pen dafad yw'r dirprwy", "ffŵl yw e": the insult first, then the person.
            if j + 1 < n and words[j + 1] in _WELSH_LINK:
                return [(j, j + 1, "mockery", " ".join(words[j : j + 2]))]
            # "y mochyn tew", "hen fuwch hyll": a Welsh insult noun with a Welsh insult adjective.
            if j + 1 < n and words[j + 1] in _WELSH_INSULT_ADJECTIVES:
                return [(j, j + 1, "mockery", " ".join(words[j : j + 2]))]
            before = words[j - 1] if j > 0 else ""
            if before == "o" and j > 1 and words[j - 2] in ("criw", "griw", "llond"):
                return [(j - 2, j, "mockery", " ".join(words[j - 2 : j + 1]))]  # "chi'n griw o glowns"
            opening_or_closing = j == 1 or j == n - 1  # "y mochyn tew ...", "..., y sinach."
            if (
                before in _WELSH_BEFORE_INSULT
                and word not in _set("moch diawl")
                and (before != "y" or opening_or_closing)
            ):
                # "hen sinach", "ti'n dwpsyn", "y mochyn" opening the text (not "y mochyn" on a farm visit)
                return [(j - 1, j, "mockery", " ".join(words[j - 1 : j + 1]))]
    return []


def _spam(line: _Line, text: str) -> list[Hit]:
    """Two or more kinds of spam cue, or a recovery-scam account named with one."""
    m = _PHISHING.search(line.text)
    if m:
        return [line.hit(m, "spam")]
    kinds = [(p, p.search(line.text)) for p in _SPAM_KINDS]
    found = [m for _, m in kinds if m]
    alone = [p for p, m in kinds if m]
    # An address to go to counts as a second kind beside a giveaway or money promised, never beside a way to reach
    # the sender alone ("message me, the form is at forms.example.org" is a parent).
    if len(found) == 1 and alone[0] in _SPAM_WITH_ADDRESS and _ADDRESS.search(text):
        return [line.hit(found[0], "spam")]
    handle = _SPAM_HANDLE.search(text)
    if len(found) >= 2 or (found and handle):
        return [line.hit(found[0], "spam")]
    return []
