"""Running one piece of work bounded in time and memory (the server's jobs, merge's files).

The machinery is adapters.isolation (processes and rlimits are the operating system's business);
this is the use-case side entry points and the server call, so they never import an adapter.
"""

from __future__ import annotations

from rectify_xl.adapters.isolation import JobBug, JobFailed, JobTimeout, Limits, run_isolated
from rectify_xl.adapters.runfolder import run_folder, start_run

__all__ = ["JobBug", "JobFailed", "JobTimeout", "Limits", "run_folder", "run_isolated", "start_run"]
