# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""tools/benchmark.py: the order of the no-op series, how its ratios are summarized, and how part 4
plans, scales and labels its sampled runs.

The benchmark itself runs outside the test suite (its request budgets are tested by the
benchmark_smoke target); these are the parts whose arithmetic decides what it prints as met.
"""

from __future__ import annotations

import importlib.util
import os
import types

import pytest

# tests/unit/tools/test_benchmark.py -> collection root
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
BENCHMARK = os.path.join(ROOT, 'tools', 'benchmark.py')


@pytest.fixture(name='bench', scope='module')
def fixture_bench():
    if not os.path.exists(BENCHMARK):
        pytest.skip('tools/benchmark.py is not in this copy of the collection (an installed build)')
    spec = importlib.util.spec_from_file_location('prefect_cloud_benchmark', BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _slice(ping, service_account, workspace_access, cpu_factor=1.0, module=3.0, uri=1.5):
    """One slice of the no-op series; the module-path task takes ``module`` x and one uri call
    ``uri`` x the controller-path service_account task."""
    return {'order': ('floor', 'service_account', 'workspace_access', 'service_account_module', 'uri_call'),
            'ping': ping, 'service_account': service_account, 'workspace_access': workspace_access,
            'service_account_module': service_account * module, 'uri_call': service_account * uri,
            'ping_cpu': ping * cpu_factor, 'service_account_cpu': service_account * cpu_factor,
            'workspace_access_cpu': workspace_access * cpu_factor,
            'service_account_module_cpu': service_account * module * cpu_factor,
            'uri_call_cpu': service_account * uri * cpu_factor}


def _run(per_item, cpu, requests=0):
    return {'per_item': per_item, 'cpu': cpu, 'requests': requests, 'writes': 0,
            'service_account': per_item / 2, 'workspace_access': per_item / 2}


def _row(slices, n=200, round_=1):
    return {'n': n, 'pipelining': False, 'round': round_, 'load': 1.0, 'slices': slices,
            'ping': sorted(piece['ping'] for piece in slices)[len(slices) // 2],
            'ping_cpu': sorted(piece['ping_cpu'] for piece in slices)[len(slices) // 2],
            'collection_create': _run(0.3, 0.3, 6 * n), 'collection_no-op': _run(0.3, 0.3, 3 * n),
            'modules_create': _run(0.5, 0.5, 8 * n), 'modules_no-op': _run(0.5, 0.5, 3 * n),
            'uri_create': _run(1.0, 1.2, 3 * n + 2), 'uri_no-op': _run(0.7, 0.8, 2 * n + 2)}


def test_slice_order_rotates_so_each_loop_takes_each_place_equally_often(bench):
    size = len(bench.NOOP_SERIES)
    orders = [bench.slice_order(index) for index in range(2 * size)]
    assert all(sorted(order) == sorted(bench.NOOP_SERIES) for order in orders)
    for place in range(size):
        firsts = [order[place] for order in orders]
        assert sorted(firsts) == sorted(bench.NOOP_SERIES * 2)
    assert len(set(orders[:size])) == size and orders[0] == orders[size]


def test_each_slice_is_compared_with_its_own_floor(bench):
    # the machine slows down by half in the second slice: the floor and the modules alike
    rows = [_row([_slice(0.20, 0.24, 0.25), _slice(0.30, 0.36, 0.375)])]
    assert bench.slice_ratios(rows, 'service_account') == pytest.approx([1.2, 1.2])
    assert bench.slice_ratios(rows, 'workspace_access', cpu=True) == pytest.approx([1.25, 1.25])


def test_summary_pools_the_slices_of_every_round(bench):
    rows = [_row([_slice(0.2, 0.22, 0.24), _slice(0.2, 0.30, 0.25)], round_=1),
            _row([_slice(0.2, 0.24, 0.26)], round_=2)]
    (summary,) = bench.summarize(rows)
    assert summary['rounds'] == 2 and summary['slices'] == 3
    assert summary['sa_noop'] == pytest.approx(1.2)            # median of 1.1, 1.5, 1.2
    assert summary['sa_noop_range'] == pytest.approx((1.1, 1.5))
    assert summary['wa_noop_cpu'] == pytest.approx(1.25)       # median of 1.2, 1.25, 1.3
    assert summary['uri_noop_cpu'] == pytest.approx(0.3 / 0.8)


def test_summary_groups_by_n(bench):
    rows = [_row([_slice(0.2, 0.22, 0.24)], n=10), _row([_slice(0.2, 0.3, 0.3)], n=200)]
    summary = bench.summarize(rows)
    assert [entry['n'] for entry in summary] == [10, 200]
    assert [entry['sa_noop'] for entry in summary] == pytest.approx([1.1, 1.5])
    assert [entry['req_noop'] for entry in summary] == [3, 3]


def test_target_line_reports_the_worse_module_and_the_spread(bench, capsys):
    rows = [_row([_slice(0.2, 0.22, 0.28), _slice(0.2, 0.24, 0.30), _slice(0.2, 0.22, 0.24)])]
    bench.print_summary(rows)
    out = capsys.readouterr().out
    # workspace_access is the worse: median 1.4, slices 1.2-1.5
    assert 'target no-op task in the controller <= 0.5x ping floor (N=200, pipelining off, wall, worse of the two ' \
           'modules, median of 3 slices, load average 1.0): 1.40x (slices 1.20-1.50) -> NOT MET' in out
    assert 'target collection playbook <= 0.5x uri playbook (N=200, pipelining off, CPU' in out
    # per task: service_account in the controller 1.1x, 1.2x, 1.1x ping (median 1.1); as a module
    # process 3x that; one uri call 1.5x that
    assert 'N=200 pipelining off: service_account no-op in the controller 1.10x / 1.10x; as a module process ' \
           '3.30x / 3.30x; one ansible.builtin.uri call 1.65x / 1.65x; controller/uri 0.67 / 0.67' in out


def test_fleet_budget_grows_with_pages_not_n(bench):
    # ceil((N+1)/200) account pages, as many grant pages in the one workspace, workspaces and roles
    assert bench.fleet_budget(5) == 4
    assert bench.fleet_budget(199) == 4
    assert bench.fleet_budget(200) == 6  # a full last page costs one more (empty) page
    assert bench.fleet_budget(1000) == 14
    assert bench.fleet_budget(5000) == 54


def _fleet_row(n, fleet_noop, loop_noop=None, requests=14):
    way = {'create': {'seconds': 1.0, 'requests': n + 5, 'writes': n + 1},
           'no-op': {'seconds': fleet_noop, 'requests': requests, 'writes': 0}}
    other = None if loop_noop is None else {'create': {'seconds': 100.0, 'requests': 3 * n, 'writes': 2 * n},
                                            'no-op': {'seconds': loop_noop, 'requests': 3 * n, 'writes': 0}}
    return {'n': n, 'fleet': way, 'loop': other, 'uri': other}


def test_fleet_targets_are_reported_and_a_budget_overrun_fails(bench, capsys):
    fake = types.SimpleNamespace(failures=[])
    bench.print_fleet(fake, [_fleet_row(1000, 2.0, 100.0), _fleet_row(5000, 7.0)])
    out = capsys.readouterr().out
    assert 'target no-op of 1000 accounts in one task <= 15 requests: 14 -> MET' in out
    assert 'target fleet no-op <= 0.05x loop (N=1000, wall): 0.020x -> MET' in out
    assert 'target fleet no-op <= 0.02x uri (N=1000, wall): 0.020x -> MET' in out
    assert 'target fleet no-op <= 0.05x loop (N=5000): not measured' in out
    assert fake.failures == []
    bench.print_fleet(fake, [_fleet_row(1000, 2.0, 10.0, requests=16)])
    out = capsys.readouterr().out
    assert '-> NOT MET' in out
    assert len(fake.failures) == 2  # over the page budget, and over the 15-request target


# --------------------------------------------------------------------------------------------
# Part 4: sampled runs (K of the N accounts), their scaling, their check and their labels

F3 = {'loop_max': 100, 'uri_max': None, 'noop_max': 1000, 'sample': 100}


def _plan(bench, way, n, **options):
    opts = dict(F3, **options)
    return bench.fleet_plan(way, n, opts['loop_max'], opts['uri_max'], opts['noop_max'], opts['sample'],
                            opts.get('noop_only', False), opts.get('uri_noop_max'))


def test_fleet_plan_measures_in_full_what_fits_and_samples_the_rest(bench):
    for way in ('loop', 'uri'):
        assert _plan(bench, way, 100) == {'create': 'full', 'no-op': 'full'}
        assert _plan(bench, way, 1000) == {'create': 'sample', 'no-op': 'full'}
        assert _plan(bench, way, 5000) == {'create': 'sample', 'no-op': 'sample'}
    for n in (100, 1000, 5000):
        assert _plan(bench, 'fleet', n) == {'create': 'full', 'no-op': 'full'}


def test_fleet_plan_without_a_sample_leaves_the_rest_unmeasured(bench):
    assert _plan(bench, 'loop', 5000, sample=0) == {'create': None, 'no-op': None}
    assert _plan(bench, 'loop', 1000, sample=0) == {'create': None, 'no-op': 'full'}
    # a sample of K >= N is no sample
    assert _plan(bench, 'loop', 200, sample=200) == {'create': None, 'no-op': 'full'}
    assert _plan(bench, 'uri', 100, noop_only=True) == {'create': None, 'no-op': 'full'}


def test_fleet_plan_uri_max_and_a_noop_max_below_the_full_max(bench):
    assert _plan(bench, 'uri', 500, uri_max=50, loop_max=500) == {'create': 'sample', 'no-op': 'full'}
    assert _plan(bench, 'loop', 500, uri_max=50, loop_max=500) == {'create': 'full', 'no-op': 'full'}
    # the no-op is never measured in a smaller way than the first run
    assert _plan(bench, 'loop', 500, loop_max=500, noop_max=10) == {'create': 'full', 'no-op': 'full'}


def test_fleet_plan_uri_noop_max(bench):
    # the uri no-op at N=1000 sampled, the loop's in full
    assert _plan(bench, 'uri', 1000, uri_noop_max=100) == {'create': 'sample', 'no-op': 'sample'}
    assert _plan(bench, 'loop', 1000, uri_noop_max=100) == {'create': 'sample', 'no-op': 'full'}
    assert _plan(bench, 'uri', 100, uri_noop_max=10) == {'create': 'full', 'no-op': 'full'}


def test_fleet_order_runs_the_fleet_first_and_the_longest_way_last(bench):
    plans = {way: _plan(bench, way, 1000, uri_noop_max=100) for way in ('fleet', 'loop', 'uri')}
    assert bench.fleet_order(plans) == ['fleet', 'uri', 'loop']
    plans = {way: _plan(bench, way, 100) for way in ('fleet', 'loop', 'uri')}
    assert bench.fleet_order(plans) == ['fleet', 'loop', 'uri']


def test_scale_sample_scales_the_per_account_cost_and_keeps_the_start_up_once(bench):
    base = {'seconds': 2.0, 'requests': 2, 'writes': 0}
    sample = {'seconds': 102.0, 'requests': 402, 'writes': 100}
    got = bench.scale_sample(sample, base, 100, 5000)
    assert got['mode'] == 'sample' and got['k'] == 100 and got['n'] == 5000
    assert got['per_account_seconds'] == pytest.approx(1.0)
    assert got['per_account_requests'] == pytest.approx(4.0)
    assert got['per_account_writes'] == pytest.approx(1.0)
    assert got['seconds'] == pytest.approx(2.0 + 5000 * 1.0)
    assert got['requests'] == pytest.approx(2 + 5000 * 4)
    assert got['writes'] == pytest.approx(5000)
    assert got['sample'] == sample and got['base'] == base


def test_mode_labels(bench):
    assert bench.mode_label(None) == 'not measured'
    assert bench.mode_label({'seconds': 1.0}) == 'full'
    assert bench.mode_label({'mode': 'sample', 'k': 100, 'n': 5000}) == 'sampled 100 of 5000, scaled'


def _measured(seconds, requests, writes=0):
    return {'seconds': seconds, 'requests': requests, 'writes': writes}


def _way(bench, n, create, noop, base=None, k=100):
    """One way at N: a run is a full measurement (seconds, requests, writes) or, when n > k, a sample of k
    accounts (the sample run's figures), scaled by scale_sample."""
    base = base or _measured(2.0, 2)
    out = {'base': base}
    for run, got in (('create', create), ('no-op', noop)):
        if got is None:
            out[run] = None
        elif n > k:
            out[run] = bench.scale_sample(got, base, k, n)
        else:
            out[run] = got
    return out


def _rows(bench, sample_noop_requests=202, fleet_noop_5000=12.0):
    """F3's shape: N=100 in full; N=1000 no-op in full, first run sampled; N=5000 sampled."""
    fleet = {100: (_measured(3.0, 106, 101), _measured(2.0, 4)), 1000: (_measured(8.0, 1010, 1005), _measured(5.0, 14)),
             5000: (_measured(25.0, 5030, 5025), _measured(fleet_noop_5000, 54))}
    rows = []
    for n in (100, 1000, 5000):
        row = {'n': n, 'fleet': {'create': fleet[n][0], 'no-op': fleet[n][1]}}
        # loop: 6 requests (2 writes) per account first, 4 for the no-op; uri: 3 (2) and 2 (1), plus 2 once
        loop_base, uri_base = _measured(2.0, 0), _measured(2.0, 2)
        if n == 100:
            row['loop'] = _way(bench, n, _measured(62.0, 600, 200), _measured(52.0, 400), loop_base)
            row['uri'] = _way(bench, n, _measured(142.0, 302, 200), _measured(102.0, 202, 100), uri_base)
        elif n == 1000:
            row['loop'] = {'base': loop_base, 'create': bench.scale_sample(_measured(62.0, 600, 200), loop_base, 100, n),
                           'no-op': _measured(502.0, 4000)}
            row['uri'] = {'base': uri_base, 'create': bench.scale_sample(_measured(142.0, 302, 200), uri_base, 100, n),
                          'no-op': _measured(1002.0, 2002, 1000)}
        else:
            row['loop'] = _way(bench, n, _measured(62.0, 600, 200), _measured(52.0, 400), loop_base)
            row['uri'] = _way(bench, n, _measured(142.0, 302, 200), _measured(102.0, sample_noop_requests, 100), uri_base)
        rows.append(row)
    return rows


def test_samples_are_checked_against_the_full_run_at_the_smallest_n(bench):
    lines, failures = bench.check_samples(_rows(bench))
    assert failures == []
    assert len(lines) == 6  # first runs at 1000 and 5000, no-ops at 5000, loop and uri
    assert 'sample check uri no-op at N=5000 (sampled 100 of 5000, scaled): 2.00 requests, 1.00 writes per ' \
           'account; the full run at N=100: 2.00, 1.00 -> same' in lines
    assert 'sample check loop create at N=1000 (sampled 100 of 1000, scaled): 6.00 requests, 2.00 writes per ' \
           'account; the full run at N=100: 6.00, 2.00 -> same' in lines


def test_a_sample_whose_requests_per_account_differ_fails(bench):
    # one more request per account at N=5000 (say, a lookup that pages through all accounts)
    lines, failures = bench.check_samples(_rows(bench, sample_noop_requests=302))
    assert len(failures) == 1 and 'uri no-op at N=5000' in failures[0]
    assert any(line.endswith('-> DIFFERENT') for line in lines)


def test_a_sample_without_a_full_run_is_not_checked(bench):
    rows = [row for row in _rows(bench) if row['n'] != 100]
    lines, failures = bench.check_samples(rows)
    # the no-op at N=1000 is full: the no-op samples at 5000 are checked against it; the first runs are not
    assert failures == []
    assert sum(line.endswith('-> not checked') for line in lines) == 4
    assert sum(line.endswith('-> same') for line in lines) == 2


def test_sampled_targets_are_never_counted_as_met(bench, capsys):
    fake = types.SimpleNamespace(failures=[])
    rows = _rows(bench)
    bench.print_fleet(fake, rows)
    out = capsys.readouterr().out
    assert fake.failures == []
    # full at N=1000: 5.0 s against 502 s and 1002 s
    assert 'target fleet no-op <= 0.05x loop (N=1000, wall): 0.010x -> MET' in out
    assert 'target fleet no-op <= 0.02x uri (N=1000, wall): 0.005x -> MET' in out
    # sampled at N=5000: the loop no-op scaled to 2 + 5000 x 0.5 = 2502 s
    assert 'target fleet no-op <= 0.05x loop (N=5000, wall, sampled 100 of 5000, scaled): 0.0048x -> sampled ' \
           '(not counted as met)' in out
    for line in out.splitlines():
        if 'sampled' in line and line.startswith('target'):
            assert not line.endswith('MET')
    # the table names how each figure was measured
    assert '  5000 no-op   loop   sampled 100 of 5000, scaled     2502.0     20000       0     0.0048x\n' in out
    assert '  1000 create  uri    sampled 100 of 1000, scaled     1402.0      3002    2000     0.0057x\n' in out
    assert '   100 no-op   uri    full                             102.0       202     100     0.0196x\n' in out
    assert '  5000 no-op   fleet  full                              12.0        54       0\n' in out
    assert 'target the fleet cost grows with pages, not N: no-op requests 4, 14, 54 at N = 100, 1000, 5000, ' \
           'page budgets 4, 14, 54; seconds 2.0, 5.0, 12.0 -> MET' in out


def test_a_full_ratio_over_its_target_is_not_met(bench):
    rows = _rows(bench)
    rows[1]['fleet']['no-op']['seconds'] = 30.0  # 30 / 1002 = 0.030x the uri playbook
    assert bench.fleet_ratio_line(rows[1], 'uri', bench.FLEET_VS_URI) == \
        'target fleet no-op <= 0.02x uri (N=1000, wall): 0.030x -> NOT MET'
    assert bench.fleet_ratio_line(rows[1], 'loop', bench.FLEET_VS_LOOP).endswith('0.060x -> NOT MET')
    rows[2]['loop']['no-op'] = None
    assert bench.fleet_ratio_line(rows[2], 'loop', bench.FLEET_VS_LOOP) == \
        'target fleet no-op <= 0.05x loop (N=5000): not measured'
