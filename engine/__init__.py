"""Vigil's pure rule engine: plain data in, violations and next checks out."""
