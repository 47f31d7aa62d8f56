"""Static resolution: which modules and names exist, judged from facts alone."""
