"""The perovskite's material spectrum: absorption of the unexcited film and gain under excitation as one function
g(lambda, N, T) (physics brief section 9). ``params`` holds the cited per-material numbers, ``absorption`` the band
edge with its Urbach tail (and an Elliott exciton for CsPbBr3), ``carriers`` the quasi-Fermi-level splitting
Delta_mu(N, T) from Fermi-Dirac statistics, ``spectrum`` the van Roosbroeck-Shockley / Lasher-Stern gain and
spontaneous emission, ``threshold`` the density at which a wavelength reaches a material gain, ``window`` the gain window as a result
(where g can exceed a loss floor below the density ceiling), ``stack_window`` a stack's window (the user's
``gain_window_nm`` wins) and the spectrum's choice among several resonances. No meep."""
