from shegong.casework import idnumber


def test_a_number_with_the_right_check_digit_passes():
    assert idnumber.problem("11010519491231002X") is None


def test_a_lower_case_x_is_accepted_as_upper_case():
    assert idnumber.problem("11010519491231002x") is None
    assert idnumber.normalise(" 11010519491231002x ") == "11010519491231002X"


def test_a_wrong_check_digit_is_named_in_the_message():
    assert "校验位" in idnumber.problem("110105194912310021")


def test_a_short_number_says_how_long_it_is():
    assert "现为17位" in idnumber.problem("11010519491231002")


def test_an_impossible_birth_date_is_refused():
    first17 = "11010519490231002"  # 31 February
    assert "出生日期" in idnumber.problem(first17 + idnumber.check_char(first17))


def test_an_empty_number_asks_for_one():
    assert idnumber.problem("") == "请填写身份证号。"
