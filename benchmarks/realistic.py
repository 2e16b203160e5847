"""Realistic school posts for the speed benchmarks, generated the same way every time.

A department's posts on X, Facebook and Instagram are mostly 100 to 250 characters: a result, a trip, a reminder, a
thank-you, in English, in Welsh or in both, with a hashtag or two and, about half the time, emoji. The texts here are
built from such templates (written for this benchmark, not copied from any account) with the slots filled from
small word lists, then padded or cut to a length drawn around a median of about 155 characters. A few name a pupil
from the benchmark's roster, give a phone number or an address, or swear, in about the proportions an audit meets:
the checks must do their real work on some posts, not just pass over clean text.
"""

from __future__ import annotations

import random
import statistics

_ENGLISH = (
    "Well done to our Year {year} {team} team who won {score} against {school} on {day}! {praise} {tag}",
    "Reminder: Year {year} {subject} coursework is due on {day}. Please check Google Classroom for the brief. {tag}",
    "What a fantastic trip to {place} with Year {year} today. The pupils were a credit to the school. {tag}",
    "Parents' evening for Year {year} is on {day} from 4pm to 7pm. Book your appointments through the app. {tag}",
    "Our {subject} department is proud of every pupil who sat the mock exams this week. Results out on {day}. {tag}",
    "Congratulations to {name} in Year {year} for a brilliant performance in the {subject} competition! {tag}",
    "Thank you to everyone who came to the {event} last night, we raised £{money} for {charity}. {tag}",
    "Year {year} have been investigating {topic} in {subject} this week, with some excellent results. {tag}",
    "The {team} fixture against {school} on {day} has been postponed because of the weather. New date to follow.",
    "Huge thanks to {visitor} for visiting Year {year} today to talk about {topic}. Inspiring stuff! {tag}",
    "Revision sessions for GCSE {subject} run every {day} after school in room {room}. All welcome. {tag}",
    "Lost property: a {colour} coat and a PE bag were left in the sports hall. Call the office on {phone}.",
    "{praise} Year {year} produced some fantastic {subject} work on {topic}, now on display in the library.",
    "Our Eco Club planted {money} trees around the field this week. Thank you to {charity} for the saplings. {tag}",
)
_WELSH = (
    "Llongyfarchiadau i dîm {team} Blwyddyn {year} am ennill {score} yn erbyn {school} ddydd {dydd}! {tag}",
    "Nodyn atgoffa: mae gwaith cwrs {pwnc} Blwyddyn {year} i fod i mewn ddydd {dydd}. Gweler Google Classroom. {tag}",
    "Taith wych i {place} gyda Blwyddyn {year} heddiw. Roedd y disgyblion yn glod i'r ysgol. {tag}",
    "Noson rieni Blwyddyn {year} nos {dydd} o 4 tan 7. Archebwch eich apwyntiad drwy'r ap. {tag}",
    "Diolch yn fawr i bawb a ddaeth i'r {digwyddiad} neithiwr, codwyd £{money} i {charity}. {tag}",
    "Da iawn {name} ym Mlwyddyn {year} am berfformiad gwych yn y gystadleuaeth {pwnc}! {tag}",
    "Mae Blwyddyn {year} wedi bod yn astudio {pwnc} yr wythnos hon, gyda gwaith ardderchog. {tag}",
    "Da iawn Blwyddyn {year}! Well done Year {year} on a brilliant {event}, diolch i bawb / thanks to everyone. {tag}",
)
_SLOTS = {
    "year": [str(n) for n in range(7, 14)],
    "team": ["netball", "rugby", "football", "hockey", "cross country", "debating", "chess", "athletics"],
    "score": ["3-1", "24-12", "2-0", "31-17", "5-4", "18-15"],
    "school": ["Ysgol Gyfun Cwm Rhymni", "Blackwood Comprehensive", "St Martin's", "Lewis School Pengam", "Risca"],
    "day": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
    "dydd": ["Llun", "Mawrth", "Mercher", "Iau", "Gwener", "Sadwrn"],
    "praise": ["Brilliant effort!", "So proud of you all.", "Fantastic teamwork.", "What a result!", "Amazing!"],
    "subject": ["History", "Geography", "Science", "Maths", "English", "Art", "Music", "Computing", "Drama"],
    "pwnc": ["Hanes", "Daearyddiaeth", "Gwyddoniaeth", "Mathemateg", "Cymraeg", "Celf", "Cerddoriaeth"],
    "place": ["Big Pit", "St Fagans", "Cardiff Castle", "the Senedd", "Techniquest", "Caerphilly Castle"],
    "event": ["summer concert", "school show", "quiz night", "sports day", "open evening", "Christmas fair"],
    "digwyddiad": ["cyngerdd", "sioe", "noson gwis", "eisteddfod", "ffair Nadolig"],
    "money": ["120", "450", "1,200", "85", "300", "2,000"],
    "charity": ["Tŷ Hafan", "the PTA", "Cancer Research Wales", "the food bank", "Shelter Cymru"],
    "topic": ["the Tudors", "volcanoes", "renewable energy", "coastal erosion", "the Industrial Revolution"],
    "visitor": ["PC Evans", "Cardiff University", "the Welsh Ambulance Service", "a local author"],
    "room": ["H4", "S12", "M3", "B7"],
    "colour": ["black", "navy", "red", "green"],
    "phone": ["01495 200000", "01495 200000", "07700 900123"],
    "tag": ["#ProudOfOurPupils", "#IslwynHigh", "#TeamIHS", "#Balch", "#HistoryIHS", "#Cymraeg", ""],
}
_WALES_FLAG = "\U0001f3f4\U000e0067\U000e0062\U000e0077\U000e006c\U000e0073\U000e007f"
_EMOJI = ["🎉", "👏", "⚽", "🏉", "🏆", "📚", "🌍", "💙", "😀", "🙌", "✨", _WALES_FLAG]
_FILLER = (
    " Thanks as always to our families for their support.",
    " Diolch i bawb am eich cefnogaeth.",
    " More photos on our Facebook page.",
    " See the newsletter for details.",
    " Keep up the hard work everyone.",
    " Mwy o luniau ar ein tudalen.",
)
# A few posts need the checks' slower paths: a swear word, a personal email, a date of birth, an address.
_RARE = (
    " What a bloody shambles of a pitch though.",
    " Email jo.bloggs77@gmail.com to sign up.",
    " Her DOB is 12/03/2011 for the entry form.",
    " Drop kits at 14 Heol y Coed, Blackwood.",
)


def posts(count: int, names: list[str], seed: int = 18) -> list[str]:
    """`count` post texts: median about 155 characters, half with emoji, a fifth in Welsh or both languages."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        template = rng.choice(_WELSH) if rng.random() < 0.2 else rng.choice(_ENGLISH)
        slots = {key: rng.choice(values) for key, values in _SLOTS.items()}
        slots["name"] = rng.choice(names) if names else "Cerys"
        text = template.format(**slots).strip()
        target = max(60, min(280, round(rng.gauss(155, 45))))
        while len(text) < target - 20:
            text += rng.choice(_FILLER)
        if rng.random() < 0.03:
            text += rng.choice(_RARE)
        if len(text) > 280:
            text = text[:279].rsplit(" ", 1)[0]
        if n % 2:
            k = rng.randint(1, 4)
            text += " " + "".join(rng.choice(_EMOJI) for _ in range(k))
            if rng.random() < 0.3:
                text = rng.choice(_EMOJI) + " " + text
        out.append(text)
    return out


def describe(texts: list[str]) -> str:
    lengths = [len(t) for t in texts]
    emoji = sum(any(ord(c) > 0x2500 for c in t) for t in texts)
    return (
        f"{len(texts):,} posts, {len(set(texts)):,} distinct, median {statistics.median(lengths):.0f} characters, "
        f"{emoji / len(texts):.0%} with emoji"
    )
