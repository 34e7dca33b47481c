"""Browser visualisation of the trustnet model (Solara/Mesa SolaraViz)."""
