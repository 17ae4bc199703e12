"""Evaluation scripts: each measures one part of the toolkit on a public corpus."""
