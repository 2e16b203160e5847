window.YTD.tweets.part0 = [
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1973415105132435752"
          ],
          "editableUntil": "2025-10-01T16:50:00.000Z",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [
          {
            "text": "IHSMusic",
            "indices": [
              "97",
              "106"
            ]
          }
        ],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      },
      "display_text_range": [
        "0",
        "106"
      ],
      "favorite_count": "41",
      "id_str": "1973415105132435752",
      "truncated": false,
      "retweet_count": "0",
      "id": "1973415105132435752",
      "possibly_sensitive": false,
      "created_at": "Wed Oct 01 15:50:00 +0000 2025",
      "favorited": false,
      "full_text": "Peripatetic lessons for guitar, drums, strings &amp; brass start next week. Letters went home today. #IHSMusic",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1999230207394755672"
          ],
          "editableUntil": "2025-12-11T22:30:00.000Z",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [
          {
            "text": "IHSMusic",
            "indices": [
              "94",
              "103"
            ]
          }
        ],
        "symbols": [],
        "user_mentions": [],
        "urls": [],
        "media": [
          {
            "expanded_url": "https://x.com/MusicIHS/status/1999230207394755672/photo/1",
            "indices": [
              "104",
              "127"
            ],
            "url": "https://t.co/Cc0nc3rt11",
            "media_url": "http://pbs.twimg.com/media/GfT4wYcXEAAq3Nn.jpg",
            "id_str": "1999229704078207328",
            "id": "1999229704078207328",
            "media_url_https": "https://pbs.twimg.com/media/GfT4wYcXEAAq3Nn.jpg",
            "sizes": {
              "thumb": {
                "w": "150",
                "h": "150",
                "resize": "crop"
              },
              "small": {
                "w": "16",
                "h": "12",
                "resize": "fit"
              },
              "medium": {
                "w": "16",
                "h": "12",
                "resize": "fit"
              },
              "large": {
                "w": "16",
                "h": "12",
                "resize": "fit"
              }
            },
            "type": "photo",
            "display_url": "pic.x.com/Cc0nc3rt11",
            "ext_alt_text": "The school choir singing on the stage of the main hall"
          }
        ]
      },
      "display_text_range": [
        "0",
        "127"
      ],
      "favorite_count": "7",
      "id_str": "1999230207394755672",
      "truncated": false,
      "retweet_count": "6",
      "id": "1999230207394755672",
      "possibly_sensitive": false,
      "created_at": "Thu Dec 11 21:30:00 +0000 2025",
      "favorited": false,
      "full_text": "What a night! Thank you to everyone who came to our Christmas concert. The choir were superb. #IHSMusic https://t.co/Cc0nc3rt11",
      "lang": "en",
      "extended_entities": {
        "media": [
          {
            "expanded_url": "https://x.com/MusicIHS/status/1999230207394755672/photo/1",
            "indices": [
              "104",
              "127"
            ],
            "url": "https://t.co/Cc0nc3rt11",
            "media_url": "http://pbs.twimg.com/media/GfT4wYcXEAAq3Nn.jpg",
            "id_str": "1999229704078207328",
            "id": "1999229704078207328",
            "media_url_https": "https://pbs.twimg.com/media/GfT4wYcXEAAq3Nn.jpg",
            "sizes": {
              "thumb": {
                "w": "150",
                "h": "150",
                "resize": "crop"
              },
              "small": {
                "w": "16",
                "h": "12",
                "resize": "fit"
              },
              "medium": {
                "w": "16",
                "h": "12",
                "resize": "fit"
              },
              "large": {
                "w": "16",
                "h": "12",
                "resize": "fit"
              }
            },
            "type": "photo",
            "display_url": "pic.x.com/Cc0nc3rt11",
            "ext_alt_text": "The school choir singing on the stage of the main hall"
          }
        ]
      }
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "2014314602297610696"
          ],
          "editableUntil": "2026-01-22T13:30:00.000Z",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      },
      "display_text_range": [
        "0",
        "93"
      ],
      "favorite_count": "14",
      "id_str": "2014314602297610696",
      "truncated": false,
      "retweet_count": "6",
      "id": "2014314602297610696",
      "possibly_sensitive": false,
      "created_at": "Thu Jan 22 12:30:00 +0000 2026",
      "favorited": false,
      "full_text": "Choir rehearsals move to Thursday lunchtimes in M1 from next week. New voices always welcome!",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "2027051025825402368"
          ],
          "editableUntil": "2026-02-26T17:00:00.000Z",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [
          {
            "text": "Eisteddfod",
            "indices": [
              "90",
              "101"
            ]
          },
          {
            "text": "IHSMusic",
            "indices": [
              "102",
              "111"
            ]
          }
        ],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      },
      "display_text_range": [
        "0",
        "111"
      ],
      "favorite_count": "40",
      "id_str": "2027051025825402368",
      "truncated": false,
      "retweet_count": "6",
      "id": "2027051025825402368",
      "possibly_sensitive": false,
      "created_at": "Thu Feb 26 16:00:00 +0000 2026",
      "favorited": false,
      "full_text": "Eisteddfod practice is in full swing! Our junior choir and harp ensemble sound fantastic. #Eisteddfod #IHSMusic",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "2029487077588037312"
          ],
          "editableUntil": "2026-03-05T10:20:00.000Z",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": [
          {
            "url": "https://t.co/MuS1cAup9x",
            "expanded_url": "http://islwynhigh.co.uk/ICT-acceptable-use-policy/",
            "display_url": "islwynhigh.co.uk/ICT-acce…",
            "indices": [
              "86",
              "109"
            ]
          }
        ]
      },
      "display_text_range": [
        "0",
        "109"
      ],
      "favorite_count": "26",
      "id_str": "2029487077588037312",
      "truncated": false,
      "retweet_count": "0",
      "id": "2029487077588037312",
      "possibly_sensitive": false,
      "created_at": "Thu Mar 05 09:20:00 +0000 2026",
      "favorited": false,
      "full_text": "Please read the school's ICT acceptable use policy before using the music tech suite: https://t.co/MuS1cAup9x",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "2034313882632344848"
          ],
          "editableUntil": "2026-03-18T18:00:00.000Z",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      },
      "display_text_range": [
        "0",
        "90"
      ],
      "favorite_count": "13",
      "id_str": "2034313882632344848",
      "truncated": false,
      "retweet_count": "6",
      "id": "2034313882632344848",
      "possibly_sensitive": false,
      "created_at": "Wed Mar 18 17:00:00 +0000 2026",
      "favorited": false,
      "full_text": "Tickets for the Spring Concert on 26 March: £3 adults &amp; £1 pupils, from the school office.",
      "lang": "en"
    }
  }
]