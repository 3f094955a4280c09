"""The sample campaign as a snapshot payload (no database), shared by the reports tests."""

import pytest


@pytest.fixture(scope="session")
def sample_payload():
    from mieval.core.indicators import builtin_indicators_frame
    from mieval.demo.campaign import sample_bases, sample_values
    from mieval.reports.build import payload_from_frames

    bases = sample_bases(0)
    values = sample_values(bases, 0)
    values = values.loc[values["value"].astype(str).str.len() > 0].copy()
    values["value"] = values["value"].astype(float)
    values["year"] = values["year"].astype(int)
    payload = payload_from_frames(
        bases, values, builtin_indicators_frame(), name_zh="演示评估", name_en="Demo campaign"
    )
    payload["narrative"]["practices"] = {
        "zh": "充分利用地方科协和全国学会。\n\n按专业与运营互补组建专家组。",
        "en": "Full use of local associations and national societies.\n\nExpert groups formed "
        "for professional and operational complementarity.",
    }
    return payload
