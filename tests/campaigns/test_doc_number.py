"""文号: 机关代字〔年份〕序号号, normalised, validated, unique, with a proposed next number."""

import pytest
from django.core.exceptions import ValidationError

from shegong.campaigns.models import normalise_doc_number, parse_doc_number
from shegong.campaigns.services import propose_doc_serial
from tests.factories import make_notice

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed",
    [
        "内民政慈社[2022]3号",
        "内民政慈社【2022】3号",
        "内民政慈社(2022)3号",
        "内民政慈社（2022）3号",
        "内民政慈社［2022］3号",
        "内民政慈社〔2022〕3号",
        " 内民政慈社 〔2022〕 3号 ",
    ],
)
def test_brackets_people_type_become_six_corner_brackets(typed):
    assert normalise_doc_number(typed) == "内民政慈社〔2022〕3号"
    assert parse_doc_number(typed) == ("内民政慈社", 2022, 3)


def test_leading_zero_and_di_are_dropped():
    assert parse_doc_number("南川民发〔2023〕第010号") == ("南川民发", 2023, 10)


@pytest.mark.parametrize(
    "bad",
    [
        "内民政慈社2022年3号",
        "〔2022〕3号",
        "内民政慈社〔22〕3号",
        "内民政慈社〔2022〕号",
        "内民政慈社〔2022〕3",
    ],
)
def test_malformed_numbers_get_a_chinese_explanation(bad):
    with pytest.raises(ValidationError) as e:
        parse_doc_number(bad)
    assert "六角括号" in e.value.messages[0]


def test_a_used_number_is_refused_and_the_next_one_proposed(world):
    make_notice(world.region, "内民政慈社〔2022〕3号")
    with pytest.raises(ValidationError) as e:
        make_notice(world.region, "内民政慈社[2022]3号")
    assert "内民政慈社〔2022〕4号" in str(e.value)


def test_numbering_restarts_each_year_and_per_prefix(world):
    make_notice(world.region, "内民政慈社〔2022〕3号")
    assert propose_doc_serial("内民政慈社", 2022) == 4
    assert propose_doc_serial("内民政慈社", 2023) == 1
    assert propose_doc_serial("包民发", 2022) == 1
    make_notice(world.region, "内民政慈社〔2023〕1号")


def test_a_draft_may_go_without_a_number_but_not_be_issued(world):
    from shegong.campaigns import services

    notice = make_notice(world.region, units=[world.city])
    assert notice.doc_number == ""
    with pytest.raises(ValidationError) as e:
        services.issue_notice(notice=notice, by=world.region_admin)
    assert "请填写文号" in str(e.value)
