"""Running the model: one run or many seeds, confidence intervals, atomic output files."""
