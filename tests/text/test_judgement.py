"""Judgement by shape (auditor/text/judgement.py): insults, hate, innuendo, implicit threats, Welsh, spam, each with
real sentences that must be flagged and sentences of the same words that must not; and the gates that keep the shapes
cheap pass every text a shape can match."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.checks.comments import abusive
from auditor.text import judgement
from auditor.text.normalise import tokens


def categories(text: str) -> set[str]:
    return {m.category for m in abusive(text)}


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # insults without a swear word, said of or to a person
        ("Typical of you, you spineless worm.", "mockery"),
        ("Who hired this clown of a deputy?", "mockery"),
        ("That receptionist needs to learn some manners, miserable old bag.", "mockery"),
        ("Whoever wrote this letter has the brains of a goldfish.", "mockery"),
        ("Imagine being as dim as the new head.", "mockery"),
        ("Mr Davies is a complete waste of oxygen.", "mockery"),
        ("Mrs Hopkins is a bitter old woman who hates kids.", "mockery"),
        ("That deputy is as useful as a chocolate teapot.", "mockery"),
        ("The head is a weasel and a liar.", "mockery"),
        # hate: a group with contempt or exclusion
        ("Another school overrun by foreigners, no wonder standards have dropped.", "hate"),
        ("Muslims shouldn't be allowed to wear that in a Welsh school.", "hate"),
        ("Gypsy kids should have their own school, not mix with ours.", "hate"),
        ("Go back to England if you don't like how we do things here.", "hate"),
        ("Half the kids in that photo can't even speak the language, send them all back.", "hate"),
        ("Pride month in a primary school? Keep your gay agenda away from my kids.", "hate"),
        ("Taking the disabled kids on the trip just slows everyone else down.", "hate"),
        ("Ysgol Gymraeg llawn Saeson diog.", "hate"),
        # sexual innuendo about staff and pupils
        ("Mrs Rees can give me detention any day 😏", "sexual"),
        ("Is Miss single? Asking for a friend", "sexual"),
        ("Bet the head's wife is a right goer.", "sexual"),
        ("Any chance of a private lesson with the new PE teacher? 😏", "sexual"),
        ("That Year 11 girl on the left is well developed for her age 👀", "sexual"),
        ("The new drama teacher is a ten, no wonder the dads all come to parents' evening.", "sexual"),
        ("miss can get it 🔥", "sexual"),
        ("the new pe teacher is a 10 ngl", "sexual"),
        ("would smash the new pe teacher ngl", "sexual"),
        # text-speak
        ("ur a joke mate, worst head this school has ever had", "mockery"),
        ("your a disgrace mr morgan", "mockery"),
        ("enjoy ur last week mr price 😉 ull see", "threat"),
        ("hope ur windows are double glazed sir", "threat"),
        # implicit and direct threats
        ("Lovely house you've got, Mr Thomas. Be a pity if anything happened to it.", "threat"),
        ("Nice red Corsa you drive, Miss. Park it somewhere safe.", "threat"),
        ("I've seen which way you walk home, Mrs Lloyd.", "threat"),
        ("Tell the head to check under his car before he gets in.", "threat"),
        ("People like you end up in hospital.", "threat"),
        ("You won't be smiling for long, Mr Harris.", "threat"),
        ("Your kids go to the primary down the road, don't they, Mr Bevan?", "threat"),
        ("Funny how cars get keyed in that staff car park. Just saying.", "threat"),
        ("Keep treating my son like that and see what happens.", "threat"),
        ("Someone needs to give Mr Harris a slap.", "threat"),
        ("If he touches my daughter again I'll put him through the window.", "threat"),
        ("Someone should run that teacher over.", "threat"),
        # Welsh threats and insults
        ("Bydd dy gar di'n llosgi heno.", "threat"),
        ("Mi gei di gweir os wyt ti'n cyffwrdd â fy mhlentyn eto.", "threat"),
        ("Gwylia di dy hun ar y ffordd adre, Miss.", "threat"),
        ("Gwell i ti edrych dros dy ysgwydd.", "threat"),
        ("Pen dafad yw'r dirprwy.", "mockery"),
        ("Dych chi'n dda i ddim, yr athrawon i gyd.", "mockery"),
        ("Mae e'n hen sinach.", "mockery"),
        ("Y mochyn tew.", "mockery"),
        ("Cau dy hen geg, y sinach.", "mockery"),
        ("Pennaeth anobeithiol, dylai hi gael y sac.", "mockery"),
        ("Bydd rhywun yn rhoi crasfa iddo fe un diwrnod.", "threat"),
        ("Fe gei di weld be sy'n digwydd os wyt ti'n cosbi fy mab eto.", "threat"),
        ("Dylai'r Saeson fynd nôl i Loegr.", "hate"),
        # spam
        ("I lost £4,000 to a scam and got it all back thanks to @recovery_hacker_pro, contact him!", "spam"),
        ("Make money online easy 💰💰 link in bio", "spam"),
        ("Get your free Amazon gift card here 👉 tinyurl.com/gift-uk", "spam"),
        ("Your page has violated our community standards, verify your account here", "spam"),
    ],
)
def test_finds(text, category):
    assert category in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        # fair complaints in strong words: about things, not people
        "Absolute disgrace that the heating has been broken for two weeks.",
        "The parking at drop-off is a joke, someone is going to get hurt.",
        "Useless. Three emails and not one reply from the office.",
        "The head's decision to cancel sports day is a disgrace.",
        "What a joke, the letter came the day after the deadline.",
        "Mae'r bws yn hwyr eto, jôc llwyr.",
        # safety notices that share a threat's words
        "Please check your tyres and lights before the half-term drive, stay safe everyone.",
        "Keep an eye on your children near the road at pick-up, the cars are going far too fast.",
        "Lock your cars at the leisure centre, there have been break-ins this week.",
        "Check your cars, there's been a spate of catalytic converter thefts near the school.",
        "Lovely new minibus you've got! Hope the drivers stay safe on those icy roads.",
        "Cofiwch gloi eich ceir yn y maes parcio heno.",
        # knowing and seeing, innocently
        "I know where you can get cheap uniform, the market on Saturdays.",
        "I've seen which way the coach goes, we'll wave from the bridge!",
        "Dwi'n gwybod ble mae'r neuadd nawr, diolch!",
        "We go back to England on Saturday after the exchange.",
        "Let's wait and see what happens with the weather.",
        # groups named kindly, or as a subject
        "Welcome to all our new Polish families, lovely to see the school growing.",
        "Our English cousins visited the school today and loved the Welsh lesson.",
        "Great talk on homophobia today, my daughter came home and explained it all.",
        "My son is autistic and the support has been amazing.",
        "Brilliant to see the Pride flag up in reception, my son felt so welcome 🏳️‍🌈",
        # praise, sport, and emoji that are not flirting
        "Miss Evans is an absolute star, my son adores her 😍",
        "The Year 13 prom photos are gorgeous, everyone looks so grown up 😍",
        "Mr Jones looking sharp in his suit for prom 😉 scrubbed up well!",
        "Our girls are going to absolutely murder them in the netball final 🏐",
        "Da iawn i'r tîm, wnaethon nhw chwalu Ysgol y Cwm ddydd Sadwrn!",
        "Pob lwc i'r tîm rygbi, ewch amdani a churo nhw!",
        "Diolch i Mr Jones, athro gwych, mae'r plant yn dwlu arno fe.",
        "Year 10 scored a 10 out of 10 in the quiz!",
        "Can I get it signed by Friday, Miss?",
        "Hope you see the photos, you'll love them!",
        "mr jones is well fit after that charity run, fair play 💪",
        "miss hughes can teach my kids any day, best teacher in the school",
        "i know where you can park on open evening, the leisure centre lets parents use theirs",
        "your a joke if you think parents can afford £40 for a trip",
        "Mae'r maes parcio yn anobeithiol bob bore, plîs gwnewch rywbeth.",
        "Bydd y tîm yn curo pawb eleni, gewch chi weld!",
        "Llongyfarchiadau i'r Saeson sy'n dysgu Cymraeg yn y dosbarth nos!",
        "The Year 3 class pet is a rat called Dai and he is very friendly.",
        # messages and money that are not spam
        "Message me if you'd like to join the parents' WhatsApp group for Year 3.",
        "The PTA is raising money online, the link to donate is in the newsletter.",
        "Win a hamper in the PTA raffle, tickets £1 from the office.",
    ],
)
def test_innocent(text):
    assert categories(text) == set()


def test_the_finding_quotes_the_shape_that_was_found():
    text = "Lovely house you've got, Mr Thomas. Be a pity if anything happened to it."
    [match] = [m for m in abusive(text) if m.category == "threat"]
    assert text[match.start : match.end] == "pity if anything happened"
    assert match.term == "pity if anything happened"
    assert match.description == "a threat"


def test_an_insult_to_a_person_is_not_a_complaint_about_a_thing():
    assert categories("You're a joke, Mr Lewis, an actual joke.") == {"mockery"}
    assert categories("The new homework app is a joke.") == set()
    assert categories("What a clown.") == {"mockery"}
    assert categories("What a shambles.") == set()
    assert categories("What a weasel.") == {"mockery"}
    assert categories("What a pathetic joke, the letter came a day late.") == set()


_SHAPE_WORDS = sorted(
    {
        word
        for gate, _ in judgement._THREAT_SHAPES
        for words in gate
        for word in words
        if len(word) > 1 or word in ("e", "i")
    }
    | {"you", "the", "head", "a", "to", "be", "ll", "s", "t", "his", "car", "go", "mr", "jones", "of", "it"}
)
_phrases = st.lists(st.sampled_from(_SHAPE_WORDS), min_size=2, max_size=9).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(_phrases)
def test_each_threat_gate_passes_every_text_its_shape_matches(text):
    words = [t.text for t in tokens(text)]
    vocabulary = frozenset(words)
    line = " ".join(words)
    for gate, shape in judgement._THREAT_SHAPES:
        if shape.search(line):
            assert all(not vocabulary.isdisjoint(words) for words in gate), (shape.pattern, text)
            assert not vocabulary.isdisjoint(judgement._TRIGGERS)


def test_every_threat_shape_is_reached_through_its_gate():
    for text in [
        "Be a pity if anything happened to it.",
        "I know your daughter's in Year 4.",
        "Give that head a good hiding.",
        "I'll knock his teeth out.",
        "I will make you suffer.",
        "We'll hunt you down.",
        "I'll be paying you a visit.",
        "You've been warned.",
        "Sleep with one eye open.",
        "Nobody would miss him.",
        "Hope you die.",
        "We've been watching you leave.",
    ]:
        assert "threat" in categories(text), text
