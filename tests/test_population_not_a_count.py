"""A table of another figure in the population layout is refused, not read as inhabitants.

SCB publishes its socio-economic area types (1–5 per DeSO or RegSO), shares and incomes in the same
PxWeb layout as folkmängd. Read as population, Vårberg would get 3 inhabitants and a rate of
thousands of crimes per 1 000. The reader refuses such a file with a Swedish reason; the command line
says it and exits 2.
"""

from __future__ import annotations

import pytest

from lagesbild.cli import main as cli_main
from lagesbild.errors import InputError
from lagesbild.sources.population import read_population

INDEX_PXWEB = ('"Socioekonomisk områdestyp (1–5) efter region och år"\n\n'
               '"region","2021","2022","2023"\n"0180C3420 Stockholm",2,2,3\n"0180C3430 Stockholm",5,5,5\n'
               '"0180C3440 Stockholm",1,1,1\n\nKälla: SCB\n')
INDEX_BARE = "Område;2022;2023\nVårberg;3;3\nHässelby torg;2;2\nBredäng;4;4\n"
# lines of SCB's RegSO socio-economic index 2022 as downloaded: its header (a BOM, no title, no header word),
# its first four rows and two of Stockholm's
REGSO_INDEX = ("\ufeff,2022\nUpplands Väsby (Bollstanäs),4\nUpplands Väsby (Hammarby-Vaxmyra),4\n"
               "Upplands Väsby (Odenslunda norra-Frestaby-Ekeby),4\nUpplands Väsby (Odenslunda södra-Bredden),4\n"
               "Stockholm (Rinkeby),1\nStockholm (Bromma kyrka),5\n")
SHARE = "Område;År;Andel (%)\nVårberg;2022;23\nBredäng;2022;31\n"


@pytest.mark.parametrize(("text", "said"), [
    (INDEX_PXWEB, "socioekonomisk"), (INDEX_BARE, "9 eller lägre"), (REGSO_INDEX, "alla 6 siffror"),
    ("Område;2022;2023\nVårberg;3;3\n", "9 eller lägre")])
def test_an_index_is_refused(tmp_path, text, said):
    path = tmp_path / "index.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_population(path)
    assert said in str(err.value) and "folkmängd" in str(err.value)


def test_a_share_under_a_counting_header_is_no_population(tmp_path):
    """A title naming a share (or "%") refuses the file even when its column says "Antal"."""
    path = tmp_path / "andel.csv"
    path.write_text("Andel (%) som känner sig otrygga, per område\n" + SHARE.replace("Andel (%)", "Antal"),
                    encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_population(path)
    assert '"andel"' in str(err.value)


def test_a_population_table_that_names_an_index_too_is_read(tmp_path):
    """A folkmängd table whose title also names the index it was made for is still population."""
    path = tmp_path / "folk.csv"
    path.write_text('"Folkmängd per DeSO, för socioekonomiskt index"\n\n"region","2022"\n'
                    '"0180C3420 Stockholm",1834\n"0180C3430 Stockholm",2210\n', encoding="utf-8")
    assert read_population(path)["population"].tolist() == [1834, 2210]


def test_the_cli_says_it_and_exits_2(tmp_path, demo_store_path, monkeypatch, capsys):
    path = tmp_path / "index.csv"
    path.write_text(INDEX_PXWEB, encoding="utf-8")
    monkeypatch.setenv("LAGESBILD_POPULATION_FILE", str(path))
    code = cli_main(["--db", str(demo_store_path), "compare", "--place", "Vårberg",
                     "--periods", "2021–2022", "2022–2023"])
    err = capsys.readouterr().err
    assert code == 2 and "socioekonomisk" in err and "Traceback" not in err
