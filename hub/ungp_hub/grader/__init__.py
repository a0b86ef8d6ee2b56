"""The sandboxed autograder: nbgrader's autograde with execution in throwaway containers.

Entry points: ``run.GradingRun`` (one assignment, parallel, resumable; used by
``ungp grade``), ``limits.SandboxLimits.from_settings``. Inside a sandbox the container runs
``python -m ungp_hub.grader.executor``. Kept free of imports: the executor must start fast.
"""
