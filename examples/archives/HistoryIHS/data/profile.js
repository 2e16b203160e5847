window.YTD.profile.part0 = [
  {
    "profile": {
      "description": {
        "bio": "History department at Islwyn High School. Our ICT Acceptable Use Policy: https://t.co/Hx7aUp01Qz",
        "website": "https://t.co/Hx7aUp01Qz",
        "location": "Blackwood, Wales"
      },
      "avatarMediaUrl": "https://pbs.twimg.com/profile_images/1141012345678901234/avatar_400x400.jpg",
      "headerMediaUrl": "https://pbs.twimg.com/profile_banners/1141012345678901234/1725000000"
    }
  }
]