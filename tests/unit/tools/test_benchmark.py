# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""tools/benchmark.py: the order of the no-op series and how its ratios are summarized.

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


def _slice(ping, service_account, workspace_access, cpu_factor=1.0):
    return {'order': ('floor', 'service_account', 'workspace_access'),
            'ping': ping, 'service_account': service_account, 'workspace_access': workspace_access,
            'ping_cpu': ping * cpu_factor, 'service_account_cpu': service_account * cpu_factor,
            'workspace_access_cpu': workspace_access * cpu_factor}


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
    orders = [bench.slice_order(index) for index in range(6)]
    assert all(sorted(order) == sorted(bench.NOOP_SERIES) for order in orders)
    for place in range(len(bench.NOOP_SERIES)):
        firsts = [order[place] for order in orders]
        assert sorted(firsts) == sorted(bench.NOOP_SERIES * 2)
    assert orders[0] != orders[1] != orders[2] and orders[0] == orders[3]


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
    assert 'target no-op task <= 1.3x ping floor (N=200, pipelining off, wall, worse of the two modules, ' \
           'median of 3 slices): 1.40x (slices 1.20-1.50) -> NOT MET' in out
    assert 'target collection playbook <= 0.5x uri playbook (N=200, pipelining off, CPU' in out


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
    assert 'target fleet no-op <= 0.05x loop (N=5000): not measured (N > --fleet-loop-max)' in out
    assert fake.failures == []
    bench.print_fleet(fake, [_fleet_row(1000, 2.0, 10.0, requests=16)])
    out = capsys.readouterr().out
    assert '-> NOT MET' in out
    assert len(fake.failures) == 2  # over the page budget, and over the 15-request target
