"""One module per input format: read, rename strictly, hand over as text for the checks."""
