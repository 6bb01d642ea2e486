from onrecord.nlp.quotes import find_quotes


def texts(t):
    return [t[q.start:q.end] for q in find_quotes(t)]


def test_every_common_quote_style():
    t = 'He said "straight" and “curly” and « guillemets » and ‘single’ too.'
    assert texts(t) == ['"straight"', "“curly”", "« guillemets »", "‘single’"]


def test_apostrophes_are_not_quotes():
    t = "It’s the party’s view, he said; don’t ‘quote’ me."
    assert texts(t) == ["‘quote’"]


def test_nested_single_quotes_stay_inside_the_double_quote():
    t = "“They said ‘no’ twice,” she said."
    assert texts(t) == ["“They said ‘no’ twice,”"]


def test_odd_quote_mark_spoils_only_its_own_paragraph():
    t = 'A stray " mark here.\n“Fine,” he said.\n"Also fine," she said.'
    assert texts(t) == ["“Fine,”", '"Also fine,"']


def test_multi_paragraph_quote_pieces_share_a_group():
    t = '“First paragraph of the quote.\n“Second paragraph, closed,” he said.\n“Separate.”'
    qs = find_quotes(t)
    assert [t[q.start:q.end] for q in qs] == ["“First paragraph of the quote.", "“Second paragraph, closed,”",
                                              "“Separate.”"]
    assert qs[0].group == qs[1].group != qs[2].group
    assert not qs[0].closed and qs[1].closed
