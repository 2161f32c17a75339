"""Field targets, calibration (ABC-SMC) and the validation scorecard (ODD §9)."""
