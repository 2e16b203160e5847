window.YTD.account.part0 = [
  {
    "account": {
      "email": "pe@islwynhigh.co.uk",
      "createdVia": "web",
      "username": "islwyn_pe",
      "accountId": "1415926535897932384",
      "createdAt": "2021-08-31T18:45:00.000Z",
      "accountDisplayName": "Islwyn PE"
    }
  }
]