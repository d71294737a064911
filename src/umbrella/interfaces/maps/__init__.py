"""The offline map of `umbrella map` (docs/maps.md): `mapscene` (an exposure result as drawing
primitives in pixels), `maptext` (every label, in English and Japanese), `render` (SVG/HTML and
matplotlib PNG writers) and `mapcmd` (option checks and the atomic write). The geography they
draw is computed in `umbrella.geo`.
"""
