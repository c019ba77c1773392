"""Import sessions of plan documents and plan versions (avenants)."""
