"""Geography: geodesic distances, country shapes, missile classes and the exposure of bases.

Modules: `geodesy` (WGS84 distances, circles, distance to polygons; geographiclib),
`territory` (Natural Earth 110m shapes, US homeland regions), `missiles` (missile classes by
state and year), `exposure` (`compute()`: distances, missiles in range, homeland reach, aircraft
radius coverage; the `umbrella exposure` command). See docs/geography.md.
"""
