"""perocav.fdtd"""
