"""Judgement by pattern: who is targeted and what is said of them; masks by emoji and dash; spam; politics."""

import pytest

from auditor.text.abuse import detector


def categories(text: str) -> set[str]:
    return {m.category for m in detector().find(text)}


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # insults without swear words, aimed at people
        ("The inspectors were completely clueless about our pupils.", "mockery"),
        ("Honestly the governors are a joke.", "mockery"),
        ("You lot are an embarrassment.", "mockery"),
        ("Mrs Jenkins is so arrogant.", "mockery"),
        # mockery marked by an emoji, with a target and a cue of derision
        ("Year 10's idea of a uniform 🙄", "mockery"),
        ("When 7B think homework is optional 🤦‍♀️", "mockery"),
        ("Mr Rowe trying to use the laminator 😂 bless", "mockery"),
        # sexualising a person
        ("The new science teacher is well fit 😍", "sexual"),
        ("Sixth form girls looking hot tonight", "sexual"),
        ("Miss Ellis at the staff do 🥵", "sexual"),
        # threats, direct, implicit and joking
        ("I know what car you drive.", "threat"),
        ("Keep an eye on your windows.", "threat"),
        ("Be a shame if something happened to your minibus.", "threat"),
        ("Lose my stapler again and I'll break your fingers 😂", "threat"),
        ("Touch my son again and see what happens.", "threat"),
        # hate
        ("English scum buying up the village.", "hate"),
        ("Too many immigrants in this school.", "hate"),
        ("That's so gay.", "hate"),
        # politics
        ("Vote Labour on Thursday!", "political"),
        ("Proud to support our Conservative candidate.", "political"),
        ("#VotePlaid", "political"),
        ("Get the Tories out.", "political"),
        # spam
        ("Made £900 this week with bitcoin, DM me to learn how", "spam"),
        ("Giveaway! Claim your voucher, link in my bio", "spam"),
        # masks by emoji and dash
        ("F🤬ck this.", "profanity"),
        ("What the f— happened?", "profanity"),
        ("sh🤬t day", "profanity"),
        ("Total a-holes", "profanity"),
        # alcohol, staff rants
        ("Gin and tonics at the ready 🍸", "alcohol"),
        ("Friday at last 🍻🍻", "alcohol"),
        ("Not paid enough for this, thanks for nothing SLT.", "rant"),
    ],
)
def test_finds(text, category):
    assert category in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        # fair complaints in strong words: aimed at things, not people
        "The state of the road outside school is an absolute disgrace.",
        "The new parking app is useless; please pay by phone.",
        "The parent portal is useless this week, sorry.",
        "This timetable is a joke, we are fixing it.",
        # emoji used kindly, or at no one
        "Staff panto rehearsal tonight 😂",
        "Monday morning and raining again 🙄",
        "Year 7 trying snails in France 😂 brave!",
        "Don't forget your PE kit tomorrow, Year 9 😉",
        # sport, weather and fitness
        "We're going to smash them on Saturday!",
        "Keep fit club for parents on Tuesdays.",
        "Hot chocolate for the children after the carol service.",
        "Keep an eye on our sprinters at the county champs!",
        # politics as education
        "School council elections: vote for your form rep!",
        "Mock election: Plaid won, Labour second. Great debate!",
        "Year 12 debated curriculum reform and votes at 16.",
        "Labour market statistics in A level Economics.",
        # ordinary text with the trigger words
        "Non-uniform day raised £412, thank you!",
        "Follow the link in our bio for the trip letter.",
        "Welsh and English versions of the newsletter are attached.",
        "X-ray images in Year 10 Physics, and e-safety week in Year 7.",
        "PSE: units of alcohol in a pint of lager and the law.",
        "PTA raffle tonight: a hamper and a bottle of red to be won 🍷",
        "Year 8 made a pint of milk go a long way in food tech.",
        "Physics: turn the knob on the signal generator.",
        "Twatt, on Orkney, is a real place, Year 9 found.",
        "Clitheroe, Penistone and Scunthorpe on the fixtures list.",
    ],
)
def test_traps_are_innocent(text):
    assert detector().find(text) == [], text


def test_evidence_is_the_span_that_says_it():
    text = "Lovely day. Teachers here are useless, mind. See you Monday."
    [m] = detector().find(text)
    assert m.category == "mockery" and text[m.start : m.end] == "Teachers here are useless"
    assert m.description == "an insult or mockery aimed at a person"
    text = "Who the f— moved my laminator?"
    [m] = detector().find(text)
    assert (m.category, m.term, text[m.start : m.end]) == ("profanity", "fuck", "f—")


def test_each_match_carries_its_policy_category_and_severity():
    from auditor.model import Severity

    found = {m.category: m.severity for m in detector().find("I know what car you drive. Vote Labour! Wine o'clock.")}
    assert found == {"threat": Severity.CRITICAL, "political": Severity.HIGH, "alcohol": Severity.MEDIUM}
