window.YTD.profile.part0 = [
  {
    "profile": {
      "description": {
        "bio": "Adran Hanes Ysgol Cwm Derwen. Polisi: https://www.ysgolcwmderwen.cymru/polisi-defnydd-derbyniol",
        "website": "https://www.ysgolcwmderwen.cymru",
        "location": ""
      }
    }
  }
]