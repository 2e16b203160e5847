window.YTD.account.part0 = [
  {
    "account": {
      "email": "music@islwynhigh.co.uk",
      "createdVia": "web",
      "username": "MusicIHS",
      "accountId": "1290123456789012345",
      "createdAt": "2022-02-14T13:20:00.000Z",
      "accountDisplayName": "Music at IHS"
    }
  }
]