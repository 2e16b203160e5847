window.YTD.tweets.part0 = [
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1963508578516026556"
          ],
          "editableUntil": "2025-09-04T08:45:00.000Z",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [
          {
            "text": "IHSHistory",
            "indices": [
              "141",
              "152"
            ]
          }
        ],
        "symbols": [],
        "user_mentions": [],
        "urls": [
          {
            "url": "https://t.co/Hx7aUp01Qz",
            "expanded_url": "https://www.islwynhigh.co.uk/ict-acceptable-use-policy",
            "display_url": "islwynhigh.co.uk/ict-acce…",
            "indices": [
              "117",
              "140"
            ]
          }
        ]
      },
      "display_text_range": [
        "0",
        "152"
      ],
      "favorite_count": "38",
      "id_str": "1963508578516026556",
      "truncated": false,
      "retweet_count": "6",
      "id": "1963508578516026556",
      "possibly_sensitive": false,
      "created_at": "Thu Sep 04 07:45:00 +0000 2025",
      "favorited": false,
      "full_text": "Welcome back, Year 7! Before you log in to our online resources, please read the school's ICT Acceptable Use Policy: https://t.co/Hx7aUp01Qz #IHSHistory",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1978118597639176224"
          ],
          "editableUntil": "2025-10-14T16:20:00.000Z",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [
          {
            "text": "IHSHistory",
            "indices": [
              "126",
              "137"
            ]
          },
          {
            "text": "Blaenavon",
            "indices": [
              "138",
              "148"
            ]
          }
        ],
        "symbols": [],
        "user_mentions": [],
        "urls": [],
        "media": [
          {
            "expanded_url": "https://x.com/HistoryIHS/status/1978118597639176224/photo/1",
            "indices": [
              "149",
              "172"
            ],
            "url": "https://t.co/Pq3Hk9ZtLm",
            "media_url": "http://pbs.twimg.com/media/GaB7pQkWsAAh1Xz.jpg",
            "id_str": "1978118094322627880",
            "id": "1978118094322627880",
            "media_url_https": "https://pbs.twimg.com/media/GaB7pQkWsAAh1Xz.jpg",
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
            "display_url": "pic.x.com/Pq3Hk9ZtLm",
            "ext_alt_text": "Pupils in hard hats and lamps at the entrance to the mine"
          }
        ]
      },
      "display_text_range": [
        "0",
        "172"
      ],
      "favorite_count": "21",
      "id_str": "1978118597639176224",
      "truncated": false,
      "retweet_count": "0",
      "id": "1978118597639176224",
      "possibly_sensitive": false,
      "created_at": "Tue Oct 14 15:20:00 +0000 2025",
      "favorited": false,
      "full_text": "Year 10 went underground at Big Pit National Coal Museum today &amp; learned how mining shaped the Valleys. Diolch to the guides! #IHSHistory #Blaenavon https://t.co/Pq3Hk9ZtLm",
      "lang": "en",
      "extended_entities": {
        "media": [
          {
            "expanded_url": "https://x.com/HistoryIHS/status/1978118597639176224/photo/1",
            "indices": [
              "149",
              "172"
            ],
            "url": "https://t.co/Pq3Hk9ZtLm",
            "media_url": "http://pbs.twimg.com/media/GaB7pQkWsAAh1Xz.jpg",
            "id_str": "1978118094322627880",
            "id": "1978118094322627880",
            "media_url_https": "https://pbs.twimg.com/media/GaB7pQkWsAAh1Xz.jpg",
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
            "display_url": "pic.x.com/Pq3Hk9ZtLm",
            "ext_alt_text": "Pupils in hard hats and lamps at the entrance to the mine"
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
            "1988201285026534300"
          ],
          "editableUntil": "2025-11-11T12:05:00.000Z",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [
          {
            "text": "RemembranceDay",
            "indices": [
              "98",
              "113"
            ]
          },
          {
            "text": "IHSHistory",
            "indices": [
              "114",
              "125"
            ]
          }
        ],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      },
      "display_text_range": [
        "0",
        "125"
      ],
      "favorite_count": "34",
      "id_str": "1988201285026534300",
      "truncated": false,
      "retweet_count": "0",
      "id": "1988201285026534300",
      "possibly_sensitive": false,
      "created_at": "Tue Nov 11 11:05:00 +0000 2025",
      "favorited": false,
      "full_text": "We will remember them. Pupils in Year 8 laid a wreath at the Blackwood war memorial this morning. #RemembranceDay #IHSHistory",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1991544564741730184"
          ],
          "editableUntil": "2025-11-20T17:30:00.000Z",
          "editsRemaining": "5",
          "isEditEligible": false
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [
          {
            "text": "Islwyn",
            "indices": [
              "117",
              "124"
            ]
          }
        ],
        "symbols": [],
        "user_mentions": [
          {
            "name": "Islwyn High School",
            "screen_name": "IslwynHigh",
            "indices": [
              "3",
              "14"
            ],
            "id_str": "1034567890123456789",
            "id": "1034567890123456789"
          }
        ],
        "urls": []
      },
      "display_text_range": [
        "0",
        "124"
      ],
      "favorite_count": "0",
      "id_str": "1991544564741730184",
      "truncated": false,
      "retweet_count": "6",
      "id": "1991544564741730184",
      "possibly_sensitive": false,
      "created_at": "Thu Nov 20 16:30:00 +0000 2025",
      "favorited": false,
      "full_text": "RT @IslwynHigh: Open evening for Year 6 families on Thursday 27 November, 5pm–7:30pm. Come and meet our departments! #Islwyn",
      "lang": "en"
    }
  }
]