"""The offline workshop kit: build it on a connected machine, install it on a bare Debian 12.

A kit is a folder (for a USB stick) holding Debian packages, compressed container images, the
catalogue data, courses and exams, an ``install`` script and a signed ``MANIFEST``. Nothing on
the target is touched before every file's hash and the manifest's signature check out.
"""
