"""The one network layer: the HTTP client with its timeouts, deadlines and bounded transfers (`http`), the one retry
policy of the product (`retry`, on tenacity), what servers say about slowing down (`ratelimit`), and the SSRF guard
that every request to an address taken from the outside world goes through (`guard`).

Connectors, the link engine, photo downloads, the blocklist updater and mail delivery (the retry policy only) use it; it
imports nothing of connectors, checks or reports. It knows the platforms' documented rate-limit formats, not their
connectors."""
