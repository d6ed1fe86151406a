"""The map: where the partners are, as an offline page, a static picture and GeoJSON.
May import endpoint_store and below (network, query, store, geo, ...); not publish, describe or the other modules of its layer.

Built on the network projection (same filters, same partnership attributes) plus each
actor's GeoSPARQL point; imports network, store and query, never the CLI.
"""
