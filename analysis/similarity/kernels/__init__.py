"""Compiled (numba) kernels for the large-corpus paths: top-k dot products and passage alignment.

Imported only on the paths that need them, so that small corpora and the tests' reference code never load numba.
The numpy code they speed up, and which the tests hold them equal to, lives in the modules of ``similarity``.
"""
