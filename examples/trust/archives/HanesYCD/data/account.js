window.YTD.account.part0 = [
  {
    "account": {
      "username": "HanesYCD",
      "accountId": "42",
      "accountDisplayName": "HanesYCD",
      "createdAt": "2020-01-01T00:00:00.000Z",
      "createdVia": "web"
    }
  }
]