"""Results: labelled arrays, the JSON summary, and saving a run to a directory."""
