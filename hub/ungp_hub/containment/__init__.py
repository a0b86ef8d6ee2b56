"""Network containment of user containers and Dask clusters.

Trainees', analysts' and instructors' containers, dashboards and Dask schedulers and workers run
untrusted code. Their bridges reach the hub's ports on the address they use for the hub (the
users' network gateway), the destinations of the site's allow list, and nothing else: not the
host's other ports, not the LAN, not the cloud metadata address, not the internet.
:mod:`.rules` says what the rules are (pure, unit-tested); :mod:`.iptables` puts them in the
kernel. See docs/security.md ("Network containment") and docs/decisions/network.md.
"""
