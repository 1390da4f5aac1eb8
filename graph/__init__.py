"""Karabakh KG build: seeds + ontology -> a validated, reasoned, provenance-rich dataset."""

__version__ = "0.1.0"
