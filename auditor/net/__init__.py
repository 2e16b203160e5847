"""The one network layer: the HTTP client with its timeouts, retries, deadlines and rate-limit handling (`http`), and
the SSRF guard that every request to an address taken from the outside world goes through (`guard`).

Connectors, the link engine, photo downloads and the blocklist updater all use it; it knows nothing of platforms,
checks or reports."""
