"""Sample museums for `make demo` and the tests: generated objects, loopback OAI-PMH endpoints, CSV exports.

Not part of the runtime package: the aggregator never imports it.
"""
