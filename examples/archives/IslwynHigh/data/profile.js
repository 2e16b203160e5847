window.YTD.profile.part0 = [
  {
    "profile": {
      "description": {
        "bio": "Official account of Islwyn High School. Belong, Believe, Achieve.",
        "website": "https://bit.ly/ihs-aup",
        "location": "Blackwood, Caerphilly"
      },
      "avatarMediaUrl": "https://pbs.twimg.com/profile_images/1034567890123456789/avatar_400x400.jpg",
      "headerMediaUrl": "https://pbs.twimg.com/profile_banners/1034567890123456789/1725000000"
    }
  }
]