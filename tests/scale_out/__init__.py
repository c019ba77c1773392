"""Helpers of the two-node test (tests/test_scale_out.py): scratch database, processes on loopback."""
