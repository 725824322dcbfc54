"""Files: networks to and from text and files, in Synaptic's JSON and the formats bridged to it.

Owns: ``synaptic`` (``dumps``/``loads``/``save``/``read``, byte for byte Synaptic's JSON) and the
bridges to other formats.

May import: everything below it: ``errors``, ``document``, ``engine``, ``model``, ``train``.
"""
