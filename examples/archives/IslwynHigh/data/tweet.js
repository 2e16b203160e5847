window.YTD.tweet.part0 = [
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1962417640044291576"
          ],
          "editableUntil": "2025-09-01T08:30:00.000Z",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [
          {
            "text": "BelongBelieveAchieve",
            "indices": [
              "127",
              "148"
            ]
          }
        ],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      },
      "display_text_range": [
        "0",
        "148"
      ],
      "favorite_count": "20",
      "id_str": "1962417640044291576",
      "truncated": false,
      "retweet_count": "6",
      "id": "1962417640044291576",
      "possibly_sensitive": false,
      "created_at": "Mon Sep 01 07:30:00 +0000 2025",
      "favorited": false,
      "full_text": "Croeso! Welcome back to all our pupils. Term starts on Wednesday 3 September for Years 7 and 12, and for everyone on Thursday. #BelongBelieveAchieve",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1991537014997699328"
          ],
          "editableUntil": "2025-11-20T17:00:00.000Z",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [
          {
            "text": "Islwyn",
            "indices": [
              "101",
              "108"
            ]
          }
        ],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      },
      "display_text_range": [
        "0",
        "108"
      ],
      "favorite_count": "33",
      "id_str": "1991537014997699328",
      "truncated": false,
      "retweet_count": "6",
      "id": "1991537014997699328",
      "possibly_sensitive": false,
      "created_at": "Thu Nov 20 16:00:00 +0000 2025",
      "favorited": false,
      "full_text": "Open evening for Year 6 families on Thursday 27 November, 5pm–7:30pm. Come and meet our departments! #Islwyn",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "2001955666130745376"
          ],
          "editableUntil": "2025-12-19T11:00:00.000Z",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [
          {
            "text": "Islwyn",
            "indices": [
              "122",
              "129"
            ]
          }
        ],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      },
      "display_text_range": [
        "0",
        "129"
      ],
      "favorite_count": "27",
      "id_str": "2001955666130745376",
      "truncated": false,
      "retweet_count": "6",
      "id": "2001955666130745376",
      "possibly_sensitive": false,
      "created_at": "Fri Dec 19 10:00:00 +0000 2025",
      "favorited": false,
      "full_text": "School closes for the Christmas holidays at 1:30pm today. Nadolig Llawen &amp; a happy new year from everyone at Islwyn High! #Islwyn",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "2008790703930315712"
          ],
          "editableUntil": "2026-01-07T07:40:00.000Z",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [
          {
            "text": "Islwyn",
            "indices": [
              "100",
              "107"
            ]
          }
        ],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      },
      "display_text_range": [
        "0",
        "107"
      ],
      "favorite_count": "5",
      "id_str": "2008790703930315712",
      "truncated": false,
      "retweet_count": "3",
      "id": "2008790703930315712",
      "possibly_sensitive": false,
      "created_at": "Wed Jan 07 06:40:00 +0000 2026",
      "favorited": false,
      "full_text": "Due to snow, school will open at 10am today. Buses will run 90 minutes later than usual. Stay safe! #Islwyn",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "2021966271083622964"
          ],
          "editableUntil": "2026-02-12T16:15:00.000Z",
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
            "url": "https://t.co/Ap9Bk2Ev7Q",
            "expanded_url": "https://www.islwynhigh.co.uk/parents-evening",
            "display_url": "islwynhigh.co.uk/parents-…",
            "indices": [
              "98",
              "121"
            ]
          }
        ]
      },
      "display_text_range": [
        "0",
        "121"
      ],
      "favorite_count": "12",
      "id_str": "2021966271083622964",
      "truncated": false,
      "retweet_count": "6",
      "id": "2021966271083622964",
      "possibly_sensitive": false,
      "created_at": "Thu Feb 12 15:15:00 +0000 2026",
      "favorited": false,
      "full_text": "Parents' evening for Year 9 is on Thursday 26 February. Book your appointments in the school app: https://t.co/Ap9Bk2Ev7Q",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "2028470378298794464"
          ],
          "editableUntil": "2026-03-02T15:00:00.000Z",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [
          {
            "name": "History at IHS",
            "screen_name": "HistoryIHS",
            "indices": [
              "99",
              "110"
            ],
            "id_str": "1141012345678901234",
            "id": "1141012345678901234"
          }
        ],
        "urls": []
      },
      "display_text_range": [
        "0",
        "128"
      ],
      "favorite_count": "21",
      "id_str": "2028470378298794464",
      "truncated": false,
      "retweet_count": "6",
      "id": "2028470378298794464",
      "possibly_sensitive": false,
      "created_at": "Mon Mar 02 14:00:00 +0000 2026",
      "favorited": false,
      "full_text": "Congratulations to our Year 12 debaters, winners of the Caerphilly schools debating cup! Thanks to @HistoryIHS for the coaching.",
      "lang": "en"
    }
  }
]