"""Big data with Dask: a cluster wherever the notebook runs, catalogue entries as Dask frames.

The same notebook must run on a laptop, in the tests and on the hub: :func:`open_cluster`
asks the hub's Dask Gateway for a cluster when the container was given a gateway address
(``DASK_GATEWAY__ADDRESS``, read by ``dask.config``) and starts a ``LocalCluster`` otherwise.
:func:`entry_frame` reads a catalogue entry as a Dask DataFrame with one partition per data
file, each file's sha256 checked on the worker that reads it, so workers never compute on a
corrupted copy either. Module 1 of the course teaches both (courses/m1-dask).
"""

from .cluster import ClusterUnavailable, gateway_address, open_cluster
from .frames import entry_files, entry_frame

__all__ = [
    "ClusterUnavailable",
    "entry_files",
    "entry_frame",
    "gateway_address",
    "open_cluster",
]
