"""The public portal has no models of its own: reports are filed through siaga.incidents.intake."""
