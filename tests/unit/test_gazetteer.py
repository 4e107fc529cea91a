"""UK place names (privacy/gazetteer.py): a town, village or district is no one's name."""

from privacy.gazetteer import PLACES_FILE, is_uk_place, names_a_place, place_phrases


def test_the_list_holds_the_uk_towns_and_villages_with_its_source():
    lines = PLACES_FILE.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#") and "GeoNames" in lines[0]
    names = set(lines)
    assert {"Ipswich", "Ebbw Vale", "Thornton Heath", "Merthyr Tydfil", "Ashton-under-Lyne"} <= names
    assert len(names) > 5000


def test_a_one_word_place_is_one_unless_it_is_a_first_name_or_surname():
    assert is_uk_place("Middlesbrough") and is_uk_place("pontypridd")
    assert not is_uk_place("Ashley")  # a village, and a first name
    assert not is_uk_place("Barnes")  # a district, and a surname
    assert not is_uk_place("Chloe")


def test_places_of_several_words_are_found_in_any_case_and_with_hyphens():
    text = "from ebbw vale to Ashton-under-Lyne via Thornton Heath"
    assert [text[s:e] for s, e in place_phrases(text)] == ["ebbw vale", "Ashton-under-Lyne", "Thornton Heath"]
    assert place_phrases("he has a vale of tears") == ()


def test_a_word_inside_a_place_name_names_the_place():
    text = "school in Thornton Heath, Heath is my son"
    first, second = text.index("Heath"), text.rindex("Heath")
    assert names_a_place(text, first, first + 5)
    assert not names_a_place(text, second, second + 5)
