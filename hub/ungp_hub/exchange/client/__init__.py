"""nbgrader Exchange classes that talk to the hub's exchange service over HTTP.

Selected in the user image's nbgrader configuration (``configure(c, environ)`` in
``ungp_hub.exchange.client.config``) through ``c.ExchangeFactory.*``.
"""
