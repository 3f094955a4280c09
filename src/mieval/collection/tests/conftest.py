import pytest

from mieval.collection.services import campaign_create


def write(path, text: str, encoding: str = "utf-8"):
    path.write_text(text, encoding=encoding)
    return path


BASES_CSV = """code,name_zh,name_en,category,subcategory,province,batch
R1,区域一,Region one,region,urban_district,11,2016
R2,区域二,Region two,region,county,51,2017
U1,高校一,University one,university_institute,st_university,42,2016
"""

VALUES_CSV = """base_code,indicator_code,year,value
R1,new_market_entities,2016,100
R1,new_market_entities,2017,121
R2,new_market_entities,2016,0
R2,new_urban_employment,2016,1.50
U1,univ_ie_education_investment,2017,2046
"""


@pytest.fixture
def campaign(db):
    return campaign_create(code="c2016", first_year=2016, last_year=2018)


@pytest.fixture
def files(tmp_path):
    return {
        "bases": write(tmp_path / "bases.csv", BASES_CSV),
        "values": write(tmp_path / "values.csv", VALUES_CSV),
    }


# The review pages' fixtures: a frozen clock, a media folder, logging a client in.
from mieval.collection.tests.review_helpers import clock, english, login, media  # noqa: E402, F401
