window.YTD.tweets.part1 = [
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "2011108476320867032"
          ],
          "editableUntil": "2026-01-13T17:10:00.000Z",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [
          {
            "text": "GCSEHistory",
            "indices": [
              "143",
              "155"
            ]
          }
        ],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      },
      "display_text_range": [
        "0",
        "155"
      ],
      "favorite_count": "37",
      "id_str": "2011108476320867032",
      "truncated": false,
      "retweet_count": "3",
      "id": "2011108476320867032",
      "possibly_sensitive": false,
      "created_at": "Tue Jan 13 16:10:00 +0000 2026",
      "favorited": false,
      "full_text": "Year 11: GCSE History revision sessions run every Tuesday after school in H3 until Easter. Past papers &amp; mark schemes are on Google Classroom. #GCSEHistory",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "2012079877129147528"
          ],
          "editableUntil": "2026-01-16T09:30:00.000Z",
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
            "name": "Islwyn High PTA",
            "screen_name": "IslwynPTA",
            "indices": [
              "0",
              "10"
            ],
            "id_str": "1310987654321098765",
            "id": "1310987654321098765"
          }
        ],
        "urls": []
      },
      "display_text_range": [
        "0",
        "86"
      ],
      "favorite_count": "16",
      "id_str": "2012079877129147528",
      "truncated": false,
      "retweet_count": "6",
      "id": "2012079877129147528",
      "possibly_sensitive": false,
      "created_at": "Fri Jan 16 08:30:00 +0000 2026",
      "favorited": false,
      "full_text": "@IslwynPTA Thank you for the new textbooks, they are already in use in Year 9 lessons!",
      "lang": "en",
      "in_reply_to_status_id_str": "2011861437776526360",
      "in_reply_to_status_id": "2011861437776526360",
      "in_reply_to_user_id": "1310987654321098765",
      "in_reply_to_user_id_str": "1310987654321098765",
      "in_reply_to_screen_name": "IslwynPTA"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "2018659481813987716"
          ],
          "editableUntil": "2026-02-03T13:15:00.000Z",
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
            "url": "https://t.co/Na7ArcH1vE",
            "expanded_url": "https://www.nationalarchives.gov.uk/education/resources/",
            "display_url": "nationalarchives.gov.uk/e…",
            "indices": [
              "83",
              "106"
            ]
          }
        ]
      },
      "display_text_range": [
        "0",
        "106"
      ],
      "favorite_count": "41",
      "id_str": "2018659481813987716",
      "truncated": false,
      "retweet_count": "6",
      "id": "2018659481813987716",
      "possibly_sensitive": false,
      "created_at": "Tue Feb 03 12:15:00 +0000 2026",
      "favorited": false,
      "full_text": "Year 13: the National Archives has excellent free source packs for your coursework https://t.co/Na7ArcH1vE",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "2028032492960455440"
          ],
          "editableUntil": "2026-03-01T10:00:00.000Z",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [
          {
            "text": "DyddGwylDewi",
            "indices": [
              "85",
              "98"
            ]
          }
        ],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      },
      "display_text_range": [
        "0",
        "98"
      ],
      "favorite_count": "43",
      "id_str": "2028032492960455440",
      "truncated": false,
      "retweet_count": "6",
      "id": "2028032492960455440",
      "possibly_sensitive": false,
      "created_at": "Sun Mar 01 09:00:00 +0000 2026",
      "favorited": false,
      "full_text": "Dydd Gŵyl Dewi Hapus! Year 7 have been researching Owain Glyndŵr's rising this week. #DyddGwylDewi",
      "lang": "en"
    }
  }
]