"""Circular cavities (rings, disks, circular DFBs): whispering-gallery and circular-grating resonances, the shared mode record. No meep import."""
