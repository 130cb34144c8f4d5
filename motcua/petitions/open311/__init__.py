"""Open311 GeoReport v2 for petitions (issue #18): apps, hotlines and other systems file reports
with an API key and read public reports, in JSON and XML. See docs/open311.md."""
