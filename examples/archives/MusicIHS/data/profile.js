window.YTD.profile.part0 = [
  {
    "profile": {
      "description": {
        "bio": "Music at Islwyn High School: concerts, choir and peripatetic lessons.",
        "website": "https://t.co/MuS1cAup9x",
        "location": "Blackwood, Wales"
      },
      "avatarMediaUrl": "https://pbs.twimg.com/profile_images/1290123456789012345/avatar_400x400.jpg",
      "headerMediaUrl": "https://pbs.twimg.com/profile_banners/1290123456789012345/1725000000"
    }
  }
]