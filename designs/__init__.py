"""perocav.designs"""
