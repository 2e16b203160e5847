window.YTD.profile.part0 = [
  {
    "profile": {
      "description": {
        "bio": "PE and school sport at Islwyn High. Acceptable use policy: http://WWW.IslwynHigh.co.uk/ICT-Acceptable-Use-Policy/",
        "website": "",
        "location": ""
      },
      "avatarMediaUrl": "https://pbs.twimg.com/profile_images/1415926535897932384/avatar_400x400.jpg",
      "headerMediaUrl": "https://pbs.twimg.com/profile_banners/1415926535897932384/1725000000"
    }
  }
]