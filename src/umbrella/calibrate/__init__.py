"""Calibration against the historical record: estimators and the published tables they must
reproduce (issue 3). Pure NumPy/SciPy; nothing here runs the engine."""
