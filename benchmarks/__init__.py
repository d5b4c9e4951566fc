"""Speed measurements, reported as ratios against a baseline run in the same process."""
