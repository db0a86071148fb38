from welfare.lib.readability import gulpease


def test_short_sentences_and_short_words_read_easily():
    easy = "Chiedi aiuto. Il Social Point ti aiuta. È gratis."
    hard = (
        "L'amministrazione procede all'individuazione dei beneficiari mediante valutazione multidimensionale "
        "dell'effettiva condizione socioeconomica del richiedente"
    )
    assert gulpease(easy) > 80
    assert gulpease(hard) < 40
    assert gulpease("") == 100.0
