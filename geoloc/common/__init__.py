"""The shared base every stage stands on: paths, geodesy, text folding, safe files and photos.

Nothing here knows about stages; every stage may import from here.
"""
