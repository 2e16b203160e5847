"""(Re)builds the synthetic sample X archives in examples/archives/ that the default config.toml audits.

Every person, account and phone number here is invented. The output is deterministic (fixed ids, dates and zip
timestamps), so running this again only changes files when the data below changes:

    python examples/build_samples.py
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ARCHIVES = Path(__file__).resolve().parent / "archives"
ZIP_TIMESTAMP = (2026, 3, 31, 12, 0, 0)
AUP = "https://www.islwynhigh.co.uk/ict-acceptable-use-policy"

# Synthetic photos (drawn people and a drawn scene, no real people), so the photo checks have real pictures to
# examine: history.jpg shows one person (its consent is recorded in config.toml), science.jpg two people (no consent
# recorded), music.jpg an empty scene.
PHOTOS = Path(__file__).resolve().parent / "photos"


# Invented accounts that the samples mention, as (display name, account id).
_USERS = {
    "IslwynHigh": ("Islwyn High School", "1034567890123456789"),
    "HistoryIHS": ("History at IHS", "1141012345678901234"),
    "ScienceIHS": ("Science at IHS", "1182345678901234567"),
    "MusicIHS": ("Music at IHS", "1290123456789012345"),
    "islwyn_pe": ("Islwyn PE", "1415926535897932384"),
    "IslwynPTA": ("Islwyn High PTA", "1310987654321098765"),
    "GwentSchoolsRugby": ("Gwent Schools Rugby", "1122334455667788990"),
}

_TWITTER_EPOCH_MS = 1288834974657
_SOURCE = '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>'


@dataclass(frozen=True)
class Photo:
    key: str  # which photo in examples/photos/
    name: str  # the pbs.twimg.com file name
    tco: str
    alt_text: str | None = None


@dataclass(frozen=True)
class Tweet:
    when: str  # "YYYY-MM-DD HH:MM", UTC
    text: str  # as shown, unescaped, with t.co links in it
    urls: dict[str, str] = field(default_factory=dict)  # t.co link -> where it goes
    photo: Photo | None = None
    reply_to: tuple[str, str] | None = None  # (screen name, status id)


@dataclass(frozen=True)
class Sample:
    username: str
    email: str
    created: str
    bio: str
    website: str
    location: str
    tweet_files: tuple[tuple[str, tuple[Tweet, ...]], ...]  # (file name in data/, its tweets)


def snowflake(when: dt.datetime) -> str:
    """An id of the shape X gives a tweet posted at `when`, so ids sort by date as real ones do.

    The low 22 bits (machine and sequence numbers in a real id) are a scramble of the time, so they look real too.
    """
    ms = int(when.timestamp() * 1000)
    return str(((ms - _TWITTER_EPOCH_MS) << 22) | (ms // 1000 * 2654435761) % (1 << 22))


def _moment(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=dt.UTC)


def _display(url: str) -> str:
    short = re.sub(r"^https?://(www\.)?", "", url)
    return short if len(short) <= 26 else short[:25] + "…"


def _indices(start: int, end: int) -> list[str]:
    return [str(start), str(end)]


def _tweet_json(owner: str, tweet: Tweet) -> tuple[str, dict[str, object]]:
    """The tweet's id and its record as an archive's tweets.js has it."""
    when = _moment(tweet.when)
    tweet_id = snowflake(when)
    text = tweet.text
    media: list[dict[str, object]] = []
    if tweet.photo:
        start = len(text) + 1
        text = f"{text} {tweet.photo.tco}"
        media_id = snowflake(when - dt.timedelta(minutes=2))
        media.append(
            {
                "expanded_url": f"https://x.com/{owner}/status/{tweet_id}/photo/1",
                "indices": _indices(start, len(text)),
                "url": tweet.photo.tco,
                "media_url": f"http://pbs.twimg.com/media/{tweet.photo.name}",
                "id_str": media_id,
                "id": media_id,
                "media_url_https": f"https://pbs.twimg.com/media/{tweet.photo.name}",
                "sizes": {
                    "thumb": {"w": "150", "h": "150", "resize": "crop"},
                    "small": {"w": "16", "h": "12", "resize": "fit"},
                    "medium": {"w": "16", "h": "12", "resize": "fit"},
                    "large": {"w": "16", "h": "12", "resize": "fit"},
                },
                "type": "photo",
                "display_url": f"pic.x.com/{tweet.photo.tco.rsplit('/', 1)[-1]}",
            }
        )
        if tweet.photo.alt_text:
            media[0]["ext_alt_text"] = tweet.photo.alt_text

    hashtags = [
        {"text": m.group(1), "indices": _indices(m.start(), m.end())} for m in re.finditer(r"(?<!\w)#(\w+)", text)
    ]
    mentions = []
    for m in re.finditer(r"(?<!\w)@(\w+)", text):
        name, user_id = _USERS[m.group(1)]
        mentions.append(
            {
                "name": name,
                "screen_name": m.group(1),
                "indices": _indices(m.start(), m.end()),
                "id_str": user_id,
                "id": user_id,
            }
        )
    urls = []
    for short, target in tweet.urls.items():
        start = text.index(short)
        urls.append(
            {
                "url": short,
                "expanded_url": target,
                "display_url": _display(target),
                "indices": _indices(start, start + len(short)),
            }
        )
    entities: dict[str, object] = {"hashtags": hashtags, "symbols": [], "user_mentions": mentions, "urls": urls}
    if media:
        entities["media"] = media

    reply_user = _USERS[tweet.reply_to[0]][1] if tweet.reply_to else None
    body: dict[str, object] = {
        "edit_info": {
            "initial": {
                "editTweetIds": [tweet_id],
                "editableUntil": (when + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                "editsRemaining": "5",
                "isEditEligible": not text.startswith("RT @"),
            }
        },
        "retweeted": False,
        "source": _SOURCE,
        "entities": entities,
        "display_text_range": ["0", str(len(text))],
        "favorite_count": "0" if text.startswith("RT @") else str(3 + (int(tweet_id) >> 22) % 41),
        "id_str": tweet_id,
        "truncated": False,
        "retweet_count": str((int(tweet_id) >> 24) % 9),
        "id": tweet_id,
        "possibly_sensitive": False,
        "created_at": when.strftime("%a %b %d %H:%M:%S +0000 %Y"),
        "favorited": False,
        "full_text": html.escape(text, quote=False),
        "lang": "en",
    }
    if tweet.reply_to:
        screen_name, status_id = tweet.reply_to
        body |= {
            "in_reply_to_status_id_str": status_id,
            "in_reply_to_status_id": status_id,
            "in_reply_to_user_id": reply_user,
            "in_reply_to_user_id_str": reply_user,
            "in_reply_to_screen_name": screen_name,
        }
    if media:
        body["extended_entities"] = {"media": media}
    return tweet_id, {"tweet": body}


def _js(variable: str, records: list[dict[str, object]]) -> bytes:
    return f"window.YTD.{variable} = {json.dumps(records, indent=2, ensure_ascii=False)}".encode()


def sample_files(sample: Sample) -> dict[str, bytes]:
    """The archive's files, by path inside the archive."""
    account_id = _USERS[sample.username][1]
    files = {
        "data/account.js": _js(
            "account.part0",
            [
                {
                    "account": {
                        "email": sample.email,
                        "createdVia": "web",
                        "username": sample.username,
                        "accountId": account_id,
                        "createdAt": sample.created,
                        "accountDisplayName": _USERS[sample.username][0],
                    }
                }
            ],
        ),
        "data/profile.js": _js(
            "profile.part0",
            [
                {
                    "profile": {
                        "description": {"bio": sample.bio, "website": sample.website, "location": sample.location},
                        "avatarMediaUrl": f"https://pbs.twimg.com/profile_images/{account_id}/avatar_400x400.jpg",
                        "headerMediaUrl": f"https://pbs.twimg.com/profile_banners/{account_id}/1725000000",
                    }
                }
            ],
        ),
    }
    for file_name, tweets in sample.tweet_files:
        records = []
        for tweet in tweets:
            tweet_id, record = _tweet_json(sample.username, tweet)
            records.append(record)
            if tweet.photo:
                files[f"data/tweets_media/{tweet_id}-{tweet.photo.name}"] = (
                    PHOTOS / f"{tweet.photo.key}.jpg"
                ).read_bytes()
        stem, _, part = file_name.removesuffix(".js").partition("-part")
        files[f"data/{file_name}"] = _js(f"{stem}.part{part or 0}", records)
    return files


# Tweets that samples reply to: one by an invented account that has no sample, one in HistoryIHS.
PTA_TEXTBOOKS = snowflake(_moment("2026-01-15 18:02"))
HISTORY_BIG_PIT_WHEN = "2025-10-14 15:20"

OPEN_EVENING = (
    "Open evening for Year 6 families on Thursday 27 November, 5pm–7:30pm. Come and meet our departments! #Islwyn"
)

SAMPLES: dict[str, Sample] = {
    "HistoryIHS": Sample(
        username="HistoryIHS",
        email="history@islwynhigh.co.uk",
        created="2019-06-18T12:02:00.000Z",
        bio="History department at Islwyn High School. Our ICT Acceptable Use Policy: https://t.co/Hx7aUp01Qz",
        website="https://t.co/Hx7aUp01Qz",
        location="Blackwood, Wales",
        tweet_files=(
            (
                "tweets.js",
                (
                    Tweet(
                        "2025-09-04 07:45",
                        "Welcome back, Year 7! Before you log in to our online resources, please read the school's "
                        "ICT Acceptable Use Policy: https://t.co/Hx7aUp01Qz #IHSHistory",
                        urls={"https://t.co/Hx7aUp01Qz": AUP},
                    ),
                    Tweet(
                        HISTORY_BIG_PIT_WHEN,
                        "Year 10 went underground at Big Pit National Coal Museum today & learned how mining shaped "
                        "the Valleys. Diolch to the guides! #IHSHistory #Blaenavon",
                        photo=Photo(
                            "history",
                            "GaB7pQkWsAAh1Xz.jpg",
                            "https://t.co/Pq3Hk9ZtLm",
                            alt_text="Pupils in hard hats and lamps at the entrance to the mine",
                        ),
                    ),
                    Tweet(
                        "2025-11-11 11:05",
                        "We will remember them. Pupils in Year 8 laid a wreath at the Blackwood war memorial this "
                        "morning. #RemembranceDay #IHSHistory",
                    ),
                    Tweet("2025-11-20 16:30", f"RT @IslwynHigh: {OPEN_EVENING}"),
                ),
            ),
            (
                "tweets-part1.js",
                (
                    Tweet(
                        "2026-01-13 16:10",
                        "Year 11: GCSE History revision sessions run every Tuesday after school in H3 until Easter. "
                        "Past papers & mark schemes are on Google Classroom. #GCSEHistory",
                    ),
                    Tweet(
                        "2026-01-16 08:30",
                        "@IslwynPTA Thank you for the new textbooks, they are already in use in Year 9 lessons!",
                        reply_to=("IslwynPTA", PTA_TEXTBOOKS),
                    ),
                    Tweet(
                        "2026-02-03 12:15",
                        "Year 13: the National Archives has excellent free source packs for your coursework "
                        "https://t.co/Na7ArcH1vE",
                        urls={"https://t.co/Na7ArcH1vE": "https://www.nationalarchives.gov.uk/education/resources/"},
                    ),
                    Tweet(
                        "2026-03-01 09:00",
                        "Dydd Gŵyl Dewi Hapus! Year 7 have been researching Owain Glyndŵr's rising this week. "
                        "#DyddGwylDewi",
                    ),
                ),
            ),
        ),
    ),
    "ScienceIHS": Sample(
        username="ScienceIHS",
        email="science@islwynhigh.co.uk",
        created="2020-01-09T09:30:00.000Z",
        bio="Science at Islwyn High School. Experiments, STEM club and exam tips.",
        website="https://t.co/Sc1enceW3b",
        location="Blackwood, Wales",
        tweet_files=(
            (
                "tweets.js",
                (
                    Tweet(
                        "2025-09-10 14:00",
                        "STEM club starts again this Wednesday, 3:15pm in Lab S4. All years welcome! #STEM #IHSScience",
                    ),
                    Tweet(
                        "2025-10-02 10:40",
                        "Year 9 have been investigating rates of reaction with magnesium ribbon & hydrochloric acid. "
                        "Goggles on! #IHSScience",
                    ),
                    Tweet(
                        "2025-10-15 07:55",
                        "@HistoryIHS Brilliant trip! Fancy a joint project on the chemistry of coal with Year 10?",
                        reply_to=("HistoryIHS", snowflake(_moment(HISTORY_BIG_PIT_WHEN))),
                    ),
                    Tweet(
                        "2025-11-28 15:45",
                        "Well done to Megan Price-Jones in Year 9 for winning the regional science fair! "
                        "#ProudOfOurPupils",
                        photo=Photo("science", "GdK2vRtXoAAm9Lc.jpg", "https://t.co/Mp9Sf2kQ1b"),
                    ),
                    Tweet(
                        "2026-01-08 17:20",
                        "Great free revision resources for GCSE Chemistry from the Royal Society of Chemistry: "
                        "https://t.co/Rs7cHemEdu",
                        urls={"https://t.co/Rs7cHemEdu": "https://edu.rsc.org/resources/gcse-chemistry-revision"},
                    ),
                    Tweet(
                        "2026-02-10 12:00",
                        "Our new science pages are on the school website: https://t.co/Sc1enceW3b",
                        urls={"https://t.co/Sc1enceW3b": "https://www.islwynhigh.co.uk/science"},
                    ),
                    Tweet(
                        "2026-03-09 08:15",
                        "British Science Week starts today! Look out for lunchtime demos in the main hall 🔬 #BSW26",
                    ),
                    Tweet(
                        "2026-03-20 15:30",
                        "Reminder for Year 11: science mocks start on Monday 23 March. Check Timetable > Exams "
                        "in the school app.",
                    ),
                ),
            ),
        ),
    ),
    "islwyn_pe": Sample(
        username="islwyn_pe",
        email="pe@islwynhigh.co.uk",
        created="2021-08-31T18:45:00.000Z",
        bio="PE and school sport at Islwyn High. Acceptable use policy: "
        "http://WWW.IslwynHigh.co.uk/ICT-Acceptable-Use-Policy/",
        website="",
        location="",
        tweet_files=(
            (
                "tweets.js",
                (
                    Tweet(
                        "2025-09-08 16:00",
                        "Extra-curricular clubs for the autumn term: netball, rugby, football & badminton. "
                        "Timetable on the PE noticeboard. #IslwynPE",
                    ),
                    Tweet("2025-10-18 09:10", "Fixtures update: contact Mr Evans on 07700 900123 for minibus times"),
                    Tweet(
                        "2025-11-15 17:30",
                        "Rugby report: Year 10 beat Blackwood Comp 24-12 on Saturday. Our hooker hit every lineout "
                        "throw and the pack dominated the scrum. Da iawn bois! #IslwynRugby",
                    ),
                    Tweet(
                        "2026-01-20 16:45",
                        "Well done to the Year 8 netball team, through to the county semi-finals! #IslwynPE",
                    ),
                    Tweet(
                        "2026-02-05 13:00",
                        "Sports Day 2026 is confirmed for Friday 3 July at the Islwyn athletics track. More info: "
                        "https://t.co/Pe5portsD1",
                        urls={"https://t.co/Pe5portsD1": "https://www.islwynhigh.co.uk/sports-day"},
                    ),
                    Tweet(
                        "2026-02-21 10:00",
                        "RT @GwentSchoolsRugby: U15 county trials this Sunday at 10am. Boots, gumshield and water "
                        "bottle please!",
                    ),
                    Tweet(
                        "2026-03-10 19:30",
                        "Swimming gala results are in! Thank you to all the parents & carers who came to cheer.",
                    ),
                ),
            ),
        ),
    ),
    "IslwynHigh": Sample(
        username="IslwynHigh",
        email="office@islwynhigh.co.uk",
        created="2018-11-02T08:00:00.000Z",
        bio="Official account of Islwyn High School. Belong, Believe, Achieve.",
        website="https://bit.ly/ihs-aup",
        location="Blackwood, Caerphilly",
        tweet_files=(
            (
                "tweet.js",
                (
                    Tweet(
                        "2025-09-01 07:30",
                        "Croeso! Welcome back to all our pupils. Term starts on Wednesday 3 September for Years 7 "
                        "and 12, and for everyone on Thursday. #BelongBelieveAchieve",
                    ),
                    Tweet("2025-11-20 16:00", OPEN_EVENING),
                    Tweet(
                        "2025-12-19 10:00",
                        "School closes for the Christmas holidays at 1:30pm today. Nadolig Llawen & a happy new year "
                        "from everyone at Islwyn High! #Islwyn",
                    ),
                    Tweet(
                        "2026-01-07 06:40",
                        "Due to snow, school will open at 10am today. Buses will run 90 minutes later than usual. "
                        "Stay safe! #Islwyn",
                    ),
                    Tweet(
                        "2026-02-12 15:15",
                        "Parents' evening for Year 9 is on Thursday 26 February. Book your appointments in the school "
                        "app: https://t.co/Ap9Bk2Ev7Q",
                        urls={"https://t.co/Ap9Bk2Ev7Q": "https://www.islwynhigh.co.uk/parents-evening"},
                    ),
                    Tweet(
                        "2026-03-02 14:00",
                        "Congratulations to our Year 12 debaters, winners of the Caerphilly schools debating cup! "
                        "Thanks to @HistoryIHS for the coaching.",
                    ),
                ),
            ),
        ),
    ),
    "MusicIHS": Sample(
        username="MusicIHS",
        email="music@islwynhigh.co.uk",
        created="2022-02-14T13:20:00.000Z",
        bio="Music at Islwyn High School: concerts, choir and peripatetic lessons.",
        website="https://t.co/MuS1cAup9x",
        location="Blackwood, Wales",
        tweet_files=(
            (
                "tweets.js",
                (
                    Tweet(
                        "2025-10-01 15:50",
                        "Peripatetic lessons for guitar, drums, strings & brass start next week. Letters went home "
                        "today. #IHSMusic",
                    ),
                    Tweet(
                        "2025-12-11 21:30",
                        "What a night! Thank you to everyone who came to our Christmas concert. The choir were superb. "
                        "#IHSMusic",
                        photo=Photo(
                            "music",
                            "GfT4wYcXEAAq3Nn.jpg",
                            "https://t.co/Cc0nc3rt11",
                            alt_text="The school choir singing on the stage of the main hall",
                        ),
                    ),
                    Tweet(
                        "2026-01-22 12:30",
                        "Choir rehearsals move to Thursday lunchtimes in M1 from next week. New voices always welcome!",
                    ),
                    Tweet(
                        "2026-02-26 16:00",
                        "Eisteddfod practice is in full swing! Our junior choir and harp ensemble sound fantastic. "
                        "#Eisteddfod #IHSMusic",
                    ),
                    Tweet(
                        "2026-03-05 09:20",
                        "Please read the school's ICT acceptable use policy before using the music tech suite: "
                        "https://t.co/MuS1cAup9x",
                        urls={"https://t.co/MuS1cAup9x": "http://islwynhigh.co.uk/ICT-acceptable-use-policy/"},
                    ),
                    Tweet(
                        "2026-03-18 17:00",
                        "Tickets for the Spring Concert on 26 March: £3 adults & £1 pupils, from the school office.",
                    ),
                ),
            ),
        ),
    ),
}

ZIPPED = {"ScienceIHS"}


def write_zip(path: Path, files: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            zf.writestr(info, files[name])


# --- the TikTok sample: a "Download your data" export (JSON format) -----------------------------------------------
#
# Shaped like a current export (2025: `user_data_tiktok.json` alone in a .zip, the sections `Profile And Settings`,
# `Post`, `Your Activity`, ...; dates "YYYY-MM-DD HH:MM:SS"; empty lists written as null), as public parsers of real
# exports describe it (docs/connectors-tiktok.md). Invented values only: the e-mail and phone fields hold the markers
# TikTok writes when they are empty, and the IP addresses are from the documentation ranges.
TIKTOK_NAME = "DramaIHS-tiktok.zip"
TIKTOK_VIDEOS = (
    # (date, video id, title, location, sound, likes)
    (
        "2026-03-20 16:05:11",
        "7484123456789012345",
        "Year 10 rehearsals for Blood Brothers are going brilliantly 🎭 Tickets from the school office.",
        "",
        "original sound - DramaIHS",
        "41",
    ),
    (
        "2026-03-12 12:30:40",
        "7481234567890123456",
        "Congratulations to Oscar Gruffydd, our Mrs Johnstone understudy! #schooltheatre",
        "",
        "Tell Me It's Not True - Blood Brothers Cast",
        "63",
    ),
    (
        "2026-02-27 18:45:02",
        "7476012345678901234",
        "Backstage at the Gwent schools drama festival tonight!",
        "Blackwood Miners' Institute",
        "original sound - DramaIHS",
        "58",
    ),
    (
        "2026-02-02 09:15:27",
        "7466789012345678901",
        "Set design club: the new stage flats are painted. Find out more https://www.islwynhigh.co.uk/drama",
        "",
        "original sound - DramaIHS",
        "22",
    ),
)


def _tiktok_video(date: str, video_id: str, title: str, location: str, sound: str, likes: str) -> dict[str, str]:
    return {
        "Date": date,
        "Link": f"https://www.tiktokv.com/share/video/{video_id}/",
        "Likes": likes,
        "WhoCanView": "Everyone",
        "AllowComments": "Yes",
        "AllowStitches": "No",
        "AllowDuets": "No",
        "AllowStickers": "No",
        "AllowSharingToStory": "Yes",
        "ContentDisclosure": "",
        "AIGeneratedContent": "No",
        "Sound": sound,
        "Location": location,
        "Title": title,
        "AddYoursText": "",
        "AlternateText": "",
        "CoverImage": f"https://p16-sign-va.tiktokcdn.com/obj/tos-maliva-p-0068/cover-{video_id}.jpeg",
    }


def tiktok_export() -> dict[str, object]:
    """The sample's user_data_tiktok.json, as a JSON object."""
    return {
        "Comment": {"Comments": {"App": 1, "CommentsList": None}},
        "Direct Message": {"Direct Messages": {"ChatHistory": {}}},
        "Likes and Favorites": {
            "Favorite Videos": {"App": 1, "FavoriteVideoList": None},
            "Like List": {"App": 1, "ItemFavoriteList": None},
        },
        "Post": {
            "Posts": {"VideoList": [_tiktok_video(*video) for video in TIKTOK_VIDEOS]},
            "Recently Deleted Posts": {"PostList": []},
        },
        "Profile And Settings": {
            "Autofill": {"PhoneNumber": "N/A", "Email": "N/A", "FirstName": "N/A", "LastName": "N/A"},
            "Block List": {"App": 1, "BlockList": None},
            "Follower": {"App": 1, "IsFastLane": False, "FansList": None},
            "Following": {"App": 1, "IsFastLane": False, "Following": None},
            "Profile Info": {
                "App": 1,
                "ProfileMap": {
                    "PlatformInfo": [],
                    "accountRegion": "GB",
                    "bioDescription": "Drama at Islwyn High School 🎭 ICT acceptable use policy: "
                    "https://www.islwynhigh.co.uk/ict-acceptable-use-policy",
                    "birthDate": "N/A",
                    "displayName": "Drama IHS",
                    "emailAddress": "N/A",
                    "followerCount": 212,
                    "followingCount": 3,
                    "instagramLink": "",
                    "likesReceived": "184",
                    "profilePhoto": "https://p16-sign-va.tiktokcdn.com/obj/tos-maliva-avt-0068/dramaihs.jpeg",
                    "profileVideo": "None",
                    "telephoneNumber": "None",
                    "userName": "DramaIHS",
                    "youtubeLink": "",
                },
            },
            "Settings": {
                "App": 1,
                "SettingsMap": {
                    "Allow DownLoad": "On",
                    "Allow Others to Find Me": "On",
                    "App Language": "en",
                    "Filter Comments": "Off",
                    "Personalized Ads": "Off",
                    "Private Account": "Off",
                    "Who Can Duet With Me": "Off",
                    "Who Can Post Comments": "Everyone",
                    "Who Can Send Me Message": "No one",
                    "Who Can Stitch with your videos": "Off",
                    "Who Can View Videos I Liked": "Only me",
                },
            },
        },
        "Your Activity": {
            "Login History": {
                "LoginHistoryList": [
                    {
                        "Date": "2026-03-20 15:58:02",
                        "IP": "192.0.2.41",
                        "DeviceModel": "iPad13,18",
                        "DeviceSystem": "iPadOS 18.3",
                        "NetworkType": "WIFI",
                        "Carrier": "",
                    }
                ]
            },
            "Watch History": {"VideoList": None},
        },
    }


def build_tiktok(out: Path) -> Path:
    target = out / TIKTOK_NAME
    target.unlink(missing_ok=True)
    text = json.dumps(tiktok_export(), indent=2, ensure_ascii=False) + "\n"
    write_zip(target, {"user_data_tiktok.json": text.encode("utf-8")})
    return target


def build(out: Path) -> list[Path]:
    """Writes every sample into `out`, replacing earlier copies; returns what it wrote."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, sample in SAMPLES.items():
        files = sample_files(sample)
        if name in ZIPPED:
            target = out / f"{name}.zip"
            target.unlink(missing_ok=True)
            write_zip(target, files)
        else:
            target = out / name
            shutil.rmtree(target, ignore_errors=True)
            for rel, data in files.items():
                (target / rel).parent.mkdir(parents=True, exist_ok=True)
                (target / rel).write_bytes(data)
        written.append(target)
    written.append(build_tiktok(out))
    return written


# --- Meta "Download your information" exports (JSON) ------------------------------------------------------------------
#
# Shaped like real exports (see docs/connectors-exports.md for the sources each file follows): Meta writes each
# string's UTF-8 bytes as separate \u00XX escapes, which `_meta_json` reproduces, so the samples carry the same
# mis-encoding the connector repairs. The Facebook sample uses the newer layout (your_facebook_activity/...), the
# Instagram one the older (content/posts_1.json), in a zip.

META_EXPORTS = {"HanesIHS-facebook": False, "ihs_music-instagram.zip": True}  # name -> zipped


def _meta_mangle(value: object) -> object:
    """Meta's mis-encoding: each UTF-8 byte of a string becomes one character (written as \\u00XX)."""
    if isinstance(value, str):
        return value.encode("utf-8").decode("latin-1")
    if isinstance(value, list):
        return [_meta_mangle(v) for v in value]
    if isinstance(value, dict):
        return {_meta_mangle(k): _meta_mangle(v) for k, v in value.items()}
    return value


def _meta_json(value: object) -> bytes:
    return json.dumps(_meta_mangle(value), indent=2, ensure_ascii=True).encode("ascii")


def _stamp(text: str) -> int:
    return int(_moment(text).timestamp())


def _exif(upload_ip: str, taken: str, where: tuple[float, float] | None = None) -> dict[str, object]:
    entry: dict[str, object] = {"upload_ip": upload_ip, "taken_timestamp": _stamp(taken)}
    if where:
        entry |= {"latitude": where[0], "longitude": where[1]}
    return {"photo_metadata": {"exif_data": [entry | {"original_width": 16, "original_height": 12}]}}


TREDEGAR_HOUSE = (51.56318, -3.03461)  # a public place; invented visit
BLACKWOOD_STAGE = (51.66790, -3.19650)


def facebook_sample() -> dict[str, bytes]:
    """@HanesIHS, the History department's Facebook Page, as its export's newer layout has it."""
    media = "your_facebook_activity/posts/media/TimelinePhotos_8Xk2Lp0qRz"
    tredegar = f"{media}/431120567_10161234567890123_4412345678901234567_n_10161234567890123.jpg"
    castle = f"{media}/431120999_10161234567899999_4412345678909999999_n_10161234567899999.jpg"
    posts = [
        {
            "timestamp": _stamp("2026-02-27 15:40"),
            "attachments": [
                {
                    "data": [
                        {
                            "media": {
                                "uri": tredegar,
                                "creation_timestamp": _stamp("2026-02-27 15:40"),
                                "media_metadata": _exif("81.2.69.160", "2026-02-27 11:05", TREDEGAR_HOUSE),
                                "title": "Timeline Photos",
                                "description": "Ymweliad â Thŷ Tredegar ar gyfer Dydd Gŵyl Dewi. A visit to Tredegar "
                                "House for St David's Day.",
                            }
                        },
                        {
                            "place": {
                                "name": "Tredegar House",
                                "coordinate": {"latitude": TREDEGAR_HOUSE[0], "longitude": TREDEGAR_HOUSE[1]},
                                "address": "",
                                "url": "https://www.facebook.com/tredegarhousent",
                            }
                        },
                    ]
                }
            ],
            "data": [
                {
                    "post": "Ymweliad â Thŷ Tredegar ar gyfer Dydd Gŵyl Dewi. A visit to Tredegar House for St David's "
                    "Day."
                },
                {"update_timestamp": _stamp("2026-02-27 15:40")},
            ],
            "title": "Hanes IHS was at Tredegar House.",
        },
        {
            "timestamp": _stamp("2026-03-01 09:00"),
            "data": [
                {
                    "post": "Dydd Gŵyl Dewi Hapus! Year 7 have been researching Owain Glyndŵr’s rising this week. "
                    "#DyddGwylDewi"
                }
            ],
            "title": "Hanes IHS updated their status.",
        },
        {
            "timestamp": _stamp("2026-03-04 12:15"),
            "attachments": [
                {"data": [{"external_context": {"url": "https://www.nationalarchives.gov.uk/education/resources/"}}]}
            ],
            "data": [{"post": "Year 13: free source packs for your coursework from the National Archives."}],
            "title": "Hanes IHS shared a link.",
        },
        {
            "timestamp": _stamp("2026-03-12 16:30"),
            "attachments": [
                {
                    "data": [
                        {
                            "media": {
                                "uri": castle,
                                "creation_timestamp": _stamp("2026-03-12 16:30"),
                                "media_metadata": _exif("81.2.69.160", "2026-03-12 10:20"),
                                "title": "Timeline Photos",
                                "description": "Year 8's castle models are on display in the library.",
                            }
                        }
                    ]
                }
            ],
            "data": [{"post": "Year 8's castle models are on display in the library."}],
            "title": "Hanes IHS added a new photo.",
        },
        {"timestamp": _stamp("2026-03-13 08:00"), "data": [{"update_timestamp": _stamp("2026-03-13 08:00")}]},
    ]
    profile = {
        "profile_v2": {
            "name": {"full_name": "Hanes IHS · History at IHS", "first_name": "", "middle_name": "", "last_name": ""},
            "emails": {"emails": ["history@islwynhigh.co.uk"], "previous_emails": [], "pending_emails": []},
            "registration_timestamp": _stamp("2019-06-18 12:02"),
            "username": "HanesIHS",
            "websites": [{"address": AUP}],
            "profile_uri": "https://www.facebook.com/HanesIHS",
        }
    }
    photo = (PHOTOS / "music.jpg").read_bytes()
    return {
        "personal_information/profile_information/profile_information.json": _meta_json(profile),
        "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json": _meta_json(posts),
        tredegar: photo,
        castle: photo,
    }


def instagram_sample() -> dict[str, bytes]:
    """@ihs_music's Instagram account, as its export's older layout has it."""
    stage = "media/posts/202603/431200111_1234567890123456_1122334455667788990_n_17912345678901234.jpg"
    choir = "media/posts/202603/431200222_1234567890129999_1122334455667789999_n_17912345678909999.jpg"
    poster = "media/posts/202603/431200333_1234567890128888_1122334455667788888_n_17912345678908888.jpg"
    story = "media/stories/202603/431200444_1234567890127777_1122334455667787777_n_17912345678907777.jpg"

    def item(uri: str, when: str, where: tuple[float, float] | None = None, title: str = "") -> dict[str, object]:
        exif: list[dict[str, object]] = [{"date_time_original": _moment(when).strftime("%Y:%m:%d %H:%M:%S")}]
        if where:
            exif.insert(0, {"latitude": where[0], "longitude": where[1]})
        out: dict[str, object] = {
            "uri": uri,
            "creation_timestamp": _stamp(when),
            "media_metadata": {"photo_metadata": {"exif_data": exif}},
            "title": title,
            "cross_post_source": {"source_app": "FB"},
        }
        return out

    posts = [
        {
            "media": [item(stage, "2026-03-20 19:45", BLACKWOOD_STAGE), item(choir, "2026-03-20 19:46")],
            "title": "Côr yr ysgol yn canu’n wych heno – diolch i bawb a ddaeth! Our choir at the Spring Concert.",
            "creation_timestamp": _stamp("2026-03-20 21:30"),
        },
        {
            "media": [
                item(
                    poster,
                    "2026-03-02 16:00",
                    title="Tickets for the Spring Concert on 26 March: £3 adults & £1 pupils, from the school office.",
                )
            ]
        },
    ]
    profile = {
        "profile_user": [
            {
                "media_map_data": {"Profile Photo": {"uri": "media/other/profile.jpg", "creation_timestamp": 0}},
                "string_map_data": {
                    "Email": {"href": "", "value": "music@islwynhigh.co.uk", "timestamp": 0},
                    "Username": {"href": "", "value": "ihs_music", "timestamp": 0},
                    "Name": {"href": "", "value": "Cerdd IHS · Music at IHS", "timestamp": 0},
                    "Bio": {
                        "href": "",
                        "value": "Cerddoriaeth yn Ysgol Uwchradd Islwyn: côr, cyngherddau a gwersi.",
                        "timestamp": 0,
                    },
                    "Website": {"href": "", "value": "", "timestamp": 0},
                    "Private Account": {"href": "", "value": "False", "timestamp": 0},
                },
            }
        ]
    }
    photo = (PHOTOS / "music.jpg").read_bytes()
    return {
        "account_information/personal_information.json": _meta_json(profile),
        "content/posts_1.json": _meta_json(posts),
        "content/stories.json": _meta_json({"ig_stories": [item(story, "2026-03-26 18:30", title="Rehearsal!")]}),
        stage: photo,
        choir: photo,
        poster: photo,
        story: photo,
    }


def build_meta(out: Path) -> list[Path]:
    """Writes the Meta export samples into `out`, replacing earlier copies; returns what it wrote."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, files in (("HanesIHS-facebook", facebook_sample()), ("ihs_music-instagram.zip", instagram_sample())):
        target = out / name
        if META_EXPORTS[name]:
            target.unlink(missing_ok=True)
            write_zip(target, files)
        else:
            shutil.rmtree(target, ignore_errors=True)
            for rel, data in files.items():
                (target / rel).parent.mkdir(parents=True, exist_ok=True)
                (target / rel).write_bytes(data)
        written.append(target)
    return written


if __name__ == "__main__":
    for path in build(ARCHIVES):
        print(path)
    for path in build_meta(ARCHIVES):
        print(path)
