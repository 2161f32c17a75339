"""Sweeps: experiment specs, designs, resumable runs on a pool or Dask, the results store."""
