"""`advise_many` releases the GIL: two Python threads advise at the same time."""

import threading


def test_advise_many_from_two_threads(roadmap, assessments):
    expected = [roadmap.advise(a) for a in assessments]
    results = {}
    failures = []

    def work(name):
        try:
            results[name] = roadmap.advise_many(assessments * 20)
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not failures
    assert results["a"] == results["b"] == expected * 20
