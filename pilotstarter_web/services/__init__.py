"""Domain operations. Routes and the API call these; each flushes, the caller commits once."""
