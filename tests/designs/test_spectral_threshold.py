"""The threshold at the mode's own wavelength (``designs.threshold`` with gain_model "spectral") on both
perovskites: g(lambda_lasing, N_th) Gamma equals the modal threshold gain, the seed model is the paper's formula,
no lasing above the density ceiling says why, and the gain model is part of the design (and its cache key)."""

from __future__ import annotations

import math

import pytest

from perocav.designs.threshold import (GainMaterial, carrier_density_for_gain_per_cm3, threshold_from_material_gain,
                                       threshold_from_modal_gain)
from perocav.fdtd.models.spectral_gain.params import BAND_EDGES
from perocav.fdtd.models.spectral_gain.spectrum import gain_per_cm, gain_spectrum
from perocav.pdk.errors import InputError

LASING_NM = {"MAPbI3": 786.0, "CsPbBr3": 533.0}


@pytest.mark.parametrize("name", ["MAPbI3", "CsPbBr3"])
def test_spectral_threshold_meets_the_modal_gain(name):
    material = GainMaterial()
    thr = threshold_from_modal_gain(material=material, threshold_modal_gain_per_cm=120.0, confinement=0.4,
                                    thickness_nm=150.0, wavelength_nm=LASING_NM[name], perovskite=name)
    assert thr.gain_model == "spectral" and thr.gain_note == ""
    g = float(gain_per_cm(edge=BAND_EDGES[name], wavelength_nm=LASING_NM[name],
                          density_per_cm3=thr.carrier_density_per_cm3))
    assert g * 0.4 == pytest.approx(120.0, rel=1e-8)
    peak = gain_spectrum(edge=BAND_EDGES[name], density_per_cm3=thr.carrier_density_per_cm3).peak_wavelength_nm
    assert thr.gain_peak_detuning_nm == pytest.approx(LASING_NM[name] - peak)
    # the seed's PLQY/current equations on that density (paper eq. 5 with IQE = PLQY)
    assert thr.current_density_A_per_cm2 > 0 and 0 < thr.plqy < 1


@pytest.mark.parametrize("name", ["MAPbI3", "CsPbBr3"])
def test_seed_model_is_the_paper_formula(name):
    material = GainMaterial(gain_model="seed")
    thr = threshold_from_material_gain(material=material, material_gain_per_cm=500.0, thickness_nm=150.0,
                                       wavelength_nm=LASING_NM[name], perovskite=name)
    assert thr.gain_model == "seed" and math.isnan(thr.gain_peak_detuning_nm)
    assert thr.carrier_density_per_cm3 == pytest.approx(5e17 * math.exp(0.5), rel=1e-12)
    assert thr.carrier_density_per_cm3 == carrier_density_for_gain_per_cm3(material=material, gain_per_cm=500.0)


@pytest.mark.parametrize("name", ["MAPbI3", "CsPbBr3"])
def test_no_lasing_above_the_ceiling_says_why(name):
    far_nm = 1239.84198 / (BAND_EDGES[name].gap_ev - 0.25)
    thr = threshold_from_material_gain(material=GainMaterial(max_density_per_cm3=5e18), material_gain_per_cm=500.0,
                                       thickness_nm=150.0, wavelength_nm=far_nm, perovskite=name)
    assert math.isinf(thr.current_density_A_per_cm2) and "no lasing" in thr.gain_note and "5.0e+18" in thr.gain_note


def test_non_perovskite_gain_layer_uses_the_seed():
    thr = threshold_from_material_gain(material=GainMaterial(), material_gain_per_cm=500.0, thickness_nm=150.0,
                                       wavelength_nm=800.0, perovskite=None)
    assert thr.gain_model == "seed"


def test_gain_model_is_validated_and_keyed():
    with pytest.raises((ValueError, InputError)):
        GainMaterial(gain_model="flat")
    with pytest.raises((ValueError, InputError)):
        GainMaterial(temperature_k=1000.0)
    assert GainMaterial().model_dump_json() != GainMaterial(gain_model="seed").model_dump_json()
