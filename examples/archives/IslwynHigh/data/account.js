window.YTD.account.part0 = [
  {
    "account": {
      "email": "office@islwynhigh.co.uk",
      "createdVia": "web",
      "username": "IslwynHigh",
      "accountId": "1034567890123456789",
      "createdAt": "2018-11-02T08:00:00.000Z",
      "accountDisplayName": "Islwyn High School"
    }
  }
]