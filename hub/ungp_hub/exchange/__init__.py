"""The nbgrader exchange as a hub service: no shared folder between user containers.

The server side (``service``, ``store``, ``access``) runs next to the hub and keeps every
release, submission and feedback file under STATE_DIR/exchange; the client side
(``ungp_hub.exchange.client``) is a set of nbgrader Exchange classes used inside containers.
"""
