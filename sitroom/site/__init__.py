"""The static HTML report: ``sitroom report --db FILE --out DIR``."""
