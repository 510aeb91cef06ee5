import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aman.hashing import index as index_module
from aman.hashing import multiindex
from aman.hashing.codec import from_hex, to_hex
from aman.hashing.index import HashIndex, Layout, brute_force, choose_radii
from aman.hashing.synthetic import clustered_hashes, flip_bits, random_hashes


def same(a, b) -> bool:
    return (
        a.num_queries == b.num_queries
        and np.array_equal(a.query, b.query)
        and np.array_equal(a.id, b.id)
        and np.array_equal(a.distance, b.distance)
    )


def near_queries(bank, n, seed, max_flips=40):
    rng = np.random.default_rng(seed)
    near = flip_bits(bank[rng.integers(0, len(bank), n)], rng.integers(0, max_flips + 1, n), seed=seed)
    return np.concatenate([near, random_hashes(n, seed=seed + 1)])


def with_distance(base, distances, seed):
    """Copies of one hash at exactly the given distances."""
    return flip_bits(np.repeat(base.reshape(1, 4), len(distances), axis=0), np.asarray(distances), seed=seed)


@pytest.mark.parametrize("strategy", ["auto", "probe"])
def test_random_bank_exact_against_brute_force(strategy):
    bank = random_hashes(30_000, seed=1)
    queries = near_queries(bank, 300, seed=2)
    idx = HashIndex.build(bank, strategy=strategy)
    assert choose_radii(Layout.for_size(len(bank)).widths, len(bank), 31) is not None  # the multi-index is used
    result = idx.search(queries)
    expected = brute_force(bank, queries, 31)
    assert len(expected) > 200
    assert same(result, expected)


def test_clustered_bank_exact_against_brute_force():
    bank, originals, _ = clustered_hashes(40_000, seeds=40, max_flips=24, seed=3)
    bank[::97] = bank[5]  # hundreds of copies of one hash
    queries = np.concatenate([near_queries(originals, 100, seed=4, max_flips=24), bank[:20]])
    idx = HashIndex.build(bank)
    assert idx.stats()["distinct_indexed"] < len(bank)
    result = idx.search(queries)
    expected = brute_force(bank, queries, 31)
    assert len(expected) > 10_000
    assert same(result, expected)


@pytest.mark.parametrize("max_distance", [0, 1, 8, 20, 31, 32, 45, 64, 128])
def test_any_max_distance_is_exact(max_distance):
    bank = random_hashes(20_000, seed=5)
    queries = near_queries(bank, 100, seed=6, max_flips=max_distance + 4)
    idx = HashIndex.build(bank, strategy="probe", max_distance=max_distance)
    assert same(idx.search(queries), brute_force(bank, queries, max_distance))


def test_hashes_at_exactly_31_and_32_bits():
    rng = np.random.default_rng(7)
    query = random_hashes(1, seed=8)[0]
    bank = random_hashes(50_000, seed=9)
    near = with_distance(query, [31] * 200 + [32] * 200 + [30, 0, 1], seed=10)
    where = rng.choice(len(bank), len(near), replace=False)
    bank[where] = near
    result = HashIndex.build(bank).search(query.reshape(1, 4))
    found = dict(zip(result.id.tolist(), result.distance.tolist(), strict=True))
    want = {int(w): d for w, d in zip(where, [31] * 200 + [32] * 200 + [30, 0, 1], strict=True) if d <= 31}
    assert found == want


def adversarial(query, widths, radii, spare):
    """A hash whose block distances are radius + 1 everywhere but block `spare` (radius there), or
    everywhere when spare is None: the worst case for the pigeonhole argument."""
    bits = []
    start = 0
    for i, (w, r) in enumerate(zip(widths, radii, strict=True)):
        d = r + 1 if i != spare else r
        bits.extend(range(start, start + d))
        start += w
    mask = np.zeros(4, dtype=np.uint64)
    for b in bits:
        mask[b // 64] |= np.uint64(1) << np.uint64(b % 64)
    return query ^ mask, len(bits)


def test_adversarial_hashes_on_the_pigeonhole_boundary():
    n = 60_000
    bank = random_hashes(n, seed=11)
    query = random_hashes(1, seed=12)[0]
    widths = Layout.for_size(n).widths
    radii = choose_radii(widths, n, 31)
    assert radii is not None and sum(r + 1 for r in radii) == 32
    expect = {}
    for j, r in enumerate(radii):
        if r < 0:
            continue
        h, d = adversarial(query, widths, radii, j)
        assert d == 31
        bank[1000 + j] = h
        expect[1000 + j] = 31
    h32, d32 = adversarial(query, widths, radii, None)
    assert d32 == 32
    bank[5000] = h32
    result = HashIndex.build(bank).search(query.reshape(1, 4))
    assert dict(zip(result.id.tolist(), result.distance.tolist(), strict=True)) == expect
    assert same(result, brute_force(bank, query.reshape(1, 4), 31))


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=3000),
    max_distance=st.integers(min_value=0, max_value=70),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    dup_every=st.integers(min_value=0, max_value=7),
)
def test_property_probe_equals_brute_force(n, max_distance, seed, dup_every):
    bank = random_hashes(n, seed=seed)
    if dup_every:
        bank[::dup_every] = bank[0]
    queries = near_queries(bank, 10, seed=seed ^ 0xABC, max_flips=max_distance + 3)
    idx = HashIndex.build(bank, strategy="probe", max_distance=max_distance)
    assert same(idx.search(queries), brute_force(bank, queries, max_distance))


def test_withdrawal_really_removes():
    bank = random_hashes(20_000, seed=13)
    bank[7] = bank[3]  # two submissions of one image
    idx = HashIndex.build(bank)
    victim = bank[100].copy()
    assert idx.search(victim.reshape(1, 4)).id.tolist() == [100]
    assert idx.remove([100, 999_999]) == 1
    assert idx.search(victim.reshape(1, 4)).id.tolist() == []
    assert not idx.contains([100])[0] and idx.contains([101])[0]
    with pytest.raises(KeyError):
        idx.get_hash(100)
    # the withdrawn bits are no longer held anywhere in the index
    stored = np.concatenate([s.hashes for s in idx._segments])
    assert not (stored == victim).all(axis=1).any()
    assert len(idx) == len(bank) - 1
    assert idx.remove([100]) == 0  # twice is a no-op
    # identical hashes: removing one submission keeps the other matching, removing both removes it
    shared = bank[3].copy()
    idx.remove([3])
    assert idx.search(shared.reshape(1, 4)).id.tolist() == [7]
    idx.remove([7])
    assert idx.search(shared.reshape(1, 4)).id.tolist() == []
    stored = np.concatenate([s.hashes for s in idx._segments])
    assert not (stored == shared).all(axis=1).any()
    # compaction keeps ids and drops the withdrawn entries for good
    idx.compact()
    keep = np.ones(len(bank), dtype=bool)
    keep[[3, 7, 100]] = False
    hashes, ids = idx.export()
    assert np.array_equal(ids, np.flatnonzero(keep)) and np.array_equal(hashes, bank[keep])
    queries = near_queries(bank, 200, seed=14)
    expected = brute_force(bank[keep], queries, 31)
    expected.id = np.flatnonzero(keep)[expected.id]
    assert same(idx.search(queries), expected)


def test_add_segments_ids_and_merge():
    idx = HashIndex()
    parts = [random_hashes(3000 + i, seed=20 + i) for i in range(12)]
    given_ids = []
    for p in parts:
        given_ids.append(idx.add(p))
    assert len(idx._segments) <= index_module._MAX_SEGMENTS + 1
    allh = np.concatenate(parts)
    assert np.array_equal(np.concatenate(given_ids), np.arange(len(allh)))
    queries = near_queries(allh, 200, seed=40)
    assert same(idx.search(queries), brute_force(allh, queries, 31))
    with pytest.raises(ValueError, match="already"):
        idx.add(parts[0][:2], ids=[0, 10**9])
    new = idx.add(to_hex(parts[0][:2]), ids=[10**12, 5 * 10**11])
    assert sorted(new.tolist()) == [5 * 10**11, 10**12]
    assert idx.search(parts[0][:1]).id.tolist() == [0, 10**12]


def test_explicit_ids_any_order_and_validation():
    bank = random_hashes(5000, seed=50)
    ids = np.random.default_rng(1).permutation(10**6)[:5000] + 10**9
    idx = HashIndex.build(bank, ids=ids)
    res = idx.search(bank[:50])
    assert res.id.tolist() == ids[:50].tolist()
    assert idx.get_hash(int(ids[3])) == to_hex(bank[3:4])[0]
    with pytest.raises(ValueError, match="unique"):
        HashIndex.build(bank[:2], ids=[4, 4])
    with pytest.raises(ValueError, match="non-negative"):
        HashIndex.build(bank[:2], ids=[-1, 4])
    with pytest.raises(ValueError):
        HashIndex.build(bank[:2], ids=[1])
    with pytest.raises(ValueError):
        HashIndex(max_distance=300)


def test_compact_postings_and_partitioned_build(monkeypatch):
    """The 10-million layout (3-byte postings, build in key-range parts), exercised small."""
    monkeypatch.setattr(multiindex, "_COMPACT_POSTINGS_ABOVE", 1000)
    monkeypatch.setattr(multiindex, "_KEY_CHUNK", 4096)
    bank = random_hashes(20_000, seed=60)
    bank[::50] = bank[3]  # duplicates: only representatives go into the postings
    idx = HashIndex.build(bank)
    assert isinstance(idx._segments[0].post[0], tuple)
    queries = near_queries(bank, 200, seed=61)
    assert same(idx.search(queries), brute_force(bank, queries, 31))


def test_save_and_load(tmp_path):
    bank = random_hashes(10_000, seed=70)
    bank[5] = bank[6]
    idx = HashIndex.build(bank, max_distance=20)
    idx.remove([9])
    idx.save(tmp_path / "ix")
    queries = near_queries(bank, 100, seed=71)
    for mmap in (False, True):
        loaded = HashIndex.load(tmp_path / "ix", mmap=mmap)
        assert loaded.max_distance == 20
        assert same(loaded.search(queries), idx.search(queries))
        loaded.remove([10])
        assert not loaded.contains([9, 10]).any()
    assert HashIndex.load(tmp_path / "ix").contains([10])[0]  # the copy on disk is unchanged


def test_empty_and_tiny_inputs():
    idx = HashIndex()
    assert len(idx.search(random_hashes(3, seed=1))) == 0
    idx.add(np.zeros((0, 4), dtype=np.uint64))
    assert len(idx) == 0
    one = from_hex(["ff" * 32])
    idx.add(one)
    assert idx.match("ff" * 32)[0].distance == 0
    assert idx.search(np.zeros((0, 4), dtype=np.uint64)).num_queries == 0
    assert idx.search(one, max_distance=0).as_lists() == [[index_module.Match(0, 0)]]


def test_huge_import_then_match(tmp_path):
    """A 400,000-line list with a few bad lines: read, indexed and matched exactly."""
    from aman.hashing.codec import read_hash_file

    bank = random_hashes(400_000, seed=80)
    lines = to_hex(bank)
    for i in (7, 123_456, 399_999):
        lines[i] = "pdq " + lines[i][:-1]  # truncated: malformed
    path = tmp_path / "huge.txt"
    path.write_text("\n".join("pdq " + line if i % 3 == 0 else line for i, line in enumerate(lines)), encoding="utf-8")
    parsed = read_hash_file(path)
    assert parsed.error_count == 3 and len(parsed.hashes) == 400_000 - 3
    idx = HashIndex.build(parsed.hashes, ids=parsed.lines)
    keep = np.ones(len(bank), dtype=bool)
    keep[[7, 123_456, 399_999]] = False
    queries = near_queries(bank, 100, seed=81)
    expected = brute_force(bank[keep], queries, 31)
    expected.id = np.flatnonzero(keep)[expected.id]
    assert same(idx.search(queries), expected)


def test_mass_withdrawal_rebuilds_the_segment():
    bank = random_hashes(20_000, seed=90)
    idx = HashIndex.build(bank)
    gone = np.arange(0, 20_000, 3)  # a third withdrawn
    assert idx.remove(gone) == len(gone)
    assert idx._segments[0].n == 20_000 - len(gone)  # rebuilt: the withdrawn are not even in the postings
    keep = np.ones(len(bank), dtype=bool)
    keep[gone] = False
    queries = np.concatenate([bank[:30], near_queries(bank, 100, seed=91)])
    expected = brute_force(bank[keep], queries, 31)
    expected.id = np.flatnonzero(keep)[expected.id]
    assert same(idx.search(queries), expected)
    assert idx.remove(np.arange(20_000)) == keep.sum()
    assert len(idx) == 0 and idx._segments == []
    assert len(idx.search(queries)) == 0


def test_match_any_takes_the_best_variant_per_hash():
    base = random_hashes(1, seed=100)
    bank = np.concatenate([flip_bits(np.repeat(base, 3, axis=0), np.array([3, 10, 40]), seed=101), random_hashes(500)])
    idx = HashIndex.build(bank)
    variants = [to_hex(base)[0], to_hex(bank[1:2])[0], to_hex(random_hashes(1, seed=102))[0]]
    got = idx.match_any(variants)
    assert [(m.id, m.distance) for m in got] == [(1, 0), (0, 3)]
