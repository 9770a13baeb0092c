"""Each device's predictions in the manifest are its design point's row of the results table (issue 26)."""

from types import SimpleNamespace

import pandas as pd

from perocav.designs.mask_predictions import predictions


def test_device_predictions_equal_the_results_table_rows():
    table = pd.DataFrame({"period_nm": [380.0, 385.0, 375.0], "duty_cycle": [0.7, 0.7, 0.7],
                          "status": ["ok"] * 3, "model": ["fdtd", "analytic", "rcwa"], "stack": ["s"] * 3,
                          "wavelength_nm": [796.0, 801.4, 791.0], "q_estimate": [2235.0, 2012.0, 2311.0],
                          "threshold_current_density_a_per_cm2": [235.8, 238.7, 238.5],
                          "rank": pd.array([1, pd.NA, 2], dtype="Int64")})
    chosen = [SimpleNamespace(point=SimpleNamespace(params={"period_nm": 380.0, "duty_cycle": 0.7}))]
    devices = [{"device_id": "A01", "group": "rank1", "role": "design", "varied": {}},
               {"device_id": "A02", "group": "rank1", "role": "bracket",
                "varied": {"cavity_params.period_nm": 385.0, "cavity_params.duty_cycle": 0.7}},
               {"device_id": "A03", "group": "rank1", "role": "bracket",
                "varied": {"cavity_params.period_nm": 380.0, "cavity_params.duty_cycle": 0.8}},
               {"device_id": "A04", "group": "rank1", "role": "control", "varied": {}}]
    pred = predictions(devices, table, chosen)
    for dev, row in (("A01", 0), ("A02", 1)):
        for col in ("model", "wavelength_nm", "q_estimate", "threshold_current_density_a_per_cm2"):
            assert pred[dev][col] == table.iloc[row][col], (dev, col)
    assert pred["A01"]["rank"] == 1 and pred["A02"]["rank"] is None
    assert pred["A03"] == {"status": "not computed (outside the sweep)"} and "A04" not in pred
