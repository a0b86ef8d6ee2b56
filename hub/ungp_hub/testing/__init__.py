"""Test harness: drive a real hub, kernels, nbgrader courses and kit targets from tests.

It ships in the package rather than under tests/ because benchmarks use it too and parts run
inside the images (the kit's and Ansible's login check in the hub image, an exchange test's
answers in a user container). No product module imports it
(tests/unit/hub/test_harness_imports.py).
"""
