"""Stage 5, rendering: the report as JSON, GeoJSON and an interactive map. Renderers compute nothing new."""
