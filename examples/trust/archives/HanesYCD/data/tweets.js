window.YTD.tweets.part0 = [
  {
    "tweet": {
      "id_str": "1900000000000000001",
      "full_text": "Taith i Amgueddfa Sain Ffagan heddiw gyda Blwyddyn 8.",
      "created_at": "Tue Oct 14 09:30:00 +0000 2025",
      "entities": {
        "urls": [],
        "user_mentions": [],
        "hashtags": []
      }
    }
  }
]