"""`shegong export-notice NUMBER --out FILE.docx`: finds the notice by its 文号 however the
brackets were typed, and says clearly, with exit code 2, when there is none."""

import sys

import pytest
from django.core.management import CommandError, call_command

from shegong.manage import main
from tests.documents.docx_xml import document, texts
from tests.factories import make_notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(world):
    return make_notice(world.region, "内民政慈社〔2030〕5号", units=[world.city], issue=True)


def test_it_writes_the_word_file_of_a_number_typed_with_square_brackets(notice, tmp_path, capsys):
    out = tmp_path / "通知.docx"
    call_command("export_notice", "内民政慈社[2030]5号", out=str(out))
    assert texts(document(out.read_bytes()))[1] == "内民政慈社〔2030〕5号"
    assert "已导出“内民政慈社〔2030〕5号" in capsys.readouterr().out


def test_the_issuer_code_narrows_the_search(notice, world, tmp_path):
    out = tmp_path / "n.docx"
    call_command("export_notice", "内民政慈社(2030)5号", out=str(out), issuer=world.region.code)
    assert out.exists()
    with pytest.raises(CommandError) as refused:
        call_command("export_notice", "内民政慈社〔2030〕5号", out=str(out), issuer="150200000000")
    assert "发文单位代码为“150200000000”" in str(refused.value)
    assert refused.value.returncode == 2


def test_an_unknown_number_fails_in_chinese_with_exit_code_2(notice, tmp_path, monkeypatch, capsys):
    out = tmp_path / "none.docx"
    argv = ["shegong", "export-notice", "民办函〔2099〕1号", "--out", str(out)]
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit) as ended:
        main()
    assert ended.value.code == 2
    assert "没有找到文号为“民办函〔2099〕1号”的通知" in capsys.readouterr().err
    assert not out.exists()


def test_a_malformed_number_says_what_a_number_looks_like(notice, tmp_path):
    with pytest.raises(CommandError) as refused:
        call_command("export_notice", "第五号文件", out=str(tmp_path / "x.docx"))
    assert "六角括号" in str(refused.value) and refused.value.returncode == 2
