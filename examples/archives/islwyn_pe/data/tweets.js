window.YTD.tweets.part0 = [
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1965082700807062912"
          ],
          "editableUntil": "2025-09-08T17:00:00.000Z",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [
          {
            "text": "IslwynPE",
            "indices": [
              "115",
              "124"
            ]
          }
        ],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      },
      "display_text_range": [
        "0",
        "124"
      ],
      "favorite_count": "19",
      "id_str": "1965082700807062912",
      "truncated": false,
      "retweet_count": "6",
      "id": "1965082700807062912",
      "possibly_sensitive": false,
      "created_at": "Mon Sep 08 16:00:00 +0000 2025",
      "favorited": false,
      "full_text": "Extra-curricular clubs for the autumn term: netball, rugby, football &amp; badminton. Timetable on the PE noticeboard. #IslwynPE",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1979475035552413928"
          ],
          "editableUntil": "2025-10-18T10:10:00.000Z",
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
        "67"
      ],
      "favorite_count": "16",
      "id_str": "1979475035552413928",
      "truncated": false,
      "retweet_count": "3",
      "id": "1979475035552413928",
      "possibly_sensitive": false,
      "created_at": "Sat Oct 18 09:10:00 +0000 2025",
      "favorited": false,
      "full_text": "Fixtures update: contact Mr Evans on 07700 900123 for minibus times",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1989747724911606040"
          ],
          "editableUntil": "2025-11-15T18:30:00.000Z",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [
          {
            "text": "IslwynRugby",
            "indices": [
              "144",
              "156"
            ]
          }
        ],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      },
      "display_text_range": [
        "0",
        "156"
      ],
      "favorite_count": "31",
      "id_str": "1989747724911606040",
      "truncated": false,
      "retweet_count": "6",
      "id": "1989747724911606040",
      "possibly_sensitive": false,
      "created_at": "Sat Nov 15 17:30:00 +0000 2025",
      "favorited": false,
      "full_text": "Rugby report: Year 10 beat Blackwood Comp 24-12 on Saturday. Our hooker hit every lineout throw and the pack dominated the scrum. Da iawn bois! #IslwynRugby",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "2013653999420183884"
          ],
          "editableUntil": "2026-01-20T17:45:00.000Z",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [
          {
            "text": "IslwynPE",
            "indices": [
              "73",
              "82"
            ]
          }
        ],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      },
      "display_text_range": [
        "0",
        "82"
      ],
      "favorite_count": "38",
      "id_str": "2013653999420183884",
      "truncated": false,
      "retweet_count": "6",
      "id": "2013653999420183884",
      "possibly_sensitive": false,
      "created_at": "Tue Jan 20 16:45:00 +0000 2026",
      "favorited": false,
      "full_text": "Well done to the Year 8 netball team, through to the county semi-finals! #IslwynPE",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "2019395582165277520"
          ],
          "editableUntil": "2026-02-05T14:00:00.000Z",
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
            "url": "https://t.co/Pe5portsD1",
            "expanded_url": "https://www.islwynhigh.co.uk/sports-day",
            "display_url": "islwynhigh.co.uk/sports-d…",
            "indices": [
              "89",
              "112"
            ]
          }
        ]
      },
      "display_text_range": [
        "0",
        "112"
      ],
      "favorite_count": "33",
      "id_str": "2019395582165277520",
      "truncated": false,
      "retweet_count": "6",
      "id": "2019395582165277520",
      "possibly_sensitive": false,
      "created_at": "Thu Feb 05 13:00:00 +0000 2026",
      "favorited": false,
      "full_text": "Sports Day 2026 is confirmed for Friday 3 July at the Islwyn athletics track. More info: https://t.co/Pe5portsD1",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "2025148489528514592"
          ],
          "editableUntil": "2026-02-21T11:00:00.000Z",
          "editsRemaining": "5",
          "isEditEligible": false
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [
          {
            "name": "Gwent Schools Rugby",
            "screen_name": "GwentSchoolsRugby",
            "indices": [
              "3",
              "21"
            ],
            "id_str": "1122334455667788990",
            "id": "1122334455667788990"
          }
        ],
        "urls": []
      },
      "display_text_range": [
        "0",
        "103"
      ],
      "favorite_count": "0",
      "id_str": "2025148489528514592",
      "truncated": false,
      "retweet_count": "6",
      "id": "2025148489528514592",
      "possibly_sensitive": false,
      "created_at": "Sat Feb 21 10:00:00 +0000 2026",
      "favorited": false,
      "full_text": "RT @GwentSchoolsRugby: U15 county trials this Sunday at 10am. Boots, gumshield and water bottle please!",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "2031452528440885176"
          ],
          "editableUntil": "2026-03-10T20:30:00.000Z",
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
        "86"
      ],
      "favorite_count": "38",
      "id_str": "2031452528440885176",
      "truncated": false,
      "retweet_count": "6",
      "id": "2031452528440885176",
      "possibly_sensitive": false,
      "created_at": "Tue Mar 10 19:30:00 +0000 2026",
      "favorited": false,
      "full_text": "Swimming gala results are in! Thank you to all the parents &amp; carers who came to cheer.",
      "lang": "en"
    }
  }
]