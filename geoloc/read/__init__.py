"""Stage 1, reading: what a photo and its words say, before any place is looked up.

``photo`` bytes -> ``metadata`` (EXIF GPS, IPTC, XMP) and ``ocr`` (text spans with boxes);
``mentions`` turns read text (OCR lines, captions) into place-name mentions.
"""
