"""`atclusters stateaid …` as scripts use it: files in, JSON out, exit codes 0 / 1 / 2."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import undertaking_recorded

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[int, dict | str]:
    from io import StringIO

    out = StringIO()
    try:
        call_command("stateaid", *args, stdout=out)
        code = 0
    except SystemExit as exit:
        code = int(exit.code or 0)
    text = out.getvalue()
    return code, json.loads(text) if "--json" in args else text


@pytest.fixture
def register(tmp_path: Path):
    (tmp_path / "u.csv").write_text(
        "id,name,country,vat\nHOLD,Holding SA,ES,\nA,Alpha SL,ES,\nB,Beta SL,ES,\nC,Gamma,ES,\n"
    )
    (tmp_path / "l.csv").write_text(
        "parent_id,child_id,relation,valid_from,valid_to\n"
        "HOLD,A,voting-majority,2020-01-01,\n"
        "A,B,dominant-influence,2020-01-01,2025-12-31\n"
    )
    (tmp_path / "g.csv").write_text(
        "undertaking_id,grant_date,amount,currency,eur_rate,regulation,instrument,member_state,"
        "granting_authority,reference\n"
        "HOLD,2023-06-16,100000,EUR,1,general,grant,ES,IGAPE,R1\n"
        "B,2024-02-01,2500000,CZK,25,general,grant,ES,IGAPE,R2\n"
        "A,2025-01-10,40000,EUR,1,agriculture,grant,ES,Xunta,R3\n"
        "C,2025-03-01,90000,EUR,1,general,grant,ES,IGAPE,R4\n"
    )
    for kind in ("undertakings", "links", "grants"):
        assert run(f"import-{kind}", str(tmp_path / f"{kind[0]}.csv"))[0] == 0
    return tmp_path


def test_check_json_through_a_chain_of_links_and_the_window(register):
    code, answer = run(
        "check", "--undertaking", "B", "--date", "2025-06-01", "--amount", "200000",
        "--regulation", "general", "--member-state", "ES", "--json",
    )  # fmt: skip
    assert code == 1
    assert answer["group"] == ["A", "B", "HOLD"]
    # 100,000 + 2,500,000 CZK / 25 + 40,000 agricultural: 240,000 against the general ceiling.
    assert answer["counted_aid_eur"] == 240000.0 and answer["ceiling_eur"] == 300000.0
    assert answer["headroom_eur"] == answer["max_grantable_eur"] == 60000.0
    assert answer["window_start"] == "2022-06-01" and answer["window_end"] == "2025-06-01"
    assert answer["allowed"] is False and "all or nothing" in answer["reason"]
    # On 2026-06-17 R1 (2023-06-16) has left the window and B has left the group; on
    # 2026-06-16 the same date three years earlier still counts.
    code, same_day = run(
        "check", "--undertaking", "A", "--date", "2026-06-16", "--amount", "0", "--json"
    )
    assert same_day["counted_aid_eur"] == 140000.0  # R1 100,000 + R3 40,000
    code, later = run(
        "check", "--undertaking", "A", "--date", "2026-06-17", "--amount", "260000", "--json"
    )
    assert code == 0 and later["group"] == ["A", "HOLD"] and later["counted_aid_eur"] == 40000.0


def test_agricultural_check_reports_its_own_ceiling(register):
    code, answer = run(
        "check", "--undertaking", "A", "--date", "2025-06-01", "--amount", "10001",
        "--regulation", "agriculture", "--json",
    )  # fmt: skip
    assert code == 1 and answer["ceiling_eur"] == 50000.0 and answer["headroom_eur"] == 10000.0


def test_merge_and_split_on_the_command_line(register):
    assert run("merge", "--absorbing", "C", "--absorbed", "B", "--date", "2025-04-01")[0] == 0
    _code, merged = run(
        "check", "--undertaking", "C", "--date", "2025-04-01", "--amount", "0", "--json"
    )
    # C's 90,000 + B's own 100,000; not the aid of B's former group (HOLD, A).
    assert merged["counted_aid_eur"] == 190000.0 and merged["headroom_eur"] == 110000.0
    code, _text = run(
        "split", "--source", "C", "--date", "2025-05-01",
        "--successor", "HOLD:100", "--successor", "A:300", "--activity", "R4:HOLD",
    )  # fmt: skip
    assert code == 0
    _code, group = run(
        "check", "--undertaking", "HOLD", "--date", "2025-05-01", "--amount", "0", "--json"
    )
    # R4 (90,000) went with its activity to HOLD; R2 (100,000) is shared 1 : 3 between HOLD
    # and A; with R1 (100,000) and the agricultural R3 (40,000) the group counts 330,000.
    assert group["counted_aid_eur"] == 330000.0 and group["headroom_eur"] == 0.0
    with pytest.raises(CommandError, match="--successor"):
        run("split", "--source", "C", "--date", "2025-05-01", "--successor", "NOPE:1")


def test_gge_json_and_exit_codes():
    code, loan = run(
        "gge", "--instrument", "loan", "--amount", "1500000", "--years", "5",
        "--collateral-share", "0.5", "--json",
    )  # fmt: skip
    assert code == 0 and loan == {
        "eligible": True,
        "gge_eur": 300000.0,
        "method": "safe-harbour",
        "reason": "2023/2831 Art. 4(3)(b): 4% of the amount per year",
    }
    code, guarantee = run(
        "gge", "--instrument", "guarantee", "--amount", "900000", "--years", "5",
        "--guarantee-share", "0.9", "--json",
    )  # fmt: skip
    assert code == 1 and guarantee["eligible"] is False and "80%" in guarantee["reason"]
    with pytest.raises(CommandError, match="--loan-rate"):
        run(
            "gge", "--instrument", "loan", "--amount", "1000", "--years", "2",
            "--method", "reference-rate", "--reference-rate", "0.05",
        )  # fmt: skip


def test_a_bad_file_names_rows_and_writes_nothing(tmp_path):
    bad = tmp_path / "u.csv"
    bad.write_text("id,name,country\nX,Good,ES\n,Missing id,ES\nY,Bad country,E1\n")
    with pytest.raises(CommandError) as error:
        run("import-undertakings", str(bad))
    assert "row 3, column id" in str(error.value) and "row 4, column country" in str(error.value)
    from atclusters.stateaid.models import Undertaking

    assert not Undertaking.objects.exists()


def test_grant_records_or_refuses_and_exports(register, tmp_path):
    code, answer = run(
        "grant", "--undertaking", "C", "--date", "2026-11-20", "--amount", "210001",
        "--member-state", "ES", "--authority", "IGAPE", "--reference", "N1", "--json",
    )  # fmt: skip
    assert code == 1 and answer["recorded"] is False and answer["max_grantable_eur"] == 210000.0
    code, answer = run(
        "grant", "--undertaking", "C", "--date", "2026-11-20", "--amount", "210000",
        "--member-state", "ES", "--authority", "IGAPE", "--reference", "N1", "--json",
    )  # fmt: skip
    assert code == 0 and answer["report_due"] == "2026-12-21"
    output = tmp_path / "register.xml"
    run("export", "--format", "xml", "-o", str(output))
    assert output.read_text().count("<grant>") == 5


def test_gge_premiums_and_beneficiary_conditions_on_the_command_line():
    premium = (
        "gge", "--instrument", "guarantee", "--method", "premium", "--amount", "100000",
        "--years", "1", "--premium", "0", "--base-rate", "0.03", "--json",
    )  # fmt: skip
    # Notice 2008/C 155/02 point 3.3 as corrected: B- 6.3 % → 6,300 / 1.04 = 6,057.69.
    code, b_minus = run(*premium, "--rating", "B-")
    assert code == 0 and b_minus["eligible"] is True and b_minus["gge_eur"] == 6057.69
    code, ccc = run(*premium, "--rating", "CCC")
    assert code == 1 and ccc["eligible"] is False and "CCC+" in ccc["reason"]
    loan = (
        "gge", "--instrument", "loan", "--amount", "500000", "--years", "3",
        "--collateral-share", "0.6", "--json",
    )  # fmt: skip
    code, weak = run(*loan, "--size", "large", "--rating", "CCC+")
    assert code == 1 and "Art. 4(3)(a)" in weak["reason"]
    code, insolvent = run(*loan, "--insolvency-proceedings")
    assert code == 1 and "insolvency" in insolvent["reason"]
    code, fine = run(*loan, "--size", "large", "--rating", "B-")
    assert code == 0 and fine["gge_eur"] == 60000.0  # 4 % × 500,000 × 3
    with pytest.raises(CommandError, match="--rating"):
        run(*loan, "--size", "large")


def test_check_cites_the_regulation_of_the_grant_date(register):
    # 1408/2013 as amended by 2024/3118 applies from 16 December 2024: A's 40,000 of R3 is on
    # 2025-01-10, so on 2024-12-20 nothing agricultural counts and 40,000 ≤ 50,000 fits.
    code, answer = run(
        "check", "--undertaking", "A", "--date", "2024-12-20", "--amount", "40000",
        "--regulation", "agriculture", "--json",
    )  # fmt: skip
    assert code == 0 and answer["ceiling_eur"] == 50000.0
    assert answer["regulation"].startswith("Regulation (EU) No 1408/2013 as amended by 2024/3118")
    # Fishery aid next to R3's 40,000 agricultural aid: 40,000 − 40,000 = 0 left.
    code, fish = run(
        "check", "--undertaking", "A", "--date", "2025-06-01", "--amount", "1",
        "--regulation", "fishery", "--json",
    )  # fmt: skip
    assert code == 1 and fish["max_grantable_eur"] == 0.0
    assert "2023/2391" in fish["regulation"]


def test_as_a_foreign_user_the_command_line_refuses_another_member_state(
    world, spanish_group, tmp_path
):
    day = spanish_group.today.isoformat()
    with pytest.raises(CommandError) as split:
        run(
            "split", "--as", "other-staff", "--source", "ES-CO", "--date", day,
            "--successor", "FR-CO:1",
        )  # fmt: skip
    assert split.value.returncode == 3 and "--source" in str(split.value)
    assert spanish_group.headroom() == 55_000
    with pytest.raises(CommandError) as check:
        run(
            "check", "--as", "other-staff", "--undertaking", "ES-CO", "--date", day,
            "--amount", "0", "--member-state", "ES", "--json",
        )  # fmt: skip
    assert check.value.returncode == 3 and "--member-state" in str(check.value)
    code, french = run(
        "check", "--as", "other-staff", "--undertaking", "ES-CO", "--date", day,
        "--amount", "0", "--json",
    )  # fmt: skip
    assert code == 0 and french["counted_aid_eur"] == 0.0
    with pytest.raises(CommandError) as revoke:
        run("revoke", "--as", "other-staff", "--reference", "ES-2", "--member-state", "ES",
            "--reason", "x")  # fmt: skip
    assert revoke.value.returncode == 2  # not visible: as if there were none
    output = tmp_path / "register.csv"
    run("export", "--as", "other-staff", "-o", str(output))
    exported = output.read_text()
    assert "FR-1" in exported and "ES-1" not in exported and "ES-2" not in exported
    run("export", "-o", str(output))  # the operator: every Member State
    assert all(reference in output.read_text() for reference in ("FR-1", "ES-1", "ES-2"))
    with pytest.raises(CommandError) as unknown:
        run("overdue", "--as", "no-such-user")
    assert unknown.value.returncode == 2 and "--as" in str(unknown.value)


def test_restructurings_are_listed_corrected_and_revoked_on_the_command_line(world, spanish_group):
    undertaking_recorded("ES-NEW")
    day = spanish_group.today.isoformat()
    code, text = run(
        "split", "--as", "staff", "--source", "ES-CO", "--date", day, "--successor", "ES-NEW:1"
    )
    assert code == 0 and spanish_group.headroom() == 205_000
    split_id = int(text.split()[1])
    with pytest.raises(CommandError) as foreign:
        run("revoke-restructuring", "--as", "other-staff", "--id", str(split_id), "--reason", "x")
    assert foreign.value.returncode == 3 and spanish_group.headroom() == 205_000
    code, text = run(
        "correct-restructuring", "--id", str(split_id), "--reason", "half to the holding",
        "--successor", "ES-NEW:1", "--successor", "ES-HOLD:1",
    )  # fmt: skip
    assert code == 0 and spanish_group.headroom() == 130_000
    correction_id = int(text.split()[2])
    code, _text = run(
        "revoke-restructuring", "--as", "staff", "--id", str(correction_id), "--reason", "no split"
    )
    assert code == 0 and spanish_group.headroom() == 55_000
    code, listing = run("restructurings", "--undertaking", "ES-CO", "--json")
    assert [(r["id"], r["entry"], r["in_force"]) for r in listing["restructurings"]] == [
        (split_id, "original", False),
        (correction_id, "correction", False),
        (correction_id + 1, "revocation", False),
    ]
    with pytest.raises(CommandError) as again:
        run("revoke-restructuring", "--id", str(split_id), "--reason", "again")
    assert again.value.returncode == 2 and "--id: this entry was already" in str(again.value)
