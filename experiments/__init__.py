"""Running and analysing Linli: runs, many-seed runs, statistics, output files and the CLI."""
