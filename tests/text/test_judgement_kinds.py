"""The kinds of abuse a second independent writer (batch 5 of the evaluation set) used and the rules had not met,
each tested with sentences written for this test, not taken from the set: the category the policy sees, found in
other words than the tune items', and the same words in sentences that must stay innocent (fair complaints, safety
notices, sport, kind words about the same groups, Welsh everyday talk)."""

from __future__ import annotations

import pytest

from auditor.checks.comments import abusive
from auditor.checks.content import offending
from auditor.text.pii import find_personal_info
from benchmarks import accuracy


def categories(text: str) -> set[str]:
    return {m.category for m in abusive(text)}


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # threats: an end promised to the reader, someone hunted, a body that will not last, being looked into,
        # a message about a member of staff's child, a car watched, knowing whose house it is, a reckoning to come,
        # fire foretold, harm promised "as a joke", a person put through a named window
        ("you're dead when i see you at pick up", "threat"),
        ("ur finished if u come near my daughter again", "threat"),
        ("when we catch the lad who did it he'll know about it", "threat"),
        ("enjoy your legs while you still have them mr p", "threat"),
        ("amazing what you can dig up about people these days, Miss Hughes", "threat"),
        ("tell mrs jones her son looks like he could do with a lift home 🙂", "threat"),
        ("spotted the silver corsa parked outside the gym again. bold.", "threat"),
        ("we know which car is yours sir", "threat"),
        ("i no where u live", "threat"),
        ("wouldnt want to be you when he finds out", "threat"),
        ("shame how fast fires start in those old huts", "threat"),
        ("anyone who loses the minibus keys again will be thrown in the river 😂", "threat"),
        ("put him through that classroom window", "threat"),
        # Welsh threats: a kick (with its mutation), "a pity if something happened", knowing where ("gwbod")
        ("mi gei di gic gen i os ti'n siarad efo fy merch eto", "threat"),
        ("biti os bydd rhwbeth yn digwydd i dy gar", "threat"),
        ("dwi'n gwbod ble ti'n parcio", "threat"),
        # sexual: "wifey material", "is he taken?", pictures "from behind"
        ("the new maths teacher is proper wifey material", "sexual"),
        ("is mr davies taken? asking for a friend 😍", "sexual"),
        ("got any more photos of the netball girls from behind 😏", "sexual"),
        # hate: a people laughed at in one child, a group made out to be thieves, told to leave, not wanted
        ("the polish kid in 10B stinks of cabbage 😂", "hate"),
        ("them syrian families by the shop, hide your bags", "hate"),
        ("nobody asked them to come here", "hate"),
        ("this is a christian country not a mosque", "hate"),
        ("jog on back to poland", "hate"),
        ("sick of it, every language but English in the town now", "hate"),
        ("dim lle i bobl fel chi yma", "hate"),
        ("ewch nôl i'ch gwlad", "hate"),
        # spam: money from home with a hook, a miracle product with a link, a loan with a number to text
        ("earn from home, just 10 mins a day, comment INFO", "spam"),
        ("flat belly in 2 weeks with these keto gummies, link in bio", "spam"),
        ("bad credit? loans approved today, text CASH to 07700 900111", "spam"),
        # disguised swearing: the emoji for the word, "ph" for "f"
        ("this rota is a load of 💩", "profanity"),
        ("phucking joke mate", "profanity"),
        # mockery: a new insult noun, a child laughed at for how they look or for crying, Welsh insults
        ("the deputy is a total airhead", "mockery"),
        ("that kid with the ginger hair 😂😂 his dad must hate him", "mockery"),
        ("lol the twins crying cos they lost at sports day 😭😂", "mockery"),
        ("cer i'r diawl y sinach", "mockery"),
        ("hen gadno yw'r pennaeth", "mockery"),
        # a second round of sentences, for the kinds the first round still missed
        ("the new head looks like a thumb with a wig 😂", "mockery"),
        ("whoever runs this page is a proper gimp", "mockery"),
        ("that fat kid in 7R took up two seats on the bus 😂", "mockery"),
        ("shout out to the kid who wet himself in assembly 🤣", "mockery"),
        ("school's full of scroungers", "mockery"),
        ("head of year 8 couldnt run a bath", "mockery"),
        ("someone should slash the heads tyres tbh", "threat"),
        ("i'll be waiting outside the gates for that teacher at 3", "threat"),
        ("my cousin knows where the pe teacher drinks on a friday 👀", "threat"),
        ("one day someone will give that deputy what he deserves", "threat"),
        ("keep it up sir, we know your missus works at tesco", "threat"),
        ("i know the head's reg plate, just saying", "threat"),
        ("trans kids are just confused, stop pushing it on them", "hate"),
        ("gypsies camped on the field again, lock up your bikes lads", "hate"),
        ("muslim kids shouldnt get to skip PE for ramadan", "hate"),
        ("my kid wont be sharing a changing room with some boy in a skirt", "hate"),
        ("half the class are foreign, no wonder results are rubbish", "hate"),
        ("the blind kid slows the whole class down", "hate"),
        ("Saeson yn difetha'r pentre", "hate"),
        ("Saeson ddylai aros yn Lloegr", "hate"),
        ("id let the new science teacher mark my homework 😉", "sexual"),
        ("year 11 girls are looking well developed this year", "sexual"),
        ("whats the teachers problem, f'ing useless", "profanity"),
        ("mr price is a t w a t", "profanity"),
        ("ti'n hen ast", "profanity"),
        # a third round
        ("honestly the art teacher dresses like a tramp", "mockery"),
        ("mr harris is the most two faced man ive ever met", "mockery"),
        ("that receptionist is a jumped up little madam", "mockery"),
        ("the state of the year 7s hair this year 🤢", "mockery"),
        ("if my son gets one more detention someone is getting hurt", "threat"),
        ("the deputy drives a red fiesta, reg starts CU19 if anyone wants to say hello", "threat"),
        ("gay teachers shouldnt be anywhere near kids", "hate"),
        ("the sixth form girls netball skirts are getting shorter every year 👀", "sexual"),
        ("new history teacher is a proper fox 😍 any chance of a private lesson", "sexual"),
        ("WTAF is this new uniform", "profanity"),
        ("Wyt ti'n gwybod be sy'n digwydd i bobl sy'n cario clecs, Mr Jenkins?", "threat"),
        ("mi gaiff y pennaeth weld, mi losga i ei gar o", "threat"),
        # a fourth round
        ("who hired this bloke, he can barely string a sentence together", "mockery"),
        ("the drama teacher is so far up the head's backside it's embarrassing", "mockery"),
        ("that dinner lady has a face like a bulldog chewing a wasp", "mockery"),
        ("the ginger kid who sang in the concert 🤣🤣 my ears", "mockery"),
        ("i know people who'd sort mr davies out for fifty quid", "threat"),
        ("the head should watch his back on the way to the car tonight", "threat"),
        ("dont be surprised if your windows go in sir", "threat"),
        ("the school is full of immigrants now, my kid is the only english one in his class", "hate"),
        ("those traveller kids nick everything, keep them away from ours", "hate"),
        ("the muslim girl in year 9 should take that thing off her head", "hate"),
        ("no wonder the school's gone to pot with a lesbian in charge", "hate"),
        ("Saeson yn cymryd pob tŷ yn y pentre", "hate"),
    ],
)
def test_finds(text, category):
    assert category in categories(text), (text, abusive(text))


@pytest.mark.parametrize(
    "text",
    [
        "you're dead right about the parking",
        "we're done for the term, finished at last!",
        "when i find the missing PE kit i'll drop it at reception",
        "enjoy the sunshine while it lasts everyone",
        "interesting what you can find out in the library archives",
        "tell the head thank you for the lovely assembly",
        "noticed the bus is parked on the road again, please leave room for ambulances",
        "do you know which car is the minibus?",
        "wouldn't want to be a referee on a day like this",
        "funny how the fire alarm always goes off in my maths lesson",
        "pupils caught without a coat will be sent to the office",
        "is the new deputy taken to the trip too?",
        "photos from the front row of the concert now on the website",
        "our polish families cooked a feast for the international evening 😍",
        "lock your cars, there have been thefts on the industrial estate",
        "go back to school on monday everyone, enjoy the last day",
        "our polish pupils went back home for christmas",
        "the Welsh team came back home with the trophy",
        "earn house points by reading 10 mins a day",
        "comment below with your favourite book",
        "only 5 places left on the Year 7 trip",
        "the pile of coats in lost property is huge 😂",
        "the app crashed again, useless",
        "Llongyfarchiadau i'r tîm, rhowch gic dda i'r bêl fory!",
        "trueni bod y trip wedi ei ganslo",
        "dwi'n gwybod ble mae'r neuadd",
        "Ewch nôl i'r dosbarth ar ôl yr egwyl",
        "the ph test results are in: pH 7",
        "the chinese new year celebrations were brilliant 😂 the dragon fell over",
        "when you find the bibs 🤦 bring them back",
        "Another wet Monday 🙄 bring your coats kids",
        "the head looks very smart in the photo 😂 love it",
        "my son will be waiting outside the gates at 3, can someone tell him I'm late",
        "gypsy roma traveller history month display is brilliant",
        "the kids looked like a proper team 😂 brilliant",
        "the office knows where the minibus parks",
        "who knows where the head parks?",
        "whoever runs this page is doing a great job",
        "this is Wales, we love our rugby and our Muslim families are part of it",
        "pupils were so excited, no wonder after the Polish exchange visit",
        "Give him what he deserves: a standing ovation!",
        "we should give Mr Evans what he deserves, a big thank you",
        "the panto dame is a man in a dress and the kids loved it",
        "Year 7 boys in skirts for the charity netball match raised £200",
        "the blind pupils have a new tactile map in the changing rooms",
        "Deaf awareness week: pupils learned to sign",
        "my son is blind in one eye and the staff have been brilliant",
        "Ramadan Mubarak to all our Muslim families",
        "Congratulations to our Year 11s, you've been selected for the county team!",
        "I got an F in maths and I'm still proud of my effort",
        "Da iawn i'r athro mathemateg am y clwb",
        "cant wait to see the look on the kids faces at the panto 😂",
        "can't wait to see Year 9 at the disco 😂",
        "if anyone wants to say hello, Mrs Price will be at the cake stall",
        "If anyone wants to say hello to the new head, she will be at the gate on Monday by her car",
        "if the ice isnt gritted someone is going to get hurt",
        "the netball girls in their new skirts 😍 so proud",
        "Beth sy'n digwydd i bobl yn yr ardal? Dewch i weld",
        "the state of the year 9 classroom 🤢 please tidy up",
        "the art teacher dressed up as a tramp for world book day, brilliant",
        "the gay rights display in the library is brilliant",
        "mi losgais y tost bore 'ma 😂",
        "face like thunder when the fire alarm went off 😂",
        "she had a face like a kid on christmas morning when she won",
        "watch your back on the icy steps everyone",
        "we know people who would help with the fundraiser",
        "dont be surprised if your car park space is taken on sports day",
        "the hall was full of Polish families celebrating",
        "the lollipop lady deserves a medal",
        "my son keeps nicking everything from the fridge 😂",
    ],
)
def test_innocent(text):
    assert categories(text) == set(), abusive(text)


def test_school_posts_of_the_same_kinds():
    # A school's post is judged by its own standard: campaigning, drink after work, a verdict on a referee, a rant.
    assert offending("Labour's candidate came to see us. We need more like her, so give her your vote in May!")
    assert offending("Our staff are off to the independence march in Cardiff on Saturday, join us! #YesCymru")
    assert offending("Reform would wreck Welsh schools. Think of our children when you vote.")
    assert offending("Done with reports, now for a well earned pint 🍻")
    assert offending("The referee at the cup final should be ashamed of himself, clueless from start to finish.")
    assert offending("Another twelve-hour day. This is why good teachers leave.")
    assert not offending("Thanks to the ref, outstanding from start to finish.")
    assert not offending("The parents evening booking system is useless, and the app crashed, sorry everyone.")
    assert not offending("Year 10 debated votes at 16 with our Labour MS in a lesson on democracy.")
    assert not offending("Lost property: a pile of PE kit 😂 please collect it by Friday.")


def test_the_finding_says_which_words():
    [match] = [m for m in abusive("we know which car is yours sir") if m.category == "threat"]
    assert match.term == "we know which car is yours" and match.description == "a threat"
    [match] = [m for m in abusive("the polish kid in 10B stinks of cabbage 😂") if m.category == "hate"]
    assert match.term == "polish kid (laughed at)"


def test_an_address_said_as_a_street_and_a_number_is_personal_information():
    text = "he lives on Maple Grove in Newbridge, number 7 with the red door"
    [match] = find_personal_info(text)
    assert match.kind == "home address" and "Maple Grove" in text[match.start : match.end]
    assert not find_personal_info("she lives on Maple Grove, just past the park")
    assert not find_personal_info("Year 9 are live on the radio at number 1 in the charts")


def test_a_sweet_sixteen_on_a_day_is_a_date_of_birth():
    assert [m.kind for m in find_personal_info("Sweet sixteen for Megan on Friday, have a lovely day!")] == [
        "date of birth"
    ]
    assert not find_personal_info("Sweet sixteen wins for the netball team on Saturday")
    assert not find_personal_info("Sweet treats on sale on Friday")


def test_the_comment_evaluator_judges_as_the_check_does():
    # comments.inappropriate flags personal information too, so the benchmark must (a phone number, no abuse).
    judge = accuracy.EVALUATORS["comments.inappropriate"]
    assert judge({"text": "His mobile is 07700 900456, ring him and tell him"})
    assert not judge({"text": "Ring the office on 01495 200000 to book"})  # the school's own number


def test_each_emoji_class_finds_every_emoji_of_its_set():
    # The emoji rules ask one character class instead of one look per emoji: the class must hold every emoji.
    from auditor.text import patterns

    for emoji, pattern in (
        (patterns._MOCKING_EMOJI, patterns._MOCKING_EMOJI_RE),
        (patterns._SUGGESTIVE_EMOJI, patterns._SUGGESTIVE_EMOJI_RE),
        (patterns._DRINK_EMOJI, patterns._DRINK_EMOJI_RE),
    ):
        for e in emoji:
            assert pattern.search(f"well {e} done") and len(e) == 1
        assert not pattern.search("no emoji here 🎉")


@pytest.mark.parametrize(
    "text",
    [
        # Probed after the batch 5 rules, in a school's own words: none of these is hate.
        "Travellers to the Eisteddfod: watch your bags on the train!",
        "The only Welsh family on the trip to Brittany, what an experience for them",
        "The Polish kids in Year 8 made amazing pierogi for the food fair 😂❤️",
        "Da iawn i'r plant Pwylaidd, bwyd gwych 😂👏",
    ],
)
def test_a_people_named_without_contempt_is_not_hate(text: str) -> None:
    assert not [m for m in abusive(text) if m.category == "hate"]


@pytest.mark.parametrize(
    "text",
    [
        "travellers on the field again, lock your cars",
        "the school is full of immigrants now, my kid is the only english one in his class",
        "the polish kid in 10B stinks of cabbage 😂",
    ],
)
def test_the_same_words_with_contempt_are_still_hate(text: str) -> None:
    assert [m for m in abusive(text) if m.category == "hate"]
