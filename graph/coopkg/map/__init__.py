"""The map: where the partners are, as an offline page, a static picture and GeoJSON.

Built on the network projection (same filters, same partnership attributes) plus each
actor's GeoSPARQL point; imports network, store and query, never the CLI.
"""
