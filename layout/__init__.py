"""perocav.layout"""
