"""Read the text in a photo: find text regions (``detect``), then read clean crops (``reader``).

``langs`` holds the language settings; it is light, so the command line imports it alone.
"""
