"""Dispersion of stack regions: n_eff(lambda) tables and group indices, modal loss alpha(lambda). No meep import."""
