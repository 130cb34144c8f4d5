"""The one-stop forms (DOMAIN.md §5): Forms 01–07 of Circular 03/2025/TT-VPCP as PDF.

Renderers take plain dataclasses (``forms.py``) and return PDF bytes; they never import the
dossier aggregate, which sits above this app and builds the dataclasses from a ``Dossier``.
"""
