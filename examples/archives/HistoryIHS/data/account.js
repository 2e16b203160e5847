window.YTD.account.part0 = [
  {
    "account": {
      "email": "history@islwynhigh.co.uk",
      "createdVia": "web",
      "username": "HistoryIHS",
      "accountId": "1141012345678901234",
      "createdAt": "2019-06-18T12:02:00.000Z",
      "accountDisplayName": "History at IHS"
    }
  }
]