"""What the rule families report beyond the table examples: suggestions, guards, and which
finding wins when two rules see the same spot."""

from shegong.textcheck import NOTICE, check


def _found(text, code):
    return [f for f in check(text, kind=NOTICE) if f.code == code]


def _one(text, code):
    [finding] = _found(text, code)
    return finding


# ---------------------------------------------------------------- punctuation


def test_doubled_marks_keep_the_mark_that_was_meant():
    assert _one("党委领导,、政府负责", "P01").suggestion == "、"
    assert _one("深入贯彻落实,，紧紧围绕", "P01").suggestion == "，"
    assert _one("服务模式,。", "P01").suggestion == "。"


def test_half_width_mark_inside_a_doubled_run_is_not_reported_twice():
    assert [f.code for f in check("党委领导,、政府负责", kind=NOTICE)] == ["P01"]


def test_half_width_marks_in_numbers_times_and_addresses_pass():
    text = "时间为17:00，共1,200人，占3.5%，详见附件：1. 统计表，邮箱mz6946872@163.com。"
    assert _found(text, "P02") == []


def test_half_width_colon_at_the_end_of_a_chinese_line_is_reported():
    finding = _one("各地级以上市民政局:\n现将有关事项通知如下。", "P02")
    assert (finding.text, finding.suggestion) == (":", "：")


def test_quotation_may_run_over_a_paragraph_break():
    assert _found("主题为“五社联\n\n动”等为重点。", "P03") == []


def test_crossed_pairs_report_the_unclosed_opener():
    finding = _one("学习《“五社联动》实务指引。", "P03")
    assert finding.text == "“"


def test_mixed_width_parentheses_pair_with_each_other():
    assert _found("（二）做好宣传。(三)严格监督管理。(四）及时报送。", "P03") == []


def test_straight_quotes_become_opening_then_closing():
    found = _found('开展"一小一老"关爱活动', "P04")
    assert [f.suggestion for f in found] == ["“", "”"]


def test_book_title_marks_around_a_document_title_are_right():
    text = "学习《关于开展第七届巴渝社会工作宣传周活动》的精神和《直通990》节目。"
    assert _found(text, "P06") == []


# ---------------------------------------------------------------- numbers


def test_mixed_numerals_are_rewritten_in_the_standard_form():
    assert _one("投入3亿4千5百万元", "N01").suggestion == "3.45亿"
    assert _one("捐款3千万元", "N01").suggestion == "3000万"
    assert _one("服务1百零8户", "N01").suggestion == "108"


def test_units_and_statistics_written_with_wan_pass():
    text = (
        "步行5千米，培育社会工作专业人才6.79万人，走访82.4万余人次，链接9619万元，累计投入33亿元。"
    )
    assert _found(text, "N01") == []


def test_range_repeats_the_unit_on_both_ends():
    assert _one("筹集13～17万元", "N02").suggestion == "13万元～17万元"
    assert _one("覆盖20至30%的家庭", "N02").suggestion == "20%至30%"


def test_dates_and_seed_figures_are_not_number_errors():
    text = "2022年3月17日至31日，3月24日、31日报送，2020—2022年，约1.5万名持证社工，近5亿元。"
    assert [f for f in check(text, kind=NOTICE) if f.code.startswith("N")] == []


def test_saving_money_is_not_an_approximation():
    assert _found("节约500元左右的开支", "N05") == []


def test_document_number_brackets():
    finding = _one("按照民办函[2022]5号要求", "N08")
    assert (finding.text, finding.suggestion) == ("[2022]", "〔2022〕")


# ---------------------------------------------------------------- words


def test_a_wrong_form_inside_a_right_word_is_not_a_typo():
    assert _found("他自己经常参加志愿服务，各小组各自已完成任务。", "T01") == []


def test_nested_wrong_forms_report_the_longer_one():
    finding = _one("关爱残废人", "T02")
    assert (finding.text, finding.suggestion) == ("残废人", "残疾人")


def test_word_lists_also_match_traditional_spelling():
    finding = _one("解決群眾急難愁判問題", "O01")
    assert finding.text == "急難愁判" and finding.suggestion == "急难愁盼"


def test_incomplete_five_society_list_names_what_is_missing():
    finding = _one("推进社区、社会组织、社工“五社联动”", "O02")
    assert "社区志愿者、社会慈善资源" in finding.message
    assert "“社工”应写全称“社会工作者”" in finding.message
    assert finding.suggestion == "社区、社会组织、社会工作者、社区志愿者、社会慈善资源“五社联动”"


def test_list_in_the_wrong_order_is_found_without_the_term():
    finding = _one("增强政治意识、核心意识、大局意识、看齐意识", "O03")
    assert finding.suggestion == "政治意识、大局意识、核心意识、看齐意识"


def test_part_of_a_longer_list_is_not_a_shorter_term():
    text = (
        "推动创新社区与社会组织、社会工作者、社区志愿者、社会慈善资源的联动机制"
        "（以下简称“五社联动”）"
    )
    assert [f for f in check(text, kind=NOTICE) if f.code in ("O02", "O03")] == []


def test_collocation_suggests_the_right_verb():
    assert _one("增强“四个自信”", "O04").suggestion == "坚定“四个自信”"


def test_particles_leave_nouns_after_de_alone():
    text = "提供有效的服务，感谢大家积极的参与，我们开展的很多活动受到欢迎。"
    assert _found(text, "D01") == []
    assert _one("活动组织的非常好。", "D01").suggestion == "组织得非常"


# ---------------------------------------------------------------- script and web


def test_traditional_runs_are_one_finding_each_with_the_simplified_text():
    finding = _one("構建社會工作格局", "C01")  # 建 and 社 are the same in both scripts
    assert (finding.text, finding.suggestion) == ("構建社會", "构建社会")
    assert [f.text for f in _found("會議在社区三樓", "C01")] == ["會議", "樓"]


def test_traditional_character_inside_pinyin_debris_is_reported_once():
    assert [f.code for f in check("發(fā)展", kind=NOTICE)] == ["E01"]


def test_furniture_is_only_a_short_line():
    long_line = "文章浏览量：" + "社会工作服务" * 20
    assert _found(long_line, "W01") == []
    assert _one("时间：2020-11-24 浏览量：128 次", "W01").suggestion == ""


def test_a_clean_line_with_two_weak_spam_words_is_not_spam():
    assert _found("活动可在线观看回放，播放高清宣传片。", "S01") == []


def test_email_addresses_are_not_links():
    assert _found("电子邮箱：mz6946872@163.com，4934346@qq.com", "W02") == []


def test_mobile_number_in_a_brief_is_masked_in_the_suggestion():
    [finding] = [f for f in check("王奶奶手机13812345678。") if f.code == "I01"]
    assert finding.suggestion == "138****5678"


def test_traditional_run_stops_before_pinyin_debris():
    found = [(f.code, f.text) for f in check("社區活動在發(fā)展中心舉行。", kind=NOTICE)]
    assert found == [("C01", "區活動"), ("E01", "發(fā)"), ("C01", "舉")]


def test_a_link_ends_where_the_chinese_text_resumes():
    assert _one("访问www.example.cn了解详情", "W02").text == "www.example.cn"


def test_a_list_may_join_its_last_item_with_he():
    text = "推进社区、社会组织、社会工作者、社区志愿者和社会慈善资源“五社联动”"
    assert [f for f in check(text, kind=NOTICE) if f.code.startswith("O")] == []


def test_a_particle_before_the_end_of_a_line_is_caught_as_at_the_end_of_the_text():
    assert _one("活动组织的非常好\n下一步打算", "D01").suggestion == "组织得非常"


def test_a_de_phrase_before_the_copula_is_a_subject_not_an_adverbial():
    text = "更重要的是要坚持下去，年轻父母最头疼的是孩子放学后无人照看，老人们最开心的是有人陪。"
    assert _found(text, "D01") == []
    assert _one("社工认真的听讲座。", "D01").suggestion == "认真地听讲"
