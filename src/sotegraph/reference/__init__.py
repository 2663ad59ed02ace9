"""Reference data: the classifications and files the other stages look things up in.

``regions`` (Statistics Finland's municipalities, regions and wellbeing counties by year,
with the mergers, and the finding of place names in text), ``themes`` (the SKOS themes and
their YSO matches), ``organisations`` (the authority file of organisations and the matching of
a name against it) and ``funds`` (the structural funds and programme periods). Each gives its
reference graph (``sgid:graph/...``). Extraction uses them as gazetteers, resolution as the
targets of its IRIs, validation as code lists; they use nothing above the language layer
(:mod:`sotegraph.nlp`).
"""
