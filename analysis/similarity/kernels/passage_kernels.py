"""Compiled candidate filter of ``passages._matches`` (numba, cached on disk after the first compile).

On a pair of reports of a few hundred sentences, the numpy version of the
filter made about ninety small array calls, each costing more to start than
its work: 0.42 ms of the 0.52 ms a pair of allsides took. Here each step is
one merge walk over two reports' sorted hash tables (``passages._Prepared``).

Keys are sentence pairs ``ia * n_b + ib``. Both functions return exactly what
the numpy steps they replace return (the tests compare them on random reports
and on fixtures): they decide only which sentence pairs difflib scores.
"""
import numba
import numpy as np

from analysis.similarity.char_classes import CAPITAL, CLOSE, END, NEWLINE, OPEN, SPACE


@numba.njit(nogil=True, cache=True)
def _walk(a_ids, a_rows, a_mask, b_ids, b_rows, b_mask, n_b, keys, counts):
    """Every (a entry, b entry) with the same id whose sentences both masks keep, key ``ia * n_b + ib``: written
    to ``keys`` if it has room for them, else counted per key in ``counts`` if it has places; returns how many.

    A mask is a boolean array per sentence; an empty one keeps every sentence.
    """
    all_a, all_b = a_mask.shape[0] == 0, b_mask.shape[0] == 0
    write, count = keys.shape[0] > 0, counts.shape[0] > 0
    total = 0
    i = j = 0
    while i < a_ids.shape[0] and j < b_ids.shape[0]:
        x, y = a_ids[i], b_ids[j]
        if x < y:
            i += 1
        elif x > y:
            j += 1
        else:
            i2 = i + 1
            while i2 < a_ids.shape[0] and a_ids[i2] == x:
                i2 += 1
            j2 = j + 1
            while j2 < b_ids.shape[0] and b_ids[j2] == x:
                j2 += 1
            for p in range(i, i2):
                ra = a_rows[p]
                if all_a or a_mask[ra]:
                    for q in range(j, j2):
                        rb = b_rows[q]
                        if all_b or b_mask[rb]:
                            if write:
                                keys[total] = ra * n_b + rb
                            elif count:
                                counts[ra * n_b + rb] += 1
                            total += 1
            i, j = i2, j2
    return total


@numba.njit(nogil=True, cache=True)
def _join_keys(a_ids, a_rows, a_mask, b_ids, b_rows, b_mask, n_b):
    """Keys of every (a entry, b entry) with the same id whose sentences both masks keep, sorted.

    Two walks over the tables, the first counting, so that nothing grows.
    """
    none = np.empty(0, dtype=np.int64)
    out = np.empty(_walk(a_ids, a_rows, a_mask, b_ids, b_rows, b_mask, n_b, none, none), dtype=np.int64)
    if out.shape[0]:
        _walk(a_ids, a_rows, a_mask, b_ids, b_rows, b_mask, n_b, out, none)
    out.sort()
    return out


#: Sentence pairs up to which a pair of reports counts shared entries in an array with a place for every
#: sentence pair rather than by sorting the joined keys (the numpy filter's ``_DENSE_PAIRS``); read at each
#: call, so that tests can take the other way
DENSE_PAIRS = 1 << 16


@numba.njit(nogil=True, cache=True)
def _join_counts(a_ids, a_rows, a_mask, b_ids, b_rows, b_mask, n_b, n_pairs):
    """How many (a entry, b entry) with the same id each sentence pair has (index ``ia * n_b + ib``, ``n_pairs``
    places), counting only sentences both masks keep."""
    counts = np.zeros(n_pairs, dtype=np.int64)
    if n_pairs:
        _walk(a_ids, a_rows, a_mask, b_ids, b_rows, b_mask, n_b, np.empty(0, dtype=np.int64), counts)
    return counts


@numba.njit(nogil=True, cache=True)
def _counts_at(joined, at):
    """How many times each of ``at`` (sorted) occurs in ``joined`` (sorted): one merge walk."""
    counts = np.zeros(at.shape[0], dtype=np.int64)
    j = 0
    for i in range(at.shape[0]):
        key = at[i]
        while j < joined.shape[0] and joined[j] < key:
            j += 1
        k = j
        while k < joined.shape[0] and joined[k] == key:
            k += 1
        counts[i] = k - j
        j = k
    return counts


@numba.njit(nogil=True, cache=True)
def _shared_at(a_ids, a_rows, a_mask, b_ids, b_rows, b_mask, n_a, n_b, at, dense_pairs):
    """How many entries of equal id each sentence pair of ``at`` (sorted keys) shares: counted in an array of
    every sentence pair up to ``dense_pairs`` of them, else by sorting the joined keys."""
    n_pairs = n_a * n_b
    if n_pairs <= dense_pairs:
        return _join_counts(a_ids, a_rows, a_mask, b_ids, b_rows, b_mask, n_b, n_pairs)[at]
    return _counts_at(_join_keys(a_ids, a_rows, a_mask, b_ids, b_rows, b_mask, n_b), at)


@numba.njit(nogil=True, cache=True)
def bigram_candidates(a_ids, a_rows, a_hash, a_single, b_ids, b_rows, b_hash, b_single, n_b, dense_pairs):
    """``(keys, identical, maybe_locked)``: the sentence pairs sharing at least two distinct bigrams (sorted keys),
    whether each pair's sentence hashes are equal, and whether each is also a sentence found once in each report.

    ``*_ids, *_rows``: each report's bigram table; ``*_hash``: each sentence's
    hash of its words; ``*_single``: whether a sentence's words occur once in
    its report. Up to ``dense_pairs`` sentence pairs, shared bigrams are counted in an array; past that, by
    sorting the joined keys.
    """
    none = np.empty(0, dtype=np.bool_)
    n_pairs = a_hash.shape[0] * n_b
    if n_pairs <= dense_pairs:
        counts = _join_counts(a_ids, a_rows, none, b_ids, b_rows, none, n_b, n_pairs)
        joined = np.empty(n_pairs, dtype=np.int64)
        count = 0
        for key in range(n_pairs):
            if counts[key] >= 2:
                joined[count] = key
                count += 1
    else:
        joined = _join_keys(a_ids, a_rows, none, b_ids, b_rows, none, n_b)
        count = 0
        i = 0
        while i < joined.shape[0]:  # runs of equal keys: a key in two or more runs' worth of bigrams is kept
            k = i + 1
            while k < joined.shape[0] and joined[k] == joined[i]:
                k += 1
            if k - i >= 2:
                joined[count] = joined[i]
                count += 1
            i = k
    keys = joined[:count].copy()
    identical = np.empty(count, dtype=np.bool_)
    maybe = np.empty(count, dtype=np.bool_)
    for t in range(count):
        ia, ib = keys[t] // n_b, keys[t] % n_b
        identical[t] = a_hash[ia] == b_hash[ib]
        maybe[t] = identical[t] and a_single[ia] and b_single[ib]
    return keys, identical, maybe


@numba.njit(nogil=True, cache=True)
def keep_candidates(keys, identical, lock_a, lock_b, n_a, n_b, a_lengths, b_lengths,
                    a_tokens, a_token_rows, a_common, b_tokens, b_token_rows, b_common,
                    a_grams, a_gram_rows, b_grams, b_gram_rows, min_copy, test_grams, dense_pairs):
    """Which of ``keys`` difflib must score: those no locked copy claims, and of them, unless identical, those
    whose shared words (with multiplicity) bound the ratio at ``min_copy`` or more, or that share an ``n``-gram.

    ``lock_a`` / ``lock_b``: the sentence each sentence is locked to (-1:
    none; empty arrays: no lock at all). ``*_tokens, *_token_rows``: the
    token tables; ``*_common``: per-sentence counts of the commonest words;
    ``*_grams, *_gram_rows``: the ``n``-gram tables. With ``test_grams`` false
    (``phrase_min_words`` below 2) only the locks filter, as in the numpy code. ``dense_pairs``: as in
    ``bigram_candidates``.
    """
    m = keys.shape[0]
    keep = np.ones(m, dtype=np.bool_)
    locks = lock_a.shape[0] > 0
    tested = 0
    for t in range(m):
        ia, ib = keys[t] // n_b, keys[t] % n_b
        if locks:
            la, lb = lock_a[ia], lock_b[ib]
            keep[t] = (la < 0 or la == ib) and (lb < 0 or lb == ia) and la != ib
        if keep[t] and not identical[t]:
            tested += 1
    if not test_grams or tested == 0:
        return keep
    sub = np.empty(tested, dtype=np.int64)
    where = np.empty(tested, dtype=np.int64)
    in_a = np.zeros(n_a, dtype=np.bool_)
    in_b = np.zeros(n_b, dtype=np.bool_)
    s = 0
    for t in range(m):
        if keep[t] and not identical[t]:
            sub[s], where[s] = keys[t], t
            in_a[keys[t] // n_b] = True
            in_b[keys[t] % n_b] = True
            s += 1
    shared = _shared_at(a_tokens, a_token_rows, in_a, b_tokens, b_token_rows, in_b, n_a, n_b, sub, dense_pairs)
    grams = _shared_at(a_grams, a_gram_rows, in_a, b_grams, b_gram_rows, in_b, n_a, n_b, sub, dense_pairs)
    for s in range(tested):
        ia, ib = sub[s] // n_b, sub[s] % n_b
        words = shared[s]
        for c in range(a_common.shape[1]):
            words += min(a_common[ia, c], b_common[ib, c])
        bound_ok = 2.0 * words / (a_lengths[ia] + b_lengths[ib]) >= min_copy
        keep[where[s]] = bound_ok or grams[s] > 0
    return keep


# ----------------------------------------------------------------- a report's tables (sentence_arrays, _Prepared)

@numba.njit(nogil=True, cache=True)
def _finish(x):
    """splitmix64's finaliser, as ``sentence_arrays._finish``."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


@numba.njit(nogil=True, cache=True)
def split_words(low, starts, ends, min_words, base, length_key):
    """``sentence_arrays.split`` after the code points are lower-cased (``low``, 0: not a word character):
    ``(kept, counts, word_hash, sentence_hash)`` for the spans ``starts, ends``. The same hashes as the numpy
    code: a word's polynomial in ``base`` with its length (``length_key``), finished; a sentence's sum of its
    words' hashes keyed by position, with its length, finished."""
    n_spans = starts.shape[0]
    counts = np.zeros(n_spans, dtype=np.int64)
    for s in range(n_spans):
        inside = False
        for i in range(starts[s], ends[s]):
            if low[i] != 0:
                if not inside:
                    counts[s] += 1
                    inside = True
            else:
                inside = False
    kept = counts >= min_words
    total = 0
    n_kept = 0
    for s in range(n_spans):
        if kept[s]:
            total += counts[s]
            n_kept += 1
    word_hash = np.empty(total, dtype=np.uint64)
    sentence_hash = np.empty(n_kept, dtype=np.uint64)
    k = 0
    t = 0
    for s in range(n_spans):
        if not kept[s]:
            continue
        first = k
        i, end = starts[s], ends[s]
        while i < end:
            if low[i] == 0:
                i += 1
                continue
            h = np.uint64(0)
            length = 0
            while i < end and low[i] != 0:
                h = h * base + np.uint64(low[i])
                length += 1
                i += 1
            word_hash[k] = _finish(h ^ (np.uint64(length) * length_key))
            k += 1
        acc = np.uint64(0)
        for p in range(first, k):
            acc += _finish(word_hash[p] ^ _finish(np.uint64(p - first + 1)))
        sentence_hash[t] = _finish(acc ^ np.uint64(k - first))
        t += 1
    return kept, counts, word_hash, sentence_hash.view(np.int64)


@numba.njit(nogil=True, cache=True)
def _order_by(values, rows):
    """Positions of ``values`` sorted by ``(value, row)``: numba's quicksort (a third of its mergesort's time), then
    each run of equal values put in row order (by insertion when short)."""
    order = np.argsort(values, kind="quicksort")
    start = 0
    n = values.shape[0]
    while start < n:
        end = start + 1
        while end < n and values[order[end]] == values[order[start]]:
            end += 1
        if end - start > 16:  # a sentence repeated many times: many entries of each of its ids
            run = order[start:end].copy()
            order[start:end] = run[np.argsort(rows[run], kind="quicksort")]
            start = end
            continue
        for k in range(start + 1, end):
            moved = order[k]
            j = k - 1
            while j >= start and rows[order[j]] > rows[moved]:
                order[j + 1] = order[j]
                j -= 1
            order[j + 1] = moved
        start = end
    return order


@numba.njit(nogil=True, cache=True)
def _first_of_runs(values, rows):
    """Where a run of equal ``(value, row)`` begins (``passages._run_starts``)."""
    first = np.ones(values.shape[0], dtype=np.bool_)
    for k in range(1, values.shape[0]):
        first[k] = values[k] != values[k - 1] or rows[k] != rows[k - 1]
    return first


@numba.njit(nogil=True, cache=True)
def prepare_tables(word_hash, lengths, sentence_hash, common, pair_mix, mix):
    """``passages._Prepared``'s tables of one report, as its numpy code makes them:
    ``(sentence, single, ids, rows, common_counts, token_ids, token_rows)``. Entries of equal id are in row
    order (the numpy code's, unless two different words' tokens collide, where only the order differs)."""
    n_s = lengths.shape[0]
    n_w = word_hash.shape[0]
    sentence = np.empty(n_w, dtype=np.int64)
    k = 0
    for s in range(n_s):
        for _ in range(lengths[s]):
            sentence[k] = s
            k += 1
    # single: each sentence hash found once
    single = np.ones(n_s, dtype=np.bool_)
    order = np.argsort(sentence_hash, kind="quicksort")
    for t in range(1, n_s):
        if sentence_hash[order[t]] == sentence_hash[order[t - 1]]:
            single[order[t]] = False
            single[order[t - 1]] = False
    # distinct bigrams of each sentence, sorted by (hash, sentence)
    n_b = 0
    for k in range(n_w - 1):
        if sentence[k] == sentence[k + 1]:
            n_b += 1
    # signed hashes made by a cast (the same bits), not by ``view``, whose arrays numba sorts several times slower
    signed = np.empty(n_b, dtype=np.int64)
    gram_rows = np.empty(n_b, dtype=np.int64)
    t = 0
    for k in range(n_w - 1):
        if sentence[k] == sentence[k + 1]:
            signed[t] = np.int64(word_hash[k] * pair_mix + word_hash[k + 1])
            gram_rows[t] = sentence[k]
            t += 1
    order = _order_by(signed, gram_rows)
    by_gram, by_row = signed[order], gram_rows[order]
    first = _first_of_runs(by_gram, by_row)
    ids, rows = by_gram[first], by_row[first]
    # the commonest words counted per sentence, the others numbered by occurrence in their sentence
    width = common.shape[0]
    common_counts = np.zeros((n_s, width), dtype=np.int32)
    which = np.empty(n_w, dtype=np.int64)  # the word's column in common_counts, -1: not a common word
    n_r = 0
    for k in range(n_w):
        x = word_hash[k]
        lo, hi = 0, width - 1  # the first of ``common`` not below x, or the last one
        while lo < hi:
            mid = (lo + hi) // 2
            if common[mid] < x:
                lo = mid + 1
            else:
                hi = mid
        if common[lo] == x:
            which[k] = lo
            common_counts[sentence[k], lo] += 1
        else:
            which[k] = -1
            n_r += 1
    # a word's occurrence number in its sentence: how many times it came before there (sentences are short)
    signed = np.empty(n_r, dtype=np.int64)
    token_rows = np.empty(n_r, dtype=np.int64)
    t = 0
    first = 0  # the sentence's first word
    for s in range(n_s):
        for k in range(first, first + lengths[s]):
            if which[k] >= 0:
                continue
            occurrence = 0
            for j in range(first, k):
                if word_hash[j] == word_hash[k]:
                    occurrence += 1
            signed[t] = np.int64(word_hash[k] * mix + np.uint64(occurrence))
            token_rows[t] = s
            t += 1
        first += lengths[s]
    order = _order_by(signed, token_rows)
    return sentence, single, ids, rows, common_counts, signed[order], token_rows[order]


@numba.njit(nogil=True, cache=True)
def gram_table(word_hash, sentence, n, mix):
    """``passages._Prepared.grams(n)``: each word ``n``-gram inside a sentence, hashed, and its sentence, sorted."""
    count = word_hash.shape[0] - n + 1
    if count <= 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    signed = np.empty(count, dtype=np.int64)
    rows = np.empty(count, dtype=np.int64)
    t = 0
    for k in range(count):
        if sentence[k] == sentence[k + n - 1]:
            v = word_hash[k]
            for j in range(1, n):
                v = v * mix + word_hash[k + j]
            signed[t] = np.int64(v)
            rows[t] = sentence[k]
            t += 1
    signed, rows = signed[:t].copy(), rows[:t].copy()
    order = _order_by(signed, rows)
    return signed[order], rows[order]


@numba.njit(nogil=True, cache=True)
def sentence_bounds(classes):
    """``passages.sentence_spans(text)`` (the punctuation rule, no parse) from the class bits of the text's code
    points (``sentence_arrays._classes``):
    ``(starts, ends)``. A sentence ends after ``. ! ? …`` and any closing quotes or brackets, at whitespace
    followed by a capital or digit (an opening quote or bracket may come first), and at every line break;
    each piece trimmed of whitespace, empty pieces dropped."""
    n = classes.shape[0]
    starts = np.empty(n // 2 + 1, dtype=np.int64)
    ends = np.empty(n // 2 + 1, dtype=np.int64)
    count = 0
    pos = 0
    p = 1
    while p <= n:
        cut, resume = -1, -1
        if p == n:
            cut, resume = n, n
        elif classes[p - 1] & END:
            q = p
            while q < n and classes[q] & CLOSE:
                q += 1
            w = q
            while w < n and classes[w] & SPACE:
                w += 1
            if w > q and w < n and (classes[w] & CAPITAL or (classes[w] & OPEN and w + 1 < n and classes[w + 1] & CAPITAL)):
                cut, resume = p, w
        if cut >= 0:
            # the bound [pos, cut) cut at line breaks, each line trimmed
            s = pos
            while s <= cut:
                e = s
                while e < cut and not classes[e] & NEWLINE:
                    e += 1
                a, b = s, e
                while a < b and classes[a] & SPACE:
                    a += 1
                while b > a and classes[b - 1] & SPACE:
                    b -= 1
                if b > a:
                    starts[count] = a
                    ends[count] = b
                    count += 1
                s = e + 1
            pos = resume
            p = resume + 1 if resume > p else p + 1
            if resume == n:
                break
        else:
            p += 1
    return starts[:count].copy(), ends[:count].copy()


@numba.njit(nogil=True, cache=True)
def same_words(keys, n_b, starts_a, ends_a, low_a, starts_b, ends_b, low_b):
    """Whether sentences ``ia`` of a and ``ib`` of b (keys ``ia * n_b + ib``) have the same words, read on the
    lower-cased code points (``low``, 0: not a word character): the words are the runs of word characters inside a
    sentence's span, so two sentences have the same words when their runs are equal one by one."""
    out = np.zeros(keys.shape[0], dtype=np.bool_)
    for k in range(keys.shape[0]):
        ia, ib = keys[k] // n_b, keys[k] % n_b
        p, p_end, q, q_end = starts_a[ia], ends_a[ia], starts_b[ib], ends_b[ib]
        while True:
            while p < p_end and low_a[p] == 0:
                p += 1
            while q < q_end and low_b[q] == 0:
                q += 1
            if p == p_end or q == q_end:  # equal if both ran out of words
                out[k] = p == p_end and q == q_end
                break
            while p < p_end and q < q_end and low_a[p] != 0 and low_a[p] == low_b[q]:
                p += 1
                q += 1
            if (p < p_end and low_a[p] != 0) or (q < q_end and low_b[q] != 0):  # the two words differ
                break
    return out
